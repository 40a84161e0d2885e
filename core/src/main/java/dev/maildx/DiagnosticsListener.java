package dev.maildx;

import dev.maildx.report.DnsOutcome;
import java.time.Duration;

/**
 * Hooks for metrics and tracing: told when a check starts and finishes and about each DNS query.
 *
 * <p>Implementations must be safe for concurrent use, must execute fast and must not block; they
 * are called on maildx's own threads. An exception thrown by a listener is ignored.
 */
public interface DiagnosticsListener {
  /** A listener that does nothing. */
  DiagnosticsListener NONE = new DiagnosticsListener() {};

  /**
   * A check is about to run.
   *
   * @param check the check name
   * @param question the question being diagnosed
   */
  default void checkStarted(String check, DeliveryQuestion question) {}

  /**
   * A check finished, or was abandoned at the deadline.
   *
   * @param check the check name
   * @param question the question being diagnosed
   * @param elapsed time since it started
   * @param completed {@code false} if it missed the deadline or failed
   */
  default void checkFinished(
      String check, DeliveryQuestion question, Duration elapsed, boolean completed) {}

  /**
   * A DNS query completed (including failed and timed-out ones).
   *
   * @param name the queried name
   * @param type the record type, for example {@code MX}
   * @param outcome how it ended
   * @param elapsed how long it took
   */
  default void dnsQuery(String name, String type, DnsOutcome outcome, Duration elapsed) {}
}
