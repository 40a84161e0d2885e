package dev.maildx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.DiagnosticsListener;
import dev.maildx.Verdict;
import dev.maildx.report.DnsOutcome;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AuditDomains} over 1,000 domains served by {@link MockDnsServer} with 20 ms per answer:
 * every domain gets its line, no DNS query fails, the rate is reported, and the live heap does not
 * grow with the number of domains done (the input is read lazily and results are written as they
 * come).
 */
class AuditDomainsTest {
  static final int DOMAINS = 1000;

  /**
   * Diagnoses at once. Each sends about 70 queries, 31 of them (the DKIM selectors) at once, to a
   * DNS server in the same JVM that reads UDP on one thread, on a shared 2-core machine: 8 keeps
   * its answers in time.
   */
  static final int CONCURRENCY = 8;

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  @TempDir Path dir;

  /**
   * Realistic records: 1-3 MX hosts with A (some AAAA), SPF with an include, DMARC, a DKIM key,
   * MTA-STS and TLS-RPT records.
   */
  static void publish(MockDnsServer dns, Path list, int n) throws Exception {
    Random r = new Random(8);
    StringBuilder zone = new StringBuilder();
    StringBuilder names = new StringBuilder("# 1,000 domains for AuditDomainsTest\n");
    for (int i = 0; i < n; i++) {
      String d = "d" + i + ".audit.test";
      names.append(d).append('\n');
      int hosts = 1 + r.nextInt(3);
      for (int h = 0; h < hosts; h++) {
        String mx = "mx" + h + "." + d;
        zone.append(d).append(". IN MX ").append(10 * (h + 1)).append(' ').append(mx).append(".\n");
        zone.append(mx)
            .append(". IN A 8.")
            .append(r.nextInt(250))
            .append('.')
            .append(r.nextInt(250))
            .append('.')
            .append(1 + r.nextInt(250))
            .append('\n');
        if (r.nextBoolean()) {
          zone.append(mx)
              .append(". IN AAAA 2a00:1450:4001::")
              .append(Integer.toHexString(1 + r.nextInt(65000)))
              .append('\n');
        }
      }
      zone.append(d)
          .append(". IN TXT \"v=spf1 ip4:8.")
          .append(r.nextInt(250))
          .append(".0.0/16 include:_spf.provider.test ~all\"\n");
      zone.append("_dmarc.")
          .append(d)
          .append(". IN TXT \"v=DMARC1; p=")
          .append(r.nextBoolean() ? "reject" : "none")
          .append("; rua=mailto:dmarc@")
          .append(d)
          .append("\"\n");
      zone.append("selector1._domainkey.")
          .append(d)
          .append(
              ". IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n");
      zone.append("_smtp._tls.")
          .append(d)
          .append(". IN TXT \"v=TLSRPTv1; rua=mailto:tls@")
          .append(d)
          .append("\"\n");
    }
    zone.append("_spf.provider.test. IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n");
    dns.zone(zone.toString());
    Files.writeString(list, names.toString());
  }

  @Test
  void thousandDomains_with20msPerAnswer_allAudited_withBoundedMemory() throws Exception {
    Path list = dir.resolve("domains.txt");
    Path out = dir.resolve("results.jsonl");
    publish(dns.server(), list, DOMAINS);
    dns.server().delayAll(Duration.ofMillis(20));
    AtomicLong dnsFailures = new AtomicLong();
    DiagnosticsListener failures =
        new DiagnosticsListener() {
          @Override
          public void dnsQuery(String name, String type, DnsOutcome outcome, Duration elapsed) {
            if (outcome == DnsOutcome.TIMEOUT
                || outcome == DnsOutcome.SERVFAIL
                || outcome == DnsOutcome.REFUSED
                || outcome == DnsOutcome.ERROR) {
              dnsFailures.incrementAndGet();
            }
          }
        };
    DiagnosticsConfig config =
        DiagnosticsConfig.builder()
            .dnsServer(dns.server().address())
            .timeout(Duration.ofSeconds(20))
            .listener(failures)
            .build();
    LiveHeap heap = new LiveHeap();
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    heap.start();
    AuditDomains.Result r =
        AuditDomains.audit(
            list, out, config, CONCURRENCY, new PrintStream(log, true, StandardCharsets.UTF_8));
    heap.stop();

    String summary = log.toString(StandardCharsets.UTF_8);
    assertThat(r.batch().completed()).isEqualTo(DOMAINS);
    assertThat(r.skipped()).isZero();
    assertThat(r.batch().sinkFailures()).isZero();
    assertThat(dnsFailures.get()).as("DNS queries that failed").isZero();
    assertThat(r.batch().verdicts()).doesNotContainKey(Verdict.INCONCLUSIVE);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(DOMAINS);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.get("domain").asText()).endsWith(".audit.test");
    assertThat(summary).contains("audited 1000 domains", "domains/s");
    List<Long> samples = heap.samples();
    long firstHalf =
        samples.subList(0, samples.size() / 2).stream().mapToLong(Long::longValue).max().orElse(0);
    long secondHalf =
        samples.subList(samples.size() / 2, samples.size()).stream()
            .mapToLong(Long::longValue)
            .max()
            .orElse(0);
    System.out.printf(
        "[audit] %d domains, 20 ms per DNS answer, concurrency %d: %.1f s, %.1f domains/s, %d DNS queries; "
            + "live heap after GC: max %d MiB in the first half, %d MiB in the second (%d samples); %s%n",
        DOMAINS,
        CONCURRENCY,
        r.batch().elapsed().toMillis() / 1000.0,
        r.batch().perSecond(),
        dns.server().queryCount(),
        firstHalf >> 20,
        secondHalf >> 20,
        samples.size(),
        r.batch().verdicts());
    assertThat(samples).hasSizeGreaterThanOrEqualTo(4);
    // Bounded: what is live does not grow with the domains already done.
    assertThat(secondHalf).isLessThan(firstHalf + (32L << 20));
    assertThat(secondHalf).isLessThan(256L << 20);
  }

  /** Samples the live heap (used after a full GC) every second. */
  static final class LiveHeap implements Runnable {
    private final List<Long> samples = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;
    private Thread thread;

    void start() {
      thread = new Thread(this, "live-heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    List<Long> samples() {
      return List.copyOf(samples);
    }

    @Override
    public void run() {
      while (running) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
        System.gc();
        samples.add(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      }
    }
  }
}
