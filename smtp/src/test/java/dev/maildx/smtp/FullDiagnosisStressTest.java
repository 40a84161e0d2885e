package dev.maildx.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.Blocklist;
import dev.maildx.dns.PolicyOptions;
import dev.maildx.internal.InetAddresses;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import dev.maildx.testkit.MockHttpsServer;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.ResourceSnapshot;
import dev.maildx.testkit.SmtpPolicy;
import dev.maildx.testkit.TestCertificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One shared {@link MailDiagnostics} running every check — mx and sender-mx, spf, dmarc, dkim,
 * mta-sts (with its HTTPS policy), tls-rpt, dnssec, tlsa, mx-ptr, bimi, ptr, dnsbl, and the smtp
 * probe of {@link MockSmtpServer}s — for 160 domains from a fixed seed: 32 threads give exactly the
 * same diagnoses as one thread, and nothing is left running afterwards.
 */
class FullDiagnosisStressTest {
  private static final long SEED = 20261125L;
  private static final int DOMAINS = 160;
  private static final String ZONE = "stress.test";

  @RegisterExtension final MockDnsExtension ext = new MockDnsExtension();

  @Test
  void thirtyTwoThreadsGiveTheSameFullDiagnosesAsOne() throws Exception {
    MockDnsServer dns = ext.server();
    TestCertificate ca = TestCertificate.authority("maildx stress CA");
    List<String> stsHosts = new ArrayList<>();
    for (int i = 0; i < DOMAINS; i++) {
      stsHosts.add("mta-sts.d" + i + "." + ZONE);
    }
    ResourceSnapshot before = ResourceSnapshot.take();
    List<MockSmtpServer> smtp =
        List.of(
            MockSmtpServer.builder().hostname("mx." + ZONE).build(),
            MockSmtpServer.builder()
                .hostname("mx." + ZONE)
                .recipient("bob@d0." + ZONE, "250 2.1.5 Ok")
                .otherRecipients("550 5.1.1 <bob>: Recipient address rejected: User unknown")
                .build(),
            MockSmtpServer.builder()
                .hostname("mx." + ZONE)
                .policy(SmtpPolicy.greeting421())
                .build(),
            MockSmtpServer.builder().hostname("mx." + ZONE).tls(false).build());
    List<MockHttpsServer> https =
        List.of(
            MockHttpsServer.start(ca.issue(stsHosts.toArray(String[]::new))),
            MockHttpsServer.start(ca.issue(stsHosts.toArray(String[]::new))));
    https
        .get(0)
        .mtaStsPolicy("version: STSv1\nmode: enforce\nmx: *." + ZONE + "\nmax_age: 604800\n");
    https
        .get(1)
        .mtaStsPolicy("version: STSv1\nmode: testing\nmx: mail.elsewhere.test\nmax_age: 86400\n");
    try {
      DiagnosticsConfig.Builder config =
          DiagnosticsConfig.builder()
              .dnsServer(dns.address())
              .timeout(Duration.ofSeconds(30))
              .dnsQueryTimeout(Duration.ofSeconds(2));
      List<DeliveryQuestion> questions = publish(dns, new Random(SEED), config, smtp, https);
      PolicyOptions options =
          PolicyOptions.builder()
              .trustStore(ca.trustStore())
              .blocklists(
                  List.of(
                      Blocklist.ip(
                          "stress list",
                          "bl." + ZONE,
                          false,
                          Map.of("127.0.0.2", "listed for the test"))))
              .build();
      try (MailDiagnostics m =
          MailDiagnostics.builder().config(config.build()).options(options).build()) {
        assertThat(m.checks())
            .contains(
                "mx",
                "sender-mx",
                "spf",
                "dmarc",
                "dkim",
                "mta-sts",
                "tls-rpt",
                "dnssec",
                "tlsa",
                "mx-ptr",
                "bimi",
                "ptr",
                "dnsbl",
                "smtp");
        Map<String, String> sequential = new TreeMap<>();
        for (DeliveryQuestion q : questions) {
          sequential.put(q.toString(), signature(m.diagnose(q)));
        }

        Map<String, String> concurrent = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
          List<Future<?>> all = new ArrayList<>();
          for (DeliveryQuestion q : questions) {
            all.add(pool.submit(() -> concurrent.put(q.toString(), signature(m.diagnose(q)))));
          }
          for (Future<?> f : all) {
            f.get();
          }
        } finally {
          pool.shutdownNow();
        }

        assertThat(new TreeMap<>(concurrent)).isEqualTo(sequential);
        assertThat(sequential.values())
            .noneMatch(s -> s.contains("CHECK_DEADLINE_EXCEEDED") || s.contains("inconclusive:"));
        assertThat(sequential.values().stream().distinct().count())
            .as("scenarios are varied")
            .isGreaterThan(DOMAINS / 2);
      }
    } finally {
      smtp.forEach(MockSmtpServer::close);
      https.forEach(MockHttpsServer::close);
    }
    before.assertNothingLeftBehind(Duration.ofSeconds(5));
  }

  /** Everything a diagnosis concluded that does not depend on timing. */
  private static String signature(DeliveryDiagnosis d) {
    String findings =
        d.findings().stream()
            .map(f -> f.check() + ":" + f.code() + (f.inconclusive() ? " inconclusive:" : ""))
            .sorted()
            .collect(Collectors.joining(","));
    String causes =
        d.likelyCauses().stream().map(c -> c.code().name()).collect(Collectors.joining(","));
    String hosts =
        d.smtp()
            .map(
                r ->
                    r.hosts().stream()
                        .map(h -> h.label() + "=" + h.outcome() + (h.tls() == null ? "" : "/tls"))
                        .collect(Collectors.joining(",")))
            .orElse("-");
    return d.verdict()
        + " | "
        + causes
        + " | "
        + findings
        + " | spf "
        + d.spf().map(s -> s.spfResult()).map(Object::toString).orElse("-")
        + " | dmarc "
        + d.dmarc().map(r -> String.valueOf(r.policy())).orElse("-")
        + " | sts "
        + d.mtaSts().flatMap(r -> r.policy()).map(p -> p.mode().toString()).orElse("-")
        + " | smtp "
        + hosts
        + " | dnsbl "
        + d.dnsbl().map(r -> String.valueOf(r.listings().size())).orElse("-");
  }

  /**
   * Publishes one varied domain per index, each with its own MX address routed to one of the SMTP
   * servers, and returns the questions: mail from alice@dN to bob@dN, sent from 198.51.100.N.
   */
  private static List<DeliveryQuestion> publish(
      MockDnsServer dns,
      Random r,
      DiagnosticsConfig.Builder config,
      List<MockSmtpServer> smtp,
      List<MockHttpsServer> https) {
    StringBuilder z = new StringBuilder();
    z.append("_spf.provider.")
        .append(ZONE)
        .append(". IN TXT \"v=spf1 ip4:198.51.100.0/25 -all\"\n");
    List<DeliveryQuestion> questions = new ArrayList<>();
    for (int i = 0; i < DOMAINS; i++) {
      String d = "d" + i + "." + ZONE;
      String sending = "198.51.100." + (i + 1);
      // MX: a null MX now and then; otherwise one host with an address of its own, routed to one of
      // the servers.
      if (r.nextInt(8) == 0) {
        z.append(d).append(". IN MX 0 .\n");
      } else {
        String ip = "192.0.2." + (i + 1);
        z.append(d).append(". IN MX 10 mx").append(i).append('.').append(ZONE).append(".\n");
        z.append("mx").append(i).append('.').append(ZONE).append(". IN A ").append(ip).append('\n');
        if (r.nextBoolean()) {
          z.append(String.join(".", reverse(ip)))
              .append(".in-addr.arpa. IN PTR mx")
              .append(i)
              .append('.')
              .append(ZONE)
              .append(".\n");
        }
        config.route(InetAddresses.parse(ip), smtp.get(r.nextInt(smtp.size())).address());
      }
      switch (r.nextInt(5)) {
        case 0 -> z.append(d).append(". IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n");
        case 1 ->
            z.append(d)
                .append(". IN TXT \"v=spf1 include:_spf.provider.")
                .append(ZONE)
                .append(" ~all\"\n");
        case 2 -> z.append(d).append(". IN TXT \"v=spf1 a:%{d}/33 -all\"\n");
        case 3 -> z.append(d).append(". IN TXT \"v=spf1 -all\"\n");
        default -> {}
      }
      switch (r.nextInt(4)) {
        case 0 ->
            z.append("_dmarc.")
                .append(d)
                .append(". IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@")
                .append(d)
                .append("\"\n");
        case 1 -> z.append("_dmarc.").append(d).append(". IN TXT \"v=DMARC1; p=none\"\n");
        case 2 -> z.append("_dmarc.").append(d).append(". IN TXT \"v=DMARC1; p=bogus; pct=200\"\n");
        default -> {}
      }
      switch (r.nextInt(3)) {
        case 0 ->
            z.append("selector1._domainkey.").append(d).append(". IN TXT \"v=DKIM1; k=rsa; p=\"\n");
        case 1 ->
            z.append("k1._domainkey.")
                .append(d)
                .append(
                    ". IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n");
        default -> {}
      }
      int sts = r.nextInt(4);
      if (sts < 2) {
        String ip = "192.0.3." + (i + 1);
        z.append("_mta-sts.").append(d).append(". IN TXT \"v=STSv1; id=").append(i).append("\"\n");
        z.append("mta-sts.").append(d).append(". IN A ").append(ip).append('\n');
        config.route(InetAddresses.parse(ip), https.get(sts).address());
      }
      if (r.nextBoolean()) {
        z.append("_smtp._tls.")
            .append(d)
            .append(". IN TXT \"v=TLSRPTv1; rua=mailto:tls@")
            .append(d)
            .append("\"\n");
      }
      if (r.nextInt(3) == 0) {
        z.append("default._bimi.")
            .append(d)
            .append(". IN TXT \"v=BIMI1; l=https://")
            .append(d)
            .append("/logo.svg\"\n");
      }
      if (r.nextBoolean()) {
        z.append(String.join(".", reverse(sending)))
            .append(".in-addr.arpa. IN PTR out.")
            .append(d)
            .append(".\n");
        z.append("out.")
            .append(d)
            .append(". IN A ")
            .append(r.nextBoolean() ? sending : "198.51.100.250")
            .append('\n');
      }
      if (r.nextInt(6) == 0) {
        z.append(String.join(".", reverse(sending)))
            .append(".bl.")
            .append(ZONE)
            .append(". IN A 127.0.0.2\n");
      }
      questions.add(
          DeliveryQuestion.builder().from("alice@" + d).sendingIp(sending).to("bob@" + d).build());
    }
    dns.zone(z.toString());
    return questions;
  }

  private static List<String> reverse(String ip) {
    List<String> parts = new ArrayList<>(List.of(ip.split("\\.")));
    java.util.Collections.reverse(parts);
    return parts;
  }
}
