package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DmarcReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.DnsQueryLog;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With every DNS answer delayed 20 ms, DMARC and DKIM (10 selectors) of one domain finish within
 * their longest chain of sequential round trips × 20 ms × 1.3: everything independent goes out at
 * once. The chain is counted from the server's query log (queries arriving together form one
 * round).
 */
class DmarcDkimRoundTripTest {
  static final Duration DELAY = Duration.ofMillis(20);
  static final List<String> SELECTORS =
      List.of(
          "selector1", "selector2", "google", "default", "k1", "s1", "s2", "dkim", "mail", "key1");

  @RegisterExtension final MockDnsExtension dnsExtension = new MockDnsExtension();

  @Test
  void dmarcAndDkim_ofOneDomain_takeTwoRoundTrips() {
    MockDnsServer dns = dnsExtension.server();
    dns.zone(
        """
        $ORIGIN example.com.
        @                     IN MX  10 mx
        mx                    IN A   192.0.2.10
        mail                  IN A   192.0.2.11
        _dmarc                IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com,mailto:reports@vendor.example; ruf=mailto:f@vendor.example"
        selector1._domainkey  IN CNAME selector1-example-com._domainkey.tenant.example.
        google._domainkey     IN TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        """);
    dns.txt(
        "selector1-example-com._domainkey.tenant.example",
        DkimKeyResolverTest.chunks("v=DKIM1; k=rsa; p=" + DkimKeyResolverTest.rsa(2048)));
    dns.mx("vendor.example", 10, "mx.vendor.example")
        .txt("example.com._report._dmarc.vendor.example", "v=DMARC1");
    dns.delayAll(DELAY);
    DiagnosticsConfig config =
        DiagnosticsConfig.builder().dnsServer(dns.address()).timeout(Duration.ofSeconds(5)).build();
    try (CheckEnvironment env = CheckEnvironment.create(config)) {
      DnsClient client = DnsClient.create(env);
      DmarcResolver dmarc = DmarcResolver.create(client, PublicSuffixList.bundled());
      DkimKeyResolver dkim = DkimKeyResolver.create(client);
      DomainName domain = DomainName.of("mail.example.com");

      for (int i = 0; i < 3; i++) {
        run(dmarc, dkim, domain); // warm up: class loading and JIT
      }
      // The machine is shared: take the best of up to ten runs (at least three), and the fewest
      // rounds seen, so that a
      // scheduling stall on a loaded machine neither adds to the time nor splits a round.
      long best = Long.MAX_VALUE;
      int rounds = Integer.MAX_VALUE;
      int runs = 0;
      while (runs < 10 && (runs < 3 || best > (long) (rounds * DELAY.toMillis() * 1.3))) {
        dns.clearQueries();
        long t0 = System.nanoTime();
        Object[] r = run(dmarc, dkim, domain);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        rounds = Math.min(rounds, rounds(dns.queries()));
        best = Math.min(best, ms);
        runs++;
        DmarcReport d = (DmarcReport) r[0];
        DkimKeysReport k = (DkimKeysReport) r[1];
        assertThat(d.record()).isNotNull();
        assertThat(d.reportDestinations()).hasSize(3);
        assertThat(k.found()).hasSize(2);
      }
      long budget = (long) (rounds * DELAY.toMillis() * 1.3);
      System.out.println(
          "[round trips] DMARC + DKIM ("
              + SELECTORS.size()
              + " selectors) of mail.example.com with "
              + DELAY.toMillis()
              + " ms per answer: "
              + rounds
              + " sequential rounds, best of "
              + runs
              + " runs "
              + best
              + " ms (budget "
              + budget
              + " ms)");
      assertThat(rounds).isEqualTo(2);
      assertThat(best).isLessThanOrEqualTo(budget);
    }
  }

  private static Object[] run(DmarcResolver dmarc, DkimKeyResolver dkim, DomainName domain) {
    Deadline deadline = Deadline.after(Duration.ofSeconds(5));
    CompletableFuture<DmarcReport> d = dmarc.resolveAsync(domain, deadline);
    CompletableFuture<DkimKeysReport> k =
        dkim.resolveAsync(DomainName.of("example.com"), SELECTORS, false, deadline);
    return new Object[] {d.join(), k.join()};
  }

  /** Queries whose arrival is more than half a delay after the previous one's start a new round. */
  static int rounds(List<DnsQueryLog> queries) {
    return rounds(queries, DELAY);
  }

  /**
   * Queries whose arrival is more than half of {@code delay} after the previous one's start a new
   * round.
   */
  static int rounds(List<DnsQueryLog> queries, Duration delay) {
    List<DnsQueryLog> q = new ArrayList<>(queries);
    q.sort(Comparator.comparing(DnsQueryLog::receivedAt));
    int rounds = 0;
    java.time.Instant last = null;
    for (DnsQueryLog x : q) {
      if (last == null
          || Duration.between(last, x.receivedAt()).compareTo(delay.dividedBy(2)) > 0) {
        rounds++;
      }
      last = x.receivedAt();
    }
    return rounds;
  }
}
