package dev.maildx;

import dev.maildx.report.CheckReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One diagnosis in flight: starts every applicable check once its dependencies are done, and
 * assembles the diagnosis when all are done or the deadline passes, whichever is first.
 */
final class DiagnosisRun {
  static final String CHECK = DeliveryDiagnosis.CHECK;

  private final DeliveryQuestion question;
  private final List<Check> checks;
  private final CheckEnvironment env;
  private final Deadline deadline;
  private final Instant startedAt;
  private final long startNanos;
  private final Map<String, CompletableFuture<CheckReport>> futures =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();
  private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
  private final CompletableFuture<DeliveryDiagnosis> result = new CompletableFuture<>();

  /**
   * Completes when every applicable check's future is registered (checks may start before that).
   */
  private final CompletableFuture<Void> registered = new CompletableFuture<>();

  private final AtomicBoolean finished = new AtomicBoolean();

  DiagnosisRun(DeliveryQuestion question, List<Check> checks, CheckEnvironment env) {
    this.question = question;
    this.checks = checks;
    this.env = env;
    this.startedAt = env.clock().instant();
    this.startNanos = System.nanoTime();
    this.deadline = Deadline.after(env.config().timeout());
  }

  CompletableFuture<DeliveryDiagnosis> start() {
    for (Check c : checks) {
      boolean applies;
      try {
        applies = c.appliesTo(question);
      } catch (RuntimeException e) {
        failures.put(c.name(), e);
        continue;
      }
      if (!applies) {
        continue;
      }
      List<CompletableFuture<CheckReport>> deps = new ArrayList<>();
      for (String d : c.dependsOn()) {
        CompletableFuture<CheckReport> f = futures.get(d);
        if (f != null) {
          deps.add(f);
        }
      }
      CompletableFuture<Void> ready =
          CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new));
      CompletableFuture<CheckReport> f =
          ready.handle((v, e) -> null).thenComposeAsync(v -> runCheck(c), env.executor());
      futures.put(c.name(), f);
    }
    registered.complete(null);
    ScheduledFuture<?> timer;
    try {
      timer =
          env.scheduler()
              .schedule(this::finish, deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      finish();
      return result;
    }
    CompletableFuture<Void> unused =
        CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
            .whenComplete(
                (v, e) -> {
                  timer.cancel(false);
                  finish();
                });
    return result;
  }

  private CompletableFuture<CheckReport> runCheck(Check c) {
    if (deadline.expired()) {
      return new CompletableFuture<>(); // never completes; reported as missing the deadline
    }
    startedNanos.put(c.name(), System.nanoTime());
    safely(() -> env.listener().checkStarted(c.name(), question));
    CompletableFuture<? extends CheckReport> running;
    try {
      running = c.run(new Context());
      if (running == null) {
        throw new IllegalStateException("check " + c.name() + " returned no future");
      }
    } catch (RuntimeException e) {
      failures.put(c.name(), e);
      finished(c, false);
      return CompletableFuture.completedFuture(null);
    }
    return running.handle(
        (r, e) -> {
          if (e != null || r == null) {
            failures.put(
                c.name(), e != null ? unwrap(e) : new IllegalStateException("check returned null"));
            finished(c, false);
            return null;
          }
          finished(c, true);
          return (CheckReport) r;
        });
  }

  private void finished(Check c, boolean completed) {
    Long t = startedNanos.get(c.name());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - (t == null ? startNanos : t));
    safely(() -> env.listener().checkFinished(c.name(), question, elapsed, completed));
  }

  private void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    try {
      result.complete(assemble());
    } catch (AssertionError e) {
      // An invariant broken where assertions are on (the guard of CorrelationRules, in tests) fails
      // the call at once instead of leaving it unfinished.
      result.completeExceptionally(e);
    } catch (RuntimeException e) {
      // A bug in assembling must still give the caller a diagnosis.
      Finding f =
          Finding.inconclusive(
                  DeliveryDiagnosis.Code.CHECK_FAILED,
                  CHECK,
                  "maildx failed to assemble the diagnosis: " + e)
              .evidence("exception", e.toString())
              .build();
      result.complete(
          new DeliveryDiagnosis(
              question,
              Verdict.INCONCLUSIVE,
              List.of(),
              List.of(f),
              List.of(),
              startedAt,
              Duration.ofNanos(System.nanoTime() - startNanos)));
    }
  }

  private DeliveryDiagnosis assemble() {
    List<CheckReport> reports = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<CheckReport>> e : futures.entrySet()) {
      String name = e.getKey();
      CompletableFuture<CheckReport> f = e.getValue();
      CheckReport r = f.isDone() && !f.isCompletedExceptionally() ? f.getNow(null) : null;
      if (r != null) {
        reports.add(r);
        findings.addAll(r.findings());
      } else if (failures.containsKey(name)) {
        findings.add(failed(name, failures.get(name)));
      } else {
        f.cancel(true);
        boolean started = startedNanos.containsKey(name);
        findings.add(
            Finding.inconclusive(
                    DeliveryDiagnosis.Code.CHECK_DEADLINE_EXCEEDED,
                    name,
                    started
                        ? "The "
                            + name
                            + " check did not finish within the deadline of "
                            + seconds(env.config().timeout())
                            + "; its result is unknown."
                        : "The "
                            + name
                            + " check could not start before the deadline of "
                            + seconds(env.config().timeout())
                            + " because a check it depends on did not finish.")
                .evidence("timeout", env.config().timeout())
                .build());
        Check c = checks.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
        if (c != null && started) {
          finished(c, false);
        }
      }
    }
    failures.forEach(
        (name, e) -> {
          if (!futures.containsKey(name)) {
            findings.add(failed(name, e));
          }
        });
    if (futures.isEmpty() && failures.isEmpty()) {
      findings.add(
          Finding.inconclusive(
                  DeliveryDiagnosis.Code.NOTHING_TO_CHECK,
                  CHECK,
                  "No installed check applies to this question; add maildx-dns and maildx-smtp to the class path or give a recipient.")
              .build());
    }
    findings.sort(Comparator.comparing(Finding::severity));
    List<LikelyCause> causes = Correlator.causes(question, reports, findings);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    return new DeliveryDiagnosis(
        question, verdict(findings, causes), causes, findings, reports, startedAt, elapsed);
  }

  /**
   * The verdict rules (see {@link DeliveryDiagnosis}): the graver ({@link Verdict#and}) of every
   * finding's effect; a likely cause of high confidence adds its effect (a rejection the notice
   * shows and a check confirms is {@link Verdict#UNDELIVERABLE} even when no single finding says
   * so); any other cause adds at most {@link Verdict#AT_RISK}.
   */
  static Verdict verdict(List<Finding> findings, List<LikelyCause> causes) {
    Verdict verdict = Verdict.DELIVERABLE;
    for (Finding f : findings) {
      verdict = verdict.and(f.effect());
    }
    for (LikelyCause c : causes) {
      Verdict e =
          c.confidence() == LikelyCause.Confidence.HIGH || c.effect() == Verdict.DELIVERABLE
              ? c.effect()
              : Verdict.AT_RISK;
      verdict = verdict.and(e);
    }
    return verdict;
  }

  private static Finding failed(String check, Throwable e) {
    return Finding.inconclusive(
            DeliveryDiagnosis.Code.CHECK_FAILED,
            check,
            "The "
                + check
                + " check failed unexpectedly: "
                + e
                + ". This is a bug in maildx; its result is unknown.")
        .evidence("exception", e.toString())
        .build();
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof java.util.concurrent.CompletionException
            || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException ignored) {
      // listeners must not break a diagnosis
    }
  }

  private final class Context implements CheckContext {
    @Override
    public DeliveryQuestion question() {
      return question;
    }

    @Override
    public Deadline deadline() {
      return deadline;
    }

    @Override
    public <T extends CheckReport> Optional<T> report(String check, Class<T> type) {
      CompletableFuture<CheckReport> f = futures.get(check);
      if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
        return Optional.empty();
      }
      CheckReport r = f.getNow(null);
      return type.isInstance(r) ? Optional.of(type.cast(r)) : Optional.empty();
    }

    @Override
    public <T extends CheckReport> CompletableFuture<Optional<T>> reportWhenDone(
        String check, Class<T> type) {
      return registered.thenCompose(
          v -> {
            CompletableFuture<CheckReport> f = futures.get(check);
            if (f == null) {
              return CompletableFuture.completedFuture(Optional.<T>empty());
            }
            return f.handle(
                (r, e) ->
                    e == null && type.isInstance(r)
                        ? Optional.of(type.cast(r))
                        : Optional.<T>empty());
          });
    }

    @Override
    public CheckEnvironment environment() {
      return env;
    }
  }
}
