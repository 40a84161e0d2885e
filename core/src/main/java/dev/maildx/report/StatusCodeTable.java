package dev.maildx.report;

import java.util.HashMap;
import java.util.Map;

/**
 * The meanings of enhanced status codes (the IANA "Enumerated Status Codes" registry of RFC 3463
 * and RFC 5248, with the codes of RFC 3886, 4468, 4954, 5248, 6710, 7293, 7372, 7505, 8689) and of
 * SMTP reply codes (RFC 5321 §4.2.2, §4.2.3; RFC 3030, RFC 4954, RFC 7504). The codes some large
 * providers use outside the registry (Microsoft 365's X.7.5xx–X.7.7xx, X.1.10 for an unknown
 * recipient, X.4.316) are in a separate table and are marked as such.
 */
final class StatusCodeTable {
  private StatusCodeTable() {}

  private static final Map<String, String> SUBJECTS =
      Map.of(
          "0", "Other or undefined status",
          "1", "Addressing status",
          "2", "Mailbox status",
          "3", "Mail system status",
          "4", "Network and routing status",
          "5", "Mail delivery protocol status",
          "6", "Message content or media status",
          "7", "Security or policy status");

  /** subject.detail → meaning, from the IANA registry. */
  static final Map<String, String> IANA = new HashMap<>();

  /** subject.detail → meaning, used by Microsoft Exchange Online / Outlook.com (not registered). */
  static final Map<String, String> VENDOR = new HashMap<>();

  private static void iana(String code, String meaning) {
    IANA.put(code, meaning);
  }

  static {
    iana("0.0", "Other undefined status");
    iana("1.0", "Other address status");
    iana("1.1", "Bad destination mailbox address: the mailbox does not exist");
    iana("1.2", "Bad destination system address: the domain does not exist or accepts no mail");
    iana("1.3", "Bad destination mailbox address syntax");
    iana("1.4", "Destination mailbox address ambiguous");
    iana("1.5", "Destination address valid");
    iana("1.6", "Destination mailbox has moved, no forwarding address");
    iana("1.7", "Bad sender's mailbox address syntax");
    iana("1.8", "Bad sender's system address");
    iana("1.9", "Message relayed to non-compliant mailer");
    iana("1.10", "Recipient address has null MX (RFC 7505)");
    iana("2.0", "Other or undefined mailbox status");
    iana("2.1", "Mailbox disabled, not accepting messages");
    iana("2.2", "Mailbox full");
    iana("2.3", "Message length exceeds administrative limit");
    iana("2.4", "Mailing list expansion problem");
    iana("3.0", "Other or undefined mail system status");
    iana("3.1", "Mail system full");
    iana("3.2", "System not accepting network messages");
    iana("3.3", "System not capable of selected features");
    iana("3.4", "Message too big for system");
    iana("3.5", "System incorrectly configured");
    iana("3.6", "Requested priority was changed");
    iana("4.0", "Other or undefined network or routing status");
    iana("4.1", "No answer from host");
    iana("4.2", "Bad connection");
    iana("4.3", "Directory server failure");
    iana("4.4", "Unable to route");
    iana("4.5", "Mail system congestion");
    iana("4.6", "Routing loop detected");
    iana("4.7", "Delivery time expired");
    iana(
        "4.8",
        "Attempted to relay to an Internet address not permitted by the receiver (RFC 7504 §3)");
    iana("5.0", "Other or undefined protocol status");
    iana("5.1", "Invalid command");
    iana("5.2", "Syntax error");
    iana("5.3", "Too many recipients");
    iana("5.4", "Invalid command arguments");
    iana("5.5", "Wrong protocol version");
    iana("5.6", "Authentication exchange line is too long");
    iana("6.0", "Other or undefined media error");
    iana("6.1", "Media not supported");
    iana("6.2", "Conversion required and prohibited");
    iana("6.3", "Conversion required but not supported");
    iana("6.4", "Conversion with loss performed");
    iana("6.5", "Conversion failed");
    iana("6.6", "Message content not available");
    iana("6.7", "Non-ASCII addresses not permitted for that sender/recipient");
    iana("6.8", "UTF-8 string reply is required, but not permitted by the SMTP client");
    iana("6.9", "UTF-8 header message cannot be transferred to one or more recipients");
    iana("6.10", "Non-ASCII addresses not permitted (duplicate of X.6.7)");
    iana("7.0", "Other or undefined security status");
    iana("7.1", "Delivery not authorized, message refused");
    iana("7.2", "Mailing list expansion prohibited");
    iana("7.3", "Security conversion required but not possible");
    iana("7.4", "Security features not supported");
    iana("7.5", "Cryptographic failure");
    iana("7.6", "Cryptographic algorithm not supported");
    iana("7.7", "Message integrity failure");
    iana("7.8", "Authentication credentials invalid");
    iana("7.9", "Authentication mechanism is too weak");
    iana("7.10", "Encryption needed");
    iana("7.11", "Encryption required for requested authentication mechanism");
    iana("7.12", "A password transition is needed");
    iana("7.13", "User account disabled");
    iana("7.14", "Trust relationship required");
    iana("7.15", "Priority level is too low");
    iana("7.16", "Message is too big for the specified priority");
    iana("7.17", "Mailbox owner has changed");
    iana("7.18", "Domain owner has changed");
    iana("7.19", "RRVS test cannot be completed");
    iana("7.20", "No passing DKIM signature found");
    iana("7.21", "No acceptable DKIM signature found");
    iana("7.22", "No valid author-matched DKIM signature found");
    iana("7.23", "SPF validation failed");
    iana("7.24", "SPF validation error");
    iana("7.25", "Reverse DNS validation failed");
    iana("7.26", "Multiple authentication checks failed");
    iana("7.27", "Sender address has null MX (RFC 7505)");
    iana("7.28", "Mail flood detected");
    iana("7.29", "ARC validation failure");
    iana("7.30", "REQUIRETLS support required");

    VENDOR.put("1.10", "Recipient not found (Microsoft: RESOLVER.ADR.RecipientNotFound)");
    VENDOR.put("1.351", "Recipient address rejected: no such mailbox (Microsoft)");
    VENDOR.put("4.316", "Message expired, the connection was refused (Microsoft)");
    VENDOR.put("4.14", "Hop count exceeded, possible mail loop (Microsoft)");
    VENDOR.put("7.57", "Client was not authenticated to send anonymous mail (Microsoft)");
    VENDOR.put("7.64", "Tenant attribution relay denied (Microsoft)");
    VENDOR.put("7.124", "Sender not in the recipient group's allowed senders list (Microsoft)");
    VENDOR.put("7.133", "Sender not authenticated for the group (Microsoft)");
    VENDOR.put(
        "7.509", "Access denied: the sending domain does not pass DMARC verification (Microsoft)");
    VENDOR.put(
        "7.510",
        "Access denied: the recipient does not accept mail over IPv6 from this sender (Microsoft)");
    VENDOR.put(
        "7.511", "Access denied, banned sender: the sending address or IP is blocked (Microsoft)");
    VENDOR.put("7.512", "Access denied: the message must be RFC 5322 §3.6.2 compliant (Microsoft)");
    VENDOR.put("7.606", "Access denied, banned sending IP (Microsoft)");
    VENDOR.put(
        "7.705",
        "Access denied: the tenant has exceeded its threshold, suspected spam (Microsoft)");
    VENDOR.put(
        "7.708",
        "Service unavailable, access denied: traffic is not accepted from this IP, a new or low-reputation sending IP (Microsoft)");
    VENDOR.put(
        "7.750",
        "Service unavailable: client blocked from sending from unregistered domains (Microsoft)");
  }

  static String meaning(EnhancedStatusCode c) {
    String key = c.subject() + "." + c.detail();
    String m = IANA.get(key);
    if (m == null) {
      m = VENDOR.get(key);
    }
    if (m == null) {
      m =
          SUBJECTS.getOrDefault(Integer.toString(c.subject()), "Unregistered status")
              + " (detail "
              + c.detail()
              + " is not registered)";
    }
    String cls =
        c.isSuccess()
            ? "Success"
            : c.isTransient() ? "Persistent transient failure" : "Permanent failure";
    return cls + ": " + m;
  }

  static boolean registered(EnhancedStatusCode c) {
    return IANA.containsKey(c.subject() + "." + c.detail());
  }

  static String replyMeaning(int code) {
    switch (code) {
      case 211:
        return "System status, or system help reply";
      case 214:
        return "Help message";
      case 220:
        return "Service ready";
      case 221:
        return "Service closing transmission channel";
      case 235:
        return "Authentication succeeded";
      case 250:
        return "Requested mail action okay, completed";
      case 251:
        return "User not local; will forward";
      case 252:
        return "Cannot verify the user, but will accept the message and attempt delivery";
      case 334:
        return "Authentication challenge";
      case 354:
        return "Start mail input";
      case 421:
        return "Service not available, closing transmission channel";
      case 432:
        return "A password transition is needed";
      case 450:
        return "Requested mail action not taken: mailbox unavailable (busy, or temporarily blocked for policy reasons)";
      case 451:
        return "Requested action aborted: local error in processing";
      case 452:
        return "Requested action not taken: insufficient system storage";
      case 454:
        return "Temporary authentication failure, or TLS not available";
      case 455:
        return "Server unable to accommodate parameters";
      case 500:
        return "Syntax error, command unrecognized";
      case 501:
        return "Syntax error in parameters or arguments";
      case 502:
        return "Command not implemented";
      case 503:
        return "Bad sequence of commands";
      case 504:
        return "Command parameter not implemented";
      case 521:
        return "Host does not accept mail (RFC 7504)";
      case 523:
        return "Encryption needed";
      case 530:
        return "Authentication required";
      case 534:
        return "Authentication mechanism is too weak";
      case 535:
        return "Authentication credentials invalid";
      case 538:
        return "Encryption required for requested authentication mechanism";
      case 550:
        return "Requested action not taken: mailbox unavailable (not found, no access, or refused for policy reasons)";
      case 551:
        return "User not local";
      case 552:
        return "Requested mail action aborted: exceeded storage allocation";
      case 553:
        return "Requested action not taken: mailbox name not allowed";
      case 554:
        return "Transaction failed (or, at connection time, no SMTP service here)";
      case 555:
        return "MAIL FROM/RCPT TO parameters not recognized or not implemented";
      case 556:
        return "Domain does not accept mail (RFC 7504)";
      default:
        if (code >= 200 && code < 300) {
          return "Success";
        }
        if (code >= 400 && code < 500) {
          return "Transient negative completion: the sender's server should retry";
        }
        if (code >= 500 && code < 600) {
          return "Permanent negative completion";
        }
        return "Unknown reply code";
    }
  }
}
