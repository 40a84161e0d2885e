package dev.maildx.auth.internal;

import dev.maildx.DomainName;
import dev.maildx.dns.internal.TxtStrings;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads the mailboxes of an address-list header field such as From (RFC 5322 §3.4, with the
 * obsolete forms of §4.4): display names (quoted strings, RFC 2047 encoded words decoded), angle
 * addresses (a source route dropped), bare addr-specs, comments anywhere, and groups (whose members
 * count as mailboxes; an empty group has none). Never throws on content; bounded.
 *
 * <p>Thread-safe (stateless).
 */
public final class AddressList {
  /** The most mailboxes read from one field. */
  public static final int MAX_MAILBOXES = 100;

  /**
   * The longest address given a domain (RFC 5321 §4.5.3.1.3 allows 256 octets in a path); a longer
   * one is reported cut, without a domain.
   */
  public static final int MAX_ADDRESS = 320;

  /** The longest field value read. */
  public static final int MAX_LENGTH = 64 * 1024;

  private AddressList() {}

  /**
   * One mailbox.
   *
   * @param displayName the display name, decoded; empty if none
   * @param address the addr-spec, comments and white space removed
   * @param domain the domain of the address if it is a valid domain name (lower case, A-labels), or
   *     {@code null} (no {@code @}, an address literal, an invalid name)
   */
  public record Mailbox(String displayName, String address, @Nullable DomainName domain) {}

  /**
   * Parses a header field value.
   *
   * @param value the unfolded value (UTF-8 decoded)
   * @return the mailboxes, in order; empty for an empty group or no address
   */
  public static List<Mailbox> parse(String value) {
    String s = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
    List<Mailbox> out = new ArrayList<>();
    StringBuilder phrase = new StringBuilder();
    StringBuilder spec = new StringBuilder();
    int i = 0;
    int n = s.length();
    while (i < n && out.size() < MAX_MAILBOXES) {
      char c = s.charAt(i);
      if (c == '"') {
        int end = quotedEnd(s, i);
        phrase.append(unquote(s.substring(i + 1, Math.max(i + 1, end - 1))));
        spec.append(s, i, end);
        i = end;
      } else if (c == '(') {
        i = commentEnd(s, i);
        phrase.append(' ');
      } else if (c == '<') {
        int end = i + 1;
        while (end < n && s.charAt(end) != '>') {
          end =
              s.charAt(end) == '"'
                  ? quotedEnd(s, end)
                  : s.charAt(end) == '(' ? commentEnd(s, end) : end + 1;
        }
        String inner = strip(s.substring(i + 1, Math.min(end, n)));
        int route = inner.lastIndexOf(':');
        if (inner.startsWith("@") && route > 0) {
          inner = inner.substring(route + 1); // obsolete source route, RFC 5322 §4.4
        }
        if (!inner.isEmpty()) {
          out.add(mailbox(decode(phrase.toString()), inner));
        }
        phrase.setLength(0);
        spec.setLength(0);
        i = Math.min(end + 1, n);
        // skip to the end of this mailbox
        while (i < n && s.charAt(i) != ',' && s.charAt(i) != ';') {
          i = s.charAt(i) == '(' ? commentEnd(s, i) : s.charAt(i) == '"' ? quotedEnd(s, i) : i + 1;
        }
      } else if (c == '[') {
        int end = s.indexOf(']', i);
        end = end < 0 ? n : end + 1;
        phrase.append(s, i, end);
        spec.append(s, i, end);
        i = end;
      } else if (c == ':') {
        // a group: its display name is what came before; its members follow
        phrase.setLength(0);
        spec.setLength(0);
        i++;
      } else if (c == ',' || c == ';') {
        flush(out, phrase, spec);
        i++;
      } else {
        phrase.append(c);
        spec.append(c);
        i++;
      }
    }
    if (out.size() < MAX_MAILBOXES) {
      flush(out, phrase, spec);
    }
    return out;
  }

  /** A bare addr-spec collected since the last separator, if there is one. */
  private static void flush(List<Mailbox> out, StringBuilder phrase, StringBuilder spec) {
    String a = strip(spec.toString());
    if (!a.isEmpty() && a.indexOf('@') > 0 && a.chars().noneMatch(Character::isWhitespace)) {
      out.add(mailbox("", a));
    } else if (!a.isEmpty() && a.indexOf('@') > 0) {
      // "alice @ example.com" (obsolete white space around the @)
      out.add(mailbox("", a.replaceAll("\\s+", "")));
    } else if (!a.isEmpty() && a.indexOf('@') < 0 && !a.contains(" ") && !a.contains("\"")) {
      out.add(mailbox("", a)); // a bare local part: a mailbox without a domain
    }
    phrase.setLength(0);
    spec.setLength(0);
  }

  private static Mailbox mailbox(String display, String address) {
    String a = address.strip();
    DomainName domain = null;
    int at = a.lastIndexOf('@');
    if (at > 0 && at < a.length() - 1 && a.length() <= MAX_ADDRESS) {
      String d = a.substring(at + 1).strip();
      if (!d.startsWith("[") && DomainName.isValid(d)) {
        domain = DomainName.of(d);
      }
    }
    return new Mailbox(
        TxtStrings.printable(display.strip(), 200),
        TxtStrings.printable(
            a.length() > MAX_ADDRESS ? a.substring(0, MAX_ADDRESS) : a, 5 * MAX_ADDRESS),
        domain);
  }

  private static int quotedEnd(String s, int start) {
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '"') {
        return i + 1;
      }
      i++;
    }
    return s.length();
  }

  private static int commentEnd(String s, int start) {
    int depth = 0;
    int i = start;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    return s.length();
  }

  private static String unquote(String q) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < q.length(); i++) {
      char c = q.charAt(i);
      if (c == '\\' && i + 1 < q.length()) {
        c = q.charAt(++i);
      }
      b.append(c);
    }
    return b.toString();
  }

  /** Removes comments and surrounding white space. */
  private static String strip(String s) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '(') {
        i = commentEnd(s, i);
        continue;
      }
      if (c == '"') {
        int end = quotedEnd(s, i);
        b.append(s, i, end);
        i = end;
        continue;
      }
      b.append(c);
      i++;
    }
    return b.toString().strip();
  }

  /**
   * Decodes RFC 2047 encoded words in a display name ({@code =?charset?B?...?=} and {@code
   * =?charset?Q?...?=}); white space between adjacent encoded words is dropped (§6.2). Unknown
   * charsets and malformed words are left as they are.
   *
   * @param text the text
   * @return the decoded text, white space runs collapsed
   */
  public static String decode(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    boolean lastEncoded = false;
    String pendingSpace = "";
    while (i < text.length()) {
      int start = text.indexOf("=?", i);
      if (start < 0) {
        out.append(pendingSpace).append(text.substring(i));
        break;
      }
      String between = text.substring(i, start);
      int q1 = text.indexOf('?', start + 2);
      int q2 = q1 < 0 ? -1 : text.indexOf('?', q1 + 1);
      int end = q2 < 0 ? -1 : text.indexOf("?=", q2 + 1);
      String decoded =
          end < 0
              ? null
              : word(
                  text.substring(start + 2, q1),
                  text.substring(q1 + 1, q2),
                  text.substring(q2 + 1, end));
      if (decoded == null) {
        out.append(pendingSpace).append(between).append("=?");
        pendingSpace = "";
        i = start + 2;
        lastEncoded = false;
        continue;
      }
      if (!(lastEncoded && between.isBlank())) {
        out.append(pendingSpace).append(between);
      }
      pendingSpace = "";
      out.append(decoded);
      lastEncoded = true;
      i = end + 2;
    }
    return out.toString().replaceAll("\\s+", " ").strip();
  }

  private static @Nullable String word(String charset, String encoding, String data) {
    if (data.length() > 1000 || charset.isEmpty()) {
      return null;
    }
    String cs =
        charset.contains("*")
            ? charset.substring(0, charset.indexOf('*'))
            : charset; // RFC 2231 language
    Charset ch;
    try {
      ch = Charset.forName(cs);
    } catch (RuntimeException e) {
      return null;
    }
    byte[] bytes;
    switch (encoding.toUpperCase(Locale.ROOT)) {
      case "B":
        try {
          bytes = Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
          return null;
        }
        break;
      case "Q":
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int k = 0; k < data.length(); k++) {
          char c = data.charAt(k);
          if (c == '_') {
            b.write(' ');
          } else if (c == '='
              && k + 2 < data.length()
              && Character.digit(data.charAt(k + 1), 16) >= 0
              && Character.digit(data.charAt(k + 2), 16) >= 0) {
            b.write(
                Character.digit(data.charAt(k + 1), 16) * 16
                    + Character.digit(data.charAt(k + 2), 16));
            k += 2;
          } else {
            b.write(c & 0xff);
          }
        }
        bytes = b.toByteArray();
        break;
      default:
        return null;
    }
    return new String(bytes, ch == null ? StandardCharsets.UTF_8 : ch);
  }
}
