package dev.maildx.report;

/**
 * What a message received by the sender is, as far as delivery is concerned (RFC 3464 §2.3.3
 * {@code Action}, RFC 5965, RFC 3834).
 */
public enum BounceKind {
  /** A non-delivery notice: at least one recipient failed permanently ({@code Action: failed}). */
  BOUNCE,
  /** A delay notice: delivery is still being retried ({@code Action: delayed}); not a failure. */
  DELAY,
  /** A positive notice: the message was delivered, relayed or expanded ({@code Action: delivered}). */
  DELIVERED,
  /** An abuse or authentication-failure feedback report (ARF, RFC 5965). */
  FEEDBACK,
  /** An automatic reply such as a vacation notice (RFC 3834). */
  AUTOREPLY,
  /** Ordinary mail, not a delivery notice of any kind. */
  NOT_BOUNCE
}
