package dev.maildx.examples;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DiagnosticsListener;
import dev.maildx.LikelyCause;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.report.DnsOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * maildx inside a long-running service: one {@link MailDiagnostics}, created at start-up and shared
 * by every request thread (it is immutable and thread-safe), with a listener that feeds metrics;
 * each request diagnoses asynchronously and never blocks a shared pool; at most a fixed number of
 * diagnoses run at once (a bulkhead: a burst of requests waits for a permit on its own request
 * thread instead of sending thousands of DNS queries at once); closed once at shut-down.
 *
 * <p>Run: {@code java -cp maildx-cli.jar dev.maildx.examples.EmbedInService bob@example.com
 * carol@example.org [--dns HOST:PORT] [--timeout 10s]}
 */
public final class EmbedInService implements AutoCloseable {
  /** What the service answers: can mail reach this address, and if not, why and who must act. */
  public record Answer(
      String recipient,
      Verdict verdict,
      Optional<String> cause,
      Optional<String> whoMustAct,
      long millis) {}

  /**
   * Metrics a monitoring system would scrape: checks run, checks that missed the deadline, DNS
   * queries and failures.
   */
  public static final class Metrics implements DiagnosticsListener {
    /** Checks started. */
    public final LongAdder checks = new LongAdder();

    /** Checks that failed or missed the deadline. */
    public final LongAdder incomplete = new LongAdder();

    /** DNS queries answered or not. */
    public final LongAdder dnsQueries = new LongAdder();

    /** DNS queries that timed out, were refused or got SERVFAIL. */
    public final LongAdder dnsFailures = new LongAdder();

    @Override
    public void checkStarted(String check, DeliveryQuestion question) {
      checks.increment();
    }

    @Override
    public void checkFinished(
        String check, DeliveryQuestion question, Duration elapsed, boolean completed) {
      if (!completed) {
        incomplete.increment();
      }
    }

    @Override
    public void dnsQuery(String name, String type, DnsOutcome outcome, Duration elapsed) {
      dnsQueries.increment();
      if (outcome == DnsOutcome.TIMEOUT
          || outcome == DnsOutcome.SERVFAIL
          || outcome == DnsOutcome.REFUSED) {
        dnsFailures.increment();
      }
    }
  }

  static final String USAGE =
      "EmbedInService <address|domain>... [--dns HOST:PORT] [--timeout 10s]";

  private final MailDiagnostics maildx;
  private final Metrics metrics = new Metrics();
  private final java.util.concurrent.Semaphore inFlight;

  /**
   * Starts the service's diagnostics.
   *
   * @param maxInFlight the most diagnoses running at once
   * @param configure the service's settings (DNS servers, deadline), applied to the shared builder
   */
  public EmbedInService(
      int maxInFlight, java.util.function.Consumer<MailDiagnostics.Builder> configure) {
    MailDiagnostics.Builder b =
        MailDiagnostics.builder().timeout(Duration.ofSeconds(10)).listener(metrics);
    configure.accept(b);
    this.maildx = b.build();
    this.inFlight = new java.util.concurrent.Semaphore(maxInFlight);
  }

  /**
   * Answers one request; safe to call from any number of threads at once. Waits (on the calling
   * request thread) while the service already runs its maximum of diagnoses. The future completes
   * by the deadline, with an answer, and never exceptionally.
   *
   * @param recipient the address to check
   * @return the answer
   * @throws IllegalArgumentException if {@code recipient} is not an address or domain
   */
  public CompletableFuture<Answer> check(String recipient) {
    DeliveryQuestion q = DeliveryQuestion.builder().to(recipient).smtpProbe(false).build();
    inFlight.acquireUninterruptibly();
    try {
      return maildx
          .diagnoseAsync(q)
          .whenComplete((d, e) -> inFlight.release())
          .thenApply(d -> answer(recipient, d));
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  private static Answer answer(String recipient, DeliveryDiagnosis d) {
    Optional<LikelyCause> top = d.likelyCauses().stream().findFirst();
    return new Answer(
        recipient,
        d.verdict(),
        top.map(LikelyCause::summary),
        top.map(c -> c.party().name().toLowerCase(java.util.Locale.ROOT)),
        d.elapsed().toMillis());
  }

  /**
   * @return the service's metrics
   */
  public Metrics metrics() {
    return metrics;
  }

  /** Shuts the diagnostics down (once, when the service stops). */
  @Override
  public void close() {
    maildx.close();
  }

  /**
   * Checks the addresses given from eight request threads at once, as a service would.
   *
   * @param args addresses
   * @throws Exception if interrupted
   */
  @SuppressWarnings(
      "FutureReturnValueIgnored") // the nested future supplyAsync returns is unwrapped by
  // thenCompose
  public static void main(String[] args) throws Exception {
    ExampleArgs parsed =
        ExampleArgs.parseOrExit(args, USAGE, 1, Integer.MAX_VALUE, true, Duration.ofSeconds(10));
    for (String a : parsed.positional) {
      try {
        DeliveryQuestion.builder().to(a);
      } catch (IllegalArgumentException e) {
        ExampleArgs.usageExit(USAGE, e.getMessage());
      }
    }
    ExecutorService requests = Executors.newFixedThreadPool(8);
    try (EmbedInService service = new EmbedInService(16, parsed::apply)) {
      List<CompletableFuture<Answer>> answers = new ArrayList<>();
      for (String a : parsed.positional) {
        answers.add(
            CompletableFuture.supplyAsync(() -> service.check(a), requests).thenCompose(f -> f));
      }
      for (CompletableFuture<Answer> f : answers) {
        System.out.println(f.join());
      }
      System.out.println(
          "checks "
              + service.metrics().checks.sum()
              + ", DNS queries "
              + service.metrics().dnsQueries.sum());
    } finally {
      requests.shutdown();
    }
  }
}
