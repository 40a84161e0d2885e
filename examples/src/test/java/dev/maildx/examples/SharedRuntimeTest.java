package dev.maildx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.auth.DkimVerifier;
import dev.maildx.auth.MessageAuthenticator;
import dev.maildx.bounce.BounceParser;
import dev.maildx.dns.BimiResolver;
import dev.maildx.dns.DkimKeyResolver;
import dev.maildx.dns.DmarcEvaluator;
import dev.maildx.dns.DmarcResolver;
import dev.maildx.dns.DnsblResolver;
import dev.maildx.dns.DnssecResolver;
import dev.maildx.dns.MtaStsResolver;
import dev.maildx.dns.MxResolver;
import dev.maildx.dns.ReverseDnsResolver;
import dev.maildx.dns.SpfEvaluator;
import dev.maildx.dns.TlsRptResolver;
import dev.maildx.dns.TlsaResolver;
import dev.maildx.report.DmarcInput;
import dev.maildx.report.SmtpEnvelope;
import dev.maildx.smtp.ProbeRequest;
import dev.maildx.smtp.SmtpProber;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.MockDnsExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone components borrow the runtime of one {@code MailDiagnostics}: building and using all
 * of them starts no thread pool besides its own, and closing one leaves it working.
 */
class SharedRuntimeTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void componentsFromOneMailDiagnostics_startNoPoolsOfTheirOwn(@TempDir Path dir) throws Exception {
    dns.server()
        .mx("rcpt.test", 10, "mx.rcpt.test")
        .a("mx.rcpt.test", "8.8.8.8")
        .txt("sender.test", "v=spf1 ip4:192.0.2.1 -all")
        .txt("_dmarc.sender.test", "v=DMARC1; p=reject");
    Path bounce = dir.resolve("bounce.eml");
    Files.writeString(
        bounce, "From: MAILER-DAEMON@sender.test\r\nSubject: Undelivered Mail\r\n\r\nhello\r\n");
    byte[] message =
        "From: alice@sender.test\r\nTo: bob@rcpt.test\r\nSubject: hi\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    DiagnosticsConfig config =
        DiagnosticsConfig.builder()
            .dnsServer(dns.server().address())
            .timeout(Duration.ofSeconds(5))
            .dnsQueryTimeout(Duration.ofSeconds(1))
            .build();
    Set<String> poolsAtStart = pools();
    try (MailDiagnostics maildx = MailDiagnostics.builder().config(config).build()) {
      DeliveryQuestion question =
          DeliveryQuestion.builder()
              .from("alice@sender.test")
              .to("bob@rcpt.test")
              .smtpProbe(false)
              .build();
      assertThat(maildx.diagnose(question).mx()).isPresent();
      Set<String> poolsOfMaildx = pools();
      poolsOfMaildx.removeAll(poolsAtStart);
      int threadsBefore = threads();

      MxResolver mx = MxResolver.create(maildx);
      SpfEvaluator spf = SpfEvaluator.create(maildx);
      DmarcResolver dmarc = DmarcResolver.create(maildx);
      DmarcEvaluator dmarcEvaluator = DmarcEvaluator.create(maildx);
      DkimKeyResolver dkim = DkimKeyResolver.create(maildx);
      MtaStsResolver mtaSts = MtaStsResolver.create(maildx);
      TlsaResolver tlsa = TlsaResolver.create(maildx);
      DnssecResolver dnssec = DnssecResolver.create(maildx);
      BimiResolver bimi = BimiResolver.create(maildx);
      TlsRptResolver tlsRpt = TlsRptResolver.create(maildx);
      DnsblResolver dnsbl = DnsblResolver.create(maildx);
      ReverseDnsResolver ptr = ReverseDnsResolver.create(maildx);
      SmtpProber prober = SmtpProber.create(maildx);
      MessageAuthenticator authenticator = MessageAuthenticator.create(maildx);
      DkimVerifier verifier = DkimVerifier.create(maildx);
      BounceParser parser = BounceParser.create(maildx);

      mx.resolve("rcpt.test");
      spf.check("192.0.2.1", "alice@sender.test", null);
      dmarc.resolve("sender.test");
      dmarcEvaluator.evaluate(DmarcInput.builder().from("alice@sender.test").build());
      dkim.resolve("sender.test", List.of("s1"));
      mtaSts.check("rcpt.test");
      tlsa.check("rcpt.test");
      dnssec.check("rcpt.test");
      bimi.check("sender.test");
      tlsRpt.check("rcpt.test");
      dnsbl.check("192.0.2.1");
      ptr.check("192.0.2.1");
      prober.probe(ProbeRequest.host("127.0.0.1").port(1).build());
      authenticator.authenticate(message, SmtpEnvelope.NONE);
      verifier.verify(message);
      parser.parseAsync(bounce, Deadline.after(Duration.ofSeconds(5))).join();

      Set<String> poolsAfter = pools();
      poolsAfter.removeAll(poolsAtStart);
      int threadsAfter = threads();
      System.out.printf(
          "maildx threads: %d with one MailDiagnostics (pools %s), %d after 16 components were built and used (pools %s)%n",
          threadsBefore, poolsOfMaildx, threadsAfter, poolsAfter);
      assertThat(poolsOfMaildx).isNotEmpty();
      assertThat(poolsAfter).as("maildx thread pools").isSubsetOf(poolsOfMaildx);
      assertThat(CheckEnvironment.of(maildx)).isSameAs(CheckEnvironment.of(maildx));

      for (AutoCloseable c :
          List.of(
              mx,
              spf,
              dmarc,
              dmarcEvaluator,
              dkim,
              mtaSts,
              tlsa,
              dnssec,
              bimi,
              tlsRpt,
              dnsbl,
              ptr,
              prober,
              authenticator,
              verifier,
              parser)) {
        c.close();
      }
      DeliveryDiagnosis again = maildx.diagnose(question);
      assertThat(again.mx()).hasValueSatisfying(r -> assertThat(r.hosts()).hasSize(1));
      assertThat(again.verdict()).isNotEqualTo(Verdict.INCONCLUSIVE);
      assertThat(MxResolver.create(maildx).resolve("rcpt.test").hosts()).hasSize(1);
    }
  }

  /** The maildx pools with live threads: thread names without their last number. */
  private static Set<String> pools() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith(CheckEnvironment.THREAD_PREFIX))
        .map(n -> n.substring(0, n.lastIndexOf('-') + 1))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static int threads() {
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith(CheckEnvironment.THREAD_PREFIX))
            .count();
  }
}
