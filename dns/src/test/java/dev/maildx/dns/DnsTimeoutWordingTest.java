package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.MxReport;
import dev.maildx.report.SpfReport;
import dev.maildx.report.SpfResult;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a finding says about a DNS server that never answers (issue 14, item 6), against a bound UDP
 * socket on loopback that reads nothing: the text states the whole wait and the number of attempts
 * ("no answer in 2.0 s, 2 attempts to 127.0.0.1:N"), never one attempt's budget ("within 4999 ms")
 * or the remainder of the last retry ("within 3 ms"); and the check ends by its deadline.
 */
class DnsTimeoutWordingTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  private static final Pattern STATED =
      Pattern.compile("no answer in ([0-9]+\\.[0-9]) s, (\\d+) attempts? to ");

  private DatagramSocket silent;
  private InetSocketAddress server;

  @BeforeEach
  void bind() throws Exception {
    silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    server = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
  }

  @AfterEach
  void close() {
    silent.close();
  }

  private DiagnosticsConfig config(Duration timeout, Duration perQuery) {
    return DiagnosticsConfig.builder()
        .dnsServer(server)
        .timeout(timeout)
        .dnsQueryTimeout(perQuery)
        .build();
  }

  /** The seconds and attempts a finding's text states. */
  private static double[] stated(String text) {
    Matcher m = STATED.matcher(text);
    assertThat(m.find()).as("a total wait and attempts in: %s", text).isTrue();
    return new double[] {Double.parseDouble(m.group(1)), Integer.parseInt(m.group(2))};
  }

  @Test
  void mxLookupTimeout_statesBothAttemptsAndTheirTotal_notOneAttemptsBudget() {
    try (MxResolver mx =
        MxResolver.create(runtime.of(config(Duration.ofSeconds(5), Duration.ofSeconds(1))))) {
      long t0 = System.nanoTime();
      MxReport r = mx.resolve("example.com");
      long ms = (System.nanoTime() - t0) / 1_000_000;

      Finding f =
          r.findings().stream()
              .filter(x -> x.is(MxReport.Code.MX_LOOKUP_FAILED))
              .findFirst()
              .orElseThrow();
      double[] s = stated(f.message());
      System.out.println("mx, 1 s per attempt, 5 s deadline: " + ms + " ms: " + f.message());
      assertThat(r.lookup()).isEqualTo(DnsOutcome.TIMEOUT);
      assertThat(s[1]).isEqualTo(2);
      assertThat(s[0] * 1000).isBetween(ms - 250.0, ms + 100.0);
      assertThat(f.message())
          .doesNotContain("within")
          .contains(
              InetAddress.getLoopbackAddress().getHostAddress() + ":" + silent.getLocalPort());
      assertThat(ms).isLessThan(2000 + 400);
    }
  }

  @Test
  void mxLookupCutByTheDeadline_endsByTheDeadline_andStatesTheTimeWaited() {
    // 1.5 s for the whole step and 1 s per attempt: the retry gets what is left (~0.4 s); the text
    // used to state that remainder as the wait.
    try (MxResolver mx =
        MxResolver.create(runtime.of(config(Duration.ofMillis(1500), Duration.ofSeconds(1))))) {
      long t0 = System.nanoTime();
      MxReport r = mx.resolve("example.com");
      long ms = (System.nanoTime() - t0) / 1_000_000;

      Finding f =
          r.findings().stream()
              .filter(x -> x.is(MxReport.Code.MX_LOOKUP_FAILED))
              .findFirst()
              .orElseThrow();
      double[] s = stated(f.message());
      System.out.println("mx, 1 s per attempt, 1.5 s deadline: " + ms + " ms: " + f.message());
      assertThat(s[1]).isEqualTo(2);
      assertThat(s[0]).isBetween(1.2, 1.5);
      assertThat(ms).isLessThan(1500 + 250);
    }
  }

  @Test
  void spfTimeout_temperrorStatesTheTotalWait() {
    try (SpfEvaluator spf =
        SpfEvaluator.create(runtime.of(config(Duration.ofSeconds(3), Duration.ofMillis(500))))) {
      long t0 = System.nanoTime();
      SpfReport r = spf.check("192.0.2.1", "alice@example.com", null);
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(r.spfResult()).isEqualTo(SpfResult.TEMPERROR);
      String text = String.join("\n", r.findings().stream().map(Finding::message).toList());
      double[] s = stated(text);
      System.out.println(
          "spf, 0.5 s per attempt: "
              + ms
              + " ms: "
              + text.lines().filter(l -> l.contains("no answer")).findFirst().orElse(""));
      assertThat(s[1]).isEqualTo(2);
      assertThat(s[0]).isBetween(0.9, 1.4);
      assertThat(text).doesNotContain("within");
      // the whole check (evaluation and lint in parallel) ends by its 3 s deadline
      assertThat(ms).isLessThan(3000 + 300);
    }
  }
}
