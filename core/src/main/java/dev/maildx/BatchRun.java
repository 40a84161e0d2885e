package dev.maildx;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs many diagnoses with bounded concurrency and a per-domain limit, pulling questions from the
 * input only as capacity frees up (so memory stays bounded for any input size), and handing each
 * diagnosis to the caller as it completes.
 */
final class BatchRun {
  private final MailDiagnostics maildx;
  private final Iterator<DeliveryQuestion> input;
  private final BatchOptions options;
  private final BiConsumer<DeliveryQuestion, DeliveryDiagnosis> sink;
  private final CompletableFuture<BatchSummary> done = new CompletableFuture<>();
  private final long start = System.nanoTime();
  private final Map<String, Integer> inFlightPerDomain = new HashMap<>();
  private final Deque<DeliveryQuestion> waiting = new ArrayDeque<>();
  private final Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
  private int inFlight;
  private long submitted;
  private long completed;
  private long sinkFailures;
  private boolean inputDone;
  private @Nullable RuntimeException inputError;

  BatchRun(
      MailDiagnostics maildx,
      Iterator<DeliveryQuestion> input,
      BatchOptions options,
      BiConsumer<DeliveryQuestion, DeliveryDiagnosis> sink) {
    this.maildx = maildx;
    this.input = input;
    this.options = options;
    this.sink = sink;
  }

  CompletableFuture<BatchSummary> start() {
    safePump();
    return done;
  }

  private void safePump() {
    try {
      pump();
    } catch (RuntimeException e) {
      // The input iterator threw: take no more input, finish what runs, then report it.
      synchronized (this) {
        inputDone = true;
        if (inputError == null) {
          inputError = e;
        }
      }
      pump();
    }
  }

  private static String domainOf(DeliveryQuestion q) {
    return q.recipientDomain()
        .map(DomainName::ascii)
        .orElse(q.senderDomain().map(DomainName::ascii).orElse(""));
  }

  /**
   * Starts as many diagnoses as the limits allow; called at the start and after each completion.
   */
  private void pump() {
    java.util.List<DeliveryQuestion> toStart = new java.util.ArrayList<>();
    synchronized (this) {
      while (inFlight + toStart.size() < options.concurrency()) {
        DeliveryQuestion next = null;
        // First a waiting question whose domain has room, then new input.
        for (Iterator<DeliveryQuestion> it = waiting.iterator(); it.hasNext(); ) {
          DeliveryQuestion w = it.next();
          if (inFlightPerDomain.getOrDefault(domainOf(w), 0) < options.perDomain()) {
            it.remove();
            next = w;
            break;
          }
        }
        while (next == null && !inputDone && waiting.size() < options.concurrency() * 4) {
          if (!input.hasNext()) {
            inputDone = true;
            break;
          }
          DeliveryQuestion q = input.next();
          if (q == null) {
            throw new NullPointerException(
                "the input returned a null question (after " + submitted + " questions)");
          }
          submitted++;
          if (inFlightPerDomain.getOrDefault(domainOf(q), 0) < options.perDomain()) {
            next = q;
          } else {
            waiting.add(q);
          }
        }
        if (next == null) {
          break;
        }
        inFlightPerDomain.merge(domainOf(next), 1, Integer::sum);
        toStart.add(next);
      }
      inFlight += toStart.size();
      if (inFlight == 0 && waiting.isEmpty() && inputDone) {
        if (inputError != null) {
          done.completeExceptionally(inputError);
        } else {
          done.complete(
              new BatchSummary(
                  completed, verdicts, sinkFailures, Duration.ofNanos(System.nanoTime() - start)));
        }
        return;
      }
    }
    for (DeliveryQuestion q : toStart) {
      CompletableFuture<DeliveryDiagnosis> f;
      try {
        f = maildx.diagnoseAsync(q);
      } catch (RuntimeException e) {
        f = CompletableFuture.completedFuture(failed(q, e));
      }
      CompletableFuture<DeliveryDiagnosis> unused =
          f.whenComplete((d, e) -> finished(q, d != null ? d : failed(q, e)));
    }
  }

  /**
   * The diagnosis of a question that could not be diagnosed at all: inconclusive, with the reason.
   */
  private static DeliveryDiagnosis failed(DeliveryQuestion q, Throwable e) {
    Finding f =
        Finding.inconclusive(
                DeliveryDiagnosis.Code.CHECK_FAILED,
                DiagnosisRun.CHECK,
                "maildx could not diagnose this question: "
                    + e
                    + ". This is a bug in maildx or the environment was closed; its result is unknown.")
            .evidence("exception", String.valueOf(e))
            .build();
    return new DeliveryDiagnosis(
        q,
        Verdict.INCONCLUSIVE,
        java.util.List.of(),
        java.util.List.of(f),
        java.util.List.of(),
        java.time.Instant.now(),
        Duration.ZERO);
  }

  private void finished(DeliveryQuestion q, DeliveryDiagnosis d) {
    boolean failed = true;
    try {
      sink.accept(q, d);
      failed = false;
    } catch (RuntimeException | Error e) {
      // one bad consumer call never stops the batch (an Error too: an assertion in a caller's
      // consumer must not hang it)
    }
    BatchProgress progress;
    synchronized (this) {
      inFlight--;
      inFlightPerDomain.computeIfPresent(domainOf(q), (k, v) -> v <= 1 ? null : v - 1);
      completed++;
      if (failed) {
        sinkFailures++;
      }
      if (d != null) {
        verdicts.merge(d.verdict(), 1L, Long::sum);
      }
      progress =
          new BatchProgress(submitted, completed, Duration.ofNanos(System.nanoTime() - start));
    }
    try {
      options.progress().accept(progress);
    } catch (RuntimeException | Error ignored) {
      // progress listeners must not break the batch
    }
    safePump();
  }
}
