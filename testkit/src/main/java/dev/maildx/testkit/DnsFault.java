package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A misbehaviour {@link MockDnsServer} applies to queries for one name (optionally one type).
 *
 * <p>Immutable. Faults combine with a delay through {@link #delayed(Duration)}.
 */
public final class DnsFault {
  /** What the server does instead of answering normally. */
  enum Kind { DELAY, TIMEOUT, SERVFAIL, REFUSED, NXDOMAIN, TRUNCATE, WRONG_ID, BOGUS }

  final Kind kind;
  final Duration delay;

  private DnsFault(Kind kind, Duration delay) {
    this.kind = kind;
    this.delay = delay;
  }

  /**
   * Answer normally, but only after {@code delay}.
   *
   * @param delay how long to wait before answering
   * @return the fault
   */
  public static DnsFault delay(Duration delay) {
    requireNonNull(delay, "delay");
    return new DnsFault(Kind.DELAY, delay);
  }

  /** @return never answer (over UDP and TCP): the client times out */
  public static DnsFault timeout() {
    return new DnsFault(Kind.TIMEOUT, Duration.ZERO);
  }

  /** @return answer SERVFAIL (RCODE 2) */
  public static DnsFault servfail() {
    return new DnsFault(Kind.SERVFAIL, Duration.ZERO);
  }

  /** @return answer REFUSED (RCODE 5) */
  public static DnsFault refused() {
    return new DnsFault(Kind.REFUSED, Duration.ZERO);
  }

  /** @return answer NXDOMAIN (RCODE 3), whatever records the name has */
  public static DnsFault nxdomain() {
    return new DnsFault(Kind.NXDOMAIN, Duration.ZERO);
  }

  /** @return over UDP, answer with the TC bit and no records, forcing the client to TCP; TCP answers normally */
  public static DnsFault truncate() {
    return new DnsFault(Kind.TRUNCATE, Duration.ZERO);
  }

  /**
   * Behave like a validating resolver facing data that fails DNSSEC validation (RFC 4035 §5.5):
   * answer SERVFAIL, unless the query sets the CD (checking disabled) bit, then answer normally.
   *
   * @return the fault
   */
  public static DnsFault bogus() {
    return new DnsFault(Kind.BOGUS, Duration.ZERO);
  }

  /** @return answer over UDP with a wrong message ID first (which a client must ignore), then the right answer */
  public static DnsFault wrongId() {
    return new DnsFault(Kind.WRONG_ID, Duration.ZERO);
  }

  /**
   * This fault, applied after a delay.
   *
   * @param delay how long to wait first
   * @return a new fault
   */
  public DnsFault delayed(Duration delay) {
    return new DnsFault(kind, requireNonNull(delay, "delay"));
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + (delay.isZero() ? "" : " after " + delay.toMillis() + " ms");
  }
}
