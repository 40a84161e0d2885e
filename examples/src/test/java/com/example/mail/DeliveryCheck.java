// region readme
package com.example.mail;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Why does mail from us to a recipient not arrive? One per application, shared by all threads. */
public final class DeliveryCheck implements AutoCloseable {
  private final MailDiagnostics maildx; // create once, share; thread-safe

  public DeliveryCheck(InetSocketAddress dnsServer) { // e.g. new InetSocketAddress("127.0.0.1", 53)
    maildx =
        MailDiagnostics.builder()
            .dnsServer(dnsServer) // default: the system's resolvers
            .timeout(Duration.ofSeconds(20)) // one deadline for a whole diagnose()
            .build();
  }

  public DeliveryDiagnosis check(String from, String sendingIp, String to) {
    DeliveryDiagnosis d =
        maildx.diagnose(DeliveryQuestion.builder().from(from).sendingIp(sendingIp).to(to).build());
    d.verdict(); // DELIVERABLE | AT_RISK | UNDELIVERABLE | INCONCLUSIVE
    d.likelyCauses(); // ranked, each with evidence and who must act
    d.findings(); // code, severity, check, message, evidence, RFC reference
    d.mx(); // typed reports, Optional where not run
    d.spf(); // SPF result for the sending IP, the trace of every record and term, the lint
    d.smtp(); // the SMTP probe of the recipient's mail servers
    d.auth(); // with .message(Path) on the question: DKIM, SPF, DMARC and ARC of a received message
    return d;
  }

  @Override
  public void close() { // at shut-down: stops its threads, closes its sockets
    maildx.close();
  }
}
// endregion
