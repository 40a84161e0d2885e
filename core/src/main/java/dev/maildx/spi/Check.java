package dev.maildx.spi;

import dev.maildx.DeliveryQuestion;
import dev.maildx.report.CheckReport;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One check a diagnosis can run, such as the recipient's MX or the sender's SPF.
 *
 * <p>A check declares the checks whose reports it needs ({@link #dependsOn()}); it starts as soon
 * as those are done and runs concurrently with everything else, all under one deadline.
 *
 * <p>Implementations must be safe for concurrent use (one instance serves every diagnosis of a
 * {@code MailDiagnostics}). {@link #run} must not block the calling thread: it returns a future and
 * does its I/O asynchronously or on {@link CheckEnvironment#executor()}. A failure to check
 * (timeout, SERVFAIL, refused connection) is reported as an inconclusive finding in the report,
 * never as an exceptionally completed future; an exception means a bug and is reported as the
 * finding {@code CHECK_FAILED}.
 */
public interface Check {
  /**
   * The stable name of the check, also used in findings and JSON (for example {@code mx}).
   *
   * @return lower case, digits and '-'
   */
  String name();

  /**
   * Names of the checks whose reports this check reads through {@link CheckContext#report}. A
   * dependency that does not apply to a question, or is not registered, is simply absent.
   *
   * @return the dependencies; default none
   */
  default Set<String> dependsOn() {
    return Set.of();
  }

  /**
   * Whether the check has anything to do for this question (for example: MX needs a recipient).
   *
   * @param question the question
   * @return {@code true} to run it
   */
  boolean appliesTo(DeliveryQuestion question);

  /**
   * Runs the check.
   *
   * @param context the question, the deadline and the dependencies' reports
   * @return the future report; completes by the deadline or is abandoned
   */
  CompletableFuture<? extends CheckReport> run(CheckContext context);
}
