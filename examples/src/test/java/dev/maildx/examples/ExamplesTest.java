package dev.maildx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.internal.InetAddresses;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.TestDsn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The example programs, run against testkit servers on loopback. */
class ExamplesTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private static String capture(java.util.function.Consumer<PrintStream> body) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    body.accept(new PrintStream(b, true, StandardCharsets.UTF_8));
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void diagnoseDomain_printsTheVerdictCausesAndFindings() {
    dns.server().mx("nomail.test", 0, ".");
    try (MailDiagnostics maildx =
        MailDiagnostics.builder()
            .dnsServer(dns.server().address())
            .timeout(Duration.ofSeconds(5))
            .build()) {
      String out = capture(o -> DiagnoseDomain.print(maildx, new String[] {"bob@nomail.test"}, o));

      assertThat(out)
          .startsWith("UNDELIVERABLE")
          .contains("- nomail.test publishes a null MX", "-> SENDER", "ERROR MX_NULL");
    }
  }

  @Test
  void explainBounce_readsTheNotice_andDiagnosesTheDeliveryItReports(@TempDir Path dir)
      throws Exception {
    try (MockSmtpServer smtp =
        MockSmtpServer.builder()
            .hostname("mx.shop.test")
            .recipient(
                "bob@shop.test",
                "550 5.1.1 <bob@shop.test>: Recipient address rejected: User unknown")
            .build()) {
      dns.server().mx("shop.test", 10, "mx.shop.test").a("mx.shop.test", "192.0.2.25");
      Path notice =
          TestDsn.failed("bob@shop.test", "5.1.1")
              .reportingMta("out.corp.test")
              .from("alice@corp.test")
              .diagnostic(
                  "smtp; 550 5.1.1 <bob@shop.test>: Recipient address rejected: User unknown")
              .write(dir.resolve("bounce.eml"));
      try (MailDiagnostics maildx =
          MailDiagnostics.builder()
              .dnsServer(dns.server().address())
              .timeout(Duration.ofSeconds(5))
              .route(InetAddresses.parse("192.0.2.25"), smtp.address())
              .build()) {
        Optional<DeliveryDiagnosis>[] d = new Optional[1];
        String out = capture(o -> d[0] = ExplainBounce.explain(notice, maildx, o));

        assertThat(out)
            .contains(
                "bounce notice from out.corp.test",
                "bob@shop.test: failed, status 5.1.1, reason userunknown (hard bounce)",
                "Diagnosis: UNDELIVERABLE",
                "bob@shop.test does not exist",
                "who must act: sender");
        assertThat(d[0].orElseThrow().question().from().orElseThrow().toString())
            .isEqualTo("alice@corp.test");
        assertThat(d[0].get().likelyCauses().get(0).code().name())
            .isEqualTo("RECIPIENT_MAILBOX_UNKNOWN");
      }
    }
  }

  @Test
  void explainBounce_ofOrdinaryMail_saysSo(@TempDir Path dir) throws Exception {
    Path mail =
        java.nio.file.Files.writeString(
            dir.resolve("hi.eml"), "From: a@b.test\nTo: c@d.test\nSubject: hi\n\nhello\n");
    try (MailDiagnostics maildx =
        MailDiagnostics.builder().dnsServer(dns.server().address()).build()) {
      String out = capture(o -> assertThat(ExplainBounce.explain(mail, maildx, o)).isEmpty());
      assertThat(out).contains("not a delivery notice");
    }
  }

  @Test
  void embedInService_oneSharedInstance_answersManyThreadsAtOnce() {
    StringBuilder zone = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      zone.append("d")
          .append(i)
          .append(".test. IN MX ")
          .append(i % 4 == 0 ? "0 ." : "10 mx.d" + i + ".test.")
          .append('\n');
      zone.append("mx.d").append(i).append(".test. IN A 8.8.8.").append(i + 1).append('\n');
    }
    dns.server().zone(zone.toString());
    ExecutorService requests = Executors.newFixedThreadPool(16);
    try (EmbedInService service =
        new EmbedInService(
            12, b -> b.dnsServer(dns.server().address()).timeout(Duration.ofSeconds(5)))) {
      List<CompletableFuture<EmbedInService.Answer>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String to = "user" + i + "@d" + (i % 20) + ".test";
        answers.add(
            CompletableFuture.supplyAsync(() -> service.check(to), requests).thenCompose(f -> f));
      }
      List<EmbedInService.Answer> all = answers.stream().map(CompletableFuture::join).toList();

      assertThat(all).hasSize(200);
      assertThat(all)
          .filteredOn(a -> a.verdict() == Verdict.UNDELIVERABLE)
          .hasSize(50)
          .allSatisfy(a -> assertThat(a.cause().orElseThrow()).contains("null MX"));
      assertThat(all)
          .filteredOn(a -> a.verdict() != Verdict.UNDELIVERABLE)
          .noneMatch(a -> a.verdict() == Verdict.INCONCLUSIVE);
      assertThat(service.metrics().checks.sum()).isGreaterThanOrEqualTo(200 * 5);
      assertThat(service.metrics().incomplete.sum()).isZero();
      assertThat(service.metrics().dnsFailures.sum()).isZero();
      assertThat(service.metrics().dnsQueries.sum())
          .isGreaterThanOrEqualTo(dns.server().queryCount());
    } finally {
      requests.shutdown();
    }
  }

  @Test
  void testWithTestkit_mainRunsTheScenarios() {
    PrintStream saved = System.out;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
    try {
      TestWithTestkit.main(new String[0]);
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      System.setOut(saved);
    }
    assertThat(b.toString(StandardCharsets.UTF_8))
        .contains(
            "alice@shop.test: accepted",
            "bob@nomail.test: rejected: nomail.test publishes a null MX",
            "gone@shop.test: rejected: The recipient's mail server says gone@shop.test does not exist",
            "not an address: rejected");
  }
}
