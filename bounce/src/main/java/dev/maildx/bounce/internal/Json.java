package dev.maildx.bounce.internal;

import dev.maildx.report.BounceReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Amazon SES notifications delivered as mail: the SES notification itself as the body, or an SNS
 * message (a JSON object whose {@code "Message"} is the SES notification as a JSON string). The
 * body is read by {@link JsonReader} into a tree, and the documented members are taken from their
 * own objects: {@code notificationType} (or {@code eventType}, with event publishing) {@code
 * Bounce}, {@code Complaint}, {@code Delivery} or {@code DeliveryDelay}. A body that is not one
 * well-formed JSON value within the bounds is not an SES notice (the caller reads it as text).
 */
final class Json {
  private Json() {}

  /** The longest JSON text read (the notice itself is cut there before it gets here). */
  static final int MAX_CHARS = Analyzer.MAX_NOTICE_CHARS;

  /** How many places the body is tried at: its first '{' and the next ones that begin a line. */
  private static final int MAX_STARTS = 4;

  static final class Ses {
    @SuppressWarnings("NullAway.Init") // every case of ses() that returns a Ses sets it
    BounceReport.Kind kind;

    @Nullable String reportingMta;
    final List<Analyzer.Raw> recipients = new ArrayList<>();
    BounceReport.@Nullable Feedback feedback;
  }

  static @Nullable Ses ses(String text) {
    if (text.indexOf("notificationType") < 0 && text.indexOf("eventType") < 0) {
      return null;
    }
    Map<?, ?> n = notification(text);
    if (n == null) {
      return null;
    }
    String type = type(n);
    if (type == null) {
      return null;
    }
    switch (type) {
      case "Bounce":
        return bounce(obj(n.get("bounce")));
      case "Complaint":
        return complaint(obj(n.get("complaint")), obj(n.get("mail")));
      case "Delivery":
        return delivery(obj(n.get("delivery")));
      case "DeliveryDelay":
        return delay(obj(n.get("deliveryDelay")));
      default:
        return null;
    }
  }

  /**
   * The SES notification in the body: the JSON object that starts the body (at its first '{', or at
   * a later '{' that begins a line), or, when that is an SNS message, the object in its {@code
   * Message}.
   */
  static @Nullable Map<?, ?> notification(String text) {
    String body = unsplit(text);
    int tries = 0;
    for (int at = body.indexOf('{');
        at >= 0 && tries < MAX_STARTS;
        at = nextLineStart(body, at + 1), tries++) {
      Map<?, ?> root = objectAt(body, at);
      if (root == null) {
        continue;
      }
      if (type(root) != null) {
        return root;
      }
      String message = str(root.get("Message"));
      if (message != null && message.stripLeading().startsWith("{")) {
        try {
          Map<?, ?> inner = obj(JsonReader.parse(message, MAX_CHARS));
          return inner.isEmpty() ? null : inner;
        } catch (JsonReader.MalformedJsonException e) {
          return null;
        }
      }
      // some other JSON object: the notice may come later
    }
    return null;
  }

  /**
   * The object that starts at {@code at}, if it is well-formed and nothing but white space follows
   * it on its line.
   */
  private static @Nullable Map<?, ?> objectAt(String body, int at) {
    JsonReader.Prefix p;
    try {
      p = JsonReader.parsePrefix(body, at, MAX_CHARS);
    } catch (JsonReader.MalformedJsonException e) {
      return null;
    }
    for (int i = p.end(); i < body.length() && body.charAt(i) != '\n'; i++) {
      char c = body.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r') {
        return null; // text right after the value: not a JSON body (a footer starts on a line of
        // its own)
      }
    }
    return p.value() instanceof Map<?, ?> m ? m : null;
  }

  /** The next '{' after {@code from} that begins a line (after white space), or -1. */
  private static int nextLineStart(String s, int from) {
    for (int nl = s.indexOf('\n', from); nl >= 0; nl = s.indexOf('\n', nl + 1)) {
      int i = nl + 1;
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r')) {
        i++;
      }
      if (i < s.length() && s.charAt(i) == '{') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Undoes Sendmail's splitting of over-long lines ("!", a line break, a space, inserted at about
   * 990 characters): JSON has "!" only inside strings, where a raw line break cannot follow it, so
   * the sequence is never part of a JSON text and removing it restores the text as sent.
   */
  static String unsplit(String s) {
    if (s.indexOf("!\n ") < 0 && s.indexOf("!\r\n ") < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '!' && s.startsWith("\n ", i + 1)) {
        i += 3;
      } else if (c == '!' && s.startsWith("\r\n ", i + 1)) {
        i += 4;
      } else {
        b.append(c);
        i++;
      }
    }
    return b.toString();
  }

  private static Ses bounce(Map<?, ?> bounce) {
    Ses out = new Ses();
    out.kind = BounceReport.Kind.BOUNCE;
    out.reportingMta = Analyzer.typed(str(bounce.get("reportingMTA")));
    String permanent = str(bounce.get("bounceType"));
    String sub = str(bounce.get("bounceSubType"));
    for (Object o : list(bounce.get("bouncedRecipients"))) {
      if (out.recipients.size() >= Analyzer.MAX_RECIPIENTS) {
        break;
      }
      Map<?, ?> each = obj(o);
      Analyzer.Raw r = recipient(each);
      if (r == null) {
        continue;
      }
      String action = str(each.get("action"));
      r.action =
          action == null
              ? ("Transient".equals(permanent)
                  ? BounceReport.Action.DELAYED
                  : BounceReport.Action.FAILED)
              : BounceReport.Action.parse(action).orElse(BounceReport.Action.FAILED);
      r.context = "bounceType " + permanent + " " + (sub == null ? "" : sub);
      if ("Suppressed".equalsIgnoreCase(sub) || "OnAccountSuppressionList".equalsIgnoreCase(sub)) {
        r.context = "suppressed: the address is on the suppression list";
      }
      out.recipients.add(r);
    }
    return out;
  }

  private static Ses delay(Map<?, ?> delay) {
    Ses out = new Ses();
    out.kind = BounceReport.Kind.BOUNCE; // all recipients delayed: the analyzer makes it a delay
    out.reportingMta = Analyzer.typed(str(delay.get("reportingMTA")));
    String delayType = str(delay.get("delayType"));
    String expires = str(delay.get("expirationTime"));
    for (Object o : list(delay.get("delayedRecipients"))) {
      if (out.recipients.size() >= Analyzer.MAX_RECIPIENTS) {
        break;
      }
      Analyzer.Raw r = recipient(obj(o));
      if (r == null) {
        continue;
      }
      r.action = BounceReport.Action.DELAYED;
      r.retryUntil = expires;
      r.context = delayType == null ? "" : "delayType " + delayType;
      out.recipients.add(r);
    }
    return out;
  }

  /**
   * A bounced or delayed recipient's emailAddress, status and diagnosticCode; null without an
   * address.
   */
  private static Analyzer.@Nullable Raw recipient(Map<?, ?> each) {
    String address = str(each.get("emailAddress"));
    if (address == null) {
      return null;
    }
    Analyzer.Raw r = new Analyzer.Raw();
    String cleaned = Analyzer.clean(address);
    r.recipient = cleaned == null ? address : cleaned;
    String st = str(each.get("status"));
    r.status = st == null ? null : Codes.find(st).orElse(null);
    String diag = str(each.get("diagnosticCode"));
    r.diagnostic = diag == null ? null : Analyzer.typedText(diag);
    return r;
  }

  private static Ses complaint(Map<?, ?> complaint, Map<?, ?> mail) {
    Ses out = new Ses();
    out.kind = BounceReport.Kind.FEEDBACK;
    String ft = str(complaint.get("complaintFeedbackType"));
    out.feedback =
        new BounceReport.Feedback(
            ft == null ? "abuse" : ft,
            str(complaint.get("userAgent")),
            str(mail.get("sourceIp")),
            str(mail.get("source")),
            null,
            str(complaint.get("arrivalDate")),
            null,
            null);
    for (Object o : list(complaint.get("complainedRecipients"))) {
      if (out.recipients.size() >= Analyzer.MAX_RECIPIENTS) {
        break;
      }
      String address = str(obj(o).get("emailAddress"));
      if (address != null) {
        Analyzer.Raw r = new Analyzer.Raw();
        r.recipient = address;
        out.recipients.add(r);
      }
    }
    if (out.recipients.isEmpty()) {
      Analyzer.Raw r = new Analyzer.Raw();
      r.recipient = "";
      out.recipients.add(r);
    }
    return out;
  }

  private static Ses delivery(Map<?, ?> delivery) {
    Ses out = new Ses();
    out.kind = BounceReport.Kind.DELIVERED;
    out.reportingMta = Analyzer.typed(str(delivery.get("reportingMTA")));
    String smtp = str(delivery.get("smtpResponse"));
    for (Object o : list(delivery.get("recipients"))) {
      String each = str(o);
      int room = Analyzer.MAX_RECIPIENTS - out.recipients.size();
      if (room <= 0) {
        break;
      }
      if (each == null) {
        continue;
      }
      for (Addresses.Found f : Addresses.find(each, 0, each.length(), room)) {
        Analyzer.Raw r = new Analyzer.Raw();
        r.recipient = f.address();
        r.action = BounceReport.Action.DELIVERED;
        r.diagnostic = smtp;
        r.status = smtp == null ? null : Codes.find(smtp).orElse(null);
        out.recipients.add(r);
      }
    }
    if (out.reportingMta == null) {
      out.reportingMta = str(delivery.get("remoteMtaIp"));
    }
    return out;
  }

  /** notificationType, or eventType (event publishing). */
  private static @Nullable String type(Map<?, ?> n) {
    String t = str(n.get("notificationType"));
    return t != null ? t : str(n.get("eventType"));
  }

  private static Map<?, ?> obj(@Nullable Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }

  private static List<?> list(@Nullable Object o) {
    return o instanceof List<?> l ? l : List.of();
  }

  private static @Nullable String str(@Nullable Object o) {
    return o instanceof String s ? s : null;
  }
}
