package dev.maildx.benchmarks;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.testkit.MockDnsServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * The scale driver: N domains with realistic records served by {@link MockDnsServer} with a fixed
 * delay per answer; a full DNS diagnosis of each (no SMTP), at most C at a time, through one shared
 * {@link MailDiagnostics} and its streaming batch API ({@link MailDiagnostics#diagnoseEach}). Reports domains/s, p50/p99 latency per domain, peak heap and peak
 * threads, and the throughput bound {@code concurrency / (critical path x delay)}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.maildx.benchmarks.ScaleDriver
 * [domains=1000] [concurrency=64] [delayMs=20]} (or {@code benchmarks/run-scale}).
 */
public final class ScaleDriver {
  /** Sequential DNS round trips on the longest path of a DNS-only diagnosis: MX, then A/AAAA of the hosts. */
  static final int CRITICAL_PATH = 2;

  private ScaleDriver() {}

  /**
   * Runs the driver.
   *
   * @param args domains, concurrency, delay in ms
   * @throws Exception on setup failure
   */
  public static void main(String[] args) throws Exception {
    int domains = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int delayMs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    try (MockDnsServer dns = MockDnsServer.start()) {
      String[] names = publish(dns, domains, new Random(42));
      dns.delayAll(Duration.ofMillis(delayMs));
      try (MailDiagnostics maildx = MailDiagnostics.builder().dnsServer(dns.address()).timeout(Duration.ofSeconds(20)).build()) {
        // Warm-up: JIT and the first connections; not measured.
        run(maildx, Arrays.copyOf(names, Math.min(200, names.length)), concurrency, null);
        System.gc();
        PeakSampler sampler = new PeakSampler();
        sampler.start();
        long[] latencies = new long[names.length];
        Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        long t0 = System.nanoTime();
        run(maildx, names, concurrency, (i, d, nanos) -> {
          latencies[i] = nanos;
          synchronized (verdicts) {
            verdicts.merge(d.verdict(), 1, Integer::sum);
          }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.stop();
        Arrays.sort(latencies);
        double rate = domains / seconds;
        double bound = concurrency / (CRITICAL_PATH * delayMs / 1000.0);
        System.out.printf("domains=%d concurrency=%d delay=%dms queries=%d%n", domains, concurrency, delayMs, dns.queryCount());
        System.out.printf("throughput      %10.1f domains/s  (bound %.0f; ratio %.2f, target >= 0.80)%n", rate, bound, rate / bound);
        System.out.printf("latency p50     %10.1f ms%n", latencies[latencies.length / 2] / 1e6);
        System.out.printf("latency p99     %10.1f ms%n", latencies[(int) (latencies.length * 0.99)] / 1e6);
        System.out.printf("peak heap used  %10.1f MiB%n", sampler.peakHeap / 1048576.0);
        System.out.printf("peak threads    %10d%n", sampler.peakThreads);
        System.out.printf("verdicts        %s%n", verdicts);
      }
    }
  }

  interface Sink {
    void accept(int index, DeliveryDiagnosis d, long nanos);
  }

  static void run(MailDiagnostics maildx, String[] names, int concurrency, Sink sink) throws InterruptedException {
    // The streaming batch API: at most `concurrency` at once, questions taken from the input as capacity frees up.
    java.util.Map<DeliveryQuestion, Integer> index = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Iterator<DeliveryQuestion> input = new java.util.Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < names.length;
      }

      @Override
      public DeliveryQuestion next() {
        DeliveryQuestion q = DeliveryQuestion.builder().to("postmaster@" + names[i]).from("reports@" + names[i]).smtpProbe(false).build();
        index.put(q, i++);
        return q;
      }
    };
    dev.maildx.BatchOptions options = dev.maildx.BatchOptions.builder().concurrency(concurrency).perDomain(concurrency).build();
    dev.maildx.BatchSummary s = maildx.diagnoseEach(input, options, (q, d) -> {
      if (sink != null) {
        sink.accept(index.remove(q), d, d.elapsed().toNanos());
      }
    }).join();
    if (s.completed() != names.length || s.sinkFailures() > 0) {
      throw new IllegalStateException(s.completed() + " of " + names.length + " diagnoses completed, " + s.sinkFailures() + " sink failures");
    }
  }

  /** Publishes realistic records: 1-3 MX hosts with A (and some AAAA), SPF, DMARC, DKIM, MTA-STS, TLS-RPT. */
  static String[] publish(MockDnsServer dns, int n, Random r) {
    String[] names = new String[n];
    StringBuilder zone = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String d = "d" + i + ".scale.test";
      names[i] = d;
      int hosts = 1 + r.nextInt(3);
      for (int h = 0; h < hosts; h++) {
        zone.append(d).append(". 300 IN MX ").append(10 * (h + 1)).append(" mx").append(h).append('.').append(d).append(".\n");
        zone.append("mx").append(h).append('.').append(d).append(". 300 IN A 8.").append(r.nextInt(250)).append('.')
            .append(r.nextInt(250)).append('.').append(1 + r.nextInt(250)).append('\n');
        if (r.nextBoolean()) {
          zone.append("mx").append(h).append('.').append(d).append(". 300 IN AAAA 2a00:1450:").append(Integer.toHexString(r.nextInt(65535)))
              .append("::1\n");
        }
      }
      zone.append(d).append(". 300 IN TXT \"v=spf1 ip4:8.").append(r.nextInt(250)).append(".0.0/16 include:_spf.provider.test ~all\"\n");
      zone.append("_dmarc.").append(d).append(". 300 IN TXT \"v=DMARC1; p=").append(r.nextBoolean() ? "reject" : "none")
          .append("; rua=mailto:dmarc@").append(d).append("\"\n");
      zone.append("selector1._domainkey.").append(d).append(". 300 IN TXT \"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\"\n");
      zone.append("_mta-sts.").append(d).append(". 300 IN TXT \"v=STSv1; id=2024").append(i).append("\"\n");
      zone.append("_smtp._tls.").append(d).append(". 300 IN TXT \"v=TLSRPTv1; rua=mailto:tls@").append(d).append("\"\n");
    }
    zone.append("_spf.provider.test. 300 IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n");
    dns.zone(zone.toString());
    return names;
  }

  /** Samples heap use and thread count every 10 ms. */
  static final class PeakSampler implements Runnable {
    volatile boolean running = true;
    volatile long peakHeap;
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
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
          if (p.getType() == MemoryType.HEAP) {
            heap += p.getUsage().getUsed();
          }
        }
        peakHeap = Math.max(peakHeap, heap);
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
