package dev.maildx.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code maildx} command; prints usage when run without a subcommand. */
@Command(
    name = "maildx",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Tells you why email from A to B is not arriving, bouncing or delayed, and who has to fix it.",
    subcommands = {
      DiagnoseCommand.class,
      MxCommand.class,
      SpfCommand.class,
      DmarcCommand.class,
      DkimCommand.class,
      ProbeCommand.class,
      BounceCommand.class,
      AuditCommand.class,
      AuthCommand.class,
      DemoCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 no problem found, 1 problems found, 2 usage error or bad input, 3 could not complete."
    })
final class MaildxCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
