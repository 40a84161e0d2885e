package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckProvider;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A whole diagnosis (every DNS check, sender and recipient side, no SMTP) of a domain whose every
 * DNS answer is delayed 50 ms completes within its critical path of sequential round trips × 50 ms
 * × 1.3: everything independent runs at once, and a check waits only for the checks it depends on.
 *
 * <p>The critical path is counted, not assumed: each check's own sequential depth is counted from
 * the DNS server's query log when it runs alone (after its dependencies, whose rounds are
 * subtracted), and the longest path through the check graph ({@link Check#dependsOn()}) sums them.
 */
class DiagnosisCriticalPathTest {
  static final Duration DELAY = Duration.ofMillis(50);
  static final DeliveryQuestion QUESTION =
      DeliveryQuestion.builder()
          .from("alice@corp.test")
          .sendingIp("93.184.216.34")
          .to("bob@agency.test")
          .smtpProbe(false)
          .build();

  @RegisterExtension final MockDnsExtension dnsExtension = new MockDnsExtension();

  @Test
  void aDiagnosisWithEveryAnswerDelayed50ms_takesNoLongerThanItsCriticalPath() {
    MockDnsServer dns = dnsExtension.server();
    dns.zone(
        """
        $ORIGIN test.
        agency                IN MX   10 mx1.agency
        agency                IN MX   20 mx2.agency
        mx1.agency            IN A    8.8.8.8
        mx2.agency            IN A    8.8.4.4
        mx2.agency            IN AAAA 2001:4860:4860::8844
        8.8.8.8.in-addr.arpa. IN PTR  mx1.agency.test.
        4.4.8.8.in-addr.arpa. IN PTR  mx2.agency.test.
        agency                IN TXT  "v=spf1 mx -all"
        _smtp._tls.agency     IN TXT  "v=TLSRPTv1; rua=mailto:tls@agency.test"
        corp                  IN MX   10 inbound.provider
        inbound.provider      IN A    198.51.100.20
        corp                  IN TXT  "v=spf1 include:_spf.provider.test -all"
        _spf.provider         IN TXT  "v=spf1 ip4:93.184.216.0/24 -all"
        out.provider          IN A    93.184.216.34
        34.216.184.93.in-addr.arpa. IN PTR out.provider.test.
        _dmarc.corp           IN TXT  "v=DMARC1; p=reject; rua=mailto:dmarc@corp.test,mailto:reports@vendor.test"
        corp.test._report._dmarc.vendor IN TXT "v=DMARC1"
        vendor                IN MX   10 mx.vendor
        selector1._domainkey.corp IN CNAME selector1-corp._domainkey.provider.test.
        selector1-corp._domainkey.provider IN TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        """);
    DiagnosticsConfig config =
        DiagnosticsConfig.builder()
            .dnsServer(dns.address())
            .timeout(Duration.ofSeconds(10))
            .dnsQueryTimeout(Duration.ofSeconds(2))
            .build();

    // The check graph, as MailDiagnostics gets it.
    Map<String, Set<String>> graph = new LinkedHashMap<>();
    try (CheckEnvironment env = CheckEnvironment.create(config)) {
      for (Check c : new DnsChecks().checks(env)) {
        if (c.appliesTo(QUESTION)) {
          graph.put(c.name(), c.dependsOn());
        }
      }
    }
    for (int i = 0; i < 3; i++) {
      run(config, graph.keySet()); // warm up: class loading and JIT, no delay
    }
    dns.delayAll(DELAY);

    // Each check's own sequential depth, from the query log of a run of it alone (after its
    // dependencies).
    Map<String, Integer> own = new LinkedHashMap<>();
    Map<String, Integer> alone = new HashMap<>();
    for (String check : graph.keySet()) {
      Set<String> withDeps = closure(check, graph);
      int rounds = rounds(dns, config, withDeps);
      alone.put(check, rounds);
      Set<String> deps = new LinkedHashSet<>(withDeps);
      deps.remove(check);
      own.put(check, deps.isEmpty() ? rounds : rounds - rounds(dns, config, deps));
    }
    Map<String, Integer> depth = new HashMap<>();
    int critical = 0;
    String last = null;
    for (String check : graph.keySet()) {
      int d = depth(check, graph, own, depth);
      if (d > critical) {
        critical = d;
        last = check;
      }
    }
    long budget = (long) (critical * DELAY.toMillis() * 1.3);

    // The machine is shared: the best of up to ten runs counts (a scheduling stall on a loaded
    // machine adds to one run's time).
    long best = Long.MAX_VALUE;
    int runs = 0;
    for (int i = 0; i < 10 && best > budget; i++) {
      runs++;
      dns.clearQueries();
      long t0 = System.nanoTime();
      DeliveryDiagnosis d = run(config, graph.keySet());
      best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
      assertThat(d.findings("CHECK_DEADLINE_EXCEEDED")).isEmpty();
      assertThat(d.reports()).hasSize(graph.size());
    }
    System.out.println(
        "[critical path] checks "
            + own
            + " (own rounds); longest path ends at "
            + last
            + ": "
            + critical
            + " round trips x "
            + DELAY.toMillis()
            + " ms = "
            + critical * DELAY.toMillis()
            + " ms, budget x1.3 = "
            + budget
            + " ms; the whole diagnosis took "
            + best
            + " ms (best of "
            + runs
            + " runs), "
            + dns.queryCount()
            + " queries");
    assertThat(critical).as("critical path in round trips").isBetween(2, 8);
    assertThat(best).isLessThanOrEqualTo(budget);
  }

  /** The check and every check it depends on, transitively, that applies. */
  private static Set<String> closure(String check, Map<String, Set<String>> graph) {
    Set<String> out = new LinkedHashSet<>();
    for (String d : graph.get(check)) {
      if (graph.containsKey(d)) {
        out.addAll(closure(d, graph));
      }
    }
    out.add(check);
    return out;
  }

  /** The longest chain of own rounds ending with {@code check}. */
  static int depth(
      String check,
      Map<String, Set<String>> graph,
      Map<String, Integer> own,
      Map<String, Integer> memo) {
    Integer known = memo.get(check);
    if (known != null) {
      return known;
    }
    int before = 0;
    for (String d : graph.get(check)) {
      if (graph.containsKey(d)) {
        before = Math.max(before, depth(d, graph, own, memo));
      }
    }
    int d = before + own.get(check);
    memo.put(check, d);
    return d;
  }

  /** The fewest sequential rounds seen in three runs of only these checks. */
  private static int rounds(MockDnsServer dns, DiagnosticsConfig config, Set<String> checks) {
    int best = Integer.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      dns.clearQueries();
      run(config, checks);
      best = Math.min(best, DmarcDkimRoundTripTest.rounds(dns.queries(), DELAY));
    }
    return best;
  }

  private static DeliveryDiagnosis run(DiagnosticsConfig config, Set<String> checks) {
    CheckProvider only =
        env -> new DnsChecks().checks(env).stream().filter(c -> checks.contains(c.name())).toList();
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .config(config)
            .discoverChecks(false)
            .checkProvider(only)
            .build()) {
      return m.diagnose(QUESTION);
    }
  }
}
