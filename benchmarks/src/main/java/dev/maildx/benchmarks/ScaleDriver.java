package dev.maildx.benchmarks;

import dev.maildx.BatchOptions;
import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.dns.Blocklist;
import dev.maildx.dns.PolicyOptions;
import dev.maildx.testkit.DnsQueryLog;
import dev.maildx.testkit.MockDnsServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The scale driver: N domains with realistic records ({@link ScaleZone}) served by {@link
 * MockDnsServer} with a fixed delay per answer, and a full DNS diagnosis of each (every DNS check:
 * mx, sender-mx, spf with the sending IP, dmarc, dkim, mta-sts, tls-rpt, dnssec, tlsa, mx-ptr,
 * bimi, ptr, dnsbl; no SMTP) through one shared {@link MailDiagnostics} and its batch API ({@link
 * MailDiagnostics#diagnoseEach}), at most C at a time.
 *
 * <p>It first measures the critical path: a sample of domains is diagnosed one at a time against an
 * in-process server with 50 ms per answer, and the server's query log is cut into waves (a new wave
 * starts after a silence longer than half the delay): the number of waves is the number of
 * sequential round trips of that diagnosis. The throughput bound is then {@code C / (mean critical
 * path x delay)} (Little's law: C diagnoses in flight, each taking its critical path), and the
 * target is 0.8 of it.
 *
 * <p>By default the DNS server of the measured run is a separate JVM ({@link ScaleDnsServer}), so
 * that it does not share the client's heap, JIT and GC; it still shares the CPU. Reports domains/s,
 * p50/p99 latency per domain, peak heap (used, and live after GC), peak threads.
 *
 * <p>Run: {@code java -Xmx256m -cp benchmarks/target/benchmarks.jar
 * dev.maildx.benchmarks.ScaleDriver [domains=1000] [concurrency=64] [delayMs=20] [--in-process]
 * [--seed N] [--sample K]}.
 */
public final class ScaleDriver {
  /**
   * The delay per answer when the critical path is measured: long enough that waves are
   * unmistakable.
   */
  static final Duration WAVE_DELAY = Duration.ofMillis(50);

  private ScaleDriver() {}

  /**
   * Runs the driver.
   *
   * @param args domains, concurrency, delay in ms, options
   * @throws Exception on setup failure
   */
  public static void main(String[] args) throws Exception {
    List<String> positional = new ArrayList<>();
    boolean inProcess = false;
    long seed = 42;
    int sample = 40;
    int explain = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--in-process" -> inProcess = true;
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--sample" -> sample = Integer.parseInt(args[++i]);
        case "--explain" -> explain = Integer.parseInt(args[++i]);
        default -> positional.add(args[i]);
      }
    }
    int domains = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 1000;
    int concurrency = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 64;
    int delayMs = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 20;
    ScaleZone zone = ScaleZone.generate(domains, seed);
    if (explain >= 0) {
      explain(zone, explain);
      return;
    }

    CriticalPath cp = criticalPath(zone, Math.min(sample, domains));
    System.out.printf("critical path    %s%n", cp);

    InetSocketAddress address;
    ScaleDnsServer.Process child = null;
    MockDnsServer local = null;
    if (inProcess) {
      local = MockDnsServer.start();
      zone.publish(local);
      local.delayAll(Duration.ofMillis(delayMs));
      address = local.address();
    } else {
      child = ScaleDnsServer.start(domains, seed, delayMs);
      address = child.address;
    }
    try (MailDiagnostics maildx = maildx(address)) {
      measure(maildx, zone, cp, domains, concurrency, delayMs, inProcess, child, local);
    } finally {
      if (child != null) {
        child.close();
      }
      if (local != null) {
        local.close();
      }
    }
  }

  /** Prints one domain's diagnosis, to check what the zone makes of it. */
  private static void explain(ScaleZone zone, int explain) {
    try (MockDnsServer dns = MockDnsServer.start();
        MailDiagnostics maildx = maildx(dns.address())) {
      zone.publish(dns);
      DeliveryDiagnosis d = maildx.diagnose(zone.question(explain));
      System.out.println(zone.question(explain) + " -> " + d.verdict() + " " + d.likelyCauses());
      d.findings()
          .forEach(
              f ->
                  System.out.println(
                      "  "
                          + f.check()
                          + " "
                          + f.code()
                          + " "
                          + f.severity()
                          + " "
                          + f.effect()
                          + ": "
                          + f.message()));
    }
  }

  /**
   * The measured run after a warm-up: throughput against the bound, latency, heap, threads, CPU,
   * verdicts.
   */
  private static void measure(
      MailDiagnostics maildx,
      ScaleZone zone,
      CriticalPath cp,
      int domains,
      int concurrency,
      int delayMs,
      boolean inProcess,
      ScaleDnsServer.Process child,
      MockDnsServer local)
      throws java.io.IOException, InterruptedException {
    // Warm-up: JIT and the first connections; not measured.
    run(maildx, zone, Math.min(500, domains), concurrency, null);
    long serverCpu0 = 0;
    if (child != null) {
      child.queries();
      serverCpu0 = child.cpuNanos;
    } else {
      local.clearQueries();
    }
    System.gc();
    PeakSampler sampler = new PeakSampler();
    sampler.start();
    long[] latencies = new long[domains];
    Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
    AtomicInteger inconclusiveFindings = new AtomicInteger();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    run(
        maildx,
        zone,
        domains,
        concurrency,
        (i, d) -> {
          latencies[i] = d.elapsed().toNanos();
          inconclusiveFindings.addAndGet(
              (int) d.findings().stream().filter(Finding::inconclusive).count());
          synchronized (verdicts) {
            verdicts.merge(d.verdict(), 1, Integer::sum);
          }
        });
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuMsPerDomain = (processCpuNanos() - cpu0) / 1e6 / domains;
    sampler.stop();
    long queries = child != null ? child.queries() : local.queryCount();
    double serverCpuMsPerDomain = child != null ? (child.cpuNanos - serverCpu0) / 1e6 / domains : 0;
    Arrays.sort(latencies);
    double rate = domains / seconds;
    double bound = concurrency / (cp.mean * delayMs / 1000.0);
    System.out.printf(
        "setup            %d domains, concurrency %d, %d ms per DNS answer, DNS server %s, %d cores, load %.2f at the start%n",
        domains,
        concurrency,
        delayMs,
        inProcess ? "in this JVM" : "in a separate JVM",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(
        "queries          %d (%.1f per domain, %.0f per second)%n",
        queries, (double) queries / domains, queries / seconds);
    System.out.printf(
        "throughput       %.1f domains/s  (bound %.1f = %d / (%.2f x %d ms); ratio %.2f, target >= 0.80: %s)%n",
        rate,
        bound,
        concurrency,
        cp.mean,
        delayMs,
        rate / bound,
        rate / bound >= 0.8 ? "met" : "MISSED");
    System.out.printf(
        "latency          p50 %.1f ms, p99 %.1f ms, max %.1f ms (critical path alone: %.0f ms)%n",
        latencies[latencies.length / 2] / 1e6,
        latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1e6,
        latencies[latencies.length - 1] / 1e6,
        cp.mean * delayMs);
    System.out.printf(
        "peak heap        %.1f MiB used, %.1f MiB live after GC (max heap %.0f MiB; target < 256 MiB: %s)%n",
        sampler.peakHeap / 1048576.0,
        sampler.peakLive / 1048576.0,
        Runtime.getRuntime().maxMemory() / 1048576.0,
        sampler.peakHeap < 256L << 20 ? "met" : "MISSED");
    System.out.printf("peak threads     %d%n", sampler.peakThreads);
    System.out.printf(
        "CPU              %.2f ms per domain in maildx's JVM%s; at most %.0f domains/s on %d cores%n",
        cpuMsPerDomain,
        inProcess
            ? " (the DNS server's included)"
            : String.format(", %.2f ms in the DNS server's", serverCpuMsPerDomain),
        Runtime.getRuntime().availableProcessors() * 1000 / (cpuMsPerDomain + serverCpuMsPerDomain),
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "verdicts         %s; inconclusive findings %d%n", verdicts, inconclusiveFindings.get());
    System.out.printf(
        "SUMMARY domains=%d concurrency=%d delayMs=%d cp=%.2f rate=%.1f bound=%.1f ratio=%.2f p50=%.1f p99=%.1f heapMiB=%.1f "
            + "liveMiB=%.1f threads=%d inconclusive=%d cpuMs=%.2f serverCpuMs=%.2f%n",
        domains,
        concurrency,
        delayMs,
        cp.mean,
        rate,
        bound,
        rate / bound,
        latencies[latencies.length / 2] / 1e6,
        latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1e6,
        sampler.peakHeap / 1048576.0,
        sampler.peakLive / 1048576.0,
        sampler.peakThreads,
        inconclusiveFindings.get(),
        cpuMsPerDomain,
        serverCpuMsPerDomain);
  }

  /** CPU time used by this JVM so far, or 0 where the JVM cannot say. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime()
        : 0;
  }

  /**
   * One MailDiagnostics with every DNS check, the local blocklists of the zone instead of the
   * public ones.
   */
  static MailDiagnostics maildx(InetSocketAddress dns) {
    PolicyOptions options =
        PolicyOptions.builder()
            .blocklists(
                List.of(
                    Blocklist.ip(
                        "scale IP list",
                        ScaleZone.IP_BLOCKLIST,
                        false,
                        Map.of("127.0.0.2", "listed")),
                    Blocklist.domain(
                        "scale domain list",
                        ScaleZone.DOMAIN_BLOCKLIST,
                        Map.of("127.0.1.2", "listed"))))
            .build();
    return MailDiagnostics.builder()
        .dnsServer(dns)
        .timeout(Duration.ofSeconds(20))
        .options(options)
        .build();
  }

  interface Sink {
    void accept(int index, DeliveryDiagnosis d);
  }

  /**
   * Diagnoses the first {@code n} domains through the batch API, at most {@code concurrency} at a
   * time.
   */
  static void run(MailDiagnostics maildx, ScaleZone zone, int n, int concurrency, Sink sink) {
    Map<DeliveryQuestion, Integer> index = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Iterator<DeliveryQuestion> questions =
        IntStream.range(0, n)
            .mapToObj(
                i -> {
                  DeliveryQuestion q = zone.question(i);
                  index.put(q, i);
                  return q;
                })
            .iterator();
    maildx
        .diagnoseEach(
            questions,
            BatchOptions.builder().concurrency(concurrency).build(),
            (q, d) -> {
              Integer i = index.remove(q);
              if (sink != null && i != null) {
                sink.accept(i, d);
              }
            })
        .join();
  }

  /** The sequential round trips of the sampled domains' diagnoses. */
  record CriticalPath(
      double mean,
      int max,
      Map<Integer, Integer> distribution,
      double queriesPerDomain,
      String deepest) {
    @Override
    public String toString() {
      return String.format(
          "%.2f sequential DNS round trips per domain on average, %d at most (%s over %d sampled domains, each "
              + "diagnosed alone at %d ms per answer, waves counted in the server's query log); %.1f queries per domain; deepest: %s",
          mean,
          max,
          distribution,
          distribution.values().stream().mapToInt(Integer::intValue).sum(),
          WAVE_DELAY.toMillis(),
          queriesPerDomain,
          deepest);
    }
  }

  /**
   * Diagnoses a spread sample of the domains one at a time and counts the waves of queries of each.
   */
  static CriticalPath criticalPath(ScaleZone zone, int sample) throws Exception {
    try (MockDnsServer dns = MockDnsServer.start();
        MailDiagnostics maildx = maildx(dns.address())) {
      zone.publish(dns);
      maildx.diagnose(zone.question(0)); // warm-up
      dns.delayAll(WAVE_DELAY);
      Map<Integer, Integer> distribution = new TreeMap<>();
      long total = 0;
      long queries = 0;
      int max = 0;
      String deepest = "";
      for (int k = 0; k < sample; k++) {
        int i = (int) ((long) k * zone.size() / sample);
        dns.clearQueries();
        maildx.diagnose(zone.question(i));
        List<DnsQueryLog> log = new ArrayList<>(dns.queries());
        log.sort(Comparator.comparing(DnsQueryLog::receivedAt));
        int waves = log.isEmpty() ? 0 : 1;
        StringBuilder chain =
            new StringBuilder(log.isEmpty() ? "" : log.get(0).type() + " " + log.get(0).name());
        for (int j = 1; j < log.size(); j++) {
          if (Duration.between(log.get(j - 1).receivedAt(), log.get(j).receivedAt())
                  .compareTo(WAVE_DELAY.dividedBy(2))
              > 0) {
            waves++;
            chain.append(" -> ").append(log.get(j).type()).append(' ').append(log.get(j).name());
          }
        }
        distribution.merge(waves, 1, Integer::sum);
        total += waves;
        queries += log.size();
        if (waves > max) {
          max = waves;
          deepest = zone.domain(i) + ": " + chain;
        }
      }
      return new CriticalPath(
          (double) total / sample, max, distribution, (double) queries / sample, deepest);
    }
  }

  /** Samples heap use (and live heap after the last collection) and thread count every 10 ms. */
  static final class PeakSampler implements Runnable {
    volatile boolean running = true;
    volatile long peakHeap;
    volatile long peakLive;
    volatile int peakThreads;
    private Thread thread;

    void start() {
      thread = new Thread(this, "peak-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    @Override
    public void run() {
      while (running) {
        long heap = 0;
        long live = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
          if (p.getType() == MemoryType.HEAP) {
            heap += p.getUsage().getUsed();
            MemoryUsage after = p.getCollectionUsage();
            live += after == null ? 0 : after.getUsed();
          }
        }
        peakHeap = Math.max(peakHeap, heap);
        peakLive = Math.max(peakLive, live);
        peakThreads = Math.max(peakThreads, ManagementFactory.getThreadMXBean().getThreadCount());
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
