package dev.maildx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.report.CheckReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Batches: bounded concurrency, politeness per domain, streaming, progress, nothing lost. */
class BatchTest {
  /** A check that takes 30 ms and records how many run at once, overall and per domain. */
  private static final class CountingCheck implements Check {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    final Map<String, AtomicInteger> perDomain = new ConcurrentHashMap<>();
    final Map<String, Integer> peakPerDomain = new ConcurrentHashMap<>();

    @Override
    public String name() {
      return "count";
    }

    @Override
    public boolean appliesTo(DeliveryQuestion question) {
      return true;
    }

    @Override
    public CompletableFuture<CheckReport> run(CheckContext ctx) {
      String d = ctx.question().recipientDomain().orElseThrow().ascii();
      int now = running.incrementAndGet();
      peak.accumulateAndGet(now, Math::max);
      int dn = perDomain.computeIfAbsent(d, k -> new AtomicInteger()).incrementAndGet();
      peakPerDomain.merge(d, dn, Math::max);
      return CompletableFuture.supplyAsync(
          () -> {
            running.decrementAndGet();
            perDomain.get(d).decrementAndGet();
            CheckReport r =
                new MailDiagnosticsTest.TestReport(
                    "count", List.of(Finding.info(TestCode.SEEN, "count", d).build()));
            return r;
          },
          CompletableFuture.delayedExecutor(
              30, TimeUnit.MILLISECONDS, ctx.environment().executor()));
    }
  }

  private static List<DeliveryQuestion> questions(int n, int domains) {
    return IntStream.range(0, n)
        .mapToObj(i -> DeliveryQuestion.to("user" + i + "@d" + (i % domains) + ".example"))
        .toList();
  }

  @Test
  void diagnoseAll_returnsOneDiagnosisPerQuestionInOrder() {
    CountingCheck c = new CountingCheck();
    try (MailDiagnostics m = MailDiagnostics.builder().discoverChecks(false).checks(c).build()) {
      List<DeliveryQuestion> qs = questions(40, 40);
      List<DeliveryDiagnosis> ds = m.diagnoseAll(qs);
      assertThat(ds).hasSize(40);
      for (int i = 0; i < 40; i++) {
        assertThat(ds.get(i).question()).isEqualTo(qs.get(i));
      }
    }
  }

  @Test
  void diagnoseAll_handlesTheSameQuestionTwice() {
    try (MailDiagnostics m =
        MailDiagnostics.builder().discoverChecks(false).checks(new CountingCheck()).build()) {
      DeliveryQuestion q = DeliveryQuestion.to("bob@d.example");
      assertThat(m.diagnoseAll(List.of(q, q))).hasSize(2).doesNotContainNull();
    }
  }

  @Test
  void concurrencyAndThePerDomainLimitAreNeverExceeded() {
    CountingCheck c = new CountingCheck();
    try (MailDiagnostics m = MailDiagnostics.builder().discoverChecks(false).checks(c).build()) {
      BatchSummary s =
          m.diagnoseEach(
                  questions(120, 3).iterator(),
                  BatchOptions.builder().concurrency(8).perDomain(2).build(),
                  (q, d) -> {})
              .join();
      assertThat(s.completed()).isEqualTo(120);
      assertThat(c.peak.get()).isLessThanOrEqualTo(6); // 3 domains x 2
      assertThat(c.peakPerDomain.values()).allMatch(p -> p <= 2);
      assertThat(s.verdicts()).containsEntry(Verdict.DELIVERABLE, 120L);
    }
  }

  @Test
  void theInputIsConsumedLazily() {
    CountingCheck c = new CountingCheck();
    AtomicInteger taken = new AtomicInteger();
    AtomicInteger maxAhead = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    Iterator<DeliveryQuestion> lazy =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return taken.get() < 200;
          }

          @Override
          public DeliveryQuestion next() {
            int i = taken.incrementAndGet();
            maxAhead.accumulateAndGet(i - completed.get(), Math::max);
            return DeliveryQuestion.to("u@d" + i + ".example");
          }
        };
    try (MailDiagnostics m = MailDiagnostics.builder().discoverChecks(false).checks(c).build()) {
      m.diagnoseEach(
              lazy,
              BatchOptions.builder().concurrency(4).build(),
              (q, d) -> completed.incrementAndGet())
          .join();
    }
    assertThat(completed.get()).isEqualTo(200);
    assertThat(maxAhead.get()).isLessThanOrEqualTo(4 + 1);
  }

  @Test
  void aConsumerThatThrows_doesNotStopTheBatch_andProgressIsReported() {
    List<BatchProgress> progress = Collections.synchronizedList(new ArrayList<>());
    try (MailDiagnostics m =
        MailDiagnostics.builder().discoverChecks(false).checks(new CountingCheck()).build()) {
      AtomicInteger n = new AtomicInteger();
      BatchSummary s =
          m.diagnoseEach(
                  questions(30, 30).iterator(),
                  BatchOptions.builder().concurrency(5).progress(progress::add).build(),
                  (q, d) -> {
                    if (n.incrementAndGet() % 3 == 0) {
                      throw new IllegalStateException("consumer bug");
                    }
                  })
              .join();
      assertThat(s.completed()).isEqualTo(30);
      assertThat(s.sinkFailures()).isEqualTo(10);
      assertThat(progress).hasSize(30);
      assertThat(progress).extracting(BatchProgress::completed).contains(30L);
      assertThat(s.elapsed()).isPositive();
    }
  }

  @Test
  void anInputThatThrows_finishesWhatRunsThenFails() {
    AtomicInteger delivered = new AtomicInteger();
    Iterator<DeliveryQuestion> broken =
        new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public DeliveryQuestion next() {
            if (++i > 10) {
              throw new IllegalStateException("input broke");
            }
            return DeliveryQuestion.to("u@d" + i + ".example");
          }
        };
    try (MailDiagnostics m =
        MailDiagnostics.builder().discoverChecks(false).checks(new CountingCheck()).build()) {
      CompletableFuture<BatchSummary> f =
          m.diagnoseEach(
              broken,
              BatchOptions.builder().concurrency(4).build(),
              (q, d) -> delivered.incrementAndGet());
      assertThatThrownBy(f::join)
          .isInstanceOf(CompletionException.class)
          .hasRootCauseMessage("input broke");
      assertThat(delivered.get()).isEqualTo(10);
    }
  }

  @Test
  void batchesRunConcurrently() {
    // Counted, not timed (the machine is shared): diagnoses of 30 ms each overlap, up to the limit.
    CountingCheck c = new CountingCheck();
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .discoverChecks(false)
            .checks(c)
            .timeout(Duration.ofSeconds(5))
            .build()) {
      BatchSummary s =
          m.diagnoseEach(
                  questions(64, 64).iterator(),
                  BatchOptions.builder().concurrency(16).build(),
                  (q, d) -> {})
              .join();
      assertThat(c.peak.get()).isBetween(4, 16);
      assertThat(s.elapsed())
          .isLessThan(Duration.ofMillis(64 * 30)); // sequential would be 64 x 30 ms
      assertThat(s.perSecond()).isPositive();
    }
  }

  /**
   * A check that throws for domains starting with "bad", never completes for "hang", and works
   * otherwise.
   */
  private static final class MoodyCheck implements Check {
    @Override
    public String name() {
      return "moody";
    }

    @Override
    public boolean appliesTo(DeliveryQuestion question) {
      return true;
    }

    @Override
    public CompletableFuture<CheckReport> run(CheckContext ctx) {
      String d = ctx.question().recipientDomain().orElseThrow().ascii();
      if (d.startsWith("bad")) {
        throw new IllegalStateException("check bug for " + d);
      }
      if (d.startsWith("hang")) {
        return new CompletableFuture<>();
      }
      return CompletableFuture.completedFuture(
          new MailDiagnosticsTest.TestReport(
              "moody", List.of(Finding.info(TestCode.FINE, "moody", d).build())));
    }
  }

  @Test
  void itemsWhoseChecksThrowOrHang_getInconclusiveDiagnoses_andTheBatchGoesOn() {
    List<DeliveryQuestion> qs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      qs.add(
          DeliveryQuestion.to(
              "u@" + (i % 3 == 0 ? "bad" : i % 3 == 1 ? "hang" : "good") + i + ".example"));
    }
    Map<String, Verdict> seen = new ConcurrentHashMap<>();
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .discoverChecks(false)
            .checks(new MoodyCheck())
            .timeout(Duration.ofMillis(300))
            .build()) {
      BatchSummary s =
          m.diagnoseEach(
                  qs.iterator(),
                  BatchOptions.builder().concurrency(8).build(),
                  (q, d) -> seen.put(q.recipientDomain().orElseThrow().ascii(), d.verdict()))
              .join();

      assertThat(s.completed()).isEqualTo(30);
      assertThat(seen).hasSize(30);
      assertThat(s.verdicts())
          .containsEntry(Verdict.DELIVERABLE, 10L)
          .containsEntry(Verdict.INCONCLUSIVE, 20L);
      assertThat(seen.get("bad0.example")).isEqualTo(Verdict.INCONCLUSIVE);
      assertThat(seen.get("hang1.example")).isEqualTo(Verdict.INCONCLUSIVE);
    }
  }

  @Test
  void aConsumerThatThrowsAnError_doesNotHangTheBatch() {
    try (MailDiagnostics m =
        MailDiagnostics.builder().discoverChecks(false).checks(new CountingCheck()).build()) {
      BatchSummary s =
          m.diagnoseEach(
                  questions(10, 10).iterator(),
                  BatchOptions.builder().concurrency(3).build(),
                  (q, d) -> {
                    throw new AssertionError("consumer assertion");
                  })
              .orTimeout(10, TimeUnit.SECONDS)
              .join();
      assertThat(s.completed()).isEqualTo(10);
      assertThat(s.sinkFailures()).isEqualTo(10);
    }
  }

  @Test
  void aNullQuestionFromTheInput_endsTheBatchLikeABrokenInput() {
    Iterator<DeliveryQuestion> withNull =
        java.util.Arrays.asList(
                DeliveryQuestion.to("a@x.example"), null, DeliveryQuestion.to("b@y.example"))
            .iterator();
    AtomicInteger delivered = new AtomicInteger();
    try (MailDiagnostics m =
        MailDiagnostics.builder().discoverChecks(false).checks(new CountingCheck()).build()) {
      CompletableFuture<BatchSummary> f =
          m.diagnoseEach(
              withNull,
              BatchOptions.builder().concurrency(1).build(),
              (q, d) -> delivered.incrementAndGet());
      assertThatThrownBy(() -> f.orTimeout(10, TimeUnit.SECONDS).join())
          .isInstanceOf(CompletionException.class)
          .hasRootCauseInstanceOf(NullPointerException.class)
          .hasRootCauseMessage("the input returned a null question (after 1 questions)");
      assertThat(delivered.get()).isEqualTo(1);
    }
  }

  @Test
  void aClosedInstance_stillAnswersEveryQuestion() {
    MailDiagnostics m =
        MailDiagnostics.builder().discoverChecks(false).checks(new CountingCheck()).build();
    m.close();
    BatchSummary s =
        m.diagnoseEach(questions(5, 5).iterator(), BatchOptions.defaults(), (q, d) -> {})
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
    assertThat(s.completed()).isEqualTo(5);
    assertThat(s.verdicts()).containsOnlyKeys(Verdict.INCONCLUSIVE);
  }
}
