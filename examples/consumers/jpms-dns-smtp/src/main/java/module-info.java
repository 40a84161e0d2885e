/** A JPMS application using maildx's DNS checks and SMTP prober, with no Jakarta jar on its module path. */
module example.jpms {
  requires dev.maildx.dns;
  requires dev.maildx.smtp;
}
