package dev.maildx;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The outcome of a batch of diagnoses.
 *
 * @param completed how many diagnoses completed (every question yields one)
 * @param verdicts how many of each verdict
 * @param sinkFailures how many times the caller's result consumer threw (the batch went on)
 * @param elapsed how long the batch took
 */
public record BatchSummary(
    long completed, Map<Verdict, Long> verdicts, long sinkFailures, Duration elapsed) {
  /** Copies the map. */
  public BatchSummary {
    EnumMap<Verdict, Long> m = new EnumMap<>(Verdict.class);
    m.putAll(verdicts);
    verdicts = java.util.Collections.unmodifiableMap(m);
    requireNonNull(elapsed, "elapsed");
  }

  /**
   * @return completed diagnoses per second
   */
  public double perSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : completed / s;
  }
}
