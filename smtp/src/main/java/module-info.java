/**
 * maildx smtp: the SMTP prober (banner, EHLO, STARTTLS, certificate, DANE, RCPT; never DATA) and
 * the bounce (DSN) parser and classifier.
 */
module dev.maildx.smtp {
  requires transitive dev.maildx.core;
  requires dev.maildx.dns;
  requires org.apache.commons.net;
  requires org.dnsjava;
  requires jakarta.mail;
  requires org.eclipse.angus.mail;
  requires org.eclipse.angus.mail.dsn;
  requires static org.jspecify;

  exports dev.maildx.smtp;
  exports dev.maildx.bounce;

  provides dev.maildx.spi.CheckProvider with dev.maildx.smtp.SmtpChecks, dev.maildx.bounce.BounceChecks;
}
