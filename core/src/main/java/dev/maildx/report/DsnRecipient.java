package dev.maildx.report;

import dev.maildx.Party;
import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What a delivery notice says about one recipient: the per-recipient fields of RFC 3464 §2.3 (or
 * the same facts found in the wording of a non-standard notice), and maildx's classification.
 *
 * <p>Codes are those the notice carries: {@code status} is the enhanced status code (RFC 3463)
 * and {@code replyCode} the SMTP reply code (RFC 5321 §4.2), each absent when the notice has none.
 * When the {@code Status} field and the diagnostic text disagree, the more specific code is kept
 * and {@code decision} says so.
 *
 * @param recipient the recipient address ({@code Final-Recipient}, or as found in the text)
 * @param originalRecipient the {@code Original-Recipient}, if given
 * @param action what happened ({@code Action}); for non-standard notices inferred from the wording
 * @param status the enhanced status code, if any
 * @param replyCode the SMTP reply code, if any (200–599)
 * @param reason why, in the bounce-reason taxonomy
 * @param hardBounce {@code true} if the failure is permanent and about the address itself
 * @param remoteMta the {@code Remote-MTA} or the host that answered, if known
 * @param diagnosticCode the diagnostic text ({@code Diagnostic-Code} without its type, or the
 *     server's reply quoted in the notice), if any
 * @param lastAttemptDate the {@code Last-Attempt-Date}, as written, if given
 * @param willRetryUntil the {@code Will-Retry-Until}, as written, if given
 * @param explanation what the codes and text mean, in words, for a person
 * @param party who must act on it, where the code or text says so
 * @param decision how the reason was reached (which of status, reply code and text decided, and
 *     what was overruled)
 */
public record DsnRecipient(
    String recipient,
    @Nullable String originalRecipient,
    DsnAction action,
    @Nullable EnhancedStatusCode status,
    @Nullable Integer replyCode,
    BounceReason reason,
    boolean hardBounce,
    @Nullable String remoteMta,
    @Nullable String diagnosticCode,
    @Nullable String lastAttemptDate,
    @Nullable String willRetryUntil,
    String explanation,
    @Nullable Party party,
    String decision) {

  /** Validates. */
  public DsnRecipient {
    requireNonNull(recipient, "recipient");
    requireNonNull(action, "action");
    requireNonNull(reason, "reason");
    requireNonNull(explanation, "explanation");
    requireNonNull(decision, "decision");
    if (replyCode != null && (replyCode < 200 || replyCode > 599)) {
      throw new IllegalArgumentException("SMTP reply code must be 200..599, was " + replyCode);
    }
  }
}
