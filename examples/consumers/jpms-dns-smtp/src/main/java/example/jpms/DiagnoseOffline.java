package example.jpms;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.MxResolver;
import dev.maildx.smtp.SmtpProber;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * Runs a whole diagnosis on the module path, offline: DNS goes to a loopback port where nothing
 * answers, so every check ends inconclusive within the deadline — proof that the modules resolve
 * and load with their declared dependencies only.
 */
public final class DiagnoseOffline {
  private DiagnoseOffline() {}

  public static void main(String[] args) throws Exception {
    int silentPort;
    try (ServerSocket s = new ServerSocket(0)) {
      silentPort = s.getLocalPort();
    }
    System.out.println("dns module: " + MxResolver.class.getModule().getName()
        + ", smtp module: " + SmtpProber.class.getModule().getName());
    if (ModuleLayer.boot().findModule("jakarta.mail").isPresent()) {
      System.err.println("jakarta.mail is on the module path, but nothing needs it");
      System.exit(1);
    }
    try (MailDiagnostics maildx = MailDiagnostics.builder()
        .dnsServer(new InetSocketAddress("127.0.0.1", silentPort))
        .timeout(Duration.ofSeconds(3))
        .build()) {
      DeliveryDiagnosis d = maildx.diagnose(DeliveryQuestion.builder().to("bob@agency.example").build());
      System.out.println("verdict " + d.verdict() + ", " + d.findings().size() + " findings");
      if (!MxResolver.class.getModule().isNamed() || d.findings().isEmpty()) {
        System.exit(1);
      }
    }
  }
}
