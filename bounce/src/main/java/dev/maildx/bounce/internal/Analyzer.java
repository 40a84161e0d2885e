package dev.maildx.bounce.internal;

import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.report.BounceReport;
import dev.maildx.report.EnhancedStatusCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads one message (already normalised by {@link Mime#normalize}) and builds its {@link
 * BounceReport}: finds the delivery-status, feedback-report and returned-message parts, or failing
 * those recognises the notice by its wording; extracts each recipient with its codes and
 * diagnostic; classifies. Never throws on bad data.
 */
public final class Analyzer {
  public static final String CHECK = BounceReport.CHECK;
  static final int MAX_PARTS = 256;
  static final int MAX_DEPTH = 8;
  static final int MAX_RECIPIENTS = 500;
  static final int MAX_NOTICE_CHARS = 256 * 1024;
  static final int MAX_DIAGNOSTIC_CHARS = 1000;

  private Analyzer() {}

  /** A recipient as read, before classification. */
  static final class Raw {
    String recipient = "";
    @Nullable String originalRecipient;
    BounceReport.@Nullable Action action;
    @Nullable EnhancedStatusCode status;
    @Nullable Integer replyCode;
    @Nullable String remoteMta;
    @Nullable String diagnostic;
    @Nullable String lastAttempt;
    @Nullable String retryUntil;

    /**
     * The sender's own addresses (the notice's To, the returned message's From and Return-Path).
     */
    java.util.Set<String> senders = java.util.Set.of();

    /** The Diagnostic-Code type (smtp, x-unix, x-postfix ...), if given. */
    @Nullable String diagnosticType;

    /**
     * The reporting MTA's own classification of the failure (PowerMTA's X-PowerMTA-BounceCategory),
     * if given.
     */
    @Nullable String vendorCategory;

    /**
     * The reply code of the refusal in a Sendmail transcript, used when the Diagnostic-Code carries
     * none.
     */
    @Nullable Integer transcriptReply;

    private @Nullable String contextFolded;
    private @Nullable String contextFoldedOf;

    /** The context, lower-cased with white space collapsed; computed once per distinct context. */
    @SuppressWarnings(
        "ReferenceEquality") // a memo of the last context object: identity is the point
    String contextFolded() {
      if (contextFolded == null || contextFoldedOf != context) {
        contextFolded = ReasonRules.wording(context);
        contextFoldedOf = context;
      }
      return contextFolded;
    }

    /** Whether a textual notice named this recipient where notices name failed recipients. */
    boolean strong;

    /** Extra wording (the human-readable notice) used when the diagnostic says nothing. */
    String context = "";

    @Nullable String command;
    String statusNote = "";
  }

  /** Parses and classifies one message. */
  public static BounceReport analyze(String msg, String source, List<String> readProblems) {
    return analyze(msg, source, readProblems, 0);
  }

  static BounceReport analyze(String msg, String source, List<String> readProblems, int depth) {
    Mime.Budget budget = new Mime.Budget(MAX_PARTS, MAX_DEPTH);
    Mime.Part root = Mime.parse(msg, 0, msg.length(), 0, budget);
    Walk w = new Walk();
    w.walk(root, true);
    Mime.Headers top = root.headers;

    Reading rd = new Reading();

    String notice = w.noticeText();
    int cut = inlineCopyStart(notice);
    Mime.Headers inlineReturned = null;
    if (cut >= 0) {
      if (w.returned == null) {
        inlineReturned = inlineHeaders(notice, cut);
      }
      notice = notice.substring(0, cut);
    }
    if (notice.length() > MAX_NOTICE_CHARS) {
      notice = notice.substring(0, MAX_NOTICE_CHARS);
      budget.problem(
          "the notice text was longer than " + MAX_NOTICE_CHARS + " characters and was cut");
    }
    Mime.Headers returned = w.returned != null ? w.returned : inlineReturned;
    BounceReport inner = forwardedReport(w, inlineReturned, source, readProblems, depth);
    if (inner != null) {
      return inner;
    }

    readRecipients(rd, w, root, top, returned, notice, budget);
    settleKind(rd, w, top, notice);

    String originalMessageId = null;
    BounceReport.ReturnedMessage original = null;
    if (returned != null) {
      originalMessageId = msgId(returned.get("Message-ID"));
      original =
          new BounceReport.ReturnedMessage(
              originalMessageId,
              dec(returned.get("From")),
              dec(returned.get("To")),
              dec(returned.get("Subject")),
              returned.get("Date"));
    }
    if (rd.reportingMta == null && rd.kind != BounceReport.Kind.NOT_BOUNCE) {
      rd.reportingMta = TextNotice.reportingHost(top);
    }

    List<BounceReport.Recipient> recipients =
        classifyAll(rd.raws, senders(top, returned), rd.kind, rd.feedback);
    BounceReport.Kind kind = kindFollowingRecipients(rd.kind, recipients);
    List<Finding> findings = findings(kind, recipients, rd.feedback, source, readProblems, budget);
    if (depth < 2 && root.epilogueStart >= 0) {
      addFollowingMessages(msg, root.epilogueStart, source, depth, kind, recipients, findings);
    }
    return new BounceReport(
        CHECK,
        source,
        kind,
        rd.format,
        rd.reportingMta,
        rd.receivedFrom,
        rd.arrival,
        originalMessageId,
        original,
        recipients,
        rd.feedback,
        findings);
  }

  /** What the notice says before classification: its format, kind, recipients and reporting MTA. */
  private static final class Reading {
    String format = "none";
    BounceReport.Kind kind = BounceReport.Kind.BOUNCE;
    final List<Raw> raws = new ArrayList<>();
    @Nullable String reportingMta;
    @Nullable String receivedFrom;
    @Nullable String arrival;
    BounceReport.@Nullable Feedback feedback;
  }

  /**
   * The headers of a copy of the original message found inline in the notice text, or null if it
   * has none.
   */
  private static Mime.@Nullable Headers inlineHeaders(String notice, int cut) {
    Mime.Budget b2 = new Mime.Budget(4, 2);
    Mime.Headers h = Mime.headers(notice, cut, notice.length(), b2);
    if (h.size() > 0) {
      return h;
    }
    return null;
  }

  /**
   * A delivery report forwarded or returned as plain text, read as a report of its own, or null.
   */
  private static @Nullable BounceReport forwardedReport(
      Walk w,
      Mime.@Nullable Headers inlineReturned,
      String source,
      List<String> readProblems,
      int depth) {
    if (depth < 2
        && w.dsn == null
        && inlineReturned != null
        && String.valueOf(inlineReturned.get("Content-Type")).contains("delivery-status")) {
      // A delivery report forwarded or returned as plain text: read the report itself.
      String full = w.noticeText();
      int at = inlineCopyStart(full);
      if (at >= 0) {
        BounceReport inner = analyze(full.substring(at), source, readProblems, depth + 1);
        if (!inner.recipients().isEmpty()) {
          return inner;
        }
      }
    }
    return null;
  }

  /**
   * Reads the recipients by the notice's format: JMRP, ARF, a delivery-status report, Amazon SES or
   * plain words.
   */
  private static void readRecipients(
      Reading rd,
      Walk w,
      Mime.Part root,
      Mime.Headers top,
      Mime.@Nullable Headers returned,
      String notice,
      Mime.Budget budget) {
    String reportType = root.param("report-type");
    String jmrp = returned == null ? null : returned.get("X-HmXmrOriginalRecipient");
    if (w.feedback == null && w.dsn == null && jmrp != null) {
      readJmrp(rd, jmrp);
    } else if (w.feedback != null || "feedback-report".equalsIgnoreCase(reportType)) {
      readArf(rd, w, top, returned);
    } else if (w.dsn != null || textHasDsnFields(notice)) {
      readDsn(rd, w, top, returned, notice, budget);
    } else {
      Json.Ses ses = Json.ses(notice.isEmpty() ? "" : notice);
      if (ses != null) {
        rd.format = "amazonses";
        rd.raws.addAll(ses.recipients);
        rd.feedback = ses.feedback;
        rd.kind = ses.kind;
        rd.reportingMta = ses.reportingMta;
      } else {
        rd.kind = BounceReport.Kind.BOUNCE;
        rd.raws.addAll(TextNotice.recipients(notice, top, returned, MAX_RECIPIENTS));
        rd.format = TextNotice.family(notice, top);
      }
    }
  }

  /**
   * Microsoft's Junk Mail Reporting Program: the complained-about message with its original
   * recipient, no ARF part.
   */
  private static void readJmrp(Reading rd, String jmrp) {
    rd.format = "jmrp";
    rd.kind = BounceReport.Kind.FEEDBACK;
    rd.feedback = new BounceReport.Feedback("abuse", null, null, null, jmrp, null, null, null);
    Raw r = new Raw();
    String rcpt = first(jmrp);
    r.recipient = rcpt == null ? "" : rcpt;
    rd.raws.add(r);
  }

  /** An abuse feedback report (RFC 5965) and the recipient it concerns. */
  private static void readArf(
      Reading rd, Walk w, Mime.Headers top, Mime.@Nullable Headers returned) {
    rd.format = "arf";
    rd.kind = BounceReport.Kind.FEEDBACK;
    Map<String, String> f = w.feedback == null ? Map.of() : fields(w.feedback.text()).get(0);
    String type = f.getOrDefault("feedback-type", "other").strip().toLowerCase(Locale.ROOT);
    rd.feedback =
        new BounceReport.Feedback(
            type,
            f.get("user-agent"),
            f.get("source-ip"),
            f.get("original-mail-from"),
            f.get("original-rcpt-to"),
            f.getOrDefault("arrival-date", f.get("received-date")),
            f.get("reported-domain"),
            f.get("authentication-results"));
    Raw r = new Raw();
    String rcpt = first(f.get("original-rcpt-to"));
    if (rcpt == null && returned != null) {
      rcpt = first(returned.get("To"));
    }
    if (rcpt == null) {
      rcpt = first(top.get("To"));
    }
    r.recipient = rcpt == null ? "" : rcpt;
    r.action = null;
    rd.raws.add(r);
  }

  /** A delivery-status report (RFC 3464 / RFC 6533), as a part or as fields in the notice text. */
  private static void readDsn(
      Reading rd,
      Walk w,
      Mime.Headers top,
      Mime.@Nullable Headers returned,
      String notice,
      Mime.Budget budget) {
    String dsnText = w.dsn != null ? w.dsn.text() : dsnFieldsFromText(notice);
    for (Mime.Part more : w.moreDsn) {
      dsnText = dsnText + "\n\n" + more.text();
    }
    rd.format = w.dsn != null && w.dsn.type.contains("global") ? "rfc6533" : "rfc3464";
    readDsnBlocks(rd, fields(dsnText), budget);
    rd.kind = BounceReport.Kind.BOUNCE;
    // The human-readable part: the SMTP stage (Postfix writes "in reply to RCPT TO command" only
    // there) and, for
    // recipients without a Diagnostic-Code, the server's words.
    List<Raw> raws = rd.raws;
    boolean needWords = raws.isEmpty() || raws.stream().anyMatch(r -> r.diagnostic == null);
    List<Raw> textual =
        needWords ? TextNotice.recipients(notice, top, returned, MAX_RECIPIENTS) : List.of();
    addNoticeWords(raws, textual, notice);
    if (raws.isEmpty()) {
      raws.addAll(textual);
      rd.format = "rfc3464";
    }
  }

  /** The per-message fields and one recipient per per-recipient block. */
  private static void readDsnBlocks(
      Reading rd, List<Map<String, String>> blocks, Mime.Budget budget) {
    Map<String, String> perMessage = blocks.isEmpty() ? Map.of() : blocks.get(0);
    if (!perMessage.containsKey("final-recipient") && !perMessage.containsKey("original-recipient")
        || blocks.size() > 1 && perMessage.containsKey("reporting-mta")) {
      rd.reportingMta = typed(perMessage.get("reporting-mta"));
      rd.receivedFrom = typed(perMessage.get("received-from-mta"));
      rd.arrival = perMessage.get("arrival-date");
    }
    for (Map<String, String> b : blocks) {
      if (!b.containsKey("final-recipient")
          && !b.containsKey("original-recipient")
          && !b.containsKey("x-actual-recipient")) {
        if (rd.reportingMta == null && b.containsKey("reporting-mta")) {
          rd.reportingMta = typed(b.get("reporting-mta"));
        }
        continue;
      }
      if (rd.raws.size() >= MAX_RECIPIENTS) {
        budget.problem("more than " + MAX_RECIPIENTS + " recipients; the rest were not read");
        break;
      }
      Raw r = dsnRecipient(b);
      if (rd.reportingMta == null && b.containsKey("reporting-mta")) {
        rd.reportingMta = typed(b.get("reporting-mta"));
      }
      rd.raws.add(r);
    }
  }

  /** One per-recipient block of a delivery-status report. */
  private static Raw dsnRecipient(Map<String, String> b) {
    Raw r = new Raw();
    String fr = typed(b.get("final-recipient"));
    String or = typed(b.get("original-recipient"));
    String xr = typed(b.get("x-actual-recipient"));
    String rc = clean(fr != null ? fr : xr != null ? xr : or);
    if ((rc == null || rc.indexOf('@') < 0) && or != null && or.indexOf('@') > 0) {
      rc = clean(or);
    }
    r.recipient = rc == null ? "" : rc;
    r.originalRecipient = or == null ? null : clean(or);
    r.action = BounceReport.Action.parse(b.get("action")).orElse(null);
    r.status = b.containsKey("status") ? Codes.find(b.get("status")).orElse(null) : null;
    r.remoteMta = typed(b.get("remote-mta"));
    String diag = b.get("diagnostic-code");
    r.diagnostic = diag == null ? null : typedText(diag);
    if (diag != null && diag.indexOf(';') > 0 && diag.indexOf(';') < 20) {
      r.diagnosticType = diag.substring(0, diag.indexOf(';')).strip();
    }
    r.vendorCategory = b.get("x-powermta-bouncecategory");
    r.lastAttempt = b.get("last-attempt-date");
    r.retryUntil = b.get("will-retry-until");
    return r;
  }

  /**
   * Gives each recipient of a report the notice's words: its context, a missing diagnostic, the
   * SMTP command.
   */
  private static void addNoticeWords(List<Raw> raws, List<Raw> textual, String notice) {
    String clipped = TextNotice.clip(notice);
    String lowerNotice = clipped.toLowerCase(Locale.ROOT);
    for (Raw r : raws) {
      r.context = clipped;
      for (Raw t : textual) {
        if (Addresses.key(t.recipient).equals(Addresses.key(r.recipient))) {
          if (r.diagnostic == null
              && t.diagnostic != null
              && t.strong
              && TextNotice.hasCode(t.diagnostic)) {
            r.diagnostic =
                t.diagnostic; // no Diagnostic-Code: the notice's words for this recipient
          }
          if (r.command == null) {
            r.command = t.command;
          }
        }
      }
      if (r.diagnostic == null) {
        // Exim's delay warning names the cause per address: "Delay reason: SMTP timeout after
        // initial connection: Connection timed out" (Exim specification, delay warnings). The
        // line is the diagnostic; the paragraphs around it are the notice's own words.
        r.diagnostic = TextNotice.delayReason(clipped, r.recipient);
      }
      if (r.command == null && !r.recipient.isEmpty()) {
        // A Sendmail "Transcript of session follows": the command the remote server's refusal
        // answered.
        String[] t =
            TextNotice.transcript(
                lowerNotice, Addresses.key(r.recipient), r.remoteMta, raws.size() == 1);
        if (t != null) {
          r.command = t[0];
          r.transcriptReply = t[1] == null ? null : Integer.valueOf(t[1]);
        }
      }
      if (r.command == null && !r.recipient.isEmpty()) {
        // The paragraph after each mention of the recipient (the first may be a summary of the
        // returned headers).
        String key = Addresses.key(r.recipient);
        int at = lowerNotice.indexOf(key);
        for (int k = 0; at >= 0 && k < 4 && r.command == null; k++) {
          int end = lowerNotice.indexOf("\n\n", at);
          r.command =
              TextNotice.command(
                  lowerNotice.substring(
                      at,
                      end < 0
                          ? Math.min(lowerNotice.length(), at + 2000)
                          : Math.min(end, at + 2000)));
          at = lowerNotice.indexOf(key, at + key.length());
        }
      }
    }
  }

  /** An automatic reply, or no notice at all, when a textual "bounce" does not look like one. */
  private static void settleKind(Reading rd, Walk w, Mime.Headers top, String notice) {
    List<Raw> raws = rd.raws;
    boolean looksBounce =
        TextNotice.looksLikeBounce(top, notice)
            || w.dsn != null
            || raws.stream()
                .anyMatch(
                    r ->
                        r.strong
                            && r.diagnostic != null
                            && (Classifier.replyCode(r.diagnostic) != null
                                || Codes.find(r.diagnostic).isPresent()));
    boolean autoReply = TextNotice.isAutoReply(top);
    if (rd.kind == BounceReport.Kind.BOUNCE
        && w.dsn == null
        && !"amazonses".equals(rd.format)
        && !textHasDsnFields(notice)) {
      if (autoReply && !TextNotice.fromDaemon(top)) {
        rd.kind = BounceReport.Kind.AUTOREPLY;
        rd.format = "rfc3834";
        raws.clear();
        Raw r = new Raw();
        String to = first(top.get("From"));
        r.recipient = to == null ? "" : to;
        r.context =
            TextNotice.clip(
                notice); // the reply's words: an absence, or an address nobody reads any more
        raws.add(r);
      } else if (!looksBounce || raws.isEmpty()) {
        rd.kind = BounceReport.Kind.NOT_BOUNCE;
        rd.format = "none";
        raws.clear();
      }
    }
  }

  /**
   * The sender's own addresses: the notice's To, the returned message's From, Return-Path and
   * Sender.
   */
  private static java.util.Set<String> senders(Mime.Headers top, Mime.@Nullable Headers returned) {
    java.util.Set<String> senders = new java.util.HashSet<>();
    for (String v :
        new String[] {
          top.get("To"),
          returned == null ? null : returned.get("From"),
          returned == null ? null : returned.get("Return-Path"),
          returned == null ? null : returned.get("Sender")
        }) {
      String a = first(v);
      if (a != null) {
        senders.add(a.toLowerCase(Locale.ROOT));
      }
    }
    return senders;
  }

  /** Classifies each recipient, folding each distinct context once. */
  private static List<BounceReport.Recipient> classifyAll(
      List<Raw> raws,
      java.util.Set<String> senders,
      BounceReport.Kind kind,
      BounceReport.@Nullable Feedback feedback) {
    List<BounceReport.Recipient> recipients = new ArrayList<>();
    int n = 0;
    java.util.IdentityHashMap<String, String> foldedContexts = new java.util.IdentityHashMap<>();
    for (Raw r : raws) {
      String shared = foldedContexts.get(r.context);
      if (shared != null) {
        r.contextFolded = shared;
        r.contextFoldedOf = r.context;
      }
      if (++n > 20 && r.context.length() > 0) {
        r.context =
            ""; // bound the work on hostile notices: past 20 recipients each is judged by its own
        // words only
      }
      r.senders = senders;
      if (shared == null && !r.context.isEmpty() && foldedContexts.size() < 8) {
        foldedContexts.put(r.context, r.contextFolded());
      }
      BounceReport.Recipient d = Classifier.classify(r, kind, feedback);
      recipients.add(d);
    }
    return recipients;
  }

  /** The kind follows the recipients: any failure makes a bounce, else delays a delay. */
  private static BounceReport.Kind kindFollowingRecipients(
      BounceReport.Kind kind, List<BounceReport.Recipient> recipients) {
    if (kind == BounceReport.Kind.BOUNCE && !recipients.isEmpty()) {
      boolean failed = recipients.stream().anyMatch(d -> d.action() == BounceReport.Action.FAILED);
      boolean delayed =
          recipients.stream().anyMatch(d -> d.action() == BounceReport.Action.DELAYED);
      if (!failed) {
        return delayed ? BounceReport.Kind.DELAY : BounceReport.Kind.DELIVERED;
      }
    }
    return kind;
  }

  /**
   * One finding per recipient, then the feedback report, what was not read, and a notice without
   * recipients.
   */
  private static List<Finding> findings(
      BounceReport.Kind kind,
      List<BounceReport.Recipient> recipients,
      BounceReport.@Nullable Feedback feedback,
      String source,
      List<String> readProblems,
      Mime.Budget budget) {
    List<Finding> findings = new ArrayList<>();
    for (BounceReport.Recipient d : recipients) {
      findings.add(finding(kind, d));
    }
    if (kind == BounceReport.Kind.FEEDBACK && feedback != null) {
      findings.add(
          Finding.warning(
                  BounceReport.Code.BOUNCE_FEEDBACK_REPORT,
                  CHECK,
                  "A feedback report ("
                      + feedback.feedbackType()
                      + "): a recipient or their provider reported the message"
                      + (feedback.sourceIp() == null ? "" : " sent from " + feedback.sourceIp())
                      + "; repeated complaints harm the sender's reputation.")
              .evidence("feedbackType", feedback.feedbackType())
              .evidence("sourceIp", feedback.sourceIp())
              .rfc("RFC 5965 §3.1")
              .build());
    }
    for (String p : readProblems) {
      findings.add(
          Finding.warning(
                  BounceReport.Code.BOUNCE_INPUT_TRUNCATED,
                  CHECK,
                  "The message was not read completely: " + p + ".")
              .evidence("source", source)
              .build());
    }
    for (String p : budget.problems) {
      findings.add(
          Finding.warning(
                  BounceReport.Code.BOUNCE_MIME_LIMIT,
                  CHECK,
                  "The message was not read completely: " + p + ".")
              .evidence("source", source)
              .rfc("RFC 2046 §5.1")
              .build());
    }
    if (kind != BounceReport.Kind.NOT_BOUNCE && recipients.isEmpty()) {
      findings.add(
          Finding.warning(
                  BounceReport.Code.BOUNCE_NO_RECIPIENT,
                  CHECK,
                  "The message looks like a delivery notice but names no recipient that could be read.")
              .evidence("source", source)
              .build());
    }
    return findings;
  }

  /**
   * More messages after the first (an mbox saved as one file): their recipients belong to the
   * report too.
   */
  private static void addFollowingMessages(
      String msg,
      int epilogueStart,
      String source,
      int depth,
      BounceReport.Kind kind,
      List<BounceReport.Recipient> recipients,
      List<Finding> findings) {
    int next = msg.indexOf("\nFrom ", epilogueStart - 1);
    if (next >= 0 && next - epilogueStart < 200) {
      BounceReport more = analyze(msg.substring(next + 1), source, List.of(), depth + 1);
      if (more.kind() == kind && !more.recipients().isEmpty()) {
        recipients.addAll(more.recipients());
        findings.addAll(more.findings());
      }
    }
  }

  static Finding finding(BounceReport.Kind kind, BounceReport.Recipient d) {
    String who = d.recipient().isEmpty() ? "(unknown recipient)" : d.recipient();
    Finding.Builder f;
    switch (kind) {
      case DELAY:
        f =
            Finding.warning(
                    BounceReport.Code.BOUNCE_DELAYED,
                    CHECK,
                    "Delivery to "
                        + who
                        + " is delayed ("
                        + d.reason().id()
                        + "): "
                        + d.explanation())
                .effect(Verdict.AT_RISK);
        break;
      case DELIVERED:
        f =
            Finding.info(
                BounceReport.Code.BOUNCE_DELIVERED,
                CHECK,
                "The message was delivered to " + who + ".");
        break;
      case FEEDBACK:
        f =
            Finding.info(
                BounceReport.Code.BOUNCE_FEEDBACK_RECIPIENT,
                CHECK,
                "The feedback report concerns mail to " + who + ".");
        break;
      case AUTOREPLY:
        f =
            Finding.info(
                BounceReport.Code.BOUNCE_AUTOREPLY,
                CHECK,
                who + " answered automatically (RFC 3834); the message was delivered.");
        break;
      default:
        if (d.action() != BounceReport.Action.FAILED) {
          f =
              Finding.info(
                  recipientCode(d.action()),
                  CHECK,
                  "Recipient " + who + ": " + d.action().name().toLowerCase(Locale.ROOT) + ".");
        } else {
          f =
              Finding.error(
                      d.hardBounce()
                          ? BounceReport.Code.BOUNCE_HARD
                          : BounceReport.Code.BOUNCE_FAILED,
                      CHECK,
                      "Delivery to "
                          + who
                          + " failed ("
                          + d.reason().id()
                          + "): "
                          + d.explanation())
                  .effect(d.hardBounce() ? Verdict.UNDELIVERABLE : Verdict.AT_RISK);
        }
    }
    f.evidence(BounceReport.Evidence.RECIPIENT, d.recipient())
        .evidence(BounceReport.Evidence.REASON, d.reason().id());
    if (d.status() != null) {
      f.evidence("status", d.status());
    }
    if (d.replyCode() != null) {
      f.evidence("replyCode", d.replyCode());
      f.evidence("replySource", d.replySource().name().toLowerCase(Locale.ROOT));
    }
    if (d.diagnosticCode() != null) {
      f.evidence("diagnostic", d.diagnosticCode());
    }
    if (d.party() != null) {
      f.evidence("party", d.party().name().toLowerCase(Locale.ROOT));
    }
    f.evidence("decision", d.decision());
    f.rfc(
        kind == BounceReport.Kind.AUTOREPLY
            ? "RFC 3834"
            : kind == BounceReport.Kind.FEEDBACK ? "RFC 5965" : "RFC 3464 §2.3");
    return f.build();
  }

  /**
   * The code of the finding about a recipient whose action is not the notice's own (RFC 3464
   * §2.3.3).
   */
  private static BounceReport.Code recipientCode(BounceReport.Action action) {
    return switch (action) {
      case DELAYED -> BounceReport.Code.BOUNCE_RECIPIENT_DELAYED;
      case DELIVERED -> BounceReport.Code.BOUNCE_RECIPIENT_DELIVERED;
      case RELAYED -> BounceReport.Code.BOUNCE_RECIPIENT_RELAYED;
      case EXPANDED -> BounceReport.Code.BOUNCE_RECIPIENT_EXPANDED;
      case FAILED -> BounceReport.Code.BOUNCE_FAILED;
    };
  }

  /** Finds the parts that matter, outside returned messages. */
  static final class Walk {
    Mime.@Nullable Part dsn;
    final List<Mime.Part> moreDsn = new ArrayList<>();
    Mime.@Nullable Part feedback;
    Mime.@Nullable Headers returned;
    final List<Mime.Part> text = new ArrayList<>();
    final List<Mime.Part> html = new ArrayList<>();

    void walk(Mime.Part p, boolean isRoot) {
      String t = p.type;
      if (p.isMultipart() && p.children.isEmpty()) {
        text.add(p); // a multipart without parts: its body is all there is to read
      } else if (p.isMultipart()) {
        for (Mime.Part c : p.children) {
          walk(c, false);
        }
      } else if (t.equals("message/delivery-status")
          || t.equals("message/global-delivery-status")
          || (t.equals("text/plain") && !isRoot && "delivery-status".equals(p.param("name")))) {
        if (dsn == null) {
          dsn = p;
        } else if (moreDsn.size() < 16) {
          moreDsn.add(p); // several notices in one file
        }
      } else if (t.equals("message/feedback-report")) {
        if (feedback == null) {
          feedback = p;
        }
      } else if (Mime.isMessage(t)) {
        if (returned == null && p.embedded != null) {
          returned = p.embedded.headers;
        }
      } else if (t.equals("text/rfc822-headers")
          || t.equals("message/rfc822-headers")
          || t.equals("message/global-headers")) {
        if (returned == null) {
          String body = p.text();
          returned = Mime.headers(body, 0, body.length(), new Mime.Budget(1, 1));
        }
      } else if (t.equals("text/plain") || t.equals("text/enriched")) {
        if (text.size() < 8 && !"attachment".equalsIgnoreCase(disposition(p)) || isRoot) {
          text.add(p);
        }
      } else if (t.equals("text/html")) {
        if (html.size() < 4) {
          html.add(p);
        }
      }
    }

    String noticeText() {
      StringBuilder b = new StringBuilder();
      List<Mime.Part> parts = text.isEmpty() ? html : text;
      for (Mime.Part p : parts) {
        String s = p.text();
        if (p.type.equals("text/html")) {
          s = Html.toText(s);
        }
        if (b.length() > 0) {
          b.append('\n');
        }
        b.append(s, 0, Math.min(s.length(), MAX_NOTICE_CHARS));
        if (b.length() > MAX_NOTICE_CHARS * 2) {
          break;
        }
      }
      return b.toString().replace("\r", "");
    }
  }

  static @Nullable String disposition(Mime.Part p) {
    String d = p.headers.get("Content-Disposition");
    if (d == null) {
      return null;
    }
    int semi = d.indexOf(';');
    return (semi < 0 ? d : d.substring(0, semi)).strip();
  }

  /**
   * Groups of "Name: value" fields separated by blank lines, names lower-cased, values unfolded.
   */
  static List<Map<String, String>> fields(String text) {
    List<Map<String, String>> out = new ArrayList<>();
    Map<String, String> cur = new LinkedHashMap<>();
    String last = null;
    int i = 0;
    int n = text.length();
    int count = 0;
    while (i < n && count < 20000) {
      count++;
      int nl = text.indexOf('\n', i);
      int e = nl < 0 ? n : nl;
      String line = text.substring(i, e);
      i = e + 1;
      if (line.isBlank()) {
        if (!cur.isEmpty()) {
          out.add(cur);
          cur = new LinkedHashMap<>();
        }
        last = null;
        continue;
      }
      char c0 = line.charAt(0);
      if ((c0 == ' ' || c0 == '\t') && last != null) {
        int colon = Mime.fieldColon(line.strip(), 0, line.strip().length());
        if (colon < 0 || !isDsnField(line.strip().substring(0, colon).toLowerCase(Locale.ROOT))) {
          cur.put(last, cur.get(last) + " " + line.strip());
          continue;
        }
        line = line.strip();
      }
      String l = line.strip();
      int colon = Mime.fieldColon(l, 0, l.length());
      if (colon < 0) {
        continue;
      }
      String name = l.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = l.substring(colon + 1).strip();
      // A recipient block without the blank line before it.
      if ((name.equals("final-recipient") || name.equals("original-recipient"))
          && cur.containsKey(name)) {
        out.add(cur);
        cur = new LinkedHashMap<>();
      }
      if (!cur.containsKey(name)) {
        cur.put(name, value);
      }
      last = name;
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    if (out.isEmpty()) {
      out.add(new LinkedHashMap<>());
    }
    return out;
  }

  static boolean isDsnField(String n) {
    switch (n) {
      case "final-recipient":
      case "original-recipient":
      case "action":
      case "status":
      case "remote-mta":
      case "diagnostic-code":
      case "last-attempt-date":
      case "will-retry-until":
      case "reporting-mta":
      case "arrival-date":
      case "received-from-mta":
      case "x-actual-recipient":
      case "final-log-id":
      case "original-envelope-id":
        return true;
      default:
        return false;
    }
  }

  static boolean textHasDsnFields(String notice) {
    String l = notice.toLowerCase(Locale.ROOT);
    return (l.contains("\nfinal-recipient:") || l.startsWith("final-recipient:"))
        && (l.contains("\nstatus:") || l.contains("\naction:"));
  }

  static String dsnFieldsFromText(String notice) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < notice.length()) {
      int nl = notice.indexOf('\n', i);
      int e = nl < 0 ? notice.length() : nl;
      String line = notice.substring(i, e);
      String s = line.strip();
      int colon = Mime.fieldColon(s, 0, s.length());
      if (colon > 0 && isDsnField(s.substring(0, colon).toLowerCase(Locale.ROOT))) {
        b.append(s).append('\n');
      } else if (s.isEmpty()) {
        b.append('\n');
      } else if ((line.startsWith(" ") || line.startsWith("\t"))
          && b.length() > 0
          && b.charAt(b.length() - 1) == '\n'
          && b.length() > 1
          && b.charAt(b.length() - 2) != '\n') {
        b.append(' ').append(s).append('\n');
      }
      i = e + 1;
    }
    return b.toString();
  }

  /** "rfc822; a@b" → "a@b"; "dns; host" → "host". */
  static @Nullable String typed(@Nullable String v) {
    if (v == null) {
      return null;
    }
    int semi = v.indexOf(';');
    String s = (semi >= 0 ? v.substring(semi + 1) : v).strip();
    int sp = s.indexOf(' ');
    if (sp > 0 && s.indexOf('@') < 0) {
      s = s.substring(0, sp);
    }
    return s.isEmpty() ? null : s;
  }

  static String typedText(String v) {
    int semi = v.indexOf(';');
    String type = semi >= 0 ? v.substring(0, semi).strip() : "";
    String s = semi >= 0 && type.length() < 20 && !type.contains(" ") ? v.substring(semi + 1) : v;
    return s.strip();
  }

  static @Nullable String clean(@Nullable String a) {
    if (a == null) {
      return null;
    }
    String s = a.strip();
    Addresses.Found f = Addresses.find(s, 0, s.length(), 1).stream().findFirst().orElse(null);
    if (f != null) {
      return f.address();
    }
    s = s.replace("<", "").replace(">", "").strip();
    return s;
  }

  static @Nullable String first(@Nullable String v) {
    return v == null ? null : Addresses.first(v);
  }

  static @Nullable String msgId(@Nullable String v) {
    if (v == null) {
      return null;
    }
    String s = v.strip();
    int lt = s.indexOf('<');
    int gt = s.indexOf('>', lt + 1);
    if (lt >= 0 && gt > lt) {
      return s.substring(lt, gt + 1);
    }
    return s.isEmpty() ? null : s;
  }

  static @Nullable String dec(@Nullable String v) {
    return v == null ? null : Mime.decodeHeader(v).strip();
  }

  /** Where a copy of the original message starts inside the notice text, or -1. */
  static int inlineCopyStart(String notice) {
    int i = 0;
    int n = notice.length();
    int lines = 0;
    String lower = notice.toLowerCase(Locale.ROOT);
    while (i < n && lines < 5000) {
      lines++;
      int nl = notice.indexOf('\n', i);
      int e = nl < 0 ? n : nl;
      if (e - i > 6 && e - i < 200) {
        String line = lower.substring(i, e);
        if (isCopyMarker(line)) {
          int after = nl < 0 ? n : nl + 1;
          while (after < n && notice.charAt(after) == '\n') {
            after++;
          }
          return after;
        }
        if (startsHeaderBlock(notice, i, e)) {
          return i;
        }
      }
      i = e + 1;
    }
    return -1;
  }

  static boolean isCopyMarker(String l) {
    return l.contains("this is a copy of the message")
        || l.contains("this is a copy of your message")
        || l.contains("original message follows")
        || l.contains("message headers follow")
        || l.contains("below this line is a copy")
        || l.contains("header of the original message")
        || l.contains("----- original message -----")
        || l.contains("unsent message below")
        || l.contains("------ returned message")
        || l.contains("-----original message-----")
        || l.contains("--- original message ---")
        || l.contains("original message header")
        || l.startsWith("----- message header follows")
        || l.contains("the original message headers")
        || l.contains("headers of your message follow")
        || l.contains("--- the header of the original");
  }

  private static final String[] HEADER_START = {
    "received:",
    "return-path:",
    "message-id:",
    "dkim-signature:",
    "x-received:",
    "mime-version:",
    "delivered-to:",
    "authentication-results:",
    "x-google-dkim-signature:",
    "arc-seal:"
  };

  static boolean startsHeaderBlock(String s, int i, int e) {
    String head = s.substring(i, Math.min(e, i + 30)).toLowerCase(Locale.ROOT);
    boolean hit = false;
    for (String h : HEADER_START) {
      if (head.startsWith(h)) {
        hit = true;
        break;
      }
    }
    if (!hit) {
      return false;
    }
    // the next line must continue the header block
    int nl = s.indexOf('\n', e + 1);
    int ne = nl < 0 ? s.length() : nl;
    if (e + 1 >= s.length()) {
      return false;
    }
    String next = s.substring(e + 1, ne);
    return next.startsWith(" ")
        || next.startsWith("\t")
        || Mime.fieldColon(next, 0, next.length()) > 0;
  }
}
