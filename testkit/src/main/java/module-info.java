/**
 * maildx testkit: real DNS and SMTP servers on loopback for tests — maildx's own and its users' —
 * with faults and misbehaviour on demand.
 */
module dev.maildx.testkit {
  requires org.dnsjava;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires jdk.management;
  requires static org.junit.jupiter.api;
  requires static org.jspecify;

  exports dev.maildx.testkit;
}
