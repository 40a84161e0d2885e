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
  enum Kind {
    DELAY,
    TIMEOUT,
    SERVFAIL,
    REFUSED,
    NXDOMAIN,
    TRUNCATE,
    WRONG_ID,
    WRONG_QUESTION,
    TRUNCATE_THEN_HANG,
    CRAFTED,
    BOGUS
  }

  final Kind kind;
  final Duration delay;
  final java.util.function.@org.jspecify.annotations.Nullable UnaryOperator<byte[]> craft;

  private DnsFault(Kind kind, Duration delay) {
    this(kind, delay, null);
  }

  private DnsFault(
      Kind kind,
      Duration delay,
      java.util.function.@org.jspecify.annotations.Nullable UnaryOperator<byte[]> craft) {
    this.kind = kind;
    this.delay = delay;
    this.craft = craft;
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

  /**
   * @return never answer (over UDP and TCP): the client times out
   */
  public static DnsFault timeout() {
    return new DnsFault(Kind.TIMEOUT, Duration.ZERO);
  }

  /**
   * @return answer SERVFAIL (RCODE 2)
   */
  public static DnsFault servfail() {
    return new DnsFault(Kind.SERVFAIL, Duration.ZERO);
  }

  /**
   * @return answer REFUSED (RCODE 5)
   */
  public static DnsFault refused() {
    return new DnsFault(Kind.REFUSED, Duration.ZERO);
  }

  /**
   * @return answer NXDOMAIN (RCODE 3), whatever records the name has
   */
  public static DnsFault nxdomain() {
    return new DnsFault(Kind.NXDOMAIN, Duration.ZERO);
  }

  /**
   * @return over UDP, answer with the TC bit and no records, forcing the client to TCP; TCP answers
   *     normally
   */
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

  /**
   * @return answer over UDP with a wrong message ID first (which a client must ignore), then the
   *     right answer
   */
  public static DnsFault wrongId() {
    return new DnsFault(Kind.WRONG_ID, Duration.ZERO);
  }

  /**
   * @return answer over UDP with the right ID but another question first (which a client must
   *     ignore), then the right answer
   */
  public static DnsFault wrongQuestion() {
    return new DnsFault(Kind.WRONG_QUESTION, Duration.ZERO);
  }

  /**
   * @return over UDP, answer with the TC bit; over TCP, accept the connection and never answer
   */
  public static DnsFault truncateThenHang() {
    return new DnsFault(Kind.TRUNCATE_THEN_HANG, Duration.ZERO);
  }

  /**
   * Answer (over UDP and TCP) with bytes built from the query's bytes: for malformed or hostile
   * responses, such as a compression-pointer loop.
   *
   * @param craft builds the response from the query's wire bytes; may return anything
   * @return the fault
   */
  public static DnsFault crafted(java.util.function.UnaryOperator<byte[]> craft) {
    return new DnsFault(Kind.CRAFTED, Duration.ZERO, requireNonNull(craft, "craft"));
  }

  /**
   * This fault, applied after a delay.
   *
   * @param delay how long to wait first
   * @return a new fault
   */
  public DnsFault delayed(Duration delay) {
    return new DnsFault(kind, requireNonNull(delay, "delay"), craft);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT)
        + (delay.isZero() ? "" : " after " + delay.toMillis() + " ms");
  }
}
