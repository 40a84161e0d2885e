package dev.maildx.benchmarks;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.MxResolver;
import dev.maildx.report.MxReport;
import dev.maildx.testkit.MockDnsServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MX resolution of a domain with three hosts against {@link MockDnsServer} on loopback (no added
 * latency): the cost of maildx's DNS path per lookup — one MX query, then six A/AAAA queries
 * concurrently.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MxBenchmark {
  private MockDnsServer dns;
  private MailDiagnostics maildx;
  private MxResolver resolver;

  /** Starts the server and the resolver. */
  @Setup(Level.Trial)
  public void setUp() {
    dns = MockDnsServer.start();
    for (int i = 1; i <= 3; i++) {
      dns.mx("bench.test", i * 10, "mx" + i + ".bench.test")
          .a("mx" + i + ".bench.test", "8.8.8." + i);
    }
    maildx =
        MailDiagnostics.builder()
            .config(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.address())
                    .timeout(Duration.ofSeconds(5))
                    .build())
            .discoverChecks(false)
            .build();
    resolver = MxResolver.create(maildx);
  }

  /** Stops them. */
  @TearDown(Level.Trial)
  public void tearDown() {
    resolver.close();
    maildx.close();
    dns.close();
  }

  /**
   * One full MX resolution.
   *
   * @return the report
   */
  @Benchmark
  public MxReport resolveThreeHosts() {
    return resolver.resolve("bench.test");
  }
}
