package dev.maildx.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.BatchOptions;
import dev.maildx.BatchProgress;
import dev.maildx.BatchSummary;
import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.ProbeReport;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A batch of many recipient domains hosted by the same mail servers (as with a large provider): the
 * batch runs many diagnoses at once, but the SMTP prober shared by one {@link MailDiagnostics}
 * never opens more than one connection at a time to one address, and at most its limit overall.
 */
class BatchPolitenessTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void manyDomainsOnOneHost_getOneConnectionAtATime_andEveryItemItsResult() {
    List<MockSmtpServer> servers =
        List.of(
            MockSmtpServer.builder()
                .hostname("mx1.hoster.test")
                .tls(false)
                .delay("EHLO", Duration.ofMillis(60))
                .build(),
            MockSmtpServer.builder()
                .hostname("mx2.hoster.test")
                .tls(false)
                .delay("EHLO", Duration.ofMillis(60))
                .build());
    try {
      StringBuilder zone =
          new StringBuilder("mx1.hoster.test. IN A 192.0.2.41\nmx2.hoster.test. IN A 192.0.2.42\n");
      List<DeliveryQuestion> questions = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String d = "customer" + i + ".test";
        zone.append(d).append(". IN MX 10 mx").append(1 + i % 2).append(".hoster.test.\n");
        questions.add(DeliveryQuestion.builder().to("user@" + d).smtpPort(25).build());
      }
      dns.server().zone(zone.toString());
      MailDiagnostics.Builder b =
          MailDiagnostics.builder()
              .dnsServer(dns.server().address())
              .timeout(Duration.ofSeconds(15))
              .route(InetAddresses.parse("192.0.2.41"), servers.get(0).address())
              .route(InetAddresses.parse("192.0.2.42"), servers.get(1).address());
      List<BatchProgress> progress = Collections.synchronizedList(new ArrayList<>());
      Map<DeliveryQuestion, DeliveryDiagnosis> results = new ConcurrentHashMap<>();
      try (MailDiagnostics maildx = b.build()) {
        BatchSummary s =
            maildx
                .diagnoseEach(
                    questions.iterator(),
                    BatchOptions.builder().concurrency(12).progress(progress::add).build(),
                    results::put)
                .join();

        assertThat(s.completed()).isEqualTo(12);
        assertThat(progress).hasSize(12);
      }
      assertThat(results).hasSize(12);
      results
          .values()
          .forEach(
              d ->
                  assertThat(d.smtp().orElseThrow().hosts())
                      .extracting(ProbeReport.Host::outcome)
                      .containsExactly(ProbeReport.Outcome.ACCEPTED));
      // 12 diagnoses in flight at once, 6 domains per server: still one connection at a time per
      // server address
      // (the prober's own timings: each connection starts after the previous one to that address
      // was closed).
      assertThat(servers).allSatisfy(srv -> assertThat(srv.connectionCount()).isEqualTo(6));
      for (String address : List.of("192.0.2.41", "192.0.2.42")) {
        List<ProbeReport.Host> hosts =
            new ArrayList<>(
                results.values().stream()
                    .flatMap(d -> d.smtp().orElseThrow().hosts().stream())
                    .filter(h -> InetAddresses.toLiteral(h.address()).equals(address))
                    .toList());
        assertThat(hosts).hasSize(6);
        hosts.sort(java.util.Comparator.comparing(ProbeReport.Host::startedAt));
        for (int i = 1; i < hosts.size(); i++) {
          java.time.Instant prevEnd = hosts.get(i - 1).startedAt().plus(hosts.get(i - 1).elapsed());
          assertThat(hosts.get(i).startedAt().plusMillis(2))
              .as("connection %d to %s", i, address)
              .isAfterOrEqualTo(prevEnd);
        }
      }
    } finally {
      servers.forEach(MockSmtpServer::close);
    }
  }

  @Test
  void diagnoseAll_returnsOneResultPerItemInOrder_evenWhenSomeFail() {
    dns.server().mx("ok.test", 0, ".");
    List<DeliveryQuestion> qs =
        IntStream.range(0, 9)
            .mapToObj(
                i ->
                    DeliveryQuestion.builder()
                        .to(
                            i % 3 == 0
                                ? "x@ok.test"
                                : i % 3 == 1 ? "x@missing" + i + ".test" : "x@ok.test")
                        .smtpProbe(false)
                        .build())
            .toList();
    try (MailDiagnostics maildx =
        MailDiagnostics.builder()
            .dnsServer(dns.server().address())
            .timeout(Duration.ofSeconds(5))
            .build()) {
      List<DeliveryDiagnosis> ds = maildx.diagnoseAll(qs);

      assertThat(ds).hasSize(9);
      for (int i = 0; i < 9; i++) {
        assertThat(ds.get(i).question()).isEqualTo(qs.get(i));
        assertThat(ds.get(i).likelyCauses().get(0).code().name())
            .isEqualTo(
                i % 3 == 1 ? "RECIPIENT_DOMAIN_DOES_NOT_EXIST" : "RECIPIENT_ACCEPTS_NO_MAIL");
      }
    }
  }
}
