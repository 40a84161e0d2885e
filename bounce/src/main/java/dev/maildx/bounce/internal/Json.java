package dev.maildx.bounce.internal;

import dev.maildx.report.BounceReport;
import dev.maildx.report.EnhancedStatusCode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Amazon SES notifications delivered as mail (an SNS message whose body is JSON, possibly with the
 * SES message as an escaped JSON string inside): read by locating its documented keys, without
 * a JSON library and without building a tree.
 */
final class Json {
  private Json() {}

  static final class Ses {
    @SuppressWarnings("NullAway.Init") // every case of ses() that returns a Ses sets it
    BounceReport.Kind kind;
    @Nullable String reportingMta;
    final List<Analyzer.Raw> recipients = new ArrayList<>();
    BounceReport.@Nullable Feedback feedback;
  }

  static @Nullable Ses ses(String text) {
    int at = text.indexOf("notificationType");
    if (at < 0 || text.indexOf('{') < 0) {
      return null;
    }
    String s = text.substring(Math.max(0, text.indexOf('{')));
    s = s.replace("\\\"", "\"").replace("\\\\", "\\").replace("\\n", "\n");
    String type = value(s, "notificationType", 0);
    if (type == null) {
      return null;
    }
    Ses out = new Ses();
    switch (type) {
      case "Bounce": {
        out.kind = BounceReport.Kind.BOUNCE;
        out.reportingMta = Analyzer.typed(value(s, "reportingMTA", 0));
        String permanent = value(s, "bounceType", 0);
        int arr = s.indexOf("\"bouncedRecipients\"");
        int pos = arr;
        while (pos >= 0 && out.recipients.size() < Analyzer.MAX_RECIPIENTS) {
          int e = s.indexOf("\"emailAddress\"", pos);
          if (e < 0) {
            break;
          }
          int objEnd = s.indexOf('}', e);
          int objStart = s.lastIndexOf('{', e);
          String obj = s.substring(Math.max(objStart, 0), objEnd < 0 ? s.length() : objEnd);
          Analyzer.Raw r = new Analyzer.Raw();
          String address = Analyzer.clean(value(obj, "emailAddress", 0));
          r.recipient = address == null ? "" : address;
          String action = value(obj, "action", 0);
          r.action = action == null ? ("Transient".equals(permanent) ? BounceReport.Action.DELAYED : BounceReport.Action.FAILED)
              : BounceReport.Action.parse(action).orElse(BounceReport.Action.FAILED);
          String st = value(obj, "status", 0);
          r.status = st == null ? null : Codes.find(st).orElse(null);
          String diag = value(obj, "diagnosticCode", 0);
          r.diagnostic = diag == null ? null : Analyzer.typedText(diag);
          String sub = value(s, "bounceSubType", 0);
          r.context = "bounceType " + permanent + " " + (sub == null ? "" : sub);
          if ("Suppressed".equalsIgnoreCase(sub) || "OnAccountSuppressionList".equalsIgnoreCase(sub)) {
            r.context = "suppressed: the address is on the suppression list";
          }
          if (address != null) {
            out.recipients.add(r);
          }
          pos = objEnd < 0 ? -1 : objEnd;
        }
        return out;
      }
      case "Complaint": {
        out.kind = BounceReport.Kind.FEEDBACK;
        String ft = value(s, "complaintFeedbackType", 0);
        out.feedback = new BounceReport.Feedback(ft == null ? "abuse" : ft, value(s, "userAgent", 0), value(s, "sourceIp", 0),
            value(s, "source", 0), null, value(s, "arrivalDate", 0), null, null);
        int pos = s.indexOf("\"complainedRecipients\"");
        String addr = pos < 0 ? null : value(s, "emailAddress", pos);
        Analyzer.Raw r = new Analyzer.Raw();
        r.recipient = addr == null ? "" : addr;
        out.recipients.add(r);
        return out;
      }
      case "Delivery": {
        out.kind = BounceReport.Kind.DELIVERED;
        out.reportingMta = value(s, "reportingMTA", 0);
        int pos = s.indexOf("\"delivery\"");
        int arr = pos < 0 ? -1 : s.indexOf("\"recipients\"", pos);
        String smtp = pos < 0 ? null : value(s, "smtpResponse", pos);
        if (arr >= 0) {
          int open = s.indexOf('[', arr);
          int close = open < 0 ? -1 : s.indexOf(']', open);
          if (open > 0 && close > open) {
            for (Addresses.Found f : Addresses.find(s, open, close, Analyzer.MAX_RECIPIENTS)) {
              Analyzer.Raw r = new Analyzer.Raw();
              r.recipient = f.address();
              r.action = BounceReport.Action.DELIVERED;
              r.diagnostic = smtp;
              r.status = smtp == null ? null : Codes.find(smtp).orElse(null);
              out.recipients.add(r);
            }
          }
        }
        if (out.reportingMta == null && pos >= 0) {
          out.reportingMta = value(s, "remoteMtaIp", pos);
        }
        return out;
      }
      default:
        return null;
    }
  }

  /** The string (or bare) value of {@code "key": value} after {@code from}. */
  static @Nullable String value(String s, String key, int from) {
    int k = s.indexOf("\"" + key + "\"", from);
    if (k < 0) {
      return null;
    }
    int colon = s.indexOf(':', k + key.length() + 2);
    if (colon < 0) {
      return null;
    }
    int i = colon + 1;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    if (i >= s.length()) {
      return null;
    }
    if (s.charAt(i) == '"') {
      int end = s.indexOf('"', i + 1);
      return end < 0 ? null : s.substring(i + 1, end);
    }
    if (s.charAt(i) == '[') {
      int end = s.indexOf(']', i);
      String inner = end < 0 ? "" : s.substring(i + 1, end).strip();
      if (inner.startsWith("\"")) {
        int q = inner.indexOf('"', 1);
        return q < 0 ? null : inner.substring(1, q);
      }
      return null;
    }
    int end = i;
    while (end < s.length() && ",}] \n".indexOf(s.charAt(end)) < 0) {
      end++;
    }
    return s.substring(i, end);
  }
}
