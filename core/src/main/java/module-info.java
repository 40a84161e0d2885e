/**
 * maildx core: the public model ({@link dev.maildx.DeliveryDiagnosis} and the typed reports), the
 * {@link dev.maildx.MailDiagnostics} entry point, orchestration of checks under one deadline, and
 * the SPI through which the {@code dns} and {@code smtp} modules contribute checks.
 *
 * <p>Needs nothing but the JDK at run time.
 */
module dev.maildx.core {
  requires static org.jspecify;

  exports dev.maildx;
  exports dev.maildx.report;
  exports dev.maildx.spi;
  exports dev.maildx.internal to
      dev.maildx.dns,
      dev.maildx.smtp,
      dev.maildx.auth,
      dev.maildx.render,
      dev.maildx.examples;
  // The one bounded message reader, for the modules that read mail.
  exports dev.maildx.internal.mail to
      dev.maildx.bounce,
      dev.maildx.auth;

  uses dev.maildx.spi.CheckProvider;
}
