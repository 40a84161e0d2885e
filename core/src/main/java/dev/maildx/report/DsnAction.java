package dev.maildx.report;

import java.util.Locale;
import java.util.Optional;

/** The {@code Action} of one recipient in a delivery status notification (RFC 3464 §2.3.3). */
public enum DsnAction {
  /** Delivery failed and will not be retried. */
  FAILED,
  /** Delivery has not succeeded yet and is being retried. */
  DELAYED,
  /** The message was delivered to the recipient's mailbox. */
  DELIVERED,
  /** The message was relayed into an environment that sends no further notices. */
  RELAYED,
  /** The message was delivered and forwarded to further addresses (mailing list, alias). */
  EXPANDED;

  /**
   * Parses an action field value; RFC 3464 allows a comment after the keyword.
   *
   * @param text for example {@code failed} or {@code Delayed (retrying)}
   * @return the action, or empty if it is none of the five
   */
  public static Optional<DsnAction> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.strip().toLowerCase(Locale.ROOT);
    int end = 0;
    while (end < s.length() && Character.isLetter(s.charAt(end))) {
      end++;
    }
    switch (s.substring(0, end)) {
      case "failed":
      case "failure":
        return Optional.of(FAILED);
      case "delayed":
        return Optional.of(DELAYED);
      case "delivered":
      case "deliverable": // Postfix address verification reports (sendmail -bv)
        return Optional.of(DELIVERED);
      case "undeliverable":
        return Optional.of(FAILED);
      case "relayed":
        return Optional.of(RELAYED);
      case "expanded":
        return Optional.of(EXPANDED);
      default:
        return Optional.empty();
    }
  }
}
