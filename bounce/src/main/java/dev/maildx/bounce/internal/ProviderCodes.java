package dev.maildx.bounce.internal;

import dev.maildx.report.BounceReason;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Error-code schemes that large mailbox providers publish for their SMTP replies. Where a reply
 * carries such a code, the provider has already said, in its own documentation, why it refused the
 * message; that is more specific than the generic reply and status codes around it, so these decide
 * first.
 *
 * <p>Each scheme is recognised by the shape of the code in the reply text, never by file names or
 * host names: Orange / Wanadoo / La Poste ({@code OFR_506}, {@code OFR006_102}, {@code
 * LPN007_416}), Cox and Charter/Spectrum (their Cloudmark-based {@code AUP#...} labels) and
 * Mimecast's documented reply sentences. A code whose published meaning does not name a cause ("try
 * again later") gives no reason, and the rest of the evidence decides.
 *
 * <p>The tables below paraphrase the providers' public pages: Orange's postmaster codes (OFR/LPN
 * list; the OFR codes are tabled by postmaster guides such as postmastery.com's "Orange postmaster
 * SMTP error codes"), Cox's postmaster "Error Codes" page (postmaster.cox.net, CXBL, CDRBL, IPBL
 * ...), Spectrum's "understanding email error codes" page (AUP#I-/AUP#O- four-digit codes; not
 * re-read, see {@link #VERIFIED}) and Mimecast's "Mimecast SMTP Error Codes" knowledge article
 * (community.mimecast.com/s/article/Mimecast-SMTP-Error-Codes-842605754).
 */
public final class ProviderCodes {
  private ProviderCodes() {}

  /** A provider's verdict: the reason and a short note of the code and its published meaning. */
  record Verdict(BounceReason reason, String basis) {}

  /** The provider's verdict for a folded (lower-case) reply text, or null. */
  static @Nullable Verdict find(String folded) {
    if (folded.isEmpty()) {
      return null;
    }
    Verdict v = ReasonRules.isWithheld(ORANGE) ? null : orange(folded);
    if (v == null) {
      v = cloudmarkAup(folded);
      if (v != null && ReasonRules.isWithheld(v.basis().startsWith("Spectrum") ? SPECTRUM : COX)) {
        v = null;
      }
    }
    if (v == null && !ReasonRules.isWithheld(MIMECAST)) {
      v = mimecast(folded);
    }
    return v;
  }

  /** The name of each code scheme, as the cross-validation withholds it. */
  public static final String ORANGE = "provider:orange";

  /** Cox's AUP# labels. */
  public static final String COX = "provider:cox";

  /** Spectrum's AUP# four-digit codes. */
  public static final String SPECTRUM = "provider:spectrum";

  /** Mimecast's reply sentences. */
  public static final String MIMECAST = "provider:mimecast";

  /**
   * The schemes whose published page was read and found to list the codes used here (Orange's OFR
   * and LPN codes as tabled by postmaster guides, Cox's postmaster error-code page, Mimecast's
   * "SMTP Error Codes" article). Spectrum's page was not found; its table counts as written from
   * the corpus files that carry its codes.
   */
  public static final java.util.Set<String> VERIFIED = java.util.Set.of(ORANGE, COX, MIMECAST);

  /** The scheme that gives a verdict for this folded text, or null (for tagging corpus files). */
  public static @Nullable String scheme(String folded) {
    if (orange(folded) != null) {
      return ORANGE;
    }
    Verdict v = cloudmarkAup(folded);
    if (v != null) {
      return v.basis().startsWith("Spectrum") ? SPECTRUM : COX;
    }
    return mimecast(folded) != null ? MIMECAST : null;
  }

  // ---- Orange, Wanadoo, La Poste: "OFR_416", "OFR006_102 ... [102]", "LPN007_416", "LPN416"
  // --------------------

  static @Nullable Verdict orange(String folded) {
    for (String prefix : new String[] {"ofr", "lpn"}) {
      int from = 0;
      for (int guard = 0; guard < 8; guard++) {
        int at = folded.indexOf(prefix, from);
        if (at < 0) {
          break;
        }
        from = at + prefix.length();
        if (at > 0 && Character.isLetterOrDigit(folded.charAt(at - 1))) {
          continue; // inside another word
        }
        int end = from;
        while (end < folded.length()
            && end < from + 12
            && (Character.isLetterOrDigit(folded.charAt(end)) || folded.charAt(end) == '_')) {
          end++;
        }
        String token = folded.substring(at, end);
        // The last three characters of the token are the code: OFR_506 -> 506, OFR006_102 -> 102,
        // LPN416 -> 416.
        if (token.length() < prefix.length() + 3) {
          continue;
        }
        String code = token.substring(token.length() - 3);
        if (!code.chars().allMatch(Character::isDigit)) {
          continue;
        }
        BounceReason r = orangeCode(code);
        if (r != null) {
          return new Verdict(
              r, "Orange code " + token.toUpperCase(Locale.ROOT) + " (" + orangeMeaning(r) + ")");
        }
        return null; // a code whose published meaning names no cause: let the rest decide
      }
    }
    return null;
  }

  private static @Nullable BounceReason orangeCode(String code) {
    switch (code) {
      // The sending IP is refused: on a public blocklist, flagged for spam, or refused by
      // reputation.
      case "101":
      case "102":
      case "103":
      case "510":
      case "999":
        return BounceReason.BLOCKED;
      case "104": // too many connections from the sending IP
        return BounceReason.TOO_MANY_CONN;
      case "305":
      case "402": // SMTP authentication wrong or required
        return BounceReason.SECURITY_ERROR;
      case "401":
      case "517": // SPF failed; DMARC verification failed
        return BounceReason.AUTH_FAILURE;
      case "403":
      case "405":
      case "415":
      case "421": // invalid sender, or a sender address the user does not own
        return BounceReason.REJECTED;
      case "416":
      case "418": // at least one recipient address is invalid
        return BounceReason.USER_UNKNOWN;
      case "417": // the recipient's mailbox is over quota
        return BounceReason.MAILBOX_FULL;
      case "420":
      case "426": // the recipient's mailbox is archived, or the account is blocked
        return BounceReason.SUSPEND;
      case "505": // a temporary failure after the message was sent
        return BounceReason.SYSTEM_ERROR;
      case "506": // the message was refused by the content (spam) filter
        return BounceReason.SPAM_DETECTED;
      case "514": // the message is larger than the size limit
        return BounceReason.MESG_TOO_BIG;
      default: // 105, 107-109, 201, 423, 424: "service refused, try later" without a cause
        return null;
    }
  }

  private static String orangeMeaning(BounceReason r) {
    switch (r) {
      case BLOCKED:
        return "the sending IP is refused";
      case TOO_MANY_CONN:
        return "too many connections";
      case SECURITY_ERROR:
        return "authentication required or wrong";
      case AUTH_FAILURE:
        return "SPF or DMARC verification failed";
      case REJECTED:
        return "the sender address is refused";
      case USER_UNKNOWN:
        return "invalid recipient";
      case MAILBOX_FULL:
        return "recipient over quota";
      case SUSPEND:
        return "the recipient's mailbox is archived or blocked";
      case SYSTEM_ERROR:
        return "temporary failure";
      case SPAM_DETECTED:
        return "refused as spam";
      case MESG_TOO_BIG:
        return "message too large";
      default:
        return "no cause given";
    }
  }

  // ---- Cox and Charter/Spectrum: "AUP#CXBL", "AUP#CDRBL", "AUP#In-1310", "AUP#O-1000"
  // ------------------------

  static @Nullable Verdict cloudmarkAup(String folded) {
    int at = folded.indexOf("aup#");
    if (at < 0) {
      return null;
    }
    int end = at + 4;
    while (end < folded.length()
        && end < at + 24
        && (Character.isLetterOrDigit(folded.charAt(end)) || folded.charAt(end) == '-')) {
      end++;
    }
    String label = folded.substring(at + 4, end);
    // Spectrum: a letter group naming the direction (I, In, O) and four digits.
    int dash = label.lastIndexOf('-');
    String digits = dash >= 0 ? label.substring(dash + 1) : label;
    if (digits.length() == 4 && digits.chars().allMatch(Character::isDigit)) {
      BounceReason r = spectrumCode(Integer.parseInt(digits));
      return r == null
          ? null
          : new Verdict(r, "Spectrum code AUP#" + label.toUpperCase(Locale.ROOT));
    }
    BounceReason r = coxCode(label);
    return r == null ? null : new Verdict(r, "Cox code AUP#" + label.toUpperCase(Locale.ROOT));
  }

  private static @Nullable BounceReason coxCode(String label) {
    if (label.startsWith("ipbl")) {
      return BounceReason.BLOCKED; // the sending IP is listed on one or more DNS blocklists
    }
    if (label.startsWith("urlbl")) {
      return BounceReason.SPAM_DETECTED; // a URL in the message is on a URI blocklist
    }
    switch (label) {
      case "cxbl":
      case "cdrbl": // the sending IP is blocked (for a day or longer) for spam-like traffic
        return BounceReason.BLOCKED;
      case "cxdns": // the reverse DNS of the sending IP fails
        return BounceReason.REQUIRE_PTR;
      case "cxsndr": // the sender's domain failed its SPF / DKIM checks
        return BounceReason.AUTH_FAILURE;
      case "cxcnct": // too many concurrent connections from the IP
        return BounceReason.TOO_MANY_CONN;
      case "cxmxrt": // the sender exceeded the number of messages or recipients allowed
        return BounceReason.RATE_LIMITED;
      default:
        return null;
    }
  }

  private static @Nullable BounceReason spectrumCode(int n) {
    if (n == 1000 || n >= 1200 && n <= 1250) {
      return BounceReason
          .BLOCKED; // the IP is blocked: suspicious activity, Cloudmark CSI or Spamhaus listing
    }
    if (n >= 1100 && n <= 1150) {
      return BounceReason
          .REQUIRE_PTR; // the connecting IP has no full-circle (forward-confirmed reverse) DNS
    }
    if (n >= 1160 && n <= 1190) {
      return BounceReason.POLICY_VIOLATION; // against the domain's security policies
    }
    if (n == 1260) {
      return BounceReason.NETWORK_ERROR; // IPv6 is not accepted; connect over IPv4
    }
    if (n >= 1300 && n <= 1340) {
      return BounceReason.TOO_MANY_CONN; // concurrent or total connection limits of the sending IP
    }
    if (n >= 1350 && n <= 1490 || n == 1540 || n == 1550 || n == 1580) {
      return BounceReason.RATE_LIMITED; // message, recipient or per-session volume limits
    }
    if (n == 1500 || n == 1520) {
      return BounceReason.REJECTED; // sending as an address or domain the account does not own
    }
    if (n == 1530) {
      return BounceReason.MESG_TOO_BIG; // larger than the maximum message size
    }
    if (n == 1090) {
      return BounceReason.SYSTEM_ERROR; // the message could not be processed; try later
    }
    return null;
  }

  // ---- Mimecast: the reply sentences of its published SMTP error-code list
  // ----------------------------------

  static @Nullable Verdict mimecast(String folded) {
    if (folded.contains("host network not allowed")
        || folded.contains("host network, not allowed")) {
      // A Geographical Restriction policy of the recipient's organisation refuses the sending
      // network.
      return new Verdict(
          BounceReason.POLICY_VIOLATION,
          "Mimecast \"host network not allowed\" (a geographical restriction policy)");
    }
    if (folded.contains("rejected due to security policies") && folded.contains("spamsignature")) {
      // Mimecast's signature scan: the reply names the matching signature, here a spam signature.
      return new Verdict(BounceReason.SPAM_DETECTED, "Mimecast security policies, spam signature");
    }
    if (folded.contains("envelope blocked - user entry")
        || folded.contains("envelope blocked - user domain entry")
        || folded.contains("administrative prohibition envelope blocked")) {
      // The sender (address or domain) is on the recipient's or the organisation's blocked-senders
      // list.
      return new Verdict(BounceReason.REJECTED, "Mimecast blocked-senders policy");
    }
    return null;
  }
}
