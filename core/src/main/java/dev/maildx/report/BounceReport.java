package dev.maildx.report;

import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one message received by the sender says about delivery: a non-delivery or delay notice
 * (RFC 3464 delivery status notification, RFC 6533 for internationalized mail, or one of the
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
 * @param format the format recognised: {@code rfc3464}, {@code rfc6533}, {@code arf},
 *     {@code rfc3834}, or the name of the mail server family whose wording was recognised (for
 *     example {@code postfix}, {@code exim}, {@code qmail}); {@code none} for ordinary mail
 * @param reportingMta the {@code Reporting-MTA} (RFC 3464 §2.2.2) or the host that wrote the
 *     notice, if known
 * @param receivedFromMta the {@code Received-From-MTA}, if given
 * @param arrivalDate the {@code Arrival-Date}, as written, if given
 * @param originalMessageId the Message-ID of the message that bounced, if the notice returned it
 * @param original the returned message's headers, if the notice returned them
 * @param recipients one entry per recipient the notice reports on
 * @param feedback the feedback report's fields, for {@link BounceKind#FEEDBACK}
 * @param findings what the check found: one per recipient and one per problem reading the message
 */
public record BounceReport(
    String check,
    String source,
    BounceKind kind,
    String format,
    @Nullable String reportingMta,
    @Nullable String receivedFromMta,
    @Nullable String arrivalDate,
    @Nullable String originalMessageId,
    @Nullable ReturnedMessage original,
    List<DsnRecipient> recipients,
    @Nullable Feedback feedback,
    List<Finding> findings) implements CheckReport {

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
    return recipients.stream().anyMatch(DsnRecipient::hardBounce);
  }

  /**
   * The headers of the message that could not be delivered, as returned in the notice
   * ({@code message/rfc822}, {@code text/rfc822-headers} or inline), so that the notice can be
   * matched with what was sent.
   *
   * @param messageId its {@code Message-ID}, if present
   * @param from its {@code From}
   * @param to its {@code To}
   * @param subject its {@code Subject}, decoded (RFC 2047)
   * @param date its {@code Date}, as written
   */
  public record ReturnedMessage(
      @Nullable String messageId, @Nullable String from, @Nullable String to, @Nullable String subject, @Nullable String date) {}

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
}
