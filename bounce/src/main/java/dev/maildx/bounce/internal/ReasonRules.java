package dev.maildx.bounce.internal;

import dev.maildx.report.BounceReason;
import dev.maildx.report.EnhancedStatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The classification rules: what an enhanced status code, an SMTP reply code and the wording of a
 * diagnostic each say about the reason, and how they are combined.
 *
 * <p>Wording is matched on lower-cased text with runs of white space collapsed, by plain substring
 * search (no backtracking regular expressions: hostile text cannot make this slow). Phrases are
 * grouped by reason and tried in the order below, which puts the specific causes (authentication,
 * reverse DNS, spam, virus, rate limits) before the generic ones ("rejected", "not allowed").
 */
public final class ReasonRules {
  private ReasonRules() {}

  /** A reason with where it came from and how specific it is. */
  public record Vote(BounceReason reason, String basis, int strength) {}

  /** Strength of a code whose meaning names one reason unambiguously. */
  static final int STRONG = 3;

  /** Strength of wording that names the cause. */
  static final int TEXT = 2;

  /** Strength of generic codes (x.0.0, x.7.1, 550, 554). */
  static final int WEAK = 1;

  @SuppressWarnings("ArrayRecordComponent") // never compared; a private table of phrases
  private record Rule(BounceReason reason, String[] phrases, String source) {}

  /** The source of a phrase written from corpus files, with no published source behind it. */
  public static final String CORPUS = "";

  static final String DNS_SOURCE =
      "the texts of a failed DNS lookup: Postfix ('Name service error'), Sendmail ('Host name "
          + "lookup failure'), getaddrinfo(3) EAI_AGAIN, Gmail's 'DNS Error'";
  static final String YAHOO_SOURCE =
      "Yahoo Sender Hub SMTP error codes ('554 delivery error: dd This user doesn't have a "
          + "yahoo.com account')";

  /** Phrases (of any rule) that must stand as whole words. */
  private static final java.util.Set<String> WORDS = new java.util.HashSet<>();

  /** Phrases that have a published source (a corpus rule repeating one is dropped). */
  private static final java.util.Set<String> SOURCED = new java.util.HashSet<>();

  /** A wording rule with a published source. */
  static void sourced(String source, BounceReason r, String... phrases) {
    RULES.add(new Rule(r, phrases, source));
    BY_REASON.computeIfAbsent(r, k -> new ArrayList<>()).addAll(List.of(phrases));
    SOURCED.addAll(List.of(phrases));
  }

  /** A wording rule with a published source whose phrases must stand as whole words. */
  static void word(String source, BounceReason r, String... words) {
    WORDS.addAll(List.of(words));
    sourced(source, r, words);
  }

  private static final List<Rule> RULES = new ArrayList<>();

  private static final java.util.Map<BounceReason, List<String>> BY_REASON =
      new java.util.EnumMap<>(BounceReason.class);

  private static void rule(BounceReason r, String... given) {
    String[] phrases =
        java.util.Arrays.stream(given).filter(p -> !SOURCED.contains(p)).toArray(String[]::new);
    RULES.add(new Rule(r, phrases, CORPUS));
    BY_REASON.computeIfAbsent(r, k -> new ArrayList<>()).addAll(List.of(phrases));
  }

  /**
   * Wording that names a nonexistent account whatever the SMTP stage: Yahoo accepts every recipient
   * at RCPT TO and refuses unknown ones only after DATA, with "554 delivery error: dd This user
   * doesn't have a &lt;domain&gt; account" (its published error list). After DATA this is the
   * provider's design, not a content filter.
   */
  private static final String[] USER_UNKNOWN_ANY_STAGE = {"this user doesn't have a"};

  /** The first phrase naming a nonexistent account at any SMTP stage, or null. */
  static @Nullable String userUnknownAtAnyStage(String folded) {
    for (String p : USER_UNKNOWN_ANY_STAGE) {
      int at = has(folded, p) ? folded.indexOf(p) : -1;
      if (at >= 0 && folded.indexOf(" account", at + p.length()) > 0) {
        return p + " ... account";
      }
    }
    return null;
  }

  /** Wording that names a failure of the name service (not of the connection). */
  private static final String[] DNS_FAILURE = {
    "host name lookup failure",
    "name service error",
    "temporary failure in name resolution",
    "dns error",
    "dns lookup failed",
    "name server failure",
    "nameserver failure"
  };

  /** The first phrase naming a DNS failure, or null. */
  static @Nullable String dnsFailure(String folded) {
    for (String p : DNS_FAILURE) {
      if (has(folded, p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Wording of a DNS lookup that failed for now, not of a name that does not exist: RFC 1035 §4.1.1
   * RCODE 2 (SERVFAIL), getaddrinfo(3) EAI_AGAIN ("Temporary failure in name resolution"),
   * Postfix's text for a TRY_AGAIN answer ("Host not found, try again").
   */
  private static final String[] TRANSIENT_DNS = {
    "servfail", "temporary failure in name resolution", "host not found, try again", "dns timeout"
  };

  /** The first phrase naming a transient DNS failure, or null. */
  static @Nullable String transientDns(String folded) {
    for (String p : TRANSIENT_DNS) {
      if (has(folded, p)) {
        return p;
      }
    }
    return null;
  }

  /** Wording that says a filter refused the message, weighed only when nothing else decided. */
  static final String[] LATE_FILTERED = {"rejected by a remote mail server"};

  /**
   * Phrases withheld on this thread: the cross-validation of the corpus test scores each family of
   * bounces without the phrases that only its own files could have suggested. Empty in normal use.
   */
  private static final ThreadLocal<java.util.Set<String>> WITHHELD =
      ThreadLocal.withInitial(java.util.Set::of);

  /**
   * Runs {@code body} on this thread as if the given phrases were not in the rules (for measuring
   * how the rules do on mail they were not written from).
   */
  public static <T> T without(java.util.Set<String> phrases, java.util.function.Supplier<T> body) {
    java.util.Set<String> before = WITHHELD.get();
    WITHHELD.set(java.util.Set.copyOf(phrases));
    try {
      return body.get();
    } finally {
      WITHHELD.set(before);
    }
  }

  /** Whether a phrase or a provider code scheme is withheld on this thread. */
  static boolean isWithheld(String key) {
    return WITHHELD.get().contains(key);
  }

  /** Whether the phrase is a whole-word rule. */
  public static boolean isWord(String phrase) {
    return WORDS.contains(phrase);
  }

  /** Whether the phrase occurs in folded text and is not withheld. */
  static boolean has(String folded, String phrase) {
    if (WITHHELD.get().contains(phrase)) {
      return false;
    }
    return WORDS.contains(phrase) ? containsWord(folded, phrase) : folded.contains(phrase);
  }

  /**
   * Whether {@code w} occurs in text as a word of its own: no letter, digit or hyphen right before
   * or after it ("spam" but not "spamhaus", "x-spam-flag"; "dkim" but not the header name
   * "dkim-signature").
   */
  static boolean containsWord(String text, String w) {
    return wordAt(text, w) >= 0;
  }

  /** Where {@code w} first occurs as a word of its own, or -1. */
  static int wordAt(String text, String w) {
    for (int at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
      int end = at + w.length();
      if ((at == 0 || !wordChar(text.charAt(at - 1)))
          && (end >= text.length() || !wordChar(text.charAt(end)))) {
        return at;
      }
    }
    return -1;
  }

  private static boolean wordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '_';
  }

  /** Where the first phrase of reason {@code r} occurs in folded text, or -1. */
  static int position(String folded, BounceReason r) {
    List<String> ps = BY_REASON.get(r);
    int best = -1;
    if (ps == null) {
      return best;
    }
    for (String p : ps) {
      if (WITHHELD.get().contains(p)) {
        continue;
      }
      int at = WORDS.contains(p) ? wordAt(folded, p) : folded.indexOf(p);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
      }
    }
    return best;
  }

  /** One wording rule: a phrase, the reason it names, and its published source (or none). */
  public record Phrase(BounceReason reason, String phrase, String source) {}

  /** Every wording rule, in the order they are tried within each reason. */
  public static List<Phrase> inventory() {
    List<Phrase> all = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Rule r : RULES) {
      for (String p : r.phrases) {
        if (seen.add(r.reason + " " + p)) {
          all.add(new Phrase(r.reason, p, r.source));
        }
      }
    }
    for (String p : DNS_FAILURE) {
      all.add(new Phrase(BounceReason.NETWORK_ERROR, p, DNS_SOURCE));
    }
    for (String p : TRANSIENT_DNS) {
      all.add(new Phrase(BounceReason.NETWORK_ERROR, p, DNS_SOURCE));
    }
    for (String p : USER_UNKNOWN_ANY_STAGE) {
      all.add(new Phrase(BounceReason.USER_UNKNOWN, p, YAHOO_SOURCE));
    }
    for (String p : LATE_FILTERED) {
      all.add(new Phrase(BounceReason.FILTERED, p, CORPUS));
    }
    return all;
  }

  /** The first phrase of reason {@code r} that occurs in folded text, or null. */
  public static @Nullable String match(String folded, BounceReason r) {
    List<String> ps = BY_REASON.get(r);
    if (ps == null || folded.isEmpty()) {
      return null;
    }
    for (String p : ps) {
      if (has(folded, p)) {
        return p;
      }
    }
    return null;
  }

  static {
    PublishedWording.register();
    rule(
        BounceReason.NO_RELAYING,
        "relay access denied",
        "relaying denied",
        "relay denied",
        "relay not permitted",
        "relaying not allowed",
        "unable to relay",
        "not permitted to relay",
        "we do not relay",
        "relay not allowed",
        "no relaying",
        "relaying denied",
        "not allowed to relay",
        "relay prohibited",
        "relay rejected",
        "cannot relay",
        "can't relay",
        "is not a gateway",
        "relaying mail to",
        "not a relay",
        "open relay not allowed",
        "open relay is not allowed",
        "relay access");
    rule(
        BounceReason.SPAM_DETECTED,
        "content rejected",
        "ube",
        "uribl",
        "spam classification",
        "due to spam",
        "because of spam");
    rule(BounceReason.SECURITY_ERROR, "authentication required", "must authenticate");
    rule(
        BounceReason.EXPIRED,
        "giving up",
        "gave up",
        "retry timeout exceeded",
        "envelope expired",
        "message expired",
        "could not deliver for the last",
        "queue lifetime",
        "too long in queue",
        "been in the queue too long",
        "delivery time expired",
        "delivery period expired",
        "maximum queue time",
        "has expired",
        "time limit exceeded");
    rule(
        BounceReason.REJECTED,
        "permission to post",
        "not allowed to post",
        "not a member of the list",
        "only members can post",
        "posting is restricted");
    rule(
        BounceReason.REJECTED,
        "sender address rejected",
        "sender verify failed",
        "domain of sender address",
        "sender domain must exist",
        "sender domain not found");
    rule(
        BounceReason.AUTH_FAILURE,
        "does not pass dmarc",
        "dmarc policy",
        "dmarc verification",
        "failed dmarc",
        "dmarc check",
        "dmarc fail",
        "spf check failed",
        "spf validation failed",
        "spf fail",
        "spf: fail",
        "sender policy framework",
        "not authorized by spf",
        "is not allowed to send mail from",
        "multiple authentication checks failed",
        "authentication checks failed",
        "dkim signature",
        "dkim check",
        "dkim validation",
        "unauthenticated email",
        "is unauthenticated",
        "message is not authenticated",
        "does not have authentication information",
        "fails to pass authentication checks",
        "sender authentication failed");
    rule(BounceReason.NETWORK_ERROR, "malformed or unexpected name server reply");
    rule(BounceReason.REJECTED, "all recipient addresses rejected");
    rule(BounceReason.SYSTEM_ERROR, "transaction failed", "queue file write error");
    rule(BounceReason.BAD_REPUTATION, "unexpected volume or user complaints");
    rule(BounceReason.SUSPEND, "temporarily locked");
    rule(BounceReason.NO_RELAYING, "not configured to relay", "not configured to accept mail for");
    rule(BounceReason.EXPIRED, "failed attempts");
    rule(BounceReason.SECURITY_ERROR, "support tls");
    rule(
        BounceReason.NOT_COMPLIANT_RFC,
        "multiple addresses in from",
        "not rfc 5322 compliant",
        "not rfc5322 compliant");
    rule(
        BounceReason.USER_UNKNOWN,
        "address not found",
        "address couldn't be found",
        "couldn't be found",
        "could not be found");
    rule(BounceReason.BLOCKED, "service refuse");
    // "no access from mail server [192.0.2.55] which is an open relay": the sending host itself is
    // listed as an open
    // relay (an ORBS-style blocklist), so it is refused; not a refusal to relay for it.
    rule(BounceReason.BLOCKED, "is listed as an open relay", "is an open relay");
    rule(
        BounceReason.REQUIRE_PTR,
        "reverse dns",
        "ptr record",
        "reverse lookup",
        "reverse mapping",
        "rdns",
        "no rdns",
        "cannot find your hostname",
        "can't find your hostname",
        "client host rejected: cannot find your",
        "cannot resolve your address",
        "unresolvable address",
        "fcrdns",
        "reverse dns validation failed",
        "invalid ptr",
        "host name does not match",
        "does not have a valid dns name");
    rule(
        BounceReason.VIRUS_DETECTED,
        "virus found",
        "contains a virus",
        "infected with",
        "malware detected",
        "virus was detected",
        "message contains malware",
        "a virus",
        "virus ");
    rule(
        BounceReason.SPAM_DETECTED,
        "detected as spam",
        "considered spam",
        "classified as spam",
        "looks like spam",
        "identified as spam",
        "message looks like spam",
        "spam content",
        "spam message",
        "is spam",
        "likely spam",
        "spamassassin",
        "spam score",
        "content filter rejection",
        "unsolicited",
        "bulk mail",
        "junk mail",
        "message is junk",
        "high probability of being spam",
        "suspected spam",
        "spam-like",
        "as spam",
        "spam rejected",
        "spam not accepted",
        "our filters rate",
        "rejected by spam",
        "spam filter",
        "spam policy",
        "message filtered as spam",
        "this message has been blocked because it contains spam");
    rule(
        BounceReason.RATE_LIMITED,
        "rate limit",
        "ratelimit",
        "rate-limit",
        "too many messages",
        "too many emails",
        "sending rate",
        "daily sending quota",
        "quota exceeded for sender",
        "sending limit",
        "temporarily deferred due to user complaints",
        "has exceeded the max emails per hour",
        "exceeded the maximum number of messages",
        "receiving mail at a rate",
        "unusual rate of unsolicited mail",
        "mail flood",
        "throttl",
        "too many mails",
        "please slow down",
        "try again later, closing connection",
        "you have reached your daily",
        "sent too many");
    rule(BounceReason.TOO_MANY_CONN, "too many recipients", "recipient limit");
    rule(
        BounceReason.TOO_MANY_CONN,
        "too many connections",
        "too many concurrent",
        "too many simultaneous",
        "connection limit",
        "too many smtp sessions",
        "too many sessions",
        "maximum number of connections");
    rule(
        BounceReason.BAD_REPUTATION,
        "bad reputation",
        "poor reputation",
        "low reputation",
        "ip reputation",
        "sender reputation",
        "reputation of",
        "domain reputation",
        "reputation too low");
    rule(
        BounceReason.BLOCKED,
        "blacklist",
        "black list",
        "blocklist",
        "block list",
        "blocked using",
        "listed on",
        "is listed",
        "spamhaus",
        "spamcop",
        "sorbs",
        "barracudacentral",
        "dnsbl",
        "rbl",
        "client host rejected",
        "your ip",
        "your ip address",
        "ip address has been blocked",
        "connections from your ip",
        "banned sending ip",
        "has been blocked",
        "is blocked",
        "ip blocked",
        "connection rejected",
        "poor reputation",
        "not accepted from this ip",
        "messages from 1",
        "messages from 3",
        "messages from 4",
        "messages from 5",
        "messages from 6",
        "messages from 7",
        "messages from 8",
        "messages from 9",
        "weren't sent",
        "dial-up",
        "dynamic ip",
        "dynamic address",
        "please use the smtp server of your isp",
        "please use your isp",
        "use your provider's smtp",
        "not allowed to connect",
        "refused to talk to me",
        "service unavailable, client host",
        "you are not allowed to connect",
        "sender ip",
        "ip not allowed",
        "your network",
        "your host",
        "banned",
        "denied by policy: ip",
        "mail from your location",
        "traffic not accepted",
        "has been temporarily blocked");
    rule(
        BounceReason.SUSPEND,
        "you tried to reach is disabled",
        "you tried to reach is inactive",
        "account is frozen",
        "is disabled",
        "is inactive",
        "has been disabled",
        "has been deactivated");
    rule(
        BounceReason.SUSPEND,
        "account disabled",
        "account is disabled",
        "account has been disabled",
        "disabled account",
        "mailbox disabled",
        "mailbox is disabled",
        "mailbox has been disabled",
        "account suspended",
        "account is suspended",
        "suspended account",
        "mailbox suspended",
        "mailbox is inactive",
        "account inactive",
        "account is inactive",
        "inactive account",
        "inactive user",
        "user is inactive",
        "mailbox unavailable: inactive",
        "account has been frozen",
        "account is frozen",
        "account expired",
        "account has expired",
        "account is locked",
        "mailbox is locked",
        "is no longer active",
        "not active",
        "user account disabled",
        "currently suspended",
        "has been suspended",
        "temporarily disabled",
        "recipient suspended",
        "boite du destinataire archivee",
        "account deactivated");
    rule(
        BounceReason.HAS_MOVED,
        "has moved",
        "has been moved",
        "no forwarding address",
        "user has moved");
    rule(
        BounceReason.MAILBOX_FULL,
        "mailbox full",
        "mailbox is full",
        "mailbox full",
        "mail box full",
        "mailbox has exceeded",
        "mailbox exceeded",
        "over quota",
        "overquota",
        "over the quota",
        "quota exceeded",
        "exceeded quota",
        "exceeded the quota",
        "quota exceed",
        "exceeds quota",
        "exceed the quota",
        "user is over",
        "disk quota",
        "storage quota",
        "out of storage",
        "insufficient storage",
        "not enough storage",
        "mailbox size limit",
        "mailbox would exceed",
        "exceeded storage",
        "is full",
        "full mailbox",
        "maildir over quota",
        "too many messages in this mailbox",
        "mailbox exceeds",
        "the recipient's inbox is out of storage space",
        "inbox is full",
        "has exceeded its quota",
        "has exceeded the storage",
        "exceeded its storage",
        "mailbox quota",
        "quota full",
        "storage space",
        "sorry, the mailbox is full",
        "boite du destinataire pleine");
    rule(
        BounceReason.MESG_TOO_BIG,
        "message too big",
        "message is too big",
        "message too large",
        "message is too large",
        "message size exceeds",
        "size exceeds",
        "exceeds size limit",
        "exceeds the size limit",
        "exceeds the maximum size",
        "message size limit",
        "too big for system",
        "message length exceeds",
        "exceeds maximum message size",
        "maximum message size",
        "message too long",
        "size of the message",
        "the message was too big",
        "message exceeds the fixed maximum",
        "attachment too large",
        "larger than the maximum");
    rule(
        BounceReason.EXCEED_LIMIT,
        "exceeds administrative limit",
        "exceeded administrative limit",
        "exceeded the maximum number of recipients",
        "recipient limit");
    rule(
        BounceReason.HOST_UNKNOWN,
        "host unknown",
        "unknown host",
        "host not found",
        "domain not found",
        "domain does not exist",
        "no such domain",
        "unrouteable address",
        "unroutable address",
        "name or service not known",
        "host or domain name not found",
        "nxdomain",
        "unknown domain",
        "domain unknown",
        "mail for this domain",
        "domain name not found",
        "invalid domain",
        "the domain does not exist",
        "domain is not valid",
        "bad destination system address",
        "dns error",
        "domain could not be found",
        "mx lookup failed",
        "domain has no mx",
        "non-existent domain",
        "nonexistent domain",
        "unrouteable mail domain",
        "cannot be resolved",
        "could not be resolved",
        "unknown mail domain");
    rule(
        BounceReason.USER_UNKNOWN,
        "user unknown",
        "unknown user",
        "user not found",
        "no such user",
        "no such mailbox",
        "no such recipient",
        "no such person",
        "no such account",
        "no such address",
        "unknown recipient",
        "recipient unknown",
        "recipient not found",
        "recipientnotfound",
        "invalid recipient",
        "recipient address rejected: user unknown",
        "recipient address rejected: unknown user",
        "recipient address rejected: access denied",
        "recipient address rejected: undeliverable",
        "unknown userid",
        "mailbox unavailable",
        "mailbox not found",
        "mailbox does not exist",
        "mailbox doesn't exist",
        "does not exist",
        "doesn't exist",
        "doesn't have a",
        "not a valid mailbox",
        "invalid mailbox",
        "unknown mailbox",
        "user doesn't exist",
        "user does not exist",
        "address does not exist",
        "email address does not exist",
        "not found in",
        "recipient name is not recognized",
        "is not a known user",
        "no mailbox",
        "unknown or illegal",
        "bad destination mailbox",
        "addressee unknown",
        "account does not exist",
        "account not found",
        "unknown account",
        "no account",
        "invalid address",
        "address unknown",
        "unknown address",
        "is not a valid",
        "not a valid recipient",
        "recipient is not valid",
        "rejected: user",
        "user invalid",
        "invalid user",
        "we do not relay",
        "no longer available",
        "isn't a valid",
        "does not have an account",
        "this account does not exist",
        "mailbox name not allowed",
        "no valid recipients",
        "recipient rejected",
        "not our customer",
        "recipient does not exist",
        "the email account that you tried to reach does not exist",
        "address not present",
        "unknown local part",
        "unknown local-part",
        "user is unknown",
        "cannot deliver mail to",
        "no such local user",
        "utilisateur inconnu",
        "destinataire inconnu",
        "unbekannt",
        "existiert nicht",
        "sorry, no mailbox here");
    rule(
        BounceReason.NOT_ACCEPT,
        "couldn't find a mail exchanger",
        "could not find a mail exchanger",
        "indicated no smtp service",
        "does not accept mail",
        "doesn't accept mail",
        "accepts no mail",
        "null mx",
        "not accepting network messages",
        "not accepting mail",
        "no mail accepted",
        "does not receive mail",
        "mail is not accepted");
    rule(
        BounceReason.SECURITY_ERROR,
        "tls required",
        "tls is required",
        "must issue a starttls",
        "encryption required",
        "requires tls",
        "authentication required",
        "authentication is required",
        "auth required",
        "must be authenticated",
        "not authenticated",
        "authentication failed",
        "sender not authenticated",
        "cryptographic",
        "certificate",
        "security policy",
        "smtp auth");
    rule(
        BounceReason.CONTENT_ERROR,
        "invalid header",
        "header is invalid",
        "bad header",
        "malformed header",
        "headers are invalid",
        "media error",
        "content error",
        "attachment not allowed",
        "attachments are not allowed",
        "executable attachment",
        "illegal attachment",
        "forbidden attachment",
        "mime error",
        "invalid mime",
        "banned attachment",
        "file type",
        "prohibited attachment",
        "this message was rejected due to its content");
    rule(
        BounceReason.NOT_COMPLIANT_RFC,
        "rfc 5322",
        "rfc5322",
        "rfc 2822",
        "rfc2822",
        "rfc 822",
        "rfc822 compliant",
        "not rfc",
        "rfc compliant",
        "non-compliant",
        "multiple from",
        "duplicate header",
        "missing date header",
        "line limit exceeded",
        "line too long",
        "bare lf",
        "bare linefeed",
        "invalid message-id",
        "missing message-id",
        "does not comply");
    rule(
        BounceReason.SYNTAX_ERROR,
        "syntax error",
        "command unrecognized",
        "command not recognized",
        "bad syntax",
        "invalid syntax",
        "unrecognized command",
        "bad address syntax",
        "invalid command");
    rule(
        BounceReason.POLICY_VIOLATION,
        "denied by policy",
        "rejected by policy",
        "header error",
        "content presents a potential");
    rule(
        BounceReason.POLICY_VIOLATION,
        "policy violation",
        "violates policy",
        "violation of",
        "against policy",
        "policy reasons",
        "for policy reasons",
        "message not accepted for policy reasons",
        "local policy",
        "due to policy",
        "organization policy",
        "organizational policy",
        "prohibited by policy",
        "policy restrictions",
        "content policy",
        "blocked by policy",
        "acceptable use policy",
        "not permitted by policy",
        "policy rejection",
        "policy does not allow");
    rule(
        BounceReason.FILTERED,
        "filtered",
        "not in the allowed",
        "not on the whitelist",
        "not authorized to send to",
        "sender not allowed",
        "you don't have permission",
        "does not have permission",
        "restricted to",
        "only accepts mail from",
        "not permitted to send",
        "recipient has rejected",
        "rejected by recipient",
        "refused by recipient",
        "rejected by the domain filter",
        "domain filter",
        "receiving refused",
        "receive refusal",
        "has been refused",
        "user refused",
        "blocked by recipient",
        "rejected your message",
        "declined",
        "mailbox refuses");
    rule(
        BounceReason.SYSTEM_FULL,
        "disk full",
        "disk is full",
        "file system full",
        "filesystem full",
        "no space left",
        "out of disk space",
        "insufficient system storage",
        "system storage",
        "mail system full",
        "queue full",
        "too busy");
    rule(
        BounceReason.MAILER_ERROR,
        "mailer error",
        "command failed",
        "procmail",
        "pipe to",
        "unknown mailer",
        "mailer failed",
        "local delivery failed",
        "child process",
        "exit code",
        "exited with",
        "temporary mailer",
        "returned exit status",
        "program exited");
    rule(
        BounceReason.NETWORK_ERROR,
        "connection timed out",
        "timed out",
        "timeout",
        "connection refused",
        "could not connect",
        "couldn't connect",
        "no route to host",
        "network is unreachable",
        "connection reset",
        "lost connection",
        "connection closed",
        "broken pipe",
        "socket error",
        "did not accept our requests to connect",
        "no answer",
        "mail loop",
        "routing loop",
        "loops back to myself",
        "too many hops",
        "hop count exceeded",
        "conversation with",
        "read error",
        "temporary failure in name",
        "network error",
        "connection dropped",
        "host is unreachable",
        "all hosts for",
        "too many hops");
    rule(BounceReason.SYSTEM_ERROR, "directory server");
    rule(
        BounceReason.SYSTEM_ERROR,
        "system error",
        "server error",
        "internal error",
        "local error",
        "temporary local problem",
        "system failure",
        "server configuration",
        "configuration error",
        "misconfigured",
        "service unavailable",
        "service not available",
        "temporarily unavailable",
        "unable to process",
        "processing error",
        "delivery error",
        "mail server error");
    rule(
        BounceReason.REJECTED,
        "sender rejected",
        "sender address rejected",
        "sender denied",
        "sender blocked",
        "sender is blocked",
        "rejected sender",
        "sender verify failed",
        "sender verification",
        "invalid sender",
        "unknown sender",
        "bad sender",
        "domain of sender",
        "sender's domain",
        "sender address is not",
        "sender domain is",
        "envelope sender",
        "sender not allowed",
        "your email address has been",
        "from address is not",
        "sender address has been",
        "sender is not allowed");
  }

  /** Lower case and single spaces. */
  public static String fold(String text) {
    int n = text.length();
    char[] out = new char[n];
    int k = 0;
    boolean space = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean ws =
          c < 0x80
              ? c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b
              : Character.isWhitespace(c);
      if (ws) {
        space = k > 0;
      } else {
        if (space) {
          out[k++] = ' ';
          space = false;
        }
        out[k++] =
            c < 0x80 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : Character.toLowerCase(c);
      }
    }
    return new String(out, 0, k);
  }

  /**
   * Folded text for matching wording, with the local parts of email addresses blanked
   * ("&lt;filtered@example.org&gt;" becomes "&lt;_@example.org&gt;"): a mailbox called "filtered",
   * "spam" or "blocked" is a name, not the server's words about the failure.
   */
  public static String wording(String text) {
    String f = fold(text);
    int at = f.indexOf('@');
    if (at < 0) {
      return f;
    }
    StringBuilder b = new StringBuilder(f.length());
    int copied = 0;
    while (at >= 0) {
      int j = at;
      while (j > copied && isLocalPartChar(f.charAt(j - 1))) {
        j--;
      }
      if (j < at && at + 1 < f.length() && Character.isLetterOrDigit(f.charAt(at + 1))) {
        b.append(f, copied, j).append('_');
        copied = at;
      }
      at = f.indexOf('@', at + 1);
    }
    b.append(f, copied, f.length());
    return b.toString();
  }

  private static boolean isLocalPartChar(char c) {
    return c >= 'a' && c <= 'z'
        || c >= '0' && c <= '9'
        || c == '.'
        || c == '_'
        || c == '-'
        || c == '+'
        || c == '%'
        || c == '='
        || c >= 0x80 && Character.isLetterOrDigit(c);
  }

  /** The first rule whose phrase occurs in folded text, or null. */
  public static @Nullable Vote text(String folded) {
    if (folded.isEmpty()) {
      return null;
    }
    for (Rule r : RULES) {
      for (String p : r.phrases) {
        if (has(folded, p)) {
          return new Vote(r.reason, "text \"" + p + "\"", TEXT);
        }
      }
    }
    return null;
  }

  /**
   * The reason an enhanced status code names on its own, or null. Codes whose meaning is generic
   * (X.0.0, X.4.0, X.5.0, X.7.0 ...) name none and leave the decision to the wording.
   */
  public static @Nullable BounceReason statusReason(@Nullable EnhancedStatusCode c) {
    if (c == null) {
      return null;
    }
    boolean temp = c.isTransient();
    switch (c.subject() + "." + c.detail()) {
      case "1.1":
      case "1.3":
        return BounceReason.USER_UNKNOWN;
      case "1.0":
        return temp ? null : BounceReason.USER_UNKNOWN;
      case "1.2":
        return BounceReason.HOST_UNKNOWN;
      case "1.4":
        return BounceReason.FILTERED;
      case "1.6":
        return BounceReason.HAS_MOVED;
      case "1.7":
      case "1.8":
        return BounceReason.REJECTED;
      case "1.9":
        return BounceReason.SYSTEM_ERROR;
      case "1.10":
        return null; // null MX (RFC 7505), but Microsoft uses it for "recipient not found": the
      // wording decides
      case "2.0":
        return temp ? null : BounceReason.FILTERED;
      case "2.1":
        return temp ? BounceReason.SUSPEND : null;
      case "2.2":
        return BounceReason.MAILBOX_FULL;
      case "2.3":
        return BounceReason.EXCEED_LIMIT;
      case "2.4":
        return BounceReason.FILTERED;
      case "3.0":
        return temp ? null : BounceReason.SYSTEM_ERROR;
      case "3.1":
        return BounceReason.SYSTEM_FULL;
      case "3.2":
        return BounceReason.NOT_ACCEPT;
      case "3.3":
      case "3.5":
        return BounceReason.SYSTEM_ERROR;
      case "3.4":
        return BounceReason.MESG_TOO_BIG;
      case "1.351":
        return BounceReason.USER_UNKNOWN;
      default:
        return c.subject() < 4 ? null : statusReasonOfSystem(c, temp);
    }
  }

  /** RFC 3463 subjects 4 and 5 (network and routing, mail delivery protocol); RFC 3463 §3.5-3.6. */
  private static @Nullable BounceReason statusReasonOfSystem(EnhancedStatusCode c, boolean temp) {
    switch (c.subject() + "." + c.detail()) {
      case "4.0":
        return temp ? null : BounceReason.NETWORK_ERROR;
      case "4.1":
        return temp ? BounceReason.EXPIRED : null;
      case "4.2":
      case "4.6":
      case "4.14":
        return BounceReason.NETWORK_ERROR;
      case "4.3":
        return temp ? null : BounceReason.SYSTEM_ERROR;
      case "4.4":
        return temp ? BounceReason.NETWORK_ERROR : BounceReason.HOST_UNKNOWN;
      case "4.5":
        return BounceReason.SYSTEM_FULL;
      case "4.7":
      case "4.316":
        return BounceReason.EXPIRED;
      case "5.3":
        return BounceReason.TOO_MANY_CONN;
      case "5.4":
      case "5.5":
        return BounceReason.SYSTEM_ERROR;
      case "5.6":
        return BounceReason.SECURITY_ERROR;
      default:
        return statusReasonOfContentAndSecurity(c, temp);
    }
  }

  /**
   * RFC 3463 subjects 6 and 7 (message content, security or policy), with RFC 7372, RFC 7505 and
   * the codes Microsoft documents for Exchange Online (X.7.509, X.7.515, X.7.606, X.7.708 ...).
   */
  private static @Nullable BounceReason statusReasonOfContentAndSecurity(
      EnhancedStatusCode c, boolean temp) {
    switch (c.subject() + "." + c.detail()) {
      case "6.0":
      case "6.1":
      case "6.2":
      case "6.3":
      case "6.5":
      case "6.6":
      case "6.7":
      case "6.8":
      case "6.9":
        return BounceReason.CONTENT_ERROR;
      case "7.1":
        return temp ? BounceReason.BLOCKED : BounceReason.SECURITY_ERROR;
      case "7.2":
        return temp ? BounceReason.BLOCKED : BounceReason.SECURITY_ERROR;
      case "7.13":
        return BounceReason.SUSPEND;
      case "7.16":
        return BounceReason.MESG_TOO_BIG;
      case "7.17":
      case "7.18":
        return BounceReason.HAS_MOVED;
      case "7.20":
      case "7.21":
      case "7.22":
      case "7.23":
      case "7.24":
      case "7.26":
      case "7.29":
      case "7.509":
      case "7.515":
        return BounceReason.AUTH_FAILURE;
      case "7.25":
        return BounceReason.REQUIRE_PTR;
      case "7.27":
        return BounceReason.NOT_ACCEPT;
      case "7.28":
        return BounceReason.RATE_LIMITED;
      case "7.3":
      case "7.4":
      case "7.5":
      case "7.6":
      case "7.7":
      case "7.8":
      case "7.9":
      case "7.10":
      case "7.11":
      case "7.12":
      case "7.14":
      case "7.15":
      case "7.19":
      case "7.30":
      case "7.57":
        return BounceReason.SECURITY_ERROR;
      case "7.606":
      case "7.511":
      case "7.708":
      case "7.750":
        return BounceReason.BLOCKED;
      default:
        return null;
    }
  }

  /** Status-named reasons that the wording may still refine (they are broad). */
  static final java.util.Set<BounceReason> REFINABLE =
      java.util.EnumSet.of(
          BounceReason.SECURITY_ERROR,
          BounceReason.SYSTEM_ERROR,
          BounceReason.NETWORK_ERROR,
          BounceReason.USER_UNKNOWN,
          BounceReason.HOST_UNKNOWN);

  /** What an SMTP reply code says, or null. */
  public static @Nullable Vote reply(@Nullable Integer code) {
    if (code == null) {
      return null;
    }
    switch (code) {
      case 521:
      case 556:
        return new Vote(BounceReason.NOT_ACCEPT, "reply " + code, STRONG);
      case 530:
      case 534:
      case 535:
      case 538:
      case 523:
        return new Vote(BounceReason.SECURITY_ERROR, "reply " + code, STRONG);
      case 552:
        return new Vote(BounceReason.MAILBOX_FULL, "reply " + code, WEAK);
      case 452:
        return new Vote(BounceReason.SYSTEM_FULL, "reply " + code, WEAK);
      case 421:
        return new Vote(BounceReason.SYSTEM_ERROR, "reply " + code, WEAK);
      case 451: // RFC 5321 §4.2.3: "Requested action aborted: local error in processing"
        return new Vote(BounceReason.SYSTEM_ERROR, "reply " + code, WEAK);
      case 500:
      case 501:
      case 502:
      case 503:
      case 504:
      case 555:
        return new Vote(BounceReason.SYNTAX_ERROR, "reply " + code, WEAK);
      case 553:
        return new Vote(BounceReason.USER_UNKNOWN, "reply " + code, WEAK);
      case 551:
        return new Vote(BounceReason.HAS_MOVED, "reply " + code, WEAK);
      case 554:
      case 550:
        return new Vote(BounceReason.REJECTED, "reply " + code, 0);
      default:
        return null;
    }
  }

  /** Lower-case ASCII helper. */
  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
