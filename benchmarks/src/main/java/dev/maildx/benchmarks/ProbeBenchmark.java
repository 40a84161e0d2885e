package dev.maildx.benchmarks;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import dev.maildx.report.ProbeReport;
import dev.maildx.smtp.ProbeRequest;
import dev.maildx.smtp.SmtpProber;
import dev.maildx.testkit.MockSmtpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * One complete, successful SMTP probe against {@link MockSmtpServer} on loopback: connect,
 * greeting, EHLO, STARTTLS with a full handshake (no session resumption) and the certificate
 * judged, EHLO, MAIL FROM, RCPT TO, the catch-all RCPT, RSET, QUIT.
 *
 * <p>The prober runs on the benchmark thread (a direct executor), so that thread's CPU time is the
 * prober's own cost per probe (JSSE included); the server's work happens on its own threads and is
 * not counted. The CPU time per probe is printed after each iteration ("cpu/probe"); JMH's score is
 * the wall time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProbeBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private MockSmtpServer smtp;
  private MailDiagnostics maildx;
  private SmtpProber prober;
  private ProbeRequest request;
  private long cpuNanos;
  private long probes;

  /** Starts the server and the prober. */
  @Setup(Level.Trial)
  public void setUp() {
    smtp = MockSmtpServer.builder().hostname("mx1.bench.test").build();
    maildx =
        MailDiagnostics.builder()
            .config(
                DiagnosticsConfig.builder()
                    .timeout(Duration.ofSeconds(10))
                    .executor(Runnable::run)
                    .build())
            .discoverChecks(false)
            .build();
    prober = SmtpProber.create(maildx);
    request = ProbeRequest.host("127.0.0.1").port(smtp.port()).recipient("bob@bench.test").build();
  }

  /** Stops them. */
  @TearDown(Level.Trial)
  public void tearDown() {
    prober.close();
    maildx.close();
    smtp.close();
  }

  /** Prints the prober's CPU time per probe over the iteration. */
  @TearDown(Level.Iteration)
  public void report() {
    if (probes > 0) {
      System.out.printf("cpu/probe: %.3f ms over %d probes%n", cpuNanos / 1e6 / probes, probes);
    }
    cpuNanos = 0;
    probes = 0;
  }

  /**
   * One probe.
   *
   * @return the report
   */
  @Benchmark
  public ProbeReport probeWithTlsAndRcpt() {
    long c0 = THREADS.getCurrentThreadCpuTime();
    ProbeReport r = prober.probe(request);
    cpuNanos += THREADS.getCurrentThreadCpuTime() - c0;
    probes++;
    if (r.hosts().get(0).outcome() != ProbeReport.Outcome.ACCEPTED) {
      throw new IllegalStateException("probe failed: " + r.findings());
    }
    return r;
  }
}
