package dev.maildx.benchmarks;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.DkimKeyResolver;
import dev.maildx.dns.DmarcEvaluator;
import dev.maildx.dns.DmarcResolver;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.DmarcInput;
import dev.maildx.report.DmarcReport;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.MockDnsServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DMARC (tree walk, report authorization) and DKIM keys (10 selectors) of one domain against {@link
 * MockDnsServer} on loopback, with no added latency (maildx's own cost) and with every answer
 * delayed 20 ms (two sequential rounds of lookups: the floor is 40 ms).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DmarcDkimBenchmark {
  private static final List<String> SELECTORS =
      List.of(
          "selector1", "selector2", "google", "default", "k1", "s1", "s2", "dkim", "mail", "key1");

  /** Added delay per DNS answer, in milliseconds. */
  @Param({"0", "20"})
  public int delayMs;

  private MockDnsServer dns;
  private MailDiagnostics maildx;
  private DmarcResolver dmarc;
  private DkimKeyResolver dkim;
  private DmarcEvaluator evaluator;

  /** Starts the server and the resolvers. */
  @Setup(Level.Trial)
  public void setUp() {
    dns = MockDnsServer.start();
    dns.zone(
        """
        $ORIGIN bench.test.
        @                     IN MX  10 mx
        mx                    IN A   8.8.8.8
        mail                  IN A   8.8.4.4
        _dmarc                IN TXT "v=DMARC1; p=reject; rua=mailto:d@bench.test,mailto:r@vendor.test"
        selector1._domainkey  IN CNAME selector1-bench._domainkey.provider.test.
        google._domainkey     IN TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        """);
    dns.txt(
        "selector1-bench._domainkey.provider.test",
        "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    dns.mx("vendor.test", 10, "mx.vendor.test")
        .txt("bench.test._report._dmarc.vendor.test", "v=DMARC1");
    dns.delayAll(Duration.ofMillis(delayMs));
    DiagnosticsConfig config =
        DiagnosticsConfig.builder().dnsServer(dns.address()).timeout(Duration.ofSeconds(5)).build();
    maildx = MailDiagnostics.builder().config(config).discoverChecks(false).build();
    dmarc = DmarcResolver.create(maildx);
    dkim = DkimKeyResolver.create(maildx);
    evaluator = DmarcEvaluator.create(maildx);
  }

  /** Stops them. */
  @TearDown(Level.Trial)
  public void tearDown() {
    dmarc.close();
    dkim.close();
    evaluator.close();
    maildx.close();
    dns.close();
  }

  /**
   * DMARC of mail.bench.test and DKIM keys of bench.test, concurrently.
   *
   * @return the reports
   */
  @Benchmark
  public Object[] dmarcAndDkimOfOneDomain() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(5));
    CompletableFuture<DmarcReport> d =
        dmarc.resolveAsync(DomainName.of("mail.bench.test"), deadline);
    CompletableFuture<DkimKeysReport> k =
        dkim.resolveAsync(DomainName.of("bench.test"), SELECTORS, false, deadline);
    return new Object[] {d.join(), k.join()};
  }

  /**
   * DMARC validation of a message from mail.bench.test signed by bench.test (relaxed alignment).
   *
   * @return the evaluation
   */
  @Benchmark
  public DmarcEvaluation evaluateRelaxed() {
    return evaluator.evaluate(
        DmarcInput.builder()
            .from("a@mail.bench.test")
            .dkim("bench.test", true)
            .spf("bounce.other.test", true)
            .build());
  }
}
