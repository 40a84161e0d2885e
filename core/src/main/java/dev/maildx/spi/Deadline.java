package dev.maildx.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A point in time by which an operation must be done, on the monotonic clock ({@link
 * System#nanoTime()}). One deadline is passed down to every layer of a diagnosis; each network step
 * takes {@code min(its own limit, remaining())}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Deadline implements Comparable<Deadline> {
  private final long nanoTime;

  private Deadline(long nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * A deadline {@code timeout} from now.
   *
   * @param timeout non-negative duration
   * @return the deadline
   */
  public static Deadline after(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    return new Deadline(System.nanoTime() + saturatedNanos(timeout));
  }

  /**
   * The time left, never negative.
   *
   * @return {@link Duration#ZERO} once expired
   */
  public Duration remaining() {
    long left = nanoTime - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /**
   * The time left in milliseconds, rounded up, never negative.
   *
   * @return milliseconds left
   */
  public long remainingMillis() {
    long left = nanoTime - System.nanoTime();
    return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
  }

  /**
   * Whether the deadline has passed.
   *
   * @return {@code true} if no time is left
   */
  public boolean expired() {
    return nanoTime - System.nanoTime() <= 0;
  }

  /**
   * The earlier of this deadline and {@code limit} from now: for a step with a limit of its own.
   *
   * @param limit the step's own limit
   * @return a deadline no later than this one
   */
  public Deadline limit(Duration limit) {
    Deadline other = after(limit.isNegative() ? Duration.ZERO : limit);
    return compareTo(other) <= 0 ? this : other;
  }

  /**
   * A deadline a little before this one, leaving time to assemble partial results: earlier by a
   * tenth of the time left, at most {@code maxMargin}.
   *
   * @param maxMargin the most to take off
   * @return the earlier deadline
   */
  public Deadline withMargin(Duration maxMargin) {
    long left = Math.max(0, nanoTime - System.nanoTime());
    long margin = Math.min(left / 10, maxMargin.toNanos());
    return new Deadline(nanoTime - margin);
  }

  /**
   * The smaller of the time left and {@code limit}.
   *
   * @param limit a step's own limit
   * @return the duration the step may take
   */
  public Duration remaining(Duration limit) {
    Duration r = remaining();
    return r.compareTo(limit) < 0 ? r : limit;
  }

  @Override
  public int compareTo(Deadline o) {
    return Long.compare(nanoTime - o.nanoTime, 0);
  }

  @Override
  public String toString() {
    return "Deadline[in " + remaining().toMillis() + " ms]";
  }

  private static long saturatedNanos(Duration d) {
    try {
      return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }
}
