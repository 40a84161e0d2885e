package dev.maildx.bounce.internal;

import dev.maildx.Party;
import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import dev.maildx.report.EnhancedStatusCode;
import org.jspecify.annotations.Nullable;

/** Human explanations and who must act, per reason and code. */
final class Explain {
  private Explain() {}

  static @Nullable Party party(
      BounceReason reason, BounceReport.Action action, @Nullable EnhancedStatusCode status) {
    String k = status == null ? "" : status.subject() + "." + status.detail();
    if (k.equals("7.23")
        || k.equals("7.24")
        || k.equals("7.26")
        || k.equals("7.20")
        || k.equals("7.21")
        || k.equals("7.22")
        || k.equals("7.509")) {
      return Party.SENDER_DNS_ADMIN;
    }
    switch (reason) {
      case USER_UNKNOWN:
      case HOST_UNKNOWN:
      case HAS_MOVED:
      case NOT_ACCEPT:
      case SYNTAX_ERROR:
      case MESG_TOO_BIG:
      case EXCEED_LIMIT:
      case CONTENT_ERROR:
      case NOT_COMPLIANT_RFC:
      case POLICY_VIOLATION:
      case FILTERED:
      case VIRUS_DETECTED:
      case REJECTED:
      case SUPPRESSED:
      case FEEDBACK:
        return Party.SENDER;
      case AUTH_FAILURE:
        return Party.SENDER_DNS_ADMIN;
      case REQUIRE_PTR:
      case BLOCKED:
      case BAD_REPUTATION:
      case RATE_LIMITED:
      case TOO_MANY_CONN:
      case SPAM_DETECTED:
      case NO_RELAYING:
      case SECURITY_ERROR:
        return Party.SENDER_MAIL_PROVIDER;
      case MAILBOX_FULL:
      case SUSPEND:
      case SYSTEM_ERROR:
      case SYSTEM_FULL:
      case MAILER_ERROR:
      case EXPIRED:
      case NETWORK_ERROR:
        return action == BounceReport.Action.DELAYED
                && reason != BounceReason.EXPIRED
                && reason != BounceReason.NETWORK_ERROR
            ? Party.NOBODY
            : Party.RECIPIENT_POSTMASTER;
      default:
        return null;
    }
  }

  static String explain(
      BounceReason reason,
      BounceReport.Action action,
      @Nullable EnhancedStatusCode status,
      @Nullable Integer reply,
      BounceReport.ReplySource replySource) {
    StringBuilder b = new StringBuilder(sentence(reason, action, status));
    if (status != null) {
      b.append(" Status ")
          .append(status)
          .append(": ")
          .append(status.meaning())
          .append(" (RFC 3463).");
    }
    if (reply != null) {
      // The citation goes before the meaning: some meanings end in ')' themselves.
      b.append(" Reply ")
          .append(reply)
          .append(" (RFC 5321): ")
          .append(EnhancedStatusCode.replyCodeMeaning(reply))
          .append(
              replySource == BounceReport.ReplySource.REPORTING_MTA
                  ? ", written by the reporting server itself: the remote host sent no reply."
                  : ".");
    }
    return b.toString();
  }

  private static String sentence(
      BounceReason reason, BounceReport.Action action, @Nullable EnhancedStatusCode status) {
    String k = status == null ? "" : status.subject() + "." + status.detail();
    if (k.equals("4.7")) {
      return action == BounceReport.Action.DELAYED
          ? "The recipient's mail server has not accepted the message yet; the sender's server is still retrying and will give up when its queue lifetime ends."
          : "The recipient's mail server never accepted the message; the sender's server gave up after retrying until its queue lifetime ended. The recipient's postmaster must find out why their gateway does not accept mail from the sender.";
    }
    // RFC 7372 §3.2: X.7.23 "SPF validation failed", X.7.24 "SPF validation error". The notice
    // carries no SPF result, so the sentence states only what the code means, never why.
    if (k.equals("7.23")) {
      return "The receiver reports that SPF validation of the sender failed (RFC 7372): the sender's DNS administrator must check the sender's SPF record against the sending server.";
    }
    if (k.equals("7.24")) {
      return "The receiver reports an error while validating the sender's SPF (RFC 7372): the sender's DNS administrator must check that the sender's SPF record can be evaluated.";
    }
    if (k.equals("7.26")) {
      return "SPF, DKIM and DMARC checks failed together: the sender's DNS administrator must fix SPF and DKIM so that DMARC passes.";
    }
    switch (reason) {
      case USER_UNKNOWN:
        return "The recipient address does not exist at the receiving domain: check it for a typo; retrying will not help.";
      case HOST_UNKNOWN:
        return "The recipient's domain does not exist or has no mail server: check the address.";
      case HAS_MOVED:
        return "The recipient has moved and left no forwarding address.";
      case NOT_ACCEPT:
        return "The recipient's domain or server accepts no mail.";
      case MAILBOX_FULL:
        return action == BounceReport.Action.DELAYED
            ? "The recipient's mailbox is full; the sender's server keeps retrying."
            : "The recipient's mailbox is full: the recipient must make room.";
      case SUSPEND:
        return "The recipient's mailbox is disabled or suspended.";
      case AUTH_FAILURE:
        return "The message failed the receiver's authentication checks (SPF, DKIM or DMARC): the sender's DNS administrator must fix them.";
      case REQUIRE_PTR:
        return "The sending server's IP address has no or a mismatching reverse DNS (PTR) name: the sender's mail provider must fix it.";
      case BLOCKED:
        return "The receiver blocks the sending server or its IP address (blocklist, reputation or policy): the sender's mail provider must act.";
      case BAD_REPUTATION:
        return "The receiver refuses the sending IP or domain for its bad reputation.";
      case SPAM_DETECTED:
        return "The receiver judged the message to be spam.";
      case VIRUS_DETECTED:
        return "The receiver found a virus in the message.";
      case RATE_LIMITED:
        return "The sender sent too much too fast and was rate limited.";
      case TOO_MANY_CONN:
        return "The sender opened too many connections to the receiver.";
      case FILTERED:
        return "A filter at the recipient refused the message (for example a recipient-side allow list or mailing-list membership).";
      case POLICY_VIOLATION:
        return "The receiver refused the message for policy reasons.";
      case CONTENT_ERROR:
        return "The receiver refused the message's content (headers, encoding or attachments).";
      case NOT_COMPLIANT_RFC:
        return "The message does not comply with the mail standards (RFC 5322).";
      case MESG_TOO_BIG:
        return "The message is too big for the receiving system.";
      case EXCEED_LIMIT:
        return "The message exceeds a limit of the recipient (size or number of recipients).";
      case NO_RELAYING:
        return "The server refused to relay the message: the sender's server is misconfigured or used the wrong route.";
      case REJECTED:
        return "The receiver refused the sender (the envelope sender or From address).";
      case SECURITY_ERROR:
        return "A security requirement failed (TLS or SMTP authentication).";
      case SYNTAX_ERROR:
        return "An SMTP syntax error.";
      case SYSTEM_ERROR:
        return "The receiving mail system failed.";
      case SYSTEM_FULL:
        return "The receiving mail system is out of storage.";
      case MAILER_ERROR:
        return "A local delivery program at the receiver failed.";
      case NETWORK_ERROR:
        return action == BounceReport.Action.DELAYED
            ? "The sender's server could not reach the recipient's mail server (connection refused, timed out or DNS failure) and keeps retrying."
            : "The sender's server could not reach the recipient's mail server (connection refused, timed out, DNS failure or a loop).";
      case EXPIRED:
        return "The sender's server gave up after retrying.";
      case SUPPRESSED:
        return "The sending service did not send: the address is on its suppression list after earlier bounces or complaints.";
      case DELIVERED:
        return "The message was delivered.";
      case FEEDBACK:
        return "A complaint or authentication-failure report about the message.";
      case VACATION:
        return "An automatic reply: the message was delivered.";
      case ON_HOLD:
        return "The notice does not say clearly why delivery failed.";
      default:
        return "The notice gives no reason.";
    }
  }
}
