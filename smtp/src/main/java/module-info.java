/**
 * maildx smtp: the SMTP prober (banner, EHLO, STARTTLS, certificate, DANE, RCPT; never DATA) and
 * nothing else: bounce notices are read by maildx-bounce.
 */
module dev.maildx.smtp {
  requires transitive dev.maildx.core;
  requires dev.maildx.dns;
  requires org.dnsjava;
  requires static org.jspecify;

  exports dev.maildx.smtp;

  provides dev.maildx.spi.CheckProvider with
      dev.maildx.smtp.SmtpChecks;
}
