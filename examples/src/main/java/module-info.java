/** maildx examples and the {@code maildx} command-line tool. */
module dev.maildx.examples {
  requires dev.maildx.core;
  requires dev.maildx.dns;
  requires dev.maildx.auth;
  requires dev.maildx.smtp;
  requires dev.maildx.bounce;
  requires dev.maildx.render;
  requires dev.maildx.testkit;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires static org.jspecify;

  exports dev.maildx.examples;
  exports dev.maildx.cli;

  opens dev.maildx.cli to
      info.picocli;
}
