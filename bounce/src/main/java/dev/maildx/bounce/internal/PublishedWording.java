package dev.maildx.bounce.internal;

import dev.maildx.report.BounceReason;

/**
 * Wording rules with a published source: the descriptions of the status codes (RFC 3463, RFC 7372,
 * RFC 7505), the reply texts of RFC 5321, the bounce-reason definitions that Sisimai documents for
 * each reason ({@code Sisimai::Reason::*}, libsisimai.org/en/reason), and the messages that MTAs
 * and mailbox providers document for their own replies. Each group names its source; a phrase here
 * is general by construction (it says what its source says, in the words the source or the status
 * code's description uses), so no corpus family "shaped" it.
 *
 * <p>A phrase is matched as a substring of folded text, except the {@link ReasonRules#word} rules,
 * which must stand as a whole word ("spam" but not "spamhaus").
 */
final class PublishedWording {
  private PublishedWording() {}

  static final String RFC3463 =
      "RFC 3463 §3 (the enhanced status code's own description) and the IANA registry of "
          + "enhanced status codes";
  static final String RFC5321 = "RFC 5321 §4.2.2 and §4.2.3 (the reply codes' texts)";
  static final String RFC7372 =
      "RFC 7372 §3 (X.7.20-X.7.26: DKIM, SPF and reverse-DNS failures); RFC 7208, RFC 6376, "
          + "RFC 7489 name the mechanisms";
  static final String RFC7505 = "RFC 7505 §4 (null MX), RFC 7504 §3 (521: does not accept mail)";
  static final String SISIMAI =
      "Sisimai v5 reason definitions (Sisimai::Reason::* documentation, libsisimai.org/en/reason)";
  static final String SISIMAI_LISTS =
      "Sisimai's published phrase list of the reason (Sisimai::Reason::*::match, "
          + "lib/Sisimai/Reason/*.pm, BSD-2-Clause; the phrases are facts, not code)";
  static final String RFC4407 =
      "RFC 4407 §2 (the Purported Responsible Address is the sender's, taken from the "
          + "header: a refusal over it is about the sender)";
  static final String TENCENT =
      "Tencent QQ Mail / Exmail bounce-code help pages (service.mail.qq.com/cgi-bin/help?subtype=1"
          + "&id=20022&no=1000725 and neighbours; code list also at smtp.codes/qq)";
  static final String RFC5782 =
      "RFC 5782 (DNS blocklists) and the lists' own query pages (Spamhaus, SpamCop, SORBS, "
          + "Barracuda)";
  static final String GMAIL = "Gmail SMTP error reference (support.google.com/a/answer/3726730)";
  static final String MICROSOFT =
      "Exchange Online NDR reference (learn.microsoft.com/exchange/mail-flow-best-practices/"
          + "non-delivery-reports-in-exchange-online)";
  static final String POSTFIX =
      "Postfix documentation (postconf(5): reject_unauth_destination, "
          + "reject_unknown_client_hostname, reject_unknown_sender_domain; bounce(5))";
  static final String EXIM = "Exim specification (routers: 'Unrouteable address'; retry rules)";
  static final String SENDMAIL = "Sendmail Installation and Operation Guide (its DSN texts)";
  static final String QMAIL = "qmail documentation (qmail-smtpd(8) rcpthosts, qmail-remote(8))";
  static final String GOOGLE_GROUPS =
      "Google Groups Help, 'Fix problems posting messages' (the group may not exist or you may not "
          + "have permission to post)";
  static final String ERRNO =
      "POSIX strerror texts (ETIMEDOUT, ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ENOSPC) and "
          + "getaddrinfo(3) (EAI_AGAIN, EAI_NONAME)";

  /** Registers every published group, in the order the reasons' phrases are tried. */
  static void register() {
    statusDescriptions();
    replyTexts();
    definitions();
    causeDefinitions();
    providers();
    mtas();
    sisimaiLists();
  }

  /**
   * Phrases from Sisimai's own per-reason lists, each read in that list and kept only where the
   * phrase says the reason in so many words (relay, authentication, no MX, a locked mailbox).
   */
  private static void sisimaiLists() {
    ReasonRules.sourced(
        SISIMAI_LISTS, BounceReason.NO_RELAYING, "insecure mail relay", "we don't handle mail for");
    ReasonRules.sourced(
        SISIMAI_LISTS,
        BounceReason.SECURITY_ERROR,
        "unauthenticated senders not allowed",
        "authentication required");
    ReasonRules.sourced(SISIMAI_LISTS, BounceReason.NOT_ACCEPT, "no mx record found for domain");
    ReasonRules.sourced(
        SISIMAI_LISTS,
        BounceReason.SUSPEND,
        "temporary locked",
        "is currently suspended",
        "mailbox is frozen");
    // filtered: the recipient's own settings refused the message (Sisimai's Filtered list).
    ReasonRules.sourced(
        SISIMAI_LISTS, BounceReason.FILTERED, "refused due to recipient preferences");
    ReasonRules.sourced(RFC4407, BounceReason.REJECTED, "purported responsible address");
    // QQ: the sending IP's connection or mail frequency exceeded its limit (blocked for minutes to
    // a day); a sender's or a domain's frequency is the sending rate of that sender.
    ReasonRules.sourced(
        TENCENT,
        BounceReason.TOO_MANY_CONN,
        "ip frequency limited",
        "connection frequency limited");
    ReasonRules.sourced(
        TENCENT, BounceReason.RATE_LIMITED, "sender frequency limited", "domain frequency limited");
  }

  /** The descriptions of the enhanced status codes (RFC 3463 §3.2-§3.9, RFC 7372, RFC 7505). */
  private static void statusDescriptions() {
    // X.1.1 "Bad destination mailbox address: the mailbox specified in the address does not exist"
    ReasonRules.sourced(
        RFC3463,
        BounceReason.USER_UNKNOWN,
        "bad destination mailbox",
        "mailbox does not exist",
        "address does not exist",
        "user does not exist",
        "account does not exist");
    // X.1.2 "Bad destination system address"; X.4.4 "Unable to route" (DNS lookup failure).
    ReasonRules.sourced(
        RFC3463, BounceReason.HOST_UNKNOWN, "bad destination system address", "unable to route");
    // X.1.6 "Destination mailbox has moved, No forwarding address"
    ReasonRules.sourced(
        RFC3463, BounceReason.HAS_MOVED, "has moved", "has been moved", "no forwarding address");
    // X.2.1 "Mailbox disabled, not accepting messages"; X.7.13 "User Account Disabled"
    ReasonRules.sourced(
        RFC3463,
        BounceReason.SUSPEND,
        "mailbox disabled",
        "mailbox is disabled",
        "account disabled",
        "account is disabled",
        "account has been disabled");
    // X.2.2 "Mailbox full: ... exceeded a per-mailbox administrative quota or physical capacity"
    ReasonRules.sourced(
        RFC3463,
        BounceReason.MAILBOX_FULL,
        "mailbox full",
        "mailbox is full",
        "over quota",
        "overquota",
        "quota exceeded",
        "exceeded quota",
        "exceeded its quota",
        "exceeds quota",
        "disk quota",
        "storage quota",
        "mailbox quota",
        "mailbox exceeded",
        "mailbox exceeds",
        "mailbox has exceeded");
    // X.2.3 "Message length exceeds administrative limit"
    ReasonRules.sourced(
        RFC3463,
        BounceReason.EXCEED_LIMIT,
        "exceeds administrative limit",
        "exceeded administrative limit");
    // X.3.1 "Mail system full"; X.3.2 "System not accepting network messages"
    ReasonRules.sourced(RFC3463, BounceReason.SYSTEM_FULL, "mail system full");
    ReasonRules.sourced(RFC3463, BounceReason.NOT_ACCEPT, "not accepting network messages");
    // X.3.4 "Message too big for system: larger than a per-message size limit"
    ReasonRules.sourced(
        RFC3463,
        BounceReason.MESG_TOO_BIG,
        "too big for system",
        "message too big",
        "message is too big",
        "message too large",
        "message is too large",
        "message size exceeds",
        "size limit",
        "size exceeds",
        "exceeds the maximum size",
        "maximum message size");
    // X.4.1 "No answer from host", X.4.2 "Bad connection", X.4.6 "Routing loop detected"
    ReasonRules.sourced(
        RFC3463,
        BounceReason.NETWORK_ERROR,
        "no answer from host",
        "bad connection",
        "routing loop",
        "mail loop");
    // X.4.7 "Delivery time expired"
    ReasonRules.sourced(
        RFC3463,
        BounceReason.EXPIRED,
        "delivery time expired",
        "message expired",
        "envelope expired");
    // X.5.2 "Syntax error"; X.6.0 "Other or undefined media error"
    ReasonRules.sourced(RFC3463, BounceReason.SYNTAX_ERROR, "syntax error");
    ReasonRules.sourced(RFC3463, BounceReason.CONTENT_ERROR, "media error");
    // X.7.25 "Reverse DNS validation failed"; X.7.20-X.7.24, X.7.26 authentication failures.
    ReasonRules.sourced(
        RFC7372, BounceReason.REQUIRE_PTR, "reverse dns", "ptr record", "reverse lookup");
    ReasonRules.word(RFC7372, BounceReason.REQUIRE_PTR, "ptr", "rdns", "fcrdns");
    ReasonRules.sourced(
        RFC7372,
        BounceReason.AUTH_FAILURE,
        "authentication checks failed",
        "multiple authentication checks failed",
        "sender policy framework",
        "domainkeys");
    ReasonRules.word(RFC7372, BounceReason.AUTH_FAILURE, "spf", "dkim", "dmarc");
    ReasonRules.sourced(
        RFC7505, BounceReason.NOT_ACCEPT, "null mx", "does not accept mail", "accepts no mail");
  }

  /** RFC 5321 §4.2.2 and §4.2.3 reply texts. */
  private static void replyTexts() {
    // 550 "Requested action not taken: mailbox unavailable"; 551 "User not local"; 553 "mailbox
    // name not allowed"
    ReasonRules.sourced(
        RFC5321,
        BounceReason.USER_UNKNOWN,
        "mailbox unavailable",
        "mailbox name not allowed",
        "user not local");
    // 552 "Requested mail action aborted: exceeded storage allocation"
    ReasonRules.sourced(RFC5321, BounceReason.MAILBOX_FULL, "exceeded storage allocation");
    // 452 "Requested action not taken: insufficient system storage"
    ReasonRules.sourced(RFC5321, BounceReason.SYSTEM_FULL, "insufficient system storage");
    // 451 "local error in processing"; 554 "Transaction failed"; 421 "Service not available"
    ReasonRules.sourced(
        RFC5321,
        BounceReason.SYSTEM_ERROR,
        "local error in processing",
        "transaction failed",
        "service not available",
        "service unavailable",
        "currently unavailable");
    // 500 "Syntax error, command unrecognized"
    ReasonRules.sourced(
        RFC5321, BounceReason.SYNTAX_ERROR, "command unrecognized", "unrecognized command");
  }

  /** Sisimai v5's published definition of each reason, in the words the definitions use. */
  private static void definitions() {
    // userunknown: "a local part of the recipient's email address does not exist"
    ReasonRules.sourced(
        SISIMAI,
        BounceReason.USER_UNKNOWN,
        "user unknown",
        "unknown user",
        "no such user",
        "no such mailbox",
        "no such recipient",
        "unknown recipient",
        "recipient unknown",
        "recipient not found",
        "user not found",
        "mailbox not found",
        "unknown mailbox",
        "invalid recipient",
        "invalid mailbox",
        "no mailbox",
        "user doesn't exist",
        "mailbox doesn't exist",
        "address doesn't exist");
    // hostunknown: "the domain part of the recipient's address does not exist"
    ReasonRules.sourced(
        SISIMAI,
        BounceReason.HOST_UNKNOWN,
        "host unknown",
        "unknown host",
        "host not found",
        "domain not found",
        "domain does not exist",
        "domain doesn't exist",
        "no such domain",
        "unknown domain",
        "domain unknown",
        "nxdomain");
    // norelaying: "relaying was denied"
    ReasonRules.sourced(
        SISIMAI,
        BounceReason.NO_RELAYING,
        "relay access denied",
        "relaying denied",
        "relay denied",
        "relay not permitted",
        "relaying not allowed",
        "relay not allowed",
        "unable to relay",
        "not permitted to relay",
        "not allowed to relay",
        "we do not relay",
        "cannot relay",
        "can't relay",
        "relay prohibited",
        "no relaying",
        "as a relay");
  }

  /** Sisimai v5's definitions of the reasons that name a cause other than the address. */
  private static void causeDefinitions() {
    // spamdetected: "rejected by a spam filter"; virusdetected: "a virus was found in the message"
    ReasonRules.word(SISIMAI, BounceReason.SPAM_DETECTED, "spam", "junk", "ube", "unsolicited");
    ReasonRules.word(SISIMAI, BounceReason.VIRUS_DETECTED, "virus", "malware", "infected");
    // blocked: "rejected due to the client's IP address or host name" (incl. DNS blocklists)
    ReasonRules.sourced(
        RFC5782,
        BounceReason.BLOCKED,
        "blacklist",
        "black list",
        "blocklist",
        "block list",
        "blocked using",
        "dnsbl",
        "spamhaus",
        "spamcop",
        "sorbs",
        "barracudacentral",
        // a host listed as an open relay (the ORBS/ORDB-style lists) is refused itself
        "is an open relay",
        "listed as an open relay");
    ReasonRules.word(RFC5782, BounceReason.BLOCKED, "rbl");
    // mailererror: "a mailer program exited with an error"; systemfull; ratelimited; toomanyconn
    ReasonRules.sourced(
        SISIMAI, BounceReason.MAILER_ERROR, "mailer error", "unknown mailer", "mailer failed");
    ReasonRules.sourced(SISIMAI, BounceReason.SYSTEM_FULL, "disk full", "disk is full");
    ReasonRules.sourced(
        SISIMAI,
        BounceReason.RATE_LIMITED,
        "rate limit",
        "ratelimit",
        "rate-limit",
        "too many messages");
    ReasonRules.sourced(
        SISIMAI,
        BounceReason.TOO_MANY_CONN,
        "too many connections",
        "connection rate limit",
        "too many concurrent",
        "too many simultaneous");
    // policyviolation: "rejected due to a policy"; notcompliantrfc: "not compliant with RFC 5322"
    ReasonRules.sourced(
        SISIMAI,
        BounceReason.POLICY_VIOLATION,
        "policy violation",
        "violates policy",
        "violation of policy",
        "local policy",
        "denied by policy",
        "rejected by policy",
        "against policy");
    ReasonRules.sourced(
        SISIMAI,
        BounceReason.NOT_COMPLIANT_RFC,
        "rfc 5322",
        "rfc5322",
        "rfc 2822",
        "rfc2822",
        "not rfc",
        "rfc compliant",
        "duplicate header",
        "line limit exceeded",
        "line too long",
        "bare lf");
    // suspend: "the mailbox is suspended or disabled"; securityerror: TLS and SMTP AUTH
    ReasonRules.sourced(
        SISIMAI,
        BounceReason.SUSPEND,
        "account suspended",
        "account is suspended",
        "account has been suspended",
        "mailbox suspended",
        "suspended account",
        "is disabled",
        "has been disabled",
        "is inactive",
        "inactive account",
        "account inactive",
        "account is inactive",
        "deactivated",
        "is frozen",
        "account is locked");
    // securityerror: RFC 3207 (530 "Must issue a STARTTLS command first") and RFC 4954 (530 5.7.0
    // "Authentication required", X.7.8 "Authentication credentials invalid")
    ReasonRules.sourced(
        SISIMAI,
        BounceReason.SECURITY_ERROR,
        "must issue a starttls",
        "tls required",
        "support tls",
        "authentication required",
        "authentication is required",
        "must authenticate",
        "credentials invalid");
  }

  /** Providers' published reply texts. */
  private static void providers() {
    ReasonRules.sourced(
        GMAIL,
        BounceReason.USER_UNKNOWN,
        "the email account that you tried to reach does not exist",
        "address not found");
    ReasonRules.sourced(
        GMAIL,
        BounceReason.SUSPEND,
        "you tried to reach is disabled",
        "you tried to reach is inactive");
    ReasonRules.sourced(
        GMAIL, BounceReason.MAILBOX_FULL, "out of storage space", "inbox is out of storage");
    ReasonRules.sourced(
        GMAIL, BounceReason.HOST_UNKNOWN, "domain couldn't be found", "domain could not be found");
    ReasonRules.sourced(
        GMAIL,
        BounceReason.AUTH_FAILURE,
        "does not have authentication information",
        "fails to pass authentication checks",
        "sender is unauthenticated",
        "unauthenticated email",
        "is unauthenticated");
    ReasonRules.sourced(
        GMAIL,
        BounceReason.NOT_COMPLIANT_RFC,
        "multiple addresses in from",
        "not rfc 5322 compliant");
    ReasonRules.sourced(
        GMAIL,
        BounceReason.POLICY_VIOLATION,
        "content presents a potential security issue",
        "content presents a potential");
    ReasonRules.sourced(
        GMAIL,
        BounceReason.RATE_LIMITED,
        "receiving mail at a rate",
        "unusual rate of unsolicited mail");
    ReasonRules.sourced(
        GMAIL, BounceReason.BLOCKED, "not authorized to send email directly to our servers");
    ReasonRules.sourced(
        MICROSOFT,
        BounceReason.USER_UNKNOWN,
        "recipnotfound",
        "recipientnotfound",
        "recipient not found by smtp address lookup");
    ReasonRules.sourced(
        MICROSOFT, BounceReason.BLOCKED, "banned sending ip", "traffic not accepted from this ip");
    ReasonRules.sourced(
        MICROSOFT,
        BounceReason.AUTH_FAILURE,
        "does not pass dmarc",
        "required authentication level");
    ReasonRules.sourced(
        GOOGLE_GROUPS, BounceReason.REJECTED, "permission to post", "groups.google.com/support");
  }

  /** Messages that MTAs document for their own replies and notices. */
  private static void mtas() {
    ReasonRules.sourced(
        POSTFIX, BounceReason.NO_RELAYING, "relay access denied", "not configured to relay");
    ReasonRules.sourced(
        POSTFIX,
        BounceReason.REQUIRE_PTR,
        "cannot find your hostname",
        "cannot find your reverse hostname");
    ReasonRules.sourced(
        POSTFIX,
        BounceReason.REJECTED,
        "sender address rejected",
        "domain of sender address",
        "sender verify failed");
    ReasonRules.sourced(POSTFIX, BounceReason.BLOCKED, "client host rejected");
    ReasonRules.sourced(
        POSTFIX, BounceReason.HOST_UNKNOWN, "host or domain name not found", "host not found");
    ReasonRules.sourced(
        POSTFIX, BounceReason.NETWORK_ERROR, "malformed or unexpected name server reply");
    ReasonRules.sourced(POSTFIX, BounceReason.SYSTEM_ERROR, "queue file write error");
    ReasonRules.sourced(
        EXIM, BounceReason.HOST_UNKNOWN, "unrouteable address", "unrouteable mail domain");
    ReasonRules.sourced(
        EXIM,
        BounceReason.EXPIRED,
        "retry timeout exceeded",
        "retry time not reached for any host");
    ReasonRules.sourced(EXIM, BounceReason.NOT_ACCEPT, "indicated no smtp service");
    ReasonRules.sourced(
        SENDMAIL,
        BounceReason.NETWORK_ERROR,
        "host name lookup failure",
        "deferred: connection refused",
        "deferred: connection timed out");
    ReasonRules.sourced(SENDMAIL, BounceReason.HOST_UNKNOWN, "host unknown (name server");
    ReasonRules.sourced(QMAIL, BounceReason.NO_RELAYING, "rcpthosts");
    ReasonRules.sourced(QMAIL, BounceReason.USER_UNKNOWN, "no mailbox here by that name");
    ReasonRules.sourced(QMAIL, BounceReason.EXPIRED, "been in the queue too long");
    ReasonRules.sourced(
        ERRNO,
        BounceReason.NETWORK_ERROR,
        "connection timed out",
        "timed out",
        "connection refused",
        "no route to host",
        "network is unreachable",
        "host is unreachable",
        "connection reset",
        "temporary failure in name resolution",
        "servfail",
        "host not found, try again");
    ReasonRules.sourced(ERRNO, BounceReason.HOST_UNKNOWN, "name or service not known");
    ReasonRules.sourced(ERRNO, BounceReason.SYSTEM_FULL, "no space left");
  }
}
