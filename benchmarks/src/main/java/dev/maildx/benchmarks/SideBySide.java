package dev.maildx.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.DmarcEvaluator;
import dev.maildx.dns.SpfEvaluator;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.dns.internal.SpfEngine;
import dev.maildx.dns.internal.SpfResolver;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.DmarcInput;
import dev.maildx.report.SpfReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * maildx and mailauth (the Node.js library, {@code benchmarks/mailauth}) side by side on the same
 * domains ({@link ScaleZone}) against the same DNS server ({@link ScaleDnsServer}, a separate JVM)
 * in one run: for each domain, SPF {@code check_host()} for {@code postmaster@<domain>} from the
 * domain's sending IP, then DMARC for a message From: the domain with no aligned SPF or DKIM
 * (policy discovery: the record, the policy that applies, fail or none). Both warm up first, both
 * run at most C domains at a time. Prints both throughputs, the ratio, and every domain where the
 * results differ.
 *
 * <p>maildx is measured twice: with the same work as mailauth (the SPF evaluator's {@code
 * check_host()} alone and {@link DmarcEvaluator}), and through the public {@link SpfEvaluator},
 * whose report also lints the whole record tree (more lookups).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.maildx.benchmarks.SideBySide
 * [domains=1000] [concurrency=64] [delayMs=0] [warmupPasses=14]} after {@code npm ci} in {@code
 * benchmarks/mailauth}.
 */
public final class SideBySide {
  private SideBySide() {}

  /** One domain's results. */
  record Result(String spf, String dmarc, String policy) {
    String key() {
      return spf + " / " + dmarc + " / " + policy;
    }
  }

  /**
   * Runs the comparison.
   *
   * @param args domains, concurrency, delay in ms
   * @throws Exception on setup failure
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int delayMs = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    // Both runtimes compile their hot code as it runs (HotSpot's C2 keeps improving maildx's code
    // for tens of thousands of domains; V8 settles sooner): each tool first runs the whole list
    // this many times untimed, so that steady states are compared rather than warm-ups.
    int warmupPasses = args.length > 3 ? Integer.parseInt(args[3]) : 14;
    long seed = 42;
    Path root = Path.of(System.getProperty("maildx.benchmarks", "benchmarks"));
    Path mailauth = root.resolve("mailauth");
    if (!Files.isDirectory(mailauth.resolve("node_modules/mailauth"))) {
      System.err.println("mailauth is not installed: run (cd benchmarks/mailauth && npm ci)");
      System.exit(2);
    }
    ScaleZone zone = ScaleZone.generate(n, seed);
    Path tsv = Files.createTempFile("maildx-side-by-side", ".tsv");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(zone.domain(i)).append('\t').append(zone.sendingIp(i)).append('\n');
    }
    Files.writeString(tsv, b);
    System.out.printf(
        "setup     %d domains, concurrency %d, %d ms per DNS answer, %d untimed passes over the list first (each tool), DNS server "
            + "in a separate JVM, %d cores, load %.2f%n",
        n,
        concurrency,
        delayMs,
        warmupPasses,
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try (ScaleDnsServer.Process dns = ScaleDnsServer.start(n, seed, delayMs)) {
      Maildx m = maildx(zone, n, concurrency, warmupPasses, dns);
      Peer p = mailauth(mailauth, dns, tsv, concurrency, warmupPasses);
      System.out.printf(
          "mailauth  %8.1f domains/s  mailauth %s spf() + dmarc() on Node.js %s (%.1f queries per domain; %.2f ms CPU per domain; "
              + "%d errors)%n",
          p.rate(), p.version(), nodeVersion(), (double) p.queries() / n, p.cpuMs(), p.errors());
      System.out.printf(
          "ratio     %8.2f x        maildx (same work) / mailauth, in domains per second; %.2f x in CPU per domain (mailauth / maildx)%n",
          m.rate / p.rate(), p.cpuMs() / m.cpuMs);

      Agreement a = compare(zone, n, m.results, p.results());
      System.out.printf(
          "SUMMARY domains=%d concurrency=%d maildx=%.1f maildxFull=%.1f mailauth=%.1f ratio=%.2f maildxCpuMs=%.3f mailauthCpuMs=%.3f "
              + "cpuRatio=%.2f spfAgree=%d dmarcAgree=%d%n",
          n,
          concurrency,
          m.rate,
          m.fullRate,
          p.rate(),
          m.rate / p.rate(),
          m.cpuMs,
          p.cpuMs(),
          p.cpuMs() / m.cpuMs,
          a.spf(),
          a.dmarc());
    } finally {
      Files.deleteIfExists(tsv);
    }
  }

  /** maildx's run: its results per domain, throughputs and CPU time per domain. */
  private static final class Maildx {
    final Result[] results;
    double rate;
    double fullRate;
    double cpuMs;

    Maildx(int n) {
      this.results = new Result[n];
    }
  }

  /**
   * mailauth's run: its results by domain, throughput, CPU time and DNS queries per domain, its
   * version and how many domains it failed on.
   */
  private record Peer(
      Map<String, Result> results,
      double rate,
      double cpuMs,
      String version,
      int errors,
      int queries) {}

  /** On how many domains the two tools agree, for SPF and for DMARC. */
  private record Agreement(int spf, int dmarc) {}

  /**
   * Measures maildx: warm-up passes, then a timed pass of the same work as mailauth, then of the
   * public {@link SpfEvaluator}; prints both lines.
   */
  private static Maildx maildx(
      ScaleZone zone, int n, int concurrency, int warmupPasses, ScaleDnsServer.Process dns)
      throws Exception {
    DiagnosticsConfig config =
        DiagnosticsConfig.builder().dnsServer(dns.address).timeout(Duration.ofSeconds(20)).build();
    Maildx m = new Maildx(n);
    MailDiagnostics runtime =
        MailDiagnostics.builder().config(config).discoverChecks(false).build();
    CheckEnvironment env = CheckEnvironment.of(runtime);
    try (DmarcEvaluator dmarc = DmarcEvaluator.create(runtime);
        SpfEvaluator evaluator = SpfEvaluator.create(runtime)) {
      SpfEngine engine =
          new SpfEngine(SpfResolver.of(DnsClient.of(env)), "bench.test", Clock.systemUTC());
      IntFunction<CompletableFuture<Result>> same =
          i -> {
            String d = zone.domain(i);
            Deadline deadline = Deadline.after(Duration.ofSeconds(20));
            return engine
                .checkHost(
                    InetAddresses.parse(zone.sendingIp(i)),
                    d,
                    "postmaster@" + d,
                    "mail." + d,
                    deadline)
                .thenCompose(
                    o ->
                        dmarc
                            .evaluateAsync(
                                DmarcInput.builder().from("alice@" + d).build(), deadline)
                            .thenApply(
                                e ->
                                    new Result(
                                        o.result.name().toLowerCase(Locale.ROOT),
                                        e.result().name().toLowerCase(Locale.ROOT),
                                        policy(e))));
          };
      IntFunction<CompletableFuture<Result>> full =
          i -> {
            String d = zone.domain(i);
            Deadline deadline = Deadline.after(Duration.ofSeconds(20));
            return evaluator
                .checkAsync(
                    InetAddresses.parse(zone.sendingIp(i)),
                    "postmaster@" + d,
                    "mail." + d,
                    deadline)
                .thenCompose(
                    s ->
                        dmarc
                            .evaluateAsync(
                                DmarcInput.builder().from("alice@" + d).build(), deadline)
                            .thenApply(
                                e ->
                                    new Result(
                                        spf(s),
                                        e.result().name().toLowerCase(Locale.ROOT),
                                        policy(e))));
          };
      for (int pass = 0; pass < warmupPasses; pass++) {
        run(same, n, concurrency, new Result[n]);
      }
      dns.queries();
      long cpu0 = ScaleDriver.processCpuNanos();
      m.rate = run(same, n, concurrency, m.results);
      double cpuMs = (ScaleDriver.processCpuNanos() - cpu0) / 1e6 / n;
      m.cpuMs = cpuMs;
      int queriesSame = dns.queries();
      for (int pass = 0; pass < warmupPasses; pass++) {
        run(full, n, concurrency, new Result[n]);
      }
      dns.queries();
      m.fullRate = run(full, n, concurrency, new Result[n]);
      int queriesFull = dns.queries();
      System.out.printf(
          "maildx    %8.1f domains/s  check_host() + DmarcEvaluator (the same work as mailauth; %.1f queries per domain; "
              + "%.2f ms CPU per domain)%n",
          m.rate, (double) queriesSame / n, cpuMs);
      System.out.printf(
          "maildx    %8.1f domains/s  SpfEvaluator (check_host() and the lint of the whole tree) + DmarcEvaluator (%.1f queries per "
              + "domain)%n",
          m.fullRate, (double) queriesFull / n);
    } finally {
      runtime.close();
    }
    return m;
  }

  /** Runs mailauth ({@code run.js}) in Node.js over the same list and reads its JSON lines. */
  private static Peer mailauth(
      Path mailauth, ScaleDnsServer.Process dns, Path tsv, int concurrency, int warmupPasses)
      throws Exception {
    List<String> cmd =
        List.of(
            "node",
            mailauth.resolve("run.js").toString(),
            "127.0.0.1:" + dns.address.getPort(),
            tsv.toString(),
            String.valueOf(concurrency),
            String.valueOf(warmupPasses));
    Process node = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Map<String, Result> peer = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    double peerRate = 0;
    double peerCpuMs = 0;
    String version = "?";
    int peerErrors = 0;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode j = json.readTree(line);
        if (j.has("summary")) {
          peerRate = j.get("perSecond").asDouble();
          peerCpuMs = j.path("cpuMsPerItem").asDouble();
          version = j.get("version").asText();
        } else if (j.has("error")) {
          peerErrors++;
          peer.put(
              j.get("domain").asText(), new Result("error: " + j.get("error").asText(), "-", "-"));
        } else {
          peer.put(
              j.get("domain").asText(),
              new Result(
                  j.get("spf").asText(),
                  j.get("dmarc").asText(),
                  j.get("dmarcPolicy").isNull() ? "-" : j.get("dmarcPolicy").asText()));
        }
      }
    }
    node.waitFor();
    // the peer's warm-up passes ran in the same process
    int queriesPeer = dns.queries() / (warmupPasses + 1);
    return new Peer(peer, peerRate, peerCpuMs, version, peerErrors, queriesPeer);
  }

  /** Compares the results domain by domain; prints the agreement and each kind of difference. */
  private static Agreement compare(
      ScaleZone zone, int n, Result[] maildx, Map<String, Result> peer) {
    Map<String, Integer> differences = new java.util.TreeMap<>();
    List<String> examples = new ArrayList<>();
    int spfAgree = 0;
    int dmarcAgree = 0;
    for (int i = 0; i < n; i++) {
      Result m = maildx[i];
      Result p = peer.get(zone.domain(i));
      if (p == null) {
        differences.merge("missing in mailauth's output", 1, Integer::sum);
        continue;
      }
      boolean spfSame = m.spf().equals(p.spf());
      boolean dmarcSame = m.dmarc().equals(p.dmarc()) && m.policy().equals(p.policy());
      spfAgree += spfSame ? 1 : 0;
      dmarcAgree += dmarcSame ? 1 : 0;
      if (!spfSame
          && differences.merge(
                  "spf maildx "
                      + m.spf()
                      + " vs mailauth "
                      + p.spf()
                      + " ["
                      + ScaleZone.edgeSpfNote(i)
                      + "]",
                  1,
                  Integer::sum)
              == 1) {
        examples.add("spf " + zone.domain(i) + " from " + zone.sendingIp(i));
      }
      if (!dmarcSame
          && differences.merge(
                  "dmarc maildx "
                      + m.dmarc()
                      + "/"
                      + m.policy()
                      + " vs mailauth "
                      + p.dmarc()
                      + "/"
                      + p.policy()
                      + " ["
                      + ScaleZone.edgeDmarcNote(i)
                      + "]",
                  1,
                  Integer::sum)
              == 1) {
        examples.add("dmarc " + zone.domain(i));
      }
    }
    System.out.printf("agreement SPF %d/%d, DMARC %d/%d%n", spfAgree, n, dmarcAgree, n);
    differences.forEach((k, v) -> System.out.printf("  differ   %5d x %s%n", v, k));
    System.out.println("  e.g.     " + String.join(", ", examples));
    return new Agreement(spfAgree, dmarcAgree);
  }

  private static String spf(SpfReport s) {
    return s.spfResult() == null ? "-" : s.spfResult().name().toLowerCase(Locale.ROOT);
  }

  private static String policy(DmarcEvaluation e) {
    return e.publishedPolicy() == null ? "-" : e.publishedPolicy().name().toLowerCase(Locale.ROOT);
  }

  /** Runs {@code n} items at most {@code concurrency} at a time; returns items per second. */
  private static double run(
      IntFunction<CompletableFuture<Result>> task, int n, int concurrency, Result[] out)
      throws InterruptedException {
    Semaphore permits = new Semaphore(concurrency);
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(n);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      permits.acquire();
      int index = i;
      task.apply(i)
          .whenComplete(
              (r, e) -> {
                out[index] = e != null ? new Result("error: " + e, "-", "-") : r;
                permits.release();
                done.countDown();
              });
    }
    done.await();
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  private static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").start();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
