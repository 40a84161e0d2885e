package dev.maildx;

import java.time.Duration;

/**
 * Where a batch of diagnoses stands.
 *
 * @param submitted questions taken from the input so far
 * @param completed diagnoses completed so far
 * @param elapsed time since the batch started
 */
public record BatchProgress(long submitted, long completed, Duration elapsed) {
  /**
   * Completed diagnoses per second so far.
   *
   * @return the rate, 0 at the start
   */
  public double perSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : completed / s;
  }
}
