package dev.maildx.spi;

import dev.maildx.DeliveryQuestion;
import dev.maildx.report.CheckReport;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a running {@link Check} may read: the question, the one deadline, the reports of the checks
 * it depends on, and, when they are done, the reports of other checks.
 */
public interface CheckContext {
  /**
   * The question being diagnosed.
   *
   * @return the question
   */
  DeliveryQuestion question();

  /**
   * The deadline of the whole diagnosis.
   *
   * @return the deadline
   */
  Deadline deadline();

  /**
   * The report of a completed dependency.
   *
   * @param check the dependency's name (one of {@link Check#dependsOn()})
   * @param type the report type
   * @param <T> the report type
   * @return the report, or empty if that check did not run or did not complete
   */
  <T extends CheckReport> Optional<T> report(String check, Class<T> type);

  /**
   * The report of another check of the same diagnosis, when that check is done: for a report a
   * check can use but need not wait for before it starts (a soft dependency, not in {@link
   * Check#dependsOn()}). The future completes when that check completes, fails or is abandoned, or
   * at once (empty) if it does not run in this diagnosis; it never completes exceptionally. Bound
   * the wait with {@link CheckEnvironment#within}: the other check may run until the deadline.
   *
   * <p>The default implementation returns {@link #report} at once.
   *
   * @param check the other check's name
   * @param type the report type
   * @param <T> the report type
   * @return the report, or empty if that check does not run, does not complete, or is of another
   *     type
   */
  default <T extends CheckReport> CompletableFuture<Optional<T>> reportWhenDone(
      String check, Class<T> type) {
    return CompletableFuture.completedFuture(report(check, type));
  }

  /**
   * The environment: configuration, executor, scheduler.
   *
   * @return the environment of the {@code MailDiagnostics} running this check
   */
  CheckEnvironment environment();
}
