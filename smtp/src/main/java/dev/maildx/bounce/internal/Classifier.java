package dev.maildx.bounce.internal;

import dev.maildx.BounceKind;
import dev.maildx.BounceReason;
import dev.maildx.BounceReport;
import dev.maildx.DsnAction;
import dev.maildx.DsnRecipient;
import dev.maildx.EnhancedStatusCode;
import dev.maildx.Party;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Classifies one recipient from its status code, reply code and diagnostic text together.
 *
 * <p>Order of evidence: a status code whose meaning names one reason (X.1.1, X.2.2, X.7.26 ...)
 * decides, unless the wording names a more specific cause (authentication, reverse DNS, spam,
 * virus, rate limit, suspended mailbox) that the code cannot express; otherwise the wording of the
 * diagnostic decides over generic codes (X.0.0, X.7.1, 550, 554); then the wording of the rest of
 * the notice; then a generic code; then the SMTP command the failure happened at. The
 * {@code decision} of each recipient names what decided and what was overruled.
 */
public final class Classifier {
  private Classifier() {}

  /** Wording that names a cause more precisely than a "strong" status code can. */
  private static final Set<BounceReason> TEXT_BEATS_STATUS = Set.of(BounceReason.AUTH_FAILURE, BounceReason.REQUIRE_PTR,
      BounceReason.SPAM_DETECTED, BounceReason.VIRUS_DETECTED, BounceReason.RATE_LIMITED, BounceReason.TOO_MANY_CONN,
      BounceReason.SUSPEND, BounceReason.BAD_REPUTATION);

  static DsnRecipient classify(Analyzer.Raw r, BounceKind kind, BounceReport.@Nullable Feedback feedback) {
    String recipient = r.recipient == null ? "" : r.recipient;
    String diag = r.diagnostic;
    List<String> notes = new ArrayList<>();

    EnhancedStatusCode status = r.status;
    EnhancedStatusCode inDiag = diag == null ? null : EnhancedStatusCode.find(diag).orElse(null);
    if (status == null && inDiag != null) {
      status = inDiag;
      notes.add("status " + inDiag + " from the diagnostic text");
    } else if (status != null && inDiag != null && !inDiag.equals(status) && inDiag.statusClass() == status.statusClass()
        && status.subject() == 0 && status.detail() == 0) {
      notes.add("status " + inDiag + " in the diagnostic is more specific than the Status field " + status);
      status = inDiag;
    } else if (status != null && inDiag != null && !inDiag.equals(status) && status.statusClass() == inDiag.statusClass()
        && ReasonRules.status(status) != null && ReasonRules.status(status).strength() < ReasonRules.STRONG
        && ReasonRules.status(inDiag) != null && ReasonRules.status(inDiag).strength() == ReasonRules.STRONG) {
      notes.add("status " + inDiag + " in the diagnostic is more specific than the Status field " + status);
      status = inDiag;
    }
    Integer reply = diag == null ? null : replyCode(diag);
    if (status == null && diag == null && !r.context.isEmpty()) {
      status = EnhancedStatusCode.find(r.context).orElse(null);
      if (status != null) {
        notes.add("status " + status + " from the notice text");
      }
    }
    if (reply == null && diag == null && !r.context.isEmpty() && kind == BounceKind.BOUNCE) {
      reply = replyCode(r.context);
    }

    DsnAction action = r.action;
    if (action == null) {
      if (kind == BounceKind.FEEDBACK || kind == BounceKind.AUTOREPLY || kind == BounceKind.DELIVERED) {
        action = DsnAction.DELIVERED;
      } else if (status != null && status.isTransient()) {
        action = DsnAction.DELAYED;
      } else if (status != null && status.isSuccess()) {
        action = DsnAction.DELIVERED;
      } else {
        action = DsnAction.FAILED;
      }
    }

    BounceReason reason;
    String decision;
    if (kind == BounceKind.FEEDBACK) {
      reason = BounceReason.FEEDBACK;
      decision = "feedback report" + (feedback == null ? "" : " (" + feedback.feedbackType() + ")");
    } else if (kind == BounceKind.AUTOREPLY) {
      reason = BounceReason.VACATION;
      decision = "automatic reply (RFC 3834 headers or subject)";
    } else if (action == DsnAction.DELIVERED || action == DsnAction.RELAYED || action == DsnAction.EXPANDED
        || status != null && status.isSuccess() && action != DsnAction.FAILED) {
      reason = BounceReason.DELIVERED;
      decision = "Action: " + action.name().toLowerCase(java.util.Locale.ROOT);
    } else if (r.context.startsWith("suppressed")) {
      reason = BounceReason.SUPPRESSED;
      decision = "the sending service's suppression list";
    } else {
      ReasonRules.Vote s = ReasonRules.status(status);
      ReasonRules.Vote t = diag == null ? null : ReasonRules.text(ReasonRules.fold(diag));
      ReasonRules.Vote c = ReasonRules.text(ReasonRules.fold(r.context));
      ReasonRules.Vote p = ReasonRules.reply(reply);
      ReasonRules.Vote chosen;
      if (s != null && s.strength() == ReasonRules.STRONG) {
        if (t != null && t.reason() != s.reason() && TEXT_BEATS_STATUS.contains(t.reason())) {
          chosen = t;
          notes.add(t.basis() + " is more specific than " + s.basis() + " (" + s.reason().id() + ")");
        } else {
          chosen = s;
          if (t != null && t.reason() != s.reason()) {
            notes.add(s.basis() + " over " + t.basis() + " (" + t.reason().id() + ")");
          }
        }
      } else if (p != null && p.strength() == ReasonRules.STRONG && t == null) {
        chosen = p;
      } else if (t != null) {
        chosen = t;
        if (s != null && s.reason() != t.reason()) {
          notes.add(t.basis() + " over the generic " + s.basis());
        }
      } else if (s != null) {
        chosen = s;
      } else if (c != null) {
        chosen = new ReasonRules.Vote(c.reason(), "notice " + c.basis(), c.strength());
      } else if (p != null && p.strength() > 0) {
        chosen = p;
      } else if (r.command != null) {
        chosen = byCommand(r.command);
      } else if (p != null) {
        chosen = p;
      } else {
        chosen = null;
      }
      if (chosen == null) {
        reason = diag == null && r.context.isBlank() ? BounceReason.UNDEFINED : BounceReason.ON_HOLD;
        decision = "no code or wording decided";
      } else {
        reason = chosen.reason();
        decision = chosen.basis();
      }
      // The SMTP command the failure happened at says whose fault it was where the wording is generic.
      if ("MAIL".equals(r.command) && (reason == BounceReason.USER_UNKNOWN || reason == BounceReason.HOST_UNKNOWN
          || reason == BounceReason.ON_HOLD || reason == BounceReason.FILTERED || reason == BounceReason.SYSTEM_ERROR)
          && (s == null || s.strength() < ReasonRules.STRONG)) {
        notes.add("failed at MAIL FROM: the sender was refused, not the recipient");
        reason = BounceReason.REJECTED;
      } else if ("DATA".equals(r.command) && reason == BounceReason.USER_UNKNOWN && (s == null || s.strength() < ReasonRules.STRONG)) {
        notes.add("refused after DATA although the recipient was accepted at RCPT TO: a filter, not an unknown user");
        reason = BounceReason.FILTERED;
      }
      // A final failure caused by a transient condition: the sender's server retried and gave up.
      if (action == DsnAction.FAILED && reason == BounceReason.NETWORK_ERROR && (status == null || status.isTransient())
          && (reply == null || reply < 500)) {
        notes.add("a transient network failure in a final notice: the sender's server gave up retrying");
        reason = BounceReason.EXPIRED;
      }
      if (reason == BounceReason.HOST_UNKNOWN && status != null && status.isTransient()) {
        notes.add("a transient DNS failure (status " + status + "), not a domain that does not exist");
        reason = BounceReason.NETWORK_ERROR;
      }
      if (recipient.toLowerCase(java.util.Locale.ROOT).endsWith("@googlegroups.com") && status == null && reply == null) {
        notes.add("a Google Group refused the post (not a member, or posting not permitted)");
        reason = BounceReason.REJECTED;
      }
      if (action == DsnAction.DELAYED && reason == BounceReason.EXPIRED && (status == null || !"4.7".equals(status.subject() + "." + status.detail()))) {
        // A delay has not expired yet: keep the cause, if one is known.
        reason = t != null && t.reason() != BounceReason.EXPIRED ? t.reason() : BounceReason.NETWORK_ERROR;
      }
    }
    if (!notes.isEmpty()) {
      decision = decision + "; " + String.join("; ", notes);
    }
    boolean hard = action == DsnAction.FAILED && reason.isHard()
        && (reason != BounceReason.NOT_ACCEPT || status == null || status.isPermanent())
        && (reason == BounceReason.USER_UNKNOWN || status == null || !status.isTransient() || reply == null || reply >= 500);
    if (reason == BounceReason.NOT_ACCEPT && ((status != null && status.isTransient()) || (reply != null && reply < 500))) {
      hard = false;
    }
    Party party = Explain.party(reason, action, status);
    String explanation = Explain.explain(reason, action, status, reply);
    String diagnostic = diag == null ? null : diag.length() > Analyzer.MAX_DIAGNOSTIC_CHARS ? diag.substring(0, Analyzer.MAX_DIAGNOSTIC_CHARS) : diag;
    return new DsnRecipient(recipient, r.originalRecipient, action, status, reply, reason, hard, r.remoteMta, diagnostic,
        r.lastAttempt, r.retryUntil, explanation, party, decision);
  }

  private static ReasonRules.Vote byCommand(String cmd) {
    switch (cmd) {
      case "MAIL": return new ReasonRules.Vote(BounceReason.REJECTED, "failed at MAIL FROM", 1);
      case "CONN": case "HELO": return new ReasonRules.Vote(BounceReason.BLOCKED, "failed at the " + (cmd.equals("CONN") ? "greeting" : "HELO"), 1);
      case "RCPT": return new ReasonRules.Vote(BounceReason.USER_UNKNOWN, "failed at RCPT TO", 1);
      default: return new ReasonRules.Vote(BounceReason.FILTERED, "failed after DATA", 1);
    }
  }

  /** The first SMTP reply code in text ("550 5.1.1 ...", "said: 550-..."), or null. */
  static @Nullable Integer replyCode(String text) {
    int n = Math.min(text.length(), 20000);
    for (int i = 0; i + 3 <= n; i++) {
      char c = text.charAt(i);
      if (c != '2' && c != '4' && c != '5') {
        continue;
      }
      if (i > 0) {
        char b = text.charAt(i - 1);
        if (Character.isLetterOrDigit(b) || b == '.' || b == '-' || b == '/' || b == ':' && i > 1 && Character.isDigit(text.charAt(i - 2))
            || b == '=' || b == '_' || b == '+' || b == '#' || b == '$' || b == ',') {
          continue;
        }
      }
      char d1 = text.charAt(i + 1);
      char d2 = text.charAt(i + 2);
      if (d1 < '0' || d1 > '5' || d2 < '0' || d2 > '9') {
        continue;
      }
      if (i + 3 < n) {
        char a = text.charAt(i + 3);
        if (!(a == ' ' || a == '-' || a == '\n' || a == '\t' || a == ')' || a == ']' || a == ',' || a == ':' || a == '"')) {
          continue;
        }
        if (a == '-' && i + 4 < n && !Character.isLetterOrDigit(text.charAt(i + 4)) && text.charAt(i + 4) != ' ') {
          continue;
        }
        // "in 840 minutes", "5 hours": a number followed by a word is a count, unless a code or status follows
        if (a == ' ' && i + 4 < n) {
          String rest = text.substring(i + 4, Math.min(n, i + 14)).toLowerCase(java.util.Locale.ROOT);
          if (rest.startsWith("minute") || rest.startsWith("second") || rest.startsWith("hour") || rest.startsWith("day")
              || rest.startsWith("byte") || rest.startsWith("kb") || rest.startsWith("mb") || rest.startsWith("message")
              || rest.startsWith("recipient") || rest.startsWith("times") || rest.startsWith("attempt")) {
            continue;
          }
        }
      }
      int code = (c - '0') * 100 + (d1 - '0') * 10 + (d2 - '0');
      if (code < 200 || code > 559 || (code >= 300 && code < 400)) {
        continue;
      }
      return code;
    }
    return null;
  }
}
