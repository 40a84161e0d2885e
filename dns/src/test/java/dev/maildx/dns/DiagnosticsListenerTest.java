package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DiagnosticsListener;
import dev.maildx.MailDiagnostics;
import dev.maildx.report.CheckReport;
import dev.maildx.report.DnsOutcome;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.testkit.DnsQueryLog;
import dev.maildx.testkit.MockDnsExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The listener hooks of {@link DiagnosticsListener} in a whole diagnosis with the real DNS checks:
 * {@code checkStarted} and {@code checkFinished} once per check that ran (abandoned at the
 * deadline: {@code completed=false}), {@code dnsQuery} for every query the DNS server received, and
 * a listener that throws changes nothing.
 */
class DiagnosticsListenerTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  /** Records every event; throws from each hook if asked to. */
  static final class Recording implements DiagnosticsListener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> queries = Collections.synchronizedList(new ArrayList<>());
    final boolean hostile;

    Recording(boolean hostile) {
      this.hostile = hostile;
    }

    @Override
    public void checkStarted(String check, DeliveryQuestion question) {
      events.add("started " + check);
      bomb();
    }

    @Override
    public void checkFinished(
        String check, DeliveryQuestion question, Duration elapsed, boolean completed) {
      events.add("finished " + check + " " + completed);
      bomb();
    }

    @Override
    public void dnsQuery(String name, String type, DnsOutcome outcome, Duration elapsed) {
      String n = name.toLowerCase(Locale.ROOT);
      queries.add(
          (n.length() > 1 && n.endsWith(".") ? n.substring(0, n.length() - 1) : n) + " " + type);
      bomb();
    }

    private void bomb() {
      if (hostile) {
        throw new IllegalStateException("listener bug");
      }
    }
  }

  /** Never completes: abandoned at the deadline. */
  static final class Stuck implements Check {
    @Override
    public String name() {
      return "stuck";
    }

    @Override
    public boolean appliesTo(DeliveryQuestion q) {
      return true;
    }

    @Override
    public CompletableFuture<CheckReport> run(CheckContext ctx) {
      return new CompletableFuture<>();
    }
  }

  private DeliveryDiagnosis diagnose(DiagnosticsListener listener) {
    dns.server()
        .zone(
            """
        $ORIGIN test.
        agency          IN MX  10 mx.agency
        mx.agency       IN A   8.8.8.8
        corp            IN MX  10 mx.corp
        mx.corp         IN A   8.8.4.4
        corp            IN TXT "v=spf1 include:_spf.provider.test -all"
        _spf.provider   IN TXT "v=spf1 ip4:198.51.100.0/24 -all"
        _dmarc.corp     IN TXT "v=DMARC1; p=reject"
        selector1._domainkey.corp IN CNAME selector1._domainkey.provider.test.
        """);
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .dnsServer(dns.server().address())
            .timeout(Duration.ofSeconds(2))
            .listener(listener)
            .checks(new Stuck())
            .build()) {
      return m.diagnose(
          DeliveryQuestion.builder()
              .from("alice@corp.test")
              .sendingIp("8.8.4.4")
              .to("bob@agency.test")
              .smtpProbe(false)
              .build());
    }
  }

  @Test
  void everyCheckIsStartedAndFinished_andEveryQueryIsReported() {
    Recording l = new Recording(false);

    DeliveryDiagnosis d = diagnose(l);

    Set<String> ran = d.reports().stream().map(CheckReport::check).collect(Collectors.toSet());
    assertThat(ran)
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
            "ptr",
            "dnsbl",
            "bimi");
    List<String> events = new ArrayList<>(l.events);
    for (String check : ran) {
      assertThat(events)
          .as("events of %s", check)
          .containsSubsequence("started " + check, "finished " + check + " true");
      assertThat(
              events.stream()
                  .filter(e -> e.startsWith("started " + check + ""))
                  .filter(e -> e.equals("started " + check)))
          .hasSize(1);
    }
    assertThat(events).containsSubsequence("started stuck", "finished stuck false");
    assertThat(d.findings("CHECK_DEADLINE_EXCEEDED"))
        .singleElement()
        .satisfies(f -> assertThat(f.check()).isEqualTo("stuck"));
    assertThat(events.stream().filter(e -> e.startsWith("started")).count())
        .isEqualTo(events.stream().filter(e -> e.startsWith("finished")).count());

    Set<String> received = new HashSet<>();
    for (DnsQueryLog q : dns.server().queries()) {
      received.add(q.name() + " " + q.type());
    }
    assertThat(new HashSet<>(l.queries))
        .as("every query the server received was reported")
        .containsAll(received);
    assertThat(l.queries)
        .hasSizeGreaterThanOrEqualTo(received.size())
        .contains("agency.test MX", "_dmarc.corp.test TXT", "_spf.provider.test TXT");
  }

  @Test
  void aListenerThatThrows_changesNothing() {
    DeliveryDiagnosis quiet = diagnose(DiagnosticsListener.NONE);
    dns.server().clearQueries();

    Recording l = new Recording(true);
    DeliveryDiagnosis d = diagnose(l);

    assertThat(d.verdict()).isEqualTo(quiet.verdict());
    assertThat(d.findings().stream().map(f -> f.check() + " " + f.code()).sorted().toList())
        .isEqualTo(
            quiet.findings().stream().map(f -> f.check() + " " + f.code()).sorted().toList());
    assertThat(l.events).isNotEmpty();
    assertThat(l.queries).isNotEmpty();
  }
}
