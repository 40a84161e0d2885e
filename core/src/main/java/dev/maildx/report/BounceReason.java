package dev.maildx.report;

import java.util.Locale;
import java.util.Optional;

/**
 * Why delivery to one recipient failed or is delayed: the bounce-reason taxonomy established by
 * Sisimai, so that results can be compared with it. {@link #id()} is the taxonomy's name (for
 * example {@code userunknown}); it is also the value written to JSON.
 *
 * <p>{@link #isHard()} says whether the reason is about the recipient address itself, so that
 * retrying the same address is pointless (the address does not exist, its domain does not, it has
 * moved, or the domain accepts no mail).
 */
public enum BounceReason {
  /** The sender's SPF, DKIM or DMARC authentication failed (RFC 7372 codes X.7.20–X.7.26). */
  AUTH_FAILURE("authfailure"),
  /** The sending IP or domain has a bad reputation at the receiver. */
  BAD_REPUTATION("badreputation"),
  /** The sending IP or host is blocked (blocklist, no reverse DNS, policy on the client). */
  BLOCKED("blocked"),
  /** The content was refused (headers, encoding, attachments). */
  CONTENT_ERROR("contenterror"),
  /** The message was delivered (a positive notice). */
  DELIVERED("delivered"),
  /** The message exceeds the recipient's size or count limit (RFC 3463 X.2.3). */
  EXCEED_LIMIT("exceedlimit"),
  /** Delivery was given up after retrying (RFC 3463 X.4.7). */
  EXPIRED("expired"),
  /** An abuse or feedback report, not a delivery failure. */
  FEEDBACK("feedback"),
  /** Refused by a filter at or after the recipient (content or recipient filter). */
  FILTERED("filtered"),
  /** The recipient has moved and left no forwarding address (RFC 3463 X.1.6). */
  HAS_MOVED("hasmoved"),
  /** The recipient's domain does not exist or has no mail server (RFC 3463 X.1.2). */
  HOST_UNKNOWN("hostunknown"),
  /** The recipient's mailbox is full (RFC 3463 X.2.2). */
  MAILBOX_FULL("mailboxfull"),
  /** A local mailer program (pipe, procmail) failed. */
  MAILER_ERROR("mailererror"),
  /** The message is too big for the receiving system (RFC 3463 X.3.4). */
  MESG_TOO_BIG("mesgtoobig"),
  /** A network failure: connection refused or timed out, DNS failure, routing loop (X.4.x). */
  NETWORK_ERROR("networkerror"),
  /** The server refused to relay (RFC 5321 §3.6.2). */
  NO_RELAYING("norelaying"),
  /** The recipient's domain accepts no mail (null MX, RFC 7505; RFC 3463 X.1.10). */
  NOT_ACCEPT("notaccept"),
  /** The message does not comply with the RFCs (RFC 5322 headers, line length, bare LF). */
  NOT_COMPLIANT_RFC("notcompliantrfc"),
  /** Could not be decided; the notice held too little. */
  ON_HOLD("onhold"),
  /** Refused by the receiver's policy (DMARC policy, organisation policy). */
  POLICY_VIOLATION("policyviolation"),
  /** Too many messages or connections in a period: rate limited. */
  RATE_LIMITED("ratelimited"),
  /** The sender (envelope or header From) was refused. */
  REJECTED("rejected"),
  /** The sending IP has no or a mismatched reverse DNS (PTR) record. */
  REQUIRE_PTR("requireptr"),
  /** A security failure: TLS required or failed, authentication required (RFC 3463 X.7.x). */
  SECURITY_ERROR("securityerror"),
  /** Refused as spam. */
  SPAM_DETECTED("spamdetected"),
  /** The recipient is on the sender's own suppression list (for example Amazon SES). */
  SUPPRESSED("suppressed"),
  /** The recipient's mailbox is disabled or suspended (RFC 3463 X.2.1). */
  SUSPEND("suspend"),
  /** An SMTP syntax error (RFC 3463 X.5.2). */
  SYNTAX_ERROR("syntaxerror"),
  /** A failure of the receiving system (RFC 3463 X.3.x). */
  SYSTEM_ERROR("systemerror"),
  /** The receiving system's disk is full (RFC 3463 X.3.1). */
  SYSTEM_FULL("systemfull"),
  /** Too many connections from the sender. */
  TOO_MANY_CONN("toomanyconn"),
  /** No reason could be found at all. */
  UNDEFINED("undefined"),
  /** The recipient address does not exist (RFC 3463 X.1.1). */
  USER_UNKNOWN("userunknown"),
  /** An automatic reply (vacation), not a delivery failure. */
  VACATION("vacation"),
  /** Refused because a virus was found. */
  VIRUS_DETECTED("virusdetected");

  private final String id;

  BounceReason(String id) {
    this.id = id;
  }

  /**
   * The taxonomy name.
   *
   * @return for example {@code mailboxfull}
   */
  public String id() {
    return id;
  }

  /**
   * Whether this reason makes a permanent failure a hard bounce: the address itself is bad and
   * retrying it is pointless. {@link #NOT_ACCEPT} is hard only when permanent.
   *
   * @return {@code true} for user unknown, host unknown, has moved and not accept
   */
  public boolean isHard() {
    return this == USER_UNKNOWN || this == HOST_UNKNOWN || this == HAS_MOVED || this == NOT_ACCEPT;
  }

  /**
   * Looks a reason up by its taxonomy name, case-insensitively.
   *
   * @param id for example {@code userunknown}
   * @return the reason, or empty if the name is unknown
   */
  public static Optional<BounceReason> byId(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String s = id.strip().toLowerCase(Locale.ROOT);
    for (BounceReason r : values()) {
      if (r.id.equals(s)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return id;
  }
}
