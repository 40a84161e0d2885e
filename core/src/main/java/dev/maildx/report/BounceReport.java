package dev.maildx.report;

import static dev.maildx.Severity.ERROR;
import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
import static dev.maildx.Verdict.AT_RISK;
import static dev.maildx.Verdict.DELIVERABLE;
import static dev.maildx.Verdict.INCONCLUSIVE;
import static dev.maildx.Verdict.UNDELIVERABLE;
import static java.util.Objects.requireNonNull;

import dev.maildx.Finding;
import dev.maildx.FindingCode;
import dev.maildx.Party;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one message received by the sender says about delivery: a non-delivery or delay notice (RFC
 * 3464 delivery status notification, RFC 6533 for internationalized mail, or one of the
 * non-standard formats real mail servers send), a positive delivery notice, an abuse feedback
 * report (RFC 5965), an automatic reply (RFC 3834), or ordinary mail.
 *
 * <p>Immutable. A message that could not be read completely (too large, too deeply nested,
 * malformed) still yields a report; its findings say what was cut short.
 *
 * @param check the check name, {@code bounce}
 * @param source where the message came from (a file path, {@code mbox-path#n}, or a name given by
 *     the caller)
 * @param kind what the message is
 * @param format the format recognised: {@code rfc3464}, {@code rfc6533}, {@code arf}, {@code
 *     rfc3834}, or the name of the mail server family whose wording was recognised (for example
 *     {@code postfix}, {@code exim}, {@code qmail}); {@code none} for ordinary mail
 * @param reportingMta the {@code Reporting-MTA} (RFC 3464 §2.2.2) or the host that wrote the
 *     notice, if known
 * @param receivedFromMta the {@code Received-From-MTA}, if given
 * @param arrivalDate the {@code Arrival-Date}, as written, if given
 * @param originalMessageId the Message-ID of the message that bounced, if the notice returned it
 * @param original the returned message's headers, if the notice returned them
 * @param recipients one entry per recipient the notice reports on
 * @param feedback the feedback report's fields, for {@link Kind#FEEDBACK}
 * @param findings what the check found: one per recipient and one per problem reading the message
 */
public record BounceReport(
    String check,
    String source,
    Kind kind,
    String format,
    @Nullable String reportingMta,
    @Nullable String receivedFromMta,
    @Nullable String arrivalDate,
    @Nullable String originalMessageId,
    @Nullable ReturnedMessage original,
    List<Recipient> recipients,
    @Nullable Feedback feedback,
    List<Finding> findings)
    implements CheckReport {
  /** The name of the check that reads a delivery notice: {@value}. */
  public static final String CHECK = "bounce";

  /** Validates and copies. */
  public BounceReport {
    requireNonNull(check, "check");
    requireNonNull(source, "source");
    requireNonNull(kind, "kind");
    requireNonNull(format, "format");
    recipients = List.copyOf(recipients);
    findings = List.copyOf(findings);
  }

  /**
   * Whether any recipient failed permanently because of the address itself.
   *
   * @return {@code true} if a recipient is a hard bounce
   */
  public boolean hasHardBounce() {
    return recipients.stream().anyMatch(Recipient::hardBounce);
  }

  /**
   * The headers of the message that could not be delivered, as returned in the notice ({@code
   * message/rfc822}, {@code text/rfc822-headers} or inline), so that the notice can be matched with
   * what was sent.
   *
   * @param messageId its {@code Message-ID}, if present
   * @param from its {@code From}
   * @param to its {@code To}
   * @param subject its {@code Subject}, decoded (RFC 2047)
   * @param date its {@code Date}, as written
   */
  public record ReturnedMessage(
      @Nullable String messageId,
      @Nullable String from,
      @Nullable String to,
      @Nullable String subject,
      @Nullable String date) {}

  /**
   * The machine-readable part of an abuse feedback report (RFC 5965 §3.1, §3.2).
   *
   * @param feedbackType {@code Feedback-Type}: abuse, auth-failure, fraud, not-spam, virus, other
   * @param userAgent {@code User-Agent}, if given
   * @param sourceIp {@code Source-IP}, if given
   * @param originalMailFrom {@code Original-Mail-From}, if given
   * @param originalRcptTo {@code Original-Rcpt-To}, if given
   * @param arrivalDate {@code Arrival-Date} or {@code Received-Date}, if given
   * @param reportedDomain {@code Reported-Domain}, if given
   * @param authenticationResults {@code Authentication-Results}, if given
   */
  public record Feedback(
      String feedbackType,
      @Nullable String userAgent,
      @Nullable String sourceIp,
      @Nullable String originalMailFrom,
      @Nullable String originalRcptTo,
      @Nullable String arrivalDate,
      @Nullable String reportedDomain,
      @Nullable String authenticationResults) {
    /** Validates. */
    public Feedback {
      requireNonNull(feedbackType, "feedbackType");
    }
  }

  /**
   * What a delivery notice says about one recipient: the per-recipient fields of RFC 3464 §2.3 (or
   * the same facts found in the wording of a non-standard notice), and maildx's classification.
   *
   * <p>Codes are those the notice carries: {@code status} is the enhanced status code (RFC 3463)
   * and {@code replyCode} the SMTP reply code (RFC 5321 §4.2), each absent when the notice has
   * none. When the {@code Status} field and the diagnostic text disagree, the more specific code is
   * kept and {@code decision} says so.
   *
   * @param recipient the recipient address ({@code Final-Recipient}, or as found in the text)
   * @param originalRecipient the {@code Original-Recipient}, if given
   * @param action what happened ({@code Action}); for non-standard notices inferred from the
   *     wording
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
   * @param replySource who wrote {@code replyCode}: the remote host (a reply it sent, quoted in the
   *     {@code Diagnostic-Code}, RFC 3464 §2.3.6), or the reporting MTA itself (a code it chose for
   *     a failure where no reply came, such as a connection that timed out); {@link
   *     ReplySource#UNKNOWN} when the notice does not say, or there is no reply code
   */
  public record Recipient(
      String recipient,
      @Nullable String originalRecipient,
      Action action,
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
      String decision,
      ReplySource replySource) {

    /** Validates. */
    public Recipient {
      requireNonNull(recipient, "recipient");
      requireNonNull(replySource, "replySource");
      requireNonNull(action, "action");
      requireNonNull(reason, "reason");
      requireNonNull(explanation, "explanation");
      requireNonNull(decision, "decision");
      if (replyCode != null && (replyCode < 200 || replyCode > 599)) {
        throw new IllegalArgumentException("SMTP reply code must be 200..599, was " + replyCode);
      }
    }
  }

  /**
   * Who wrote a recipient's reply code. RFC 3464 §2.3.6 defines the {@code Diagnostic-Code} of type
   * {@code smtp} as the reply the remote MTA ({@code Remote-MTA}, §2.3.5) actually sent; a
   * reporting MTA that got no reply at all (the connection was refused or timed out, RFC 3463
   * X.4.1, X.4.2) still often writes a code of its own in that field, such as Amazon SES's {@code
   * <421 4.4.2 Connection timed out>}. Such a code says what the sending side decided, not what the
   * receiving host answered, and must not be quoted as the remote host's reply.
   */
  public enum ReplySource {
    /** The remote host sent this reply (quoted in the notice or its SMTP transcript). */
    REMOTE_HOST,
    /** The reporting MTA wrote this code itself, for a failure where no reply came. */
    REPORTING_MTA,
    /** No reply code, or the notice does not show who wrote it. */
    UNKNOWN
  }

  /** The {@code Action} of one recipient in a delivery status notification (RFC 3464 §2.3.3). */
  public enum Action {
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
    public static Optional<Action> parse(@Nullable String text) {
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

  /**
   * What a message received by the sender is, as far as delivery is concerned (RFC 3464 §2.3.3
   * {@code Action}, RFC 5965, RFC 3834).
   */
  public enum Kind {
    /**
     * A non-delivery notice: at least one recipient failed permanently ({@code Action: failed}).
     */
    BOUNCE,
    /** A delay notice: delivery is still being retried ({@code Action: delayed}); not a failure. */
    DELAY,
    /**
     * A positive notice: the message was delivered, relayed or expanded ({@code Action:
     * delivered}).
     */
    DELIVERED,
    /** An abuse or authentication-failure feedback report (ARF, RFC 5965). */
    FEEDBACK,
    /** An automatic reply such as a vacation notice (RFC 3834). */
    AUTOREPLY,
    /** Ordinary mail, not a delivery notice of any kind. */
    NOT_BOUNCE
  }

  /**
   * Keys of the evidence the findings of this check carry, declared for those who read it (the
   * correlation of a diagnosis does).
   */
  public static final class Evidence {
    /** The recipient the finding is about (empty if the notice names none): {@value}. */
    public static final String RECIPIENT = "recipient";

    /**
     * The recipient's {@linkplain BounceReason#id() reason} (for example {@code mailboxfull}):
     * {@value}.
     */
    public static final String REASON = "reason";

    private Evidence() {}
  }

  /**
   * The codes of the findings of the {@code bounce} check: one per recipient of the notice (RFC
   * 3464 §2.3), and what could not be read.
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    BOUNCE_HARD(
        ERROR,
        UNDELIVERABLE,
        "RFC 3464 §2.3",
        "Delivery to the recipient failed permanently because of the address itself (no such user or domain)."),
    BOUNCE_FAILED(
        ERROR,
        AT_RISK,
        "RFC 3464 §2.3",
        "Delivery to the recipient failed permanently for another reason (policy, content, reputation, the receiving server)."),
    BOUNCE_DELAYED(
        WARNING,
        AT_RISK,
        "RFC 3464 §2.3",
        "Delivery to the recipient is delayed: the sender's server is still retrying."),
    BOUNCE_DELIVERED(
        INFO,
        DELIVERABLE,
        "RFC 3464 §2.3",
        "The notice says the message was delivered to the recipient."),
    BOUNCE_RECIPIENT_DELAYED(
        INFO,
        DELIVERABLE,
        "RFC 3464 §2.3",
        "A recipient of the notice is marked delayed in a notice that is not a delay notice."),
    BOUNCE_RECIPIENT_DELIVERED(
        INFO,
        DELIVERABLE,
        "RFC 3464 §2.3",
        "A recipient of the notice is marked delivered in a notice that is not a delivery notice."),
    BOUNCE_RECIPIENT_RELAYED(
        INFO,
        DELIVERABLE,
        "RFC 3464 §2.3",
        "The message was relayed for a recipient to a system that sends no delivery notices."),
    BOUNCE_RECIPIENT_EXPANDED(
        INFO,
        DELIVERABLE,
        "RFC 3464 §2.3",
        "A recipient was an alias or list and the message was forwarded to its members."),
    BOUNCE_AUTOREPLY(
        INFO,
        DELIVERABLE,
        "RFC 3834",
        "The recipient answered automatically (vacation, auto-reply): the message was delivered."),
    BOUNCE_FEEDBACK_RECIPIENT(
        INFO, DELIVERABLE, "RFC 5965", "A feedback report concerns mail to this recipient."),
    BOUNCE_FEEDBACK_REPORT(
        WARNING,
        DELIVERABLE,
        "RFC 5965 §3.1",
        "A feedback report (abuse complaint): repeated complaints harm the sender's reputation."),
    BOUNCE_NO_RECIPIENT(
        WARNING,
        DELIVERABLE,
        null,
        "The message looks like a delivery notice but names no recipient that could be read."),
    BOUNCE_MIME_LIMIT(
        WARNING,
        DELIVERABLE,
        "RFC 2046 §5.1",
        "The notice was not read completely: too many MIME parts or too deep a nesting."),
    BOUNCE_INPUT_TRUNCATED(
        WARNING,
        DELIVERABLE,
        null,
        "The notice was not read completely: it, or one of its header fields, is longer than the limits."),
    BOUNCE_READ_FAILED(
        WARNING, INCONCLUSIVE, null, "The notice could not be read, or not before the deadline.");

    private final Severity severity;
    private final Verdict effect;
    private final @Nullable String reference;
    private final String meaning;

    Code(Severity severity, Verdict effect, @Nullable String reference, String meaning) {
      this.severity = severity;
      this.effect = effect;
      this.reference = reference;
      this.meaning = meaning;
    }

    @Override
    public List<String> checks() {
      return List.of(CHECK);
    }

    @Override
    public Severity severity() {
      return severity;
    }

    @Override
    public Verdict effect() {
      return effect;
    }

    @Override
    public String meaning() {
      return meaning;
    }

    @Override
    public Optional<String> reference() {
      return Optional.ofNullable(reference);
    }
  }
}
