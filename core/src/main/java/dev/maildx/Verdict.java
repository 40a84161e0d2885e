package dev.maildx;

/**
 * The one-word answer of a {@link DeliveryDiagnosis}: can mail from the sender reach the recipient.
 *
 * <p>Constants are declared from the least to the most grave; {@link #and(Verdict)} keeps the
 * graver one. {@link #INCONCLUSIVE} ranks above {@link #AT_RISK}: when a check that decides
 * deliverability could not run, nothing short of a proven {@link #UNDELIVERABLE} may claim more.
 */
public enum Verdict {
  /** Nothing found that stops or endangers delivery. */
  DELIVERABLE,
  /** Mail can be delivered but is likely to be rejected, filtered or delayed. */
  AT_RISK,
  /** A check that decides deliverability could not complete (timeout, SERVFAIL, refused). */
  INCONCLUSIVE,
  /** Mail cannot be delivered as things stand (no such domain, null MX, rejected recipient). */
  UNDELIVERABLE;

  /**
   * Returns the graver of this verdict and {@code other}.
   *
   * @param other another verdict
   * @return the verdict with the higher gravity
   */
  public Verdict and(Verdict other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
