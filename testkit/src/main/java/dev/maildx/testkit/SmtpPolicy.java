package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How {@link MockSmtpServer} behaves on a connection: normally, or like one of the broken or
 * hostile gateways a prober meets on the Internet.
 *
 * <p>Immutable.
 */
public final class SmtpPolicy {
  /** The behaviours. */
  enum Kind {
    NORMAL,
    BLACK_HOLE,
    SLOW_GREETING,
    TARPIT,
    CLOSE_AFTER_EHLO,
    GREETING_421,
    ENDLESS_MULTILINE,
    HUGE_LINE,
    TLS_FAILURE,
    DATA_BEFORE_GREETING
  }

  final Kind kind;
  final Duration delay;
  final int size;

  private SmtpPolicy(Kind kind, Duration delay, int size) {
    this.kind = kind;
    this.delay = delay;
    this.size = size;
  }

  /**
   * @return a well-behaved server
   */
  public static SmtpPolicy normal() {
    return new SmtpPolicy(Kind.NORMAL, Duration.ZERO, 0);
  }

  /**
   * @return accept the connection and never send a byte (a black hole)
   */
  public static SmtpPolicy blackHole() {
    return new SmtpPolicy(Kind.BLACK_HOLE, Duration.ZERO, 0);
  }

  /**
   * Send the greeting only after a delay, then behave normally.
   *
   * @param delay how long to wait before the greeting
   * @return the policy
   */
  public static SmtpPolicy slowGreeting(Duration delay) {
    return new SmtpPolicy(Kind.SLOW_GREETING, requireNonNull(delay, "delay"), 0);
  }

  /**
   * Send every reply one byte at a time (a tarpit).
   *
   * @param perByte the pause between bytes, for example one second
   * @return the policy
   */
  public static SmtpPolicy tarpit(Duration perByte) {
    return new SmtpPolicy(Kind.TARPIT, requireNonNull(perByte, "perByte"), 0);
  }

  /**
   * @return greet, then close the connection when EHLO (or HELO) arrives, without a reply
   */
  public static SmtpPolicy closeAfterEhlo() {
    return new SmtpPolicy(Kind.CLOSE_AFTER_EHLO, Duration.ZERO, 0);
  }

  /**
   * @return greet with {@code 421 4.3.2} and close (a temporary refusal)
   */
  public static SmtpPolicy greeting421() {
    return new SmtpPolicy(Kind.GREETING_421, Duration.ZERO, 0);
  }

  /**
   * @return answer EHLO with continuation lines ({@code 250-}) that never end
   */
  public static SmtpPolicy endlessMultiline() {
    return new SmtpPolicy(Kind.ENDLESS_MULTILINE, Duration.ZERO, 0);
  }

  /**
   * Greet with a line of {@code bytes} bytes and no CRLF, then say nothing more.
   *
   * @param bytes the line length, for example 1 MiB
   * @return the policy
   */
  public static SmtpPolicy hugeLine(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("bytes must be positive");
    }
    return new SmtpPolicy(Kind.HUGE_LINE, Duration.ZERO, bytes);
  }

  /**
   * @return announce STARTTLS, accept it with 220, then send bytes that are not TLS and close
   */
  public static SmtpPolicy tlsHandshakeFailure() {
    return new SmtpPolicy(Kind.TLS_FAILURE, Duration.ZERO, 0);
  }

  /**
   * @return send a command-like line before the greeting (a protocol violation some spam traps use)
   */
  public static SmtpPolicy dataBeforeGreeting() {
    return new SmtpPolicy(Kind.DATA_BEFORE_GREETING, Duration.ZERO, 0);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT)
        + (delay.isZero() ? "" : " " + delay.toMillis() + " ms")
        + (size == 0 ? "" : " " + size + " bytes");
  }
}
