package dev.maildx.spi;

import dev.maildx.CheckReport;
import dev.maildx.DeliveryQuestion;
import java.util.Optional;

/**
 * What a running {@link Check} may read: the question, the one deadline, and the reports of the
 * checks it depends on.
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
   * The environment: configuration, executor, scheduler.
   *
   * @return the environment of the {@code MailDiagnostics} running this check
   */
  CheckEnvironment environment();
}
