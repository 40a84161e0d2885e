package dev.maildx.bounce.internal;

import dev.maildx.report.BounceReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads notices that have no delivery-status part by their structure and wording: the failed
 * address on a line of its own or in a recipient phrase ("delivering your mail to &lt;a@b&gt;",
 * "Recipient: &lt;a@b&gt;", "&lt;a@b&gt;:" as qmail and old Postfix write it, Exim's indented
 * address list, Sendmail's "&gt;&gt;&gt; a@b"), the lines that follow it as its diagnostic, the
 * SMTP command it failed at, and whether the notice is a warning (delay) or a failure.
 */
final class TextNotice {
  private TextNotice() {}

  static final int MAX_BLOCK = 4000;

  static String clip(String s) {
    return s.length() > 8000 ? s.substring(0, 8000) : s;
  }

  /** The recipients a textual notice names, each with its diagnostic block. */
  static List<Analyzer.Raw> recipients(
      String notice, Mime.Headers top, Mime.@Nullable Headers returned, int max) {
    Set<String> exclude = excluded(top, returned);
    Set<String> daemon = daemon(top);
    List<int[]> strong = new ArrayList<>(); // {lineStart, lineEnd, addrStart, addrEnd}
    List<String> strongAddr = new ArrayList<>();
    List<String> weak = new ArrayList<>();
    scan(notice, exclude, daemon, max, strong, strongAddr, weak);
    Notice whole = new Notice(notice);
    String failed = top.get("X-Failed-Recipients");
    if (failed != null && strong.isEmpty()) {
      // Exim and Google name the failed addresses in a header: authoritative when the text names
      // none clearly.
      List<Analyzer.Raw> out = headerRecipients(failed, notice, max, whole);
      if (!out.isEmpty()) {
        return out;
      }
    }
    if (!strong.isEmpty()) {
      return strongRecipients(notice, strong, strongAddr, whole);
    }
    return weakRecipient(notice, top, returned, weak, whole);
  }

  /**
   * The addresses in the notice's headers and the returned message's sender fields: a mention of
   * one counts only as a strong one.
   */
  private static Set<String> excluded(Mime.Headers top, Mime.@Nullable Headers returned) {
    Set<String> exclude = new HashSet<>();
    for (String h : new String[] {"To", "From", "Return-Path", "Reply-To", "Sender"}) {
      String v = top.get(h);
      if (v != null) {
        for (Addresses.Found f : Addresses.find(v, 0, v.length(), 10)) {
          exclude.add(Addresses.key(f.address()));
        }
      }
    }
    if (returned != null) {
      for (String h : new String[] {"From", "Return-Path", "Sender", "Reply-To"}) {
        String v = returned.get(h);
        if (v != null) {
          for (Addresses.Found f : Addresses.find(v, 0, v.length(), 10)) {
            exclude.add(Addresses.key(f.address()));
          }
        }
      }
    }
    return exclude;
  }

  /** The addresses of the notice's From: the reporting daemon's. */
  private static Set<String> daemon(Mime.Headers top) {
    Set<String> daemon = new HashSet<>();
    String fromHeader = top.get("From");
    if (fromHeader != null) {
      for (Addresses.Found f : Addresses.find(fromHeader, 0, fromHeader.length(), 4)) {
        daemon.add(Addresses.key(f.address()));
      }
    }
    return daemon;
  }

  /**
   * Reads the notice line by line into strong mentions (an address where a recipient stands) and
   * weak ones (any other).
   */
  private static void scan(
      String notice,
      Set<String> exclude,
      Set<String> daemon,
      int max,
      List<int[]> strong,
      List<String> strongAddr,
      List<String> weak) {
    Set<String> seen = new HashSet<>();
    String prevLower = "";
    int i = 0;
    int n = notice.length();
    int lines = 0;
    while (i < n && lines < 20000) {
      lines++;
      int nl = notice.indexOf('\n', i);
      int e = nl < 0 ? n : nl;
      if (e - i < 2000) {
        List<Addresses.Found> found = Addresses.find(notice, i, e, 8);
        String lower = notice.substring(i, e).toLowerCase(Locale.ROOT);
        for (Addresses.Found f : found) {
          String key = Addresses.key(f.address());
          if (isSenderMention(lower, f, i) || daemon.contains(key)) {
            continue;
          }
          boolean isStrong = recipientPosition(notice, i, e, f, lower, prevLower);
          if (!isStrong && exclude.contains(key)) {
            continue;
          }
          if (isStrong) {
            if (seen.add(key) && strong.size() < max) {
              strong.add(new int[] {i, e, f.start(), f.end()});
              strongAddr.add(f.address());
            }
          } else if (!lower.contains("http") || !lower.contains("/" + key)) {
            weak.add(f.address());
          }
        }
        if (!lower.isBlank()) {
          prevLower = lower;
        }
      }
      i = e + 1;
    }
  }

  /** The addresses of an X-Failed-Recipients header, each with the text after its mention. */
  private static List<Analyzer.Raw> headerRecipients(
      String failed, String notice, int max, Notice whole) {
    List<Analyzer.Raw> out = new ArrayList<>();
    int n = notice.length();
    for (Addresses.Found f : Addresses.find(failed, 0, failed.length(), max)) {
      int at = notice.toLowerCase(Locale.ROOT).indexOf(Addresses.key(f.address()));
      out.add(raw(f.address(), notice, at < 0 ? 0 : at + f.address().length(), n, whole));
      out.get(out.size() - 1).strong = true;
    }
    return out;
  }

  /** The strong mentions, each with the block up to the next one. */
  private static List<Analyzer.Raw> strongRecipients(
      String notice, List<int[]> strong, List<String> strongAddr, Notice whole) {
    List<Analyzer.Raw> out = new ArrayList<>();
    int n = notice.length();
    for (int k = 0; k < strong.size(); k++) {
      int[] s = strong.get(k);
      int blockEnd = k + 1 < strong.size() ? strong.get(k + 1)[0] : n;
      // Several addresses listed one after another share the explanation that follows them all.
      if (k + 1 < strong.size()
          && strong.get(k + 1)[0] <= s[1] + 1 + 2
          && !hasCode(notice.substring(s[3], s[1]))) {
        int j = k + 1;
        while (j + 1 < strong.size() && strong.get(j + 1)[0] <= strong.get(j)[1] + 1 + 2) {
          j++;
        }
        blockEnd = j + 1 < strong.size() ? strong.get(j + 1)[0] : n;
        out.add(raw(strongAddr.get(k), notice, s[3], Math.max(blockEnd, s[3]), whole, s[0]));
        out.get(out.size() - 1).strong = true;
        continue;
      }
      out.add(raw(strongAddr.get(k), notice, s[3], Math.max(blockEnd, s[3]), whole, s[0]));
      out.get(out.size() - 1).strong = true;
    }
    return out;
  }

  /**
   * No strong mention: the first weak one, else the returned message's To, else
   * X-Failed-Recipients; at most one recipient.
   */
  private static List<Analyzer.Raw> weakRecipient(
      String notice,
      Mime.Headers top,
      Mime.@Nullable Headers returned,
      List<String> weak,
      Notice whole) {
    List<Analyzer.Raw> out = new ArrayList<>();
    int n = notice.length();
    String pick = weak.isEmpty() ? null : weak.get(0);
    if (pick == null && returned != null) {
      pick = Analyzer.first(returned.get("To"));
    }
    if (pick == null) {
      String xf = top.get("X-Failed-Recipients");
      pick = xf == null ? null : Analyzer.first(xf);
    }
    if (pick != null) {
      int at = notice.toLowerCase(Locale.ROOT).indexOf(Addresses.key(pick));
      Analyzer.Raw r = raw(pick, notice, at < 0 ? 0 : at + pick.length(), n, whole);
      if (at < 0 && r.diagnostic != null && !hasCode(r.diagnostic)) {
        // The notice never names the address (it came from the returned message's headers) and
        // carries no SMTP reply:
        // its first lines are the reporting MTA's boilerplate ("This is the mail system at host
        // ..."), not a diagnostic.
        r.diagnostic = null;
      }
      out.add(r);
    }
    return out;
  }

  /** What is computed once per notice and shared by its recipients. */
  static final class Notice {
    final String text;
    final String clipped;
    private @Nullable Boolean delayed;
    private @Nullable String command;
    private boolean commandDone;
    private @Nullable String diagnostic;
    private boolean diagnosticDone;

    Notice(String text) {
      this.text = text;
      this.clipped = clip(text);
    }

    boolean delayed() {
      if (delayed == null) {
        delayed = TextNotice.delayed(text);
      }
      return delayed;
    }

    @Nullable String command() {
      if (!commandDone) {
        command = TextNotice.command(clipped.toLowerCase(Locale.ROOT));
        commandDone = true;
      }
      return command;
    }

    @Nullable String diagnostic() {
      if (!diagnosticDone) {
        diagnostic = TextNotice.diagnostic(clipped);
        diagnosticDone = true;
      }
      return diagnostic;
    }
  }

  private static Analyzer.Raw raw(String address, String notice, int from, int to, Notice whole) {
    return raw(address, notice, from, to, whole, from);
  }

  private static Analyzer.Raw raw(
      String address, String notice, int from, int to, Notice whole, int lineStart) {
    Analyzer.Raw r = new Analyzer.Raw();
    r.recipient = address;
    String block = notice.substring(from, Math.min(to, from + MAX_BLOCK));
    r.diagnostic = diagnostic(block);
    String[] quoted = protocolErrorReply(notice, lineStart, from);
    if (quoted != null) {
      r.diagnostic = quoted[0];
      r.context = whole.clipped;
      r.command = quoted[1];
      r.action = whole.delayed() ? BounceReport.Action.DELAYED : BounceReport.Action.FAILED;
      return r;
    }
    if (r.diagnostic == null) {
      r.diagnostic = reasonAbove(notice, lineStart);
    }
    if (r.diagnostic == null || !hasCode(r.diagnostic)) {
      // The explanation may stand before the address ("Could not be delivered because of 550 5.1.1
      // ... The following
      // recipients were affected: a@b"): take the notice's coded line.
      String d = whole.diagnostic();
      if (d != null && hasCode(d)) {
        r.diagnostic = d;
      }
    }
    r.context = whole.clipped;
    r.command =
        command(
            notice
                .substring(Math.min(lineStart, from), Math.min(to, from + MAX_BLOCK))
                .toLowerCase(Locale.ROOT));
    if (r.command == null) {
      r.command = whole.command();
    }
    r.action = whole.delayed() ? BounceReport.Action.DELAYED : BounceReport.Action.FAILED;
    return r;
  }

  /**
   * Sendmail (V5 and later) writes "554 &lt;a@b&gt;... Remote protocol error" for a recipient whose
   * transaction the remote server refused at another command (MAIL FROM, HELO); the remote server's
   * own reply is the "&lt;&lt;&lt;" line of the transcript just above, answering the "&gt;&gt;&gt;"
   * command before it. Returns {reply, command} or null.
   */
  static String @Nullable [] protocolErrorReply(String notice, int lineStart, int addressEnd) {
    int eol = notice.indexOf('\n', addressEnd);
    String rest =
        notice.substring(addressEnd, eol < 0 ? notice.length() : eol).toLowerCase(Locale.ROOT);
    if (!rest.contains("remote protocol error") || lineStart <= 0) {
      return null;
    }
    String reply = null;
    String cmd = null;
    int end = lineStart - 1; // the newline before the recipient's line
    for (int k = 0; k < 30 && end > 0; k++) {
      int start = notice.lastIndexOf('\n', end - 1) + 1;
      String line = notice.substring(start, end).strip();
      String lower = line.toLowerCase(Locale.ROOT);
      if (line.isEmpty() || line.startsWith("-----") || lower.contains("while talking to")) {
        break;
      }
      if (line.startsWith("<<<") && reply == null) {
        reply = line.substring(3).strip();
      } else if (line.startsWith(">>>") && reply != null) {
        cmd = commandName(lower.substring(3).strip());
        break;
      }
      end = start - 1;
    }
    return reply == null ? null : new String[] {reply, cmd};
  }

  /**
   * Notices that write the reason above the failed address (Lotus Notes: "------- Failure Reasons
   * --------", the reason, then the address): the lines between such a heading and the address, or
   * null.
   */
  static @Nullable String reasonAbove(String notice, int lineStart) {
    List<String> lines = new ArrayList<>();
    int end = lineStart - 1;
    for (int k = 0; k < 6 && end > 0; k++) {
      int start = notice.lastIndexOf('\n', end - 1) + 1;
      String line = notice.substring(start, end).strip();
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.contains("reason")
          && (line.startsWith("---") || line.endsWith("---") || line.endsWith(":"))) {
        if (lines.isEmpty()) {
          return null;
        }
        java.util.Collections.reverse(lines);
        String d = String.join(" ", lines);
        return Text.cut(d, Analyzer.MAX_DIAGNOSTIC_CHARS);
      }
      if (line.startsWith("---") || line.startsWith("===") || line.indexOf('@') >= 0) {
        return null;
      }
      if (!line.isEmpty()) {
        lines.add(line);
      }
      end = start - 1;
    }
    return null;
  }

  /**
   * "rcpt to:<a@b>" -> RCPT, "mail from:..." -> MAIL, "data" or "." -> DATA, "ehlo x" -> HELO, else
   * null.
   */
  static @Nullable String commandName(String lowerCommand) {
    String c = lowerCommand.strip();
    return c.startsWith("rcpt")
        ? "RCPT"
        : c.startsWith("mail")
            ? "MAIL"
            : c.startsWith("data") || c.equals(".")
                ? "DATA"
                : c.startsWith("helo") || c.startsWith("ehlo")
                    ? "HELO"
                    : c.startsWith("bdat") ? "DATA" : null;
  }

  /**
   * The SMTP stage of a Sendmail "Transcript of session follows" for one recipient: in the "...
   * while talking to HOST:" block that names the recipient (or whose host is the recipient's
   * Remote-MTA, or the only block when the notice has one recipient), the "&gt;&gt;&gt;" command
   * that the first failure reply ("&lt;&lt;&lt; 5xx") answered; a failure reply before any command
   * is the greeting ({@code CONN}).
   *
   * <p>With PIPELINING the client writes RCPT TO and DATA before reading the replies, so the
   * refusal of a recipient can be printed after "&gt;&gt;&gt; DATA". When a later reply in the
   * block says that DATA found no recipient ("Need RCPT", "no valid recipients"), the refusal
   * answered RCPT TO, and the stage is {@code RCPT}.
   *
   * @param lowerNotice the notice, lower case
   * @param recipientKey the recipient, lower case
   * @param remoteMta the recipient's Remote-MTA, if known
   * @param onlyRecipient whether the notice reports a single recipient
   * @return RCPT, MAIL, DATA, HELO, CONN or null
   */
  static @Nullable String transcriptStage(
      String lowerNotice, String recipientKey, @Nullable String remoteMta, boolean onlyRecipient) {
    String[] t = transcript(lowerNotice, recipientKey, remoteMta, onlyRecipient);
    return t == null ? null : t[0];
  }

  /**
   * {@link #transcriptStage} and the failure reply's code: {stage, reply code or null}, or null.
   */
  static String @Nullable [] transcript(
      String lowerNotice, String recipientKey, @Nullable String remoteMta, boolean onlyRecipient) {
    int from = 0;
    String chosen = null;
    String first = null;
    String mta = remoteMta == null ? null : trimDot(remoteMta.toLowerCase(Locale.ROOT));
    for (int guard = 0; guard < 32; guard++) {
      int at = lowerNotice.indexOf("while talking to ", from);
      if (at < 0) {
        break;
      }
      int eol = lowerNotice.indexOf('\n', at);
      if (eol < 0) {
        break;
      }
      int next = lowerNotice.indexOf("while talking to ", eol);
      int blank = lowerNotice.indexOf("\n\n", eol);
      int end = next < 0 ? blank : blank < 0 ? next : Math.min(next, blank);
      if (end < 0) {
        end = lowerNotice.length();
      }
      String host = lowerNotice.substring(at + "while talking to ".length(), eol).strip();
      if (host.endsWith(":")) {
        host = host.substring(0, host.length() - 1);
      }
      host = trimDot(host);
      // A blank line right after the "while talking to" line leaves an empty block (end == eol).
      String block =
          lowerNotice.substring(eol + 1, Math.max(eol + 1, Math.min(end, eol + 1 + MAX_BLOCK)));
      if (first == null) {
        first = block;
      }
      if (block.contains(recipientKey) || mta != null && mta.equals(host)) {
        chosen = block;
        break;
      }
      from = eol;
    }
    if (chosen == null && onlyRecipient) {
      chosen = first;
    }
    if (chosen == null) {
      return null;
    }
    String last = null;
    String stage = null;
    String code = null;
    for (String line : chosen.split("\n", 200)) {
      String l = line.strip();
      if (stage == null) {
        if (l.startsWith(">>>")) {
          String c = commandName(l.substring(3));
          last = c != null ? c : last;
        } else if (l.startsWith("<<< 4") || l.startsWith("<<< 5")) {
          stage = last == null ? "CONN" : last;
          Integer rc = Classifier.replyCode(l.substring(3).strip() + " ");
          code = rc == null ? null : rc.toString();
        }
      } else if ("DATA".equals(stage)
          && l.startsWith("<<<")
          && (l.contains("need rcpt")
              || l.contains("no valid recipients")
              || l.contains("no recipients"))) {
        return new String[] {
          "RCPT", code
        }; // pipelined: the refusal printed after DATA answered RCPT TO
      }
    }
    return stage == null ? null : new String[] {stage, code};
  }

  private static String trimDot(String h) {
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  static boolean hasCode(String s) {
    return Classifier.replyCode(s) != null || Codes.find(s).isPresent();
  }

  /** The lines of a block that carry the server's answer, or its first lines. */
  static @Nullable String diagnostic(String block) {
    int said =
        block.toLowerCase(Locale.ROOT).indexOf("the error that the other server returned was:");
    if (said >= 0) {
      block = block.substring(said + "the error that the other server returned was:".length());
    }
    String[] lines = block.split("\n", 60);
    StringBuilder b = new StringBuilder();
    int firstCoded = -1;
    // Prefer a line with a failure reply code, then one with a failure status code, then a success
    // line.
    for (int pass = 0; pass < 3 && firstCoded < 0; pass++) {
      for (int k = 0; k < lines.length; k++) {
        String l = lines[k].strip();
        Integer rc = Classifier.replyCode(l);
        java.util.Optional<dev.maildx.report.EnhancedStatusCode> sc = Codes.find(l);
        boolean hit =
            pass == 0
                ? rc != null && rc >= 400
                : pass == 1
                    ? sc.isPresent() && !sc.get().isSuccess()
                    : rc != null || sc.isPresent();
        if (hit) {
          firstCoded = k;
          break;
        }
      }
    }
    int start = Math.max(firstCoded, 0);
    // A line or two of transcript just before the reply belong to it ("mail.local: unknown user:
    // bob").
    for (int back = 0; back < 2 && start > 0; back++) {
      String prev = lines[start - 1].strip();
      if (prev.isEmpty()
          || prev.startsWith("---")
          || prev.startsWith("===")
          || prev.indexOf('@') >= 0
          || prev.endsWith(":") && prev.length() < 40 && !prev.contains(": ")) {
        break;
      }
      start--;
    }
    int taken = 0;
    for (int k = start;
        k < lines.length && taken < 6 && b.length() < Analyzer.MAX_DIAGNOSTIC_CHARS;
        k++) {
      String l = lines[k].strip();
      if (l.isEmpty()) {
        if (taken > 0) {
          break;
        }
        continue;
      }
      if (l.startsWith("-----") || l.startsWith("=====")) {
        if (taken > 0) {
          break;
        }
        continue;
      }
      l = trimLead(l);
      if (l.isEmpty()) {
        continue;
      }
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(l);
      taken++;
    }
    String s = b.toString().strip();
    s = Text.cut(s, Analyzer.MAX_DIAGNOSTIC_CHARS);
    return s.isEmpty() ? null : s;
  }

  private static String trimLead(String l) {
    String s = l;
    while (s.startsWith(">") || s.startsWith("<") || s.startsWith(":")) {
      s = s.substring(1).strip();
    }
    if (s.startsWith("...")) {
      s = s.substring(3).strip();
    }
    return s;
  }

  /** The SMTP command the failure happened at, if the block says. */
  static @Nullable String command(String lowerText) {
    String lower = lowerText.replace('\t', ' ');
    if (lower.contains(">>> ")) {
      // An SMTP transcript: the command answered by the first error reply.
      String last = null;
      for (String line : lower.split("\n", 400)) {
        String l = line.strip();
        if (l.startsWith(">>> ")) {
          String c = l.substring(4);
          last =
              c.startsWith("rcpt")
                  ? "RCPT"
                  : c.startsWith("mail")
                      ? "MAIL"
                      : c.startsWith("data") || c.equals(".")
                          ? "DATA"
                          : c.startsWith("helo") || c.startsWith("ehlo") ? "HELO" : last;
        } else if (last != null
            && (l.startsWith("<<< 5")
                || l.startsWith("<<< 4")
                || l.matches("^[45][0-9][0-9][ -].*"))) {
          return last;
        }
      }
    }
    String[][] map = {
      {"after rcpt to", "RCPT"},
      {"in reply to rcpt to", "RCPT"},
      {"like our rcpt to", "RCPT"},
      {">>> rcpt to", "RCPT"},
      {"after mail from", "MAIL"},
      {"in reply to mail from", "MAIL"},
      {"like our mail from", "MAIL"},
      {">>> mail from", "MAIL"},
      {"after end of data", "DATA"},
      {"after data", "DATA"},
      {"final data", "DATA"},
      {"in reply to end of data", "DATA"},
      {"in reply to data", "DATA"},
      {"like our data", "DATA"},
      {"after initial connection", "CONN"},
      // qmail-remote: "<host> does not like recipient." / "does not like sender." / "failed on DATA
      // command." /
      // "failed after I sent the message." name the command the remote server refused.
      {"does not like recipient", "RCPT"},
      {"does not like sender", "MAIL"},
      {"failed on data command", "DATA"},
      {"failed after i sent the message", "DATA"},
      // Oracle Communications Messaging Server: "Reason: Remote SMTP server has rejected address"
      // (the RCPT TO reply).
      {"server has rejected address", "RCPT"},
      {"but my name was rejected", "HELO"},
      {"but sender was rejected", "MAIL"},
      {"after rcpt command", "RCPT"},
      {"after mail command", "MAIL"},
      {"after data command", "DATA"},
      {"after helo", "HELO"},
      {"after ehlo", "HELO"},
      {"in reply to helo", "HELO"},
      {"in reply to ehlo", "HELO"},
      {"greeting", "CONN"}
    };
    lower = ReasonRules.fold(lower);
    int best = Integer.MAX_VALUE;
    String cmd = null;
    for (String[] m : map) {
      int at = lower.indexOf(m[0]);
      if (at >= 0 && at < best) {
        best = at;
        cmd = m[1];
      }
    }
    return cmd;
  }

  private static boolean isSenderMention(String lower, Addresses.Found f, int lineStart) {
    int rel = f.start() - lineStart;
    String before = lower.substring(Math.max(0, rel - 16), Math.max(0, rel));
    return before.contains("mail from:")
        || before.contains("envelope-from")
        || before.contains("mail from: <")
        || before.contains("sender:")
        || before.contains("from:<")
        || before.endsWith("from <")
        || before.contains("return-path");
  }

  private static final String[] RECIPIENT_PREFIXES = {
    "recipient:",
    "recipient address:",
    "rcpt to:",
    ">>> rcpt to:",
    "original-recipient:",
    "final-recipient:",
    "to:",
    "failed recipient:",
    "address:",
    "invalid recipient:",
    "unknown user:",
    "the following address failed:",
    "delivery to the following recipient",
    "to the following recipient",
    "addressed to",
    "userid:"
  };

  private static final String[] RECIPIENT_PHRASES = {
    "delivering your mail to",
    "delivering to",
    "could not be delivered to",
    "delivery to",
    "not delivered to",
    "deliver the mail to",
    "deliver your message to",
    "deliver mail to",
    "delivery failed for",
    "failed to deliver to",
    "undeliverable to",
    "message to",
    "mailbox of",
    "recipient",
    "was rejected",
    "user ",
    "address ",
    "mailing list",
    "mailbox ",
    "account "
  };

  /** Whether the address stands where a notice names a failed recipient. */
  static boolean recipientPosition(
      String s, int ls, int le, Addresses.Found f, String lower, String prevLower) {
    String line = s.substring(ls, le);
    String before = s.substring(ls, f.start()).strip();
    String after = s.substring(f.end(), le).strip();
    String bl = before.toLowerCase(Locale.ROOT);
    // strip brackets and list markers
    String b2 =
        bl.replace("<", "")
            .replace(">", "")
            .replace("\"", "")
            .replace("*", "")
            .replace("-", "")
            .strip();
    String a2 = after.startsWith(">") ? after.substring(1).strip() : after;
    if (a2.startsWith("\"") || a2.startsWith("'")) {
      a2 = a2.substring(1).strip();
    }
    // "550 <a@b>... User unknown": a reply code, then the address (Sendmail transcripts)
    if (bl.length() >= 3
        && bl.length() <= 6
        && Classifier.replyCode(bl.replace("<", "").strip() + " ") != null
        && Character.isDigit(bl.charAt(0))
        && (a2.startsWith("...") || a2.startsWith(":"))) {
      return true;
    }
    // "a@b Invalid Address, ERROR_CODE :550": the address first on its line, then its error
    if (b2.isEmpty()
        && !a2.isEmpty()
        && ls == f.start()
        && (Classifier.replyCode(a2) != null || Codes.find(a2).isPresent())) {
      return true;
    }
    boolean aloneOnLine =
        b2.isEmpty()
            && (a2.isEmpty()
                || a2.startsWith(":")
                || a2.startsWith("...")
                || a2.startsWith(" on ")
                || a2.toLowerCase(Locale.ROOT).startsWith("on ")
                || a2.startsWith("(")
                || a2.startsWith(",")
                || a2.startsWith("<")
                || a2.startsWith("[")
                || a2.toLowerCase(Locale.ROOT).startsWith("for ")
                || a2.startsWith(";"));
    if (aloneOnLine) {
      // Sendmail-style ">>> a@b <a@b>" or a line holding only the address.
      if (a2.startsWith(":")
          && a2.length() > 1
          && bl.isEmpty()
          && !line.startsWith("<")
          && !line.startsWith(" ")
          && !line.startsWith("\t")
          && lower.contains(" said")) {
        return true;
      }
      return !prevLower.startsWith("from:") && !prevLower.endsWith("from:");
    }
    if (b2.equals("") && bl.startsWith(">>>")) {
      return true;
    }
    for (String p : RECIPIENT_PREFIXES) {
      if (b2.endsWith(p.replace("-", "").replace(">", "").strip())
          && b2.length() - p.length() < 40) {
        return !b2.startsWith("from") && !p.equals("to:")
            || (p.equals("to:") && (bl.startsWith("rcpt") || bl.contains("rcpt")));
      }
    }
    if (before.startsWith(">>>")) {
      return true;
    }
    for (String p : RECIPIENT_PHRASES) {
      if (bl.endsWith(p) || bl.endsWith(p + " <") || bl.endsWith(p + ":")) {
        return true;
      }
    }
    String pl = prevLower.strip();
    if (b2.length() <= 12
        && (pl.endsWith("recipient(s):")
            || pl.endsWith("recipients:")
            || pl.endsWith("failed:")
            || pl.endsWith("delivered to:")
            || pl.endsWith("following address:")
            || pl.endsWith("following addresses:")
            || pl.endsWith("failed permanently:")
            || pl.endsWith("delayed:")
            || pl.endsWith("following recipient:")
            || pl.endsWith("recipient:"))) {
      return true;
    }
    return false;
  }

  static boolean delayed(String notice) {
    String l = ReasonRules.fold(notice.length() > 3000 ? notice.substring(0, 3000) : notice);
    return l.contains("warning message only")
        || l.contains("has been delayed")
        || l.contains("have been delayed")
        || l.contains("delivery is delayed")
        || l.contains("delivery has been delayed")
        || l.contains("will be retried")
        || l.contains("will continue trying")
        || l.contains("will keep trying")
        || l.contains("still trying")
        || l.contains("not yet been delivered")
        || l.contains("will retry")
        || l.contains("will try to deliver")
        || l.contains("you do not need to resend")
        || l.contains("delivery delayed")
        || l.contains("delayed delivery")
        || l.contains("temporarily deferred") && !l.contains("giving up")
        || l.contains("is still being retried")
        || l.contains("not been delivered yet");
  }

  static boolean looksLikeBounce(Mime.Headers top, String notice) {
    if (top.has("X-Failed-Recipients") || fromDaemon(top)) {
      return true;
    }
    String subject = ReasonRules.fold(Mime.decodeHeader(top.get("Subject")));
    String[] s = {
      "undeliver",
      "undelivered",
      "delivery status notification",
      "delivery failure",
      "delivery failed",
      "failure notice",
      "returned mail",
      "mail delivery",
      "non-delivery",
      "nondelivery",
      "not delivered",
      "delivery problem",
      "could not be delivered",
      "mail system error",
      "returned to sender",
      "delivery notification",
      "bounce",
      "warning: could not",
      "delivery report",
      "failed delivery",
      "rejected",
      "error",
      "notification",
      "nicht zustellbar",
      "unzustellbar",
      "non remis",
      "no se puede",
      "delayed"
    };
    for (String k : s) {
      if (subject.contains(k)) {
        return true;
      }
    }
    String l = ReasonRules.fold(notice.length() > 4000 ? notice.substring(0, 4000) : notice);
    return l.contains("could not be delivered")
        || l.contains("was not delivered")
        || l.contains("delivery to the following")
        || l.contains("permanent error")
        || l.contains("following address")
        || l.contains("following recipient")
        || l.contains("did not reach")
        || l.contains("error delivering")
        || l.contains("delivery has failed")
        || l.contains("not a member of this mailing list")
        || l.contains("you are not a member")
        || l.contains("invalid user address");
  }

  static boolean fromDaemon(Mime.Headers top) {
    String from = ReasonRules.fold(top.get("From") == null ? "" : top.get("From"));
    return from.contains("mailer-daemon")
        || from.contains("postmaster")
        || from.contains("mail delivery")
        || from.contains("mail administrator")
        || from.contains("mail.delivery")
        || from.contains("mailerdaemon")
        || from.contains("mail-daemon")
        || from.contains("system administrator")
        || from.contains("mail-delivery");
  }

  /**
   * The "Delay reason:" line of an Exim delay warning for the given address (the first after the
   * address, or the only one), or null.
   */
  static @Nullable String delayReason(String notice, String recipient) {
    String lower = notice.toLowerCase(Locale.ROOT);
    int from = recipient.isEmpty() ? -1 : lower.indexOf(recipient.toLowerCase(Locale.ROOT));
    int at = lower.indexOf("delay reason:", Math.max(0, from));
    if (at < 0) {
      return null;
    }
    int end = notice.indexOf('\n', at);
    String line = notice.substring(at + "delay reason:".length(), end < 0 ? notice.length() : end);
    line = line.strip();
    return line.isEmpty() ? null : Text.cut(line, Analyzer.MAX_DIAGNOSTIC_CHARS);
  }

  static boolean isAutoReply(Mime.Headers top) {
    String as = top.get("Auto-Submitted");
    if (as != null && as.toLowerCase(Locale.ROOT).contains("auto-replied")) {
      return true;
    }
    if (top.has("X-Autoreply")
        || top.has("X-Autorespond")
        || top.has("X-Auto-Response-Suppress") && subjectAuto(top)) {
      return true;
    }
    String apple = top.get("X-Apple-Action");
    if (apple != null && apple.toLowerCase(Locale.ROOT).contains("vacation")
        || top.has("X-Vacation")
        || top.has("X-Mail-Autoreply")) {
      return true;
    }
    String p = top.get("Precedence");
    if (p != null && p.toLowerCase(Locale.ROOT).contains("auto_reply")) {
      return true;
    }
    return subjectAuto(top);
  }

  static boolean subjectAuto(Mime.Headers top) {
    String s = ReasonRules.fold(Mime.decodeHeader(top.get("Subject")));
    return s.startsWith("auto:")
        || s.startsWith("auto reply")
        || s.startsWith("automatic reply")
        || s.startsWith("automatische antwort")
        || s.startsWith("autoreply")
        || s.startsWith("auto-reply")
        || s.contains("out of office")
        || s.contains("out of the office")
        || s.startsWith("vacation")
        || s.contains("abwesenheit")
        || s.startsWith("auto response")
        || s.startsWith("autoresponse")
        || s.contains("away from my mail")
        || s.contains("réponse automatique")
        || s.contains("respuesta automática")
        || s.contains("risposta automatica")
        || s.contains("absence");
  }

  /** The domain of the notice's From, as the best guess at the reporting MTA. */
  static @Nullable String reportingHost(Mime.Headers top) {
    String from = Analyzer.first(top.get("From"));
    if (from == null) {
      return null;
    }
    int at = from.lastIndexOf('@');
    return at < 0 ? null : from.substring(at + 1);
  }

  /** A name for the wording recognised. */
  static String family(String notice, Mime.Headers top) {
    String l = ReasonRules.fold(notice.length() > 3000 ? notice.substring(0, 3000) : notice);
    String from = ReasonRules.fold(top.get("From") == null ? "" : top.get("From"));
    if (top.has("X-Failed-Recipients")
        || l.contains("this message was created automatically by mail delivery software")) {
      return "exim";
    }
    if (l.contains("qmail-send")
        || l.contains("i'm afraid i wasn't able to deliver your message")) {
      return "qmail";
    }
    if (l.contains("the following addresses had permanent fatal errors")
        || l.contains("transcript of session follows")) {
      return "sendmail";
    }
    if (l.contains("this is the mail system at host")
        || l.contains("i'm sorry to have to inform you")) {
      return "postfix";
    }
    if (from.contains("googlemail.com")
        || from.contains("google.com")
        || l.contains("google tried to deliver")) {
      return "gmail";
    }
    if (l.contains("did not reach the following recipient") || l.contains("msexch")) {
      return "exchange";
    }
    if (l.contains("dragonfly mail agent")) {
      return "dragonfly";
    }
    if (l.contains("not listed in domino directory") || l.contains("domino")) {
      return "domino";
    }
    if (from.contains("yahoo")) {
      return "yahoo";
    }
    if (from.contains("ezweb")
        || from.contains("docomo")
        || from.contains("softbank")
        || from.contains("au.com")) {
      return "japanese-carrier";
    }
    return "text";
  }
}
