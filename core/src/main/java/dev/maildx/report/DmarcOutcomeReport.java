package dev.maildx.report;

import org.jspecify.annotations.Nullable;

/**
 * A check report that knows the DMARC outcome of an actual message (RFC 9989 §5.3): which
 * identifiers passed and aligned, and what the receiver is asked to do with it.
 *
 * <p>The correlation rule {@code SENDER_DMARC_WILL_REJECT} reads it from any report of a diagnosis
 * that implements it (the message-authentication report, {@code auth}, has this method), and then
 * rests on the message's real DKIM and SPF results rather than on what the DNS alone suggests.
 */
public interface DmarcOutcomeReport extends CheckReport {
  /**
   * The DMARC evaluation of the message.
   *
   * @return the evaluation, or {@code null} if it could not be made (no From domain, no message)
   */
  @Nullable DmarcEvaluation dmarc();
}
