package dev.maildx.bounce.internal;

import dev.maildx.Party;
import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import dev.maildx.report.EnhancedStatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Classifies one recipient from its status code, reply code and diagnostic text together.
 *
 * <p>Order of evidence: the reporting MTA's own classification (PowerMTA's bounce category) and a
 * provider's published error code in the reply ({@link ProviderCodes}) come first, because they
 * already say why; then a status code whose meaning names one reason (X.1.1, X.2.2, X.7.26 ...)
 * decides, unless the wording names a more specific cause (authentication, reverse DNS, spam,
 * virus, rate limit, suspended mailbox) that the code cannot express; otherwise the wording of the
 * diagnostic decides over generic codes (X.0.0, X.7.1, 550, 554); then the wording of the rest of
 * the notice; then a generic code; then the SMTP command the failure happened at. The {@code
 * decision} of each recipient names what decided and what was overruled.
 */
public final class Classifier {
  private Classifier() {}

  static BounceReport.Recipient classify(
      Analyzer.Raw r, BounceReport.Kind kind, BounceReport.@Nullable Feedback feedback) {
    String recipient = r.recipient == null ? "" : r.recipient;
    String diag = r.diagnostic;
    List<String> notes = new ArrayList<>();

    EnhancedStatusCode status = status(r, diag, notes);
    Integer reply = reply(r, kind, diag, status, notes);
    BounceReport.ReplySource replySource = replySource(r, diag, reply);
    BounceReport.Action action = action(r.action, kind, status);

    Decision verdict = verdict(r, kind, feedback, recipient, diag, status, reply, action, notes);
    BounceReason reason = verdict.reason();
    String decision = verdict.basis();
    if (!notes.isEmpty()) {
      decision = decision + "; " + String.join("; ", notes);
    }
    boolean hard = hardBounce(action, reason, status, reply);
    Party party = Explain.party(reason, action, status);
    String explanation = Explain.explain(reason, action, status, reply, replySource);
    String diagnostic = diag == null ? null : Text.cut(diag, Analyzer.MAX_DIAGNOSTIC_CHARS);
    return new BounceReport.Recipient(
        recipient,
        r.originalRecipient,
        action,
        status,
        reply,
        reason,
        hard,
        r.remoteMta,
        diagnostic,
        r.lastAttempt,
        r.retryUntil,
        explanation,
        party,
        decision,
        replySource);
  }

  /**
   * Who wrote the reply code (RFC 3464 §2.3.6 vs §2.3.5): the reporting MTA for a code it wrote for
   * a connection that failed ({@link #ownTimeoutCode}); the remote host for a code from the SMTP
   * transcript, a diagnostic that quotes the remote host ("said:", "&lt;&lt;&lt;", "SMTP error from
   * remote"), or a {@code Diagnostic-Code} of type {@code smtp} naming a {@code Remote-MTA};
   * otherwise unknown.
   */
  private static BounceReport.ReplySource replySource(
      Analyzer.Raw r, @Nullable String diag, @Nullable Integer reply) {
    if (reply == null) {
      return BounceReport.ReplySource.UNKNOWN;
    }
    if (diag != null && reply < 500 && ownTimeoutCode(diag)) {
      return BounceReport.ReplySource.REPORTING_MTA;
    }
    if (diag == null || reply.equals(r.transcriptReply)) {
      return r.transcriptReply != null
          ? BounceReport.ReplySource.REMOTE_HOST
          : BounceReport.ReplySource.UNKNOWN;
    }
    String f = ReasonRules.fold(diag);
    boolean quoted = f.contains("said:") || f.contains("<<<") || f.contains("from remote");
    boolean smtpType =
        r.diagnosticType != null
            && r.diagnosticType.equalsIgnoreCase("smtp")
            && r.remoteMta != null;
    return quoted || smtpType
        ? BounceReport.ReplySource.REMOTE_HOST
        : BounceReport.ReplySource.UNKNOWN;
  }

  /**
   * The Status field, or a more specific code in the diagnostic, or (without a diagnostic) one in
   * the notice text.
   */
  private static @Nullable EnhancedStatusCode status(
      Analyzer.Raw r, @Nullable String diag, List<String> notes) {
    EnhancedStatusCode status = r.status;
    EnhancedStatusCode inDiag = diag == null ? null : statusInDiagnostic(diag);
    if (status == null && inDiag != null) {
      status = inDiag;
      notes.add("status " + inDiag + " from the diagnostic text");
    } else if (status != null
        && inDiag != null
        && !inDiag.equals(status)
        && inDiag.statusClass() == status.statusClass()
        && status.subject() == 0
        && status.detail() == 0) {
      notes.add(
          "status "
              + inDiag
              + " in the diagnostic is more specific than the Status field "
              + status);
      status = inDiag;
    } else if (status != null
        && inDiag != null
        && diag != null
        && !inDiag.equals(status)
        && !(inDiag.subject() == 0 && inDiag.detail() == 0)
        && (inDiag.statusClass() == status.statusClass()
            || diag.contains(" " + inDiag)
            || diag.startsWith(inDiag.toString()))) {
      notes.add(
          "status "
              + inDiag
              + " in the diagnostic is more specific than the Status field "
              + status);
      status = inDiag;
    }
    if (status == null && diag == null && !r.context.isEmpty()) {
      status = Codes.find(r.context).orElse(null);
      if (status != null) {
        notes.add("status " + status + " from the notice text");
      }
    }
    return status;
  }

  /**
   * The reply code from the diagnostic, the notice text or the transcript; set aside if its class
   * disagrees with the status.
   */
  private static @Nullable Integer reply(
      Analyzer.Raw r,
      BounceReport.Kind kind,
      @Nullable String diag,
      @Nullable EnhancedStatusCode status,
      List<String> notes) {
    Integer reply = diag == null ? null : replyCode(diag);
    if (diag != null) {
      int pair = lastPairAt(diag);
      if (pair >= 0) {
        reply = Integer.parseInt(diag.substring(pair, pair + 3));
      }
    }
    if (reply == null && diag == null && !r.context.isEmpty() && kind == BounceReport.Kind.BOUNCE) {
      reply = replyCode(r.context);
    }

    if (reply != null && reply < 500 && diag != null && ownTimeoutCode(diag)) {
      notes.add(
          "reply code "
              + reply
              + " is the reporting MTA's own code for a connection that failed; the remote host"
              + " sent no reply");
    }
    if (reply == null && r.transcriptReply != null) {
      reply = r.transcriptReply;
      notes.add("reply code " + reply + " from the transcript of the SMTP session");
    }
    if (reply != null && status != null && reply / 100 != status.statusClass()) {
      notes.add(
          "reply code "
              + reply
              + " disagrees with status "
              + status
              + " in class and was set aside");
      reply = null;
    }
    return reply;
  }

  /** Words saying that no reply came: the connection itself failed (RFC 3463 X.4.1, X.4.2). */
  private static final String[] NO_REPLY = {
    "timed out",
    "timeout",
    "read error",
    "connection refused",
    "connection reset",
    "lost connection",
    "no route to host",
    "network is unreachable",
    "connection closed"
  };

  /**
   * Whether the 4xx reply code in a diagnostic is the reporting MTA's own code for a connection
   * that failed ("451 4.4.1 reply: read error from mx...", "&lt;421 4.4.2 Connection timed
   * out&gt;"): a host that timed out or refused the connection sent no reply, so the code cannot be
   * its answer. A diagnostic that quotes the remote host ("said:", "&lt;&lt;&lt;", "SMTP error from
   * remote") keeps its code.
   */
  static boolean ownTimeoutCode(String diag) {
    String f = ReasonRules.fold(diag);
    if (f.contains("said:") || f.contains("<<<") || f.contains("from remote")) {
      return false;
    }
    int at = lastPairAt(diag);
    if (at < 0) {
      at = replyCodeAt(diag);
    }
    String words = ReasonRules.fold(diag.substring(Math.max(0, at)));
    int cut = Math.min(words.length(), 60);
    for (String w : NO_REPLY) {
      if (words.substring(0, cut).contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** The Action field, or what the kind of notice and the status imply. */
  private static BounceReport.Action action(
      BounceReport.@Nullable Action given,
      BounceReport.Kind kind,
      @Nullable EnhancedStatusCode status) {
    BounceReport.Action action = given;
    if (action == null) {
      if (kind == BounceReport.Kind.FEEDBACK
          || kind == BounceReport.Kind.AUTOREPLY
          || kind == BounceReport.Kind.DELIVERED) {
        action = BounceReport.Action.DELIVERED;
      } else if (status != null && status.isTransient()) {
        action = BounceReport.Action.DELAYED;
      } else if (status != null && status.isSuccess()) {
        action = BounceReport.Action.DELIVERED;
      } else {
        action = BounceReport.Action.FAILED;
      }
    }
    return action;
  }

  /**
   * The reason and its basis: from the kind of notice, the action, a suppression list, or else the
   * failure itself.
   */
  private static Decision verdict(
      Analyzer.Raw r,
      BounceReport.Kind kind,
      BounceReport.@Nullable Feedback feedback,
      String recipient,
      @Nullable String diag,
      @Nullable EnhancedStatusCode status,
      @Nullable Integer reply,
      BounceReport.Action action,
      List<String> notes) {
    if (kind == BounceReport.Kind.FEEDBACK) {
      return new Decision(
          BounceReason.FEEDBACK,
          "feedback report" + (feedback == null ? "" : " (" + feedback.feedbackType() + ")"),
          notes);
    } else if (kind == BounceReport.Kind.AUTOREPLY) {
      String abandoned = abandonedMailbox(r.contextFolded());
      if (abandoned != null) {
        // An automatic reply that says the address is no longer in use is not an absence: the
        // mailbox is kept only to
        // answer, nobody reads it, and mail to it should stop (the same as a suspended account).
        return new Decision(
            BounceReason.SUSPEND,
            "automatic reply (RFC 3834) saying the mailbox is abandoned: text \""
                + abandoned
                + "\"",
            notes);
      } else {
        return new Decision(
            BounceReason.VACATION, "automatic reply (RFC 3834 headers or subject)", notes);
      }
    } else if (action == BounceReport.Action.DELIVERED
        || action == BounceReport.Action.RELAYED
        || action == BounceReport.Action.EXPANDED
        || status != null && status.isSuccess() && action != BounceReport.Action.FAILED) {
      return new Decision(
          BounceReason.DELIVERED,
          "Action: " + action.name().toLowerCase(java.util.Locale.ROOT),
          notes);
    } else if (r.context.startsWith("suppressed")) {
      return new Decision(BounceReason.SUPPRESSED, "the sending service's suppression list", notes);
    } else {
      return failureVerdict(r, recipient, diag, status, reply, action, notes);
    }
  }

  /**
   * A failure or delay: decided from the evidence, then adjusted for what the notice as a whole
   * says.
   */
  private static Decision failureVerdict(
      Analyzer.Raw r,
      String recipient,
      @Nullable String diag,
      @Nullable EnhancedStatusCode status,
      @Nullable Integer reply,
      BounceReport.Action action,
      List<String> notes) {
    String folded = folded(r, diag);
    boolean aboutSender = aboutSender(r, recipient, diag);
    Decision dd;
    BounceReason category = vendorCategory(r.vendorCategory);
    if (category != null) {
      // The reporting MTA classified the failure itself (PowerMTA's X-PowerMTA-BounceCategory): its
      // own verdict,
      // made with the whole SMTP dialogue in view, is more specific than the reply text it quotes.
      dd =
          new Decision(
              category,
              "the reporting MTA's own bounce category \"" + r.vendorCategory + "\"",
              new ArrayList<>());
    } else if (diag != null
        && r.diagnosticType != null
        && r.diagnosticType.equalsIgnoreCase("x-unix")
        && isNumber(diag)) {
      // "Diagnostic-Code: X-Unix; 71": the exit status (sysexits.h) of the local delivery program,
      // not a remote reply.
      // Whatever the transcript says about it, the mailer program failed.
      dd =
          new Decision(
              BounceReason.MAILER_ERROR,
              "Diagnostic-Code X-Unix; "
                  + diag.strip()
                  + ": the exit status of the local delivery program",
              new ArrayList<>());
    } else {
      dd =
          decide(
              status,
              reply,
              folded,
              r.command,
              action,
              aboutSender,
              diag != null && !diag.isBlank());
    }
    if ((dd.reason() == BounceReason.ON_HOLD || dd.reason() == BounceReason.UNDEFINED)
        && r.diagnosticType != null
        && reply == null
        && (r.diagnosticType.equalsIgnoreCase("x-unix")
            || r.diagnosticType.equalsIgnoreCase("x-postfix"))) {
      dd =
          new Decision(
              BounceReason.MAILER_ERROR,
              "Diagnostic-Code type " + r.diagnosticType + ": a local delivery program",
              dd.notes());
    }
    notes.addAll(dd.notes());
    BounceReason reason = adjust(dd.reason(), status, reply, action, folded, notes);
    return new Decision(reason, dd.basis(), notes);
  }

  /**
   * The wording to read: the diagnostic's (the quoted remote reply's, where one is quoted), or the
   * notice's.
   */
  private static String folded(Analyzer.Raw r, @Nullable String diag) {
    String folded;
    if (diag == null) {
      folded = r.contextFolded();
    } else {
      String words = diag;
      int pair = lastPairAt(diag);
      if (pair > 0
          && ("'<\"(".indexOf(diag.charAt(pair - 1)) >= 0
              || pair + 4 < diag.length() && "'\"".indexOf(diag.charAt(pair + 4)) >= 0)) {
        // "554 4.4.7 expired <421 4.4.2 timed out>", "5.1.0 - Unknown address error 550-'5.7.1 ...
        // Access denied'":
        // the quoted reply is the remote server's own; the words around it are the relaying
        // server's.
        words = diag.substring(pair);
      }
      folded = ReasonRules.wording(stripContinuations(words));
      if (ReasonRules.text(ReasonRules.wording(diag)) == null && !r.context.isEmpty()) {
        folded =
            folded
                + " "
                + r.contextFolded(); // the server's words say nothing: read the notice around them
        // too
      }
    }
    return folded;
  }

  /** Whether the diagnostic names one of the sender's addresses rather than the recipient's. */
  private static boolean aboutSender(Analyzer.Raw r, String recipient, @Nullable String diag) {
    boolean aboutSender = false;
    if (diag != null
        && !diag.toLowerCase(java.util.Locale.ROOT)
            .contains(recipient.toLowerCase(java.util.Locale.ROOT))) {
      String fd = diag.toLowerCase(java.util.Locale.ROOT);
      for (String sender : r.senders) {
        if (!sender.equalsIgnoreCase(recipient) && sender.indexOf('@') > 0 && fd.contains(sender)) {
          aboutSender = true;
        }
      }
    }
    return aboutSender;
  }

  /**
   * The decided reason, corrected where the status, the action or the notice say more (each
   * correction noted).
   */
  private static BounceReason adjust(
      BounceReason decided,
      @Nullable EnhancedStatusCode status,
      @Nullable Integer reply,
      BounceReport.Action action,
      String folded,
      List<String> notes) {
    BounceReason reason = decided;
    // A final failure caused by a transient condition: the sender's server retried and gave up.
    if (action == BounceReport.Action.FAILED
        && reason == BounceReason.NETWORK_ERROR
        && (status == null || status.isTransient())
        && (reply == null || reply < 500)
        && !folded.contains("loop")) {
      notes.add(
          "a transient network failure in a final notice: the sender's server gave up retrying");
      reason = BounceReason.EXPIRED;
    }
    String dns =
        reason == BounceReason.EXPIRED
                && status != null
                && status.subject() == 4
                && status.detail() == 7
            ? ReasonRules.dnsFailure(folded)
            : null;
    if (dns != null) {
      // RFC 3463 X.4.7 (delivery time expired): "if possible, the code for the actual problem found
      // when delivery was
      // attempted should be returned rather than this code". The notice names it: the recipient
      // domain's name service
      // failed, so the message never reached a server. (Expiry after connection failures stays
      // "expired".)
      notes.add("expired, but the notice names the cause: text \"" + dns + "\" (a DNS failure)");
      reason = BounceReason.NETWORK_ERROR;
    }
    if (reason == BounceReason.HOST_UNKNOWN && status != null && status.isTransient()) {
      notes.add(
          "a transient DNS failure (status " + status + "), not a domain that does not exist");
      reason = BounceReason.NETWORK_ERROR;
    }
    if (action == BounceReport.Action.DELAYED
        && reason == BounceReason.EXPIRED
        && (status == null || !"4.7".equals(status.subject() + "." + status.detail()))) {
      // A delay has not expired yet: keep the cause, if one is known.
      BounceReason cause = textCause(folded);
      reason = cause != null ? cause : BounceReason.NETWORK_ERROR;
      notes.add("still being retried, so not expired");
    }
    return reason;
  }

  /**
   * A hard bounce: a final failure for a lasting reason, unless the codes say the condition is
   * temporary.
   */
  private static boolean hardBounce(
      BounceReport.Action action,
      BounceReason reason,
      @Nullable EnhancedStatusCode status,
      @Nullable Integer reply) {
    boolean hard =
        action == BounceReport.Action.FAILED
            && reason.isHard()
            && (reason != BounceReason.NOT_ACCEPT || status == null || status.isPermanent())
            && (reason == BounceReason.USER_UNKNOWN
                || status == null
                || !status.isTransient()
                || reply == null
                || reply >= 500);
    if (reason == BounceReason.NOT_ACCEPT
        && ((status != null && status.isTransient()) || (reply != null && reply < 500))) {
      hard = false;
    }
    return hard;
  }

  record Decision(BounceReason reason, String basis, List<String> notes) {}

  /** Checked first, in this order: a status code naming the reason, or the wording, decides. */
  private static final BounceReason[] FIRST = {
    BounceReason.MAILBOX_FULL,
    BounceReason.MESG_TOO_BIG,
    BounceReason.EXCEED_LIMIT,
    BounceReason.SUSPEND,
    BounceReason.HAS_MOVED,
    BounceReason.NO_RELAYING,
    BounceReason.AUTH_FAILURE,
    BounceReason.VIRUS_DETECTED,
    BounceReason.USER_UNKNOWN,
    BounceReason.FILTERED,
    BounceReason.REQUIRE_PTR,
    BounceReason.NOT_COMPLIANT_RFC,
    BounceReason.BAD_REPUTATION,
    BounceReason.POLICY_VIOLATION,
    BounceReason.REJECTED,
    BounceReason.NOT_ACCEPT,
    BounceReason.HOST_UNKNOWN,
    BounceReason.SPAM_DETECTED,
    // "connection rate limit" names the connections, the more specific limit
    BounceReason.TOO_MANY_CONN,
    BounceReason.RATE_LIMITED,
    BounceReason.BLOCKED
  };

  /**
   * Then, where no status code named a reason (or only a broad one), the wording alone, in this
   * order.
   */
  private static final BounceReason[] SECOND = {
    BounceReason.MAILBOX_FULL,
    BounceReason.SPAM_DETECTED,
    BounceReason.POLICY_VIOLATION,
    BounceReason.VIRUS_DETECTED,
    BounceReason.NO_RELAYING,
    BounceReason.SECURITY_ERROR,
    BounceReason.SYSTEM_ERROR,
    BounceReason.NETWORK_ERROR,
    BounceReason.SUSPEND,
    BounceReason.EXPIRED,
    BounceReason.CONTENT_ERROR,
    BounceReason.SYSTEM_FULL,
    BounceReason.NOT_ACCEPT,
    BounceReason.MAILER_ERROR,
    BounceReason.SYNTAX_ERROR
  };

  /**
   * Causes that a reply names in so many words (Sisimai's authfailure, requireptr, virusdetected,
   * spamdetected, norelaying). Where a reply names several, the one it names first is the reason it
   * gives; the rest is usually advice ("rejected due to spam classification ... check your SPF").
   */
  private static final java.util.List<BounceReason> EXPLICIT =
      java.util.List.of(
          BounceReason.AUTH_FAILURE,
          BounceReason.REQUIRE_PTR,
          BounceReason.VIRUS_DETECTED,
          BounceReason.SPAM_DETECTED,
          BounceReason.NO_RELAYING);

  private static final BounceReason[] NOT_USER = {
    BounceReason.NO_RELAYING,
    BounceReason.BLOCKED,
    BounceReason.MAILBOX_FULL,
    BounceReason.HAS_MOVED,
    BounceReason.REJECTED,
    BounceReason.NOT_ACCEPT,
    BounceReason.FILTERED,
    BounceReason.RATE_LIMITED,
    BounceReason.TOO_MANY_CONN
  };

  /**
   * The reason from status code, reply code, wording and SMTP stage together.
   *
   * <p>A status code that names a reason decides unless the wording names a more specific one
   * checked earlier. "User unknown" wording counts as {@code userunknown} only with an X.1.1-type
   * code or a failure at RCPT TO; at any other stage (after DATA, or stage unknown) an unknown-user
   * reply comes from a recipient filter and counts as {@code filtered}. A refusal at MAIL FROM is
   * about the sender ({@code rejected}); at the greeting or HELO, about the sending host ({@code
   * blocked}).
   */
  static Decision decide(
      @Nullable EnhancedStatusCode status,
      @Nullable Integer reply,
      String folded,
      @Nullable String cmd,
      BounceReport.Action action,
      boolean aboutSender,
      boolean hasDiagnostic) {
    List<String> notes = new ArrayList<>();
    BounceReason sr = ReasonRules.statusReason(status);
    ProviderCodes.Verdict provider = ProviderCodes.find(folded);
    if (provider != null) {
      if (sr != null && sr != provider.reason()) {
        notes.add("status " + status + " alone would say " + sr.id());
      }
      return new Decision(provider.reason(), provider.basis(), notes);
    }
    for (BounceReason first : FIRST) {
      String why = holds(first, status, sr, folded, cmd);
      BounceReason r = first;
      if (why != null && EXPLICIT.contains(r)) {
        for (BounceReason o : EXPLICIT) {
          String other = o == r ? null : holds(o, status, sr, folded, cmd);
          if (other != null
              && ReasonRules.position(folded, o) >= 0
              && ReasonRules.position(folded, o) < ReasonRules.position(folded, r)) {
            r = o;
            why = other + " (named before the other causes in the reply)";
          }
        }
      }
      if (why != null) {
        if (sr != null && sr != r) {
          notes.add("status " + status + " alone would say " + sr.id());
        }
        return new Decision(r, why, notes);
      }
    }
    if (aboutSender && sr == null) {
      return new Decision(
          BounceReason.REJECTED,
          "the server's reply names the sender's address, not the recipient's",
          notes);
    }
    if (sr != null && !ReasonRules.REFINABLE.contains(sr)) {
      return new Decision(sr, "status " + status, notes);
    }
    if (("HELO".equals(cmd) || "CONN".equals(cmd))
        && (sr == null || ReasonRules.REFINABLE.contains(sr))
        && !(status != null && status.isTransient())
        && action != BounceReport.Action.DELAYED
        && ReasonRules.match(folded, BounceReason.NETWORK_ERROR) == null) {
      // A permanent refusal before any recipient was named is about the sending host. (A transient
      // "421" greeting only says the server is not taking connections now, which names no cause.)
      // A delay is never a refusal, and a timeout or a refused connection "after initial
      // connection" is the network failing, not the server refusing (RFC 5321 §4.5.3.2: the
      // client gives up waiting for the greeting; RFC 3463 X.4.1/X.4.2).
      return new Decision(
          BounceReason.BLOCKED,
          "refused at the " + ("CONN".equals(cmd) ? "greeting" : "HELO") + ": the sending host",
          notes);
    }
    for (BounceReason r : SECOND) {
      String p = ReasonRules.match(folded, r);
      if (p != null) {
        if (sr != null && sr != r) {
          notes.add("the wording over the broad status " + status + " (" + sr.id() + ")");
        }
        return new Decision(r, "text \"" + p + "\"", notes);
      }
    }
    return fallback(status, sr, reply, folded, cmd, action, hasDiagnostic, notes);
  }

  /**
   * Where neither a specific code nor the wording decided: the SMTP command, the broad status (RFC
   * 3463 subjects 6 and 7), the reply code (RFC 5321 §4.2.3), and the stage.
   */
  private static Decision fallback(
      @Nullable EnhancedStatusCode status,
      @Nullable BounceReason sr,
      @Nullable Integer reply,
      String folded,
      @Nullable String cmd,
      BounceReport.Action action,
      boolean hasDiagnostic,
      List<String> notes) {
    if ("MAIL".equals(cmd)) {
      return new Decision(
          BounceReason.REJECTED, "refused at MAIL FROM: the sender, not the recipient", notes);
    }
    if (sr != null) {
      return new Decision(sr, "status " + status, notes);
    }
    if (status != null && status.subject() == 6) {
      return new Decision(BounceReason.CONTENT_ERROR, "status " + status + " (media)", notes);
    }
    if (status != null && status.subject() == 7) {
      return new Decision(
          BounceReason.SECURITY_ERROR, "status " + status + " (security or policy)", notes);
    }
    ReasonRules.Vote p = ReasonRules.reply(reply);
    if (p != null && p.strength() >= ReasonRules.STRONG) {
      return new Decision(p.reason(), p.basis(), notes);
    }
    if (action == BounceReport.Action.DELAYED) {
      return new Decision(BounceReason.EXPIRED, "delayed, cause not stated", notes);
    }
    if (("HELO".equals(cmd) || "CONN".equals(cmd))
        && ReasonRules.match(folded, BounceReason.NETWORK_ERROR) == null) {
      return new Decision(
          BounceReason.BLOCKED,
          "refused at the " + ("CONN".equals(cmd) ? "greeting" : "HELO") + ": the sending host",
          notes);
    }
    if (p != null && p.strength() > 0) {
      return new Decision(p.reason(), p.basis(), notes);
    }
    for (String late : ReasonRules.LATE_FILTERED) {
      if (ReasonRules.has(folded, late)) {
        return new Decision(BounceReason.FILTERED, "text \"" + late + "\"", notes);
      }
    }
    if ("RCPT".equals(cmd)) {
      return new Decision(BounceReason.USER_UNKNOWN, "refused at RCPT TO", notes);
    }
    if (folded.isBlank() || !hasDiagnostic) {
      return new Decision(BounceReason.UNDEFINED, "the notice gives no diagnostic", notes);
    }
    return new Decision(BounceReason.ON_HOLD, "no code or wording decided", notes);
  }

  private static @Nullable String holds(
      BounceReason r,
      @Nullable EnhancedStatusCode status,
      @Nullable BounceReason sr,
      String folded,
      @Nullable String cmd) {
    String p;
    switch (r) {
      case USER_UNKNOWN:
        return holdsUserUnknown(status, sr, folded, cmd);
      case FILTERED:
        return holdsFiltered(status, sr, folded, cmd);
      case MESG_TOO_BIG:
      case EXCEED_LIMIT:
        if (sr == r) {
          return "status";
        }
        if (sr == BounceReason.MESG_TOO_BIG || sr == BounceReason.EXCEED_LIMIT) {
          return null; // the status code says which of the two limits
        }
        p = ReasonRules.match(folded, r);
        return p == null ? null : "text \"" + p + "\"";
      case NOT_ACCEPT:
      case POLICY_VIOLATION:
        p = ReasonRules.match(folded, r); // here by wording only; a status code says it later
        return p == null ? null : "text \"" + p + "\"";
      case REJECTED:
        if (sr == r) {
          return "status";
        }
        p = ReasonRules.match(folded, r);
        return p == null ? null : "text \"" + p + "\"";
      case HOST_UNKNOWN:
        if ("HELO".equals(cmd) || "CONN".equals(cmd)) {
          return null; // refused before any recipient was named: about the sending host
        }
        if (ReasonRules.transientDns(folded) != null) {
          return null; // the lookup failed for now (RFC 1035 SERVFAIL, EAI_AGAIN): networkerror
        }
        if (sr == r && ReasonRules.match(folded, BounceReason.NETWORK_ERROR) == null) {
          return "status";
        }
        p = ReasonRules.match(folded, r);
        return p == null ? null : "text \"" + p + "\"";
      default:
        if (sr == r) {
          return "status";
        }
        p = ReasonRules.match(folded, r);
        return p == null ? null : "text \"" + p + "\"";
    }
  }

  /** Whether "user unknown" holds: the address, not the message, was refused. */
  private static @Nullable String holdsUserUnknown(
      @Nullable EnhancedStatusCode status,
      @Nullable BounceReason sr,
      String folded,
      @Nullable String cmd) {
    String p;
    if (sr == BounceReason.SUSPEND
        || "MAIL".equals(cmd)
        || "HELO".equals(cmd)
        || "CONN".equals(cmd)
        || noAddress(folded)) {
      return null;
    }
    if (sr == BounceReason.USER_UNKNOWN) {
      for (BounceReason o : NOT_USER) {
        if (ReasonRules.match(folded, o) != null) {
          return null;
        }
      }
      return "status (bad destination mailbox)";
    }
    if (sr != null && !ReasonRules.REFINABLE.contains(sr)) {
      return null; // the status code names another reason
    }
    if (mailboxDisabled(status) && !"RCPT".equals(cmd)) {
      return null; // X.2.1 says the mailbox exists; only a refusal at RCPT TO makes "user
      // unknown" about the address
    }
    p = ReasonRules.match(folded, BounceReason.USER_UNKNOWN);
    String anyStage = ReasonRules.userUnknownAtAnyStage(folded);
    if (anyStage != null && ReasonRules.match(folded, BounceReason.HOST_UNKNOWN) == null) {
      return "text \"" + anyStage + "\" (the provider refuses unknown accounts after DATA)";
    }
    if (p == null
        || !(cmd == null || "RCPT".equals(cmd))
        || ReasonRules.match(folded, BounceReason.HOST_UNKNOWN) != null) {
      return null;
    }
    return "text \""
        + p
        + "\""
        + ("RCPT".equals(cmd) ? " at RCPT TO" : "")
        + (mailboxDisabled(status)
            ? " (status " + status + " notwithstanding: the address was refused at RCPT TO)"
            : "");
  }

  /**
   * Whether "filtered" holds: a recipient-side filter refused this message (Sisimai's definition).
   */
  private static @Nullable String holdsFiltered(
      @Nullable EnhancedStatusCode status,
      @Nullable BounceReason sr,
      String folded,
      @Nullable String cmd) {
    String p;
    if (sr == BounceReason.SUSPEND) {
      return null;
    }
    if (sr == BounceReason.FILTERED) {
      p = ReasonRules.match(folded, BounceReason.USER_UNKNOWN);
      if (p == null) {
        p = ReasonRules.match(folded, BounceReason.FILTERED);
      }
      return p == null ? null : "status (mailbox status) and text \"" + p + "\"";
    }
    if (cmd != null && !"DATA".equals(cmd)) {
      return null;
    }
    if (noAddress(folded) && (cmd == null || "DATA".equals(cmd))) {
      return "an unknown-user reply that names no address (\": user unknown\"): the message, not a recipient, was refused";
    }
    p = ReasonRules.match(folded, BounceReason.FILTERED);
    if (p == null && ("DATA".equals(cmd) || mailboxDisabled(status))) {
      p = ReasonRules.match(folded, BounceReason.USER_UNKNOWN);
      if (p != null) {
        return "text \""
            + p
            + "\" "
            + ("DATA".equals(cmd)
                ? "after DATA: the recipient had been accepted at RCPT TO, so a filter refused it"
                : "with status "
                    + status
                    + " (mailbox exists, not accepting messages): the mailbox refused this message");
      }
    }
    return p == null ? null : "text \"" + p + "\"";
  }

  /**
   * RFC 3463 X.2.1, "mailbox disabled, not accepting messages": the mailbox exists but refuses.
   * With "user unknown" wording the code and the words disagree; unless the refusal came at RCPT TO
   * (where only the address is checked), the code's meaning is kept: the existing mailbox refused
   * this message, a recipient-side filter.
   */
  static boolean mailboxDisabled(@Nullable EnhancedStatusCode status) {
    return status != null && status.isPermanent() && status.subject() == 2 && status.detail() == 1;
  }

  /** Phrases of automatic replies saying that nobody reads the address any more. */
  private static final String[] ABANDONED = {
    "no longer in use",
    "no longer active",
    "no longer monitored",
    "no longer being monitored",
    "no longer checked",
    "no longer being checked",
    "no longer read"
  };

  static @Nullable String abandonedMailbox(String folded) {
    for (String p : ABANDONED) {
      if (folded.contains(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * The reasons of PowerMTA's documented bounce categories ({@code X-PowerMTA-BounceCategory});
   * null for the categories that name no single cause (other, bad-configuration, protocol-errors,
   * routing-errors ...).
   */
  static @Nullable BounceReason vendorCategory(@Nullable String category) {
    if (category == null) {
      return null;
    }
    switch (category.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "bad-mailbox":
        return BounceReason.USER_UNKNOWN;
      case "bad-domain":
        return BounceReason.HOST_UNKNOWN;
      case "inactive-mailbox":
        return BounceReason.SUSPEND;
      case "quota-issues":
        return BounceReason.MAILBOX_FULL;
      case "spam-related":
        return BounceReason.SPAM_DETECTED;
      case "virus-related":
        return BounceReason.VIRUS_DETECTED;
      case "content-related":
        return BounceReason.CONTENT_ERROR;
      case "policy-related":
        return BounceReason.POLICY_VIOLATION;
      case "relaying-issues":
        return BounceReason.NO_RELAYING;
      case "invalid-sender":
        return BounceReason.REJECTED;
      case "message-expired":
        return BounceReason.EXPIRED;
      case "no-answer-from-host":
      case "bad-connection":
        return BounceReason.NETWORK_ERROR;
      default:
        return null;
    }
  }

  private static boolean isNumber(String s) {
    String t = s.strip();
    return !t.isEmpty() && t.length() < 6 && t.chars().allMatch(Character::isDigit);
  }

  /** "550 : User unknown": the place where a server names the refused address is empty. */
  static boolean noAddress(String folded) {
    return folded.contains(" : user unknown")
        || folded.contains(": : user unknown")
        || folded.contains(":: user unknown");
  }

  /** The cause a delay's wording names, or null. */
  private static @Nullable BounceReason textCause(String folded) {
    for (BounceReason r : SECOND) {
      if (r != BounceReason.EXPIRED && ReasonRules.match(folded, r) != null) {
        return r;
      }
    }
    for (BounceReason r : FIRST) {
      if (ReasonRules.match(folded, r) != null) {
        return r;
      }
    }
    return null;
  }

  /**
   * "550-5.7.1 Messages with multiple\n550 5.7.1 addresses in From" → "550-5.7.1 Messages with
   * multiple addresses in From".
   */
  static String stripContinuations(String text) {
    int firstReply = replyCodeAt(text);
    if (firstReply >= 0 && firstReply + 3 < text.length()) {
      // Unfolded multi-line replies repeat "550-5.7.1" / "550 5.7.1" mid-text: drop the repeats.
      int j = firstReply + 4;
      java.util.Optional<EnhancedStatusCode> c =
          Codes.find(text.substring(j, Math.min(text.length(), j + 12)));
      String code = text.substring(firstReply, firstReply + 3);
      if (c.isPresent() && text.startsWith(c.get().toString(), j)) {
        String tail = text.substring(j + c.get().toString().length());
        tail =
            tail.replace(" " + code + "-" + c.get() + " ", " ")
                .replace(" " + code + " " + c.get() + " ", " ");
        text = text.substring(0, j + c.get().toString().length()) + tail;
      }
    }
    StringBuilder b = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    boolean first = true;
    while (i < n) {
      int nl = text.indexOf('\n', i);
      int e = nl < 0 ? n : nl;
      String line = text.substring(i, e).strip();
      if (!first
          && line.length() > 4
          && Character.isDigit(line.charAt(0))
          && (line.charAt(3) == ' ' || line.charAt(3) == '-')
          && replyCodeAt(line) == 0) {
        String rest = line.substring(4).strip();
        java.util.Optional<EnhancedStatusCode> c =
            Codes.find(rest.length() > 12 ? rest.substring(0, 12) : rest);
        if (c.isPresent() && rest.startsWith(c.get().toString())) {
          rest = rest.substring(c.get().toString().length()).strip();
        }
        line = rest;
      }
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(line);
      first = false;
      i = e + 1;
    }
    return b.toString();
  }

  /**
   * The status code the remote server gave: the one right after the first reply code, else the
   * first one.
   */
  static @Nullable EnhancedStatusCode statusInDiagnostic(String diag) {
    int at = lastPairAt(diag);
    if (at < 0) {
      at = replyCodeAt(diag);
    }
    if (at >= 0) {
      int from = at + 3;
      while (from < diag.length() && from < at + 8 && " -'\":".indexOf(diag.charAt(from)) >= 0) {
        from++;
      }
      EnhancedStatusCode c =
          Codes.find(diag.substring(from, Math.min(diag.length(), from + 12))).orElse(null);
      if (c != null && diag.substring(from).startsWith(c.toString())) {
        return c;
      }
    }
    return Codes.find(diag).orElse(null);
  }

  /** The first SMTP reply code in text ("550 5.1.1 ...", "said: 550-..."), or null. */
  static @Nullable Integer replyCode(String text) {
    int at = replyCodeAt(text);
    return at < 0 ? null : Integer.parseInt(text.substring(at, at + 3));
  }

  /**
   * Where the last "reply code, status code" pair starts ({@code 554 4.4.7 expired <421 4.4.2 timed
   * out>}: the remote server's own answer, quoted inside the relaying server's), or -1.
   */
  static int lastPairAt(String text) {
    int last = -1;
    int from = 0;
    int guard = 0;
    while (from < text.length() && guard++ < 50) {
      int at = replyCodeAt(text.substring(from));
      if (at < 0) {
        break;
      }
      int abs = from + at;
      int j = abs + 3;
      while (j < text.length() && j < abs + 8 && " -'\":".indexOf(text.charAt(j)) >= 0) {
        j++;
      }
      java.util.Optional<EnhancedStatusCode> c =
          Codes.find(text.substring(j, Math.min(text.length(), j + 12)));
      if (c.isPresent()
          && text.startsWith(c.get().toString(), j)
          && !c.get().isSuccess()
          && text.charAt(abs) != '2') {
        last = abs;
      }
      from = abs + 3;
    }
    return last;
  }

  static final Set<Integer> REPLY_CODES =
      Set.of(
          211, 214, 220, 221, 235, 250, 251, 252, 421, 432, 450, 451, 452, 454, 455, 500, 501, 502,
          503, 504, 521, 523, 525, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556);

  /** Where the first SMTP reply code in text starts, or -1. */
  static int replyCodeAt(String text) {
    int n = Math.min(text.length(), 20000);
    for (int i = 0; i + 3 <= n; i++) {
      char c = text.charAt(i);
      if (c != '2' && c != '4' && c != '5') {
        continue;
      }
      if (i > 0) {
        char b = text.charAt(i - 1);
        if (Character.isLetterOrDigit(b)
            || b == '.'
            || b == '-'
            || b == '/'
            || b == ':' && i > 1 && Character.isDigit(text.charAt(i - 2))
            || b == '='
            || b == '_'
            || b == '+'
            || b == '#'
            || b == '$'
            || b == ',') {
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
        if (!(a == ' ' || a == '-' || a == '\n' || a == '\t' || a == ')' || a == ']' || a == ','
            || a == ':' || a == '"')) {
          continue;
        }
        if (a == '-'
            && i + 4 < n
            && !Character.isLetterOrDigit(text.charAt(i + 4))
            && " '\"<[".indexOf(text.charAt(i + 4)) < 0) {
          continue;
        }
        // "in 840 minutes", "5 hours": a number followed by a word is a count, unless a code or
        // status follows
        if (a == ' ' && i + 4 < n) {
          String rest =
              text.substring(i + 4, Math.min(n, i + 14)).toLowerCase(java.util.Locale.ROOT);
          if (rest.startsWith("minute")
              || rest.startsWith("second")
              || rest.startsWith("hour")
              || rest.startsWith("day")
              || rest.startsWith("byte")
              || rest.startsWith("kb")
              || rest.startsWith("mb")
              || rest.startsWith("times")
              || rest.startsWith("attempt")) {
            continue;
          }
        }
      }
      int code = (c - '0') * 100 + (d1 - '0') * 10 + (d2 - '0');
      if (!REPLY_CODES.contains(code)) {
        continue; // not a reply code of RFC 5321 (or RFC 3030, 4954, 7504): a number that merely
        // looks like one
      }
      return i;
    }
    return -1;
  }
}
