package dev.maildx.bounce.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A small, bounded MIME reader (RFC 2045, 2046, 2047, 5322) for bounce analysis. The message is
 * held as one ISO-8859-1 string (one char per byte) with every line ending turned into LF, so
 * CRLF, LF and CR input read alike; text is decoded to Unicode only for the parts that are read.
 *
 * <p>Bounds: parts per message, nesting depth, header fields and header length. Exceeding one
 * stops the descent and is recorded in {@link Budget#problems}; nothing here throws on bad data.
 */
public final class Mime {
  private Mime() {}

  /** Limits and what was cut short. */
  public static final class Budget {
    final int maxParts;
    final int maxDepth;
    int parts;
    /** Human descriptions of what was truncated or skipped. */
    public final List<String> problems = new ArrayList<>();

    public Budget(int maxParts, int maxDepth) {
      this.maxParts = maxParts;
      this.maxDepth = maxDepth;
    }

    void problem(String p) {
      if (problems.size() < 20 && !problems.contains(p)) {
        problems.add(p);
      }
    }
  }

  static final int MAX_FIELDS = 1000;
  static final int MAX_FIELD_CHARS = 64 * 1024;

  /** Turns raw bytes into the LF-only ISO-8859-1 string the reader works on. */
  public static String normalize(byte[] b, int len) {
    boolean cr = false;
    for (int i = 0; i < len; i++) {
      if (b[i] == '\r') {
        cr = true;
        break;
      }
    }
    if (!cr) {
      return new String(b, 0, len, StandardCharsets.ISO_8859_1);
    }
    char[] out = new char[len];
    int n = 0;
    for (int i = 0; i < len; i++) {
      int c = b[i] & 0xff;
      if (c == '\r') {
        out[n++] = '\n';
        if (i + 1 < len && b[i + 1] == '\n') {
          i++;
        }
      } else {
        out[n++] = (char) c;
      }
    }
    return new String(out, 0, n);
  }

  /** Header fields of one entity, in order; names compared case-insensitively. */
  public static final class Headers {
    final List<String> names = new ArrayList<>();
    final List<String> values = new ArrayList<>();
    /** Offset of the body (after the blank line). */
    int bodyStart;

    public @Nullable String get(String name) {
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(name)) {
          return values.get(i);
        }
      }
      return null;
    }

    public List<String> all(String name) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(name)) {
          out.add(values.get(i));
        }
      }
      return out;
    }

    public int size() {
      return names.size();
    }

    public String name(int i) {
      return names.get(i);
    }

    public String value(int i) {
      return values.get(i);
    }

    public boolean has(String name) {
      return get(name) != null;
    }
  }

  /**
   * Parses a header section starting at {@code start}: fields up to the first empty line, with
   * folded lines unfolded. Lines that are not fields are skipped.
   */
  public static Headers headers(String s, int start, int end, Budget budget) {
    Headers h = new Headers();
    int i = start;
    String name = null;
    StringBuilder value = null;
    // An mbox "From " separator line may precede the fields.
    if (s.startsWith("From ", i)) {
      int nl = s.indexOf('\n', i);
      i = nl < 0 || nl >= end ? end : nl + 1;
    }
    while (i < end) {
      int nl = s.indexOf('\n', i);
      int lineEnd = nl < 0 || nl > end ? end : nl;
      if (lineEnd == i) { // empty line ends the header
        i = lineEnd + 1;
        break;
      }
      char c = s.charAt(i);
      if ((c == ' ' || c == '\t') && value != null) {
        if (value.length() < MAX_FIELD_CHARS) {
          value.append(' ').append(s, i, Math.min(lineEnd, i + MAX_FIELD_CHARS)).setLength(Math.min(value.length(), MAX_FIELD_CHARS));
        } else {
          budget.problem("a header field longer than " + MAX_FIELD_CHARS + " characters was cut");
        }
      } else {
        int colon = fieldColon(s, i, lineEnd);
        if (colon > 0) {
          if (name != null) {
            add(h, name, value, budget);
          }
          name = s.substring(i, colon).strip();
          value = new StringBuilder(Math.min(lineEnd - colon, 256));
          value.append(s, colon + 1, Math.min(lineEnd, colon + 1 + MAX_FIELD_CHARS));
        } else if (h.names.isEmpty() && name == null && i > start + 4096) {
          break;
        } else if (name == null && c != ' ' && c != '\t' && !s.startsWith("From ", i) && !s.startsWith(">From ", i)) {
          // Not a header at all: the entity has no header section.
          return bodyOnly(h, start);
        }
      }
      i = lineEnd + 1;
    }
    if (name != null) {
      add(h, name, value, budget);
    }
    h.bodyStart = Math.min(i, end);
    return h;
  }

  private static Headers bodyOnly(Headers h, int start) {
    h.names.clear();
    h.values.clear();
    h.bodyStart = start;
    return h;
  }

  private static void add(Headers h, String name, @Nullable StringBuilder value, Budget budget) {
    if (h.names.size() >= MAX_FIELDS) {
      budget.problem("more than " + MAX_FIELDS + " header fields; the rest were ignored");
      return;
    }
    h.names.add(name);
    h.values.add(value == null ? "" : value.toString().strip());
  }

  /** The colon of a field name (printable ASCII, no space), or -1. */
  static int fieldColon(String s, int from, int to) {
    int lim = Math.min(to, from + 80);
    for (int i = from; i < lim; i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return i > from ? i : -1;
      }
      if (c <= ' ' || c > '~') {
        // allow "Name :" (space before colon) only as the last thing before the colon
        if (c == ' ' || c == '\t') {
          int j = i;
          while (j < lim && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
            j++;
          }
          return j < lim && s.charAt(j) == ':' && i > from ? j : -1;
        }
        return -1;
      }
    }
    return -1;
  }

  /** One MIME entity with its children (multipart) or its embedded message (message/rfc822). */
  public static final class Part {
    public final String raw;
    public final Headers headers;
    public final int bodyStart;
    public final int bodyEnd;
    public final int depth;
    public final String type;
    public final @Nullable String contentTypeValue;
    public final List<Part> children = new ArrayList<>();
    public @Nullable Part embedded;
    /** Where the text after a multipart's closing delimiter starts, or -1. */
    public int epilogueStart = -1;

    Part(String raw, Headers headers, int bodyEnd, int depth) {
      this.raw = raw;
      this.headers = headers;
      this.bodyStart = headers.bodyStart;
      this.bodyEnd = Math.max(bodyEnd, headers.bodyStart);
      this.depth = depth;
      this.contentTypeValue = headers.get("Content-Type");
      this.type = mediaType(contentTypeValue);
    }

    public @Nullable String param(String name) {
      return contentTypeValue == null ? null : Mime.param(contentTypeValue, name);
    }

    public String encoding() {
      String e = headers.get("Content-Transfer-Encoding");
      return e == null ? "7bit" : e.strip().toLowerCase(Locale.ROOT);
    }

    /** The body after transfer decoding, as bytes in an ISO-8859-1 string. */
    public String decodedBytes() {
      return decodeTransfer(raw.substring(bodyStart, bodyEnd), encoding());
    }

    /** The body decoded to Unicode text (transfer encoding, then charset). */
    public String text() {
      return charset(decodedBytes(), param("charset"));
    }

    public boolean isMultipart() {
      return type.startsWith("multipart/");
    }
  }

  /** Parses the entity in {@code s[start, end)}. */
  public static Part parse(String s, int start, int end, int depth, Budget budget) {
    Headers h = headers(s, start, end, budget);
    Part p = new Part(s, h, end, depth);
    budget.parts++;
    if (p.isMultipart()) {
      String boundary = p.param("boundary");
      if (boundary != null && !boundary.isEmpty()) {
        if (depth >= budget.maxDepth) {
          budget.problem("MIME nesting deeper than " + budget.maxDepth + " levels was not read");
        } else {
          split(p, boundary, budget);
          if (p.children.isEmpty()) {
            // The declared boundary never occurs (mangled in transit or by hand): use the one the body does use.
            String found = guessBoundary(s, p.bodyStart, p.bodyEnd);
            if (found != null && !found.equals(boundary)) {
              split(p, found, budget);
            }
          }
        }
      }
    } else if (isMessage(p.type)) {
      if (depth >= budget.maxDepth) {
        budget.problem("MIME nesting deeper than " + budget.maxDepth + " levels was not read");
      } else if (budget.parts < budget.maxParts) {
        String enc = p.encoding();
        if (enc.equals("base64") || enc.equals("quoted-printable")) {
          String inner = p.decodedBytes();
          p.embedded = parse(inner, 0, inner.length(), depth + 1, budget);
        } else {
          p.embedded = parse(s, p.bodyStart, p.bodyEnd, depth + 1, budget);
        }
      }
    }
    return p;
  }

  /** The first "--token" line of a body that occurs at least twice, or null. */
  static @Nullable String guessBoundary(String s, int start, int end) {
    int i = start;
    int lines = 0;
    while (i < end && lines < 2000) {
      lines++;
      int nl = s.indexOf('\n', i);
      int e = nl < 0 || nl > end ? end : nl;
      if (e - i > 4 && e - i < 200 && s.startsWith("--", i)) {
        String token = s.substring(i + 2, e).strip();
        if (token.endsWith("--")) {
          token = token.substring(0, token.length() - 2);
        }
        if (!token.isEmpty() && token.indexOf(' ') < 0) {
          int again = s.indexOf("\n--" + token, e);
          if (again >= 0 && again < end) {
            return token;
          }
        }
      }
      i = e + 1;
    }
    return null;
  }

  static boolean isMessage(String type) {
    return type.equals("message/rfc822") || type.equals("message/global");
  }

  private static void split(Part p, String boundary, Budget budget) {
    String s = p.raw;
    String delim = "--" + boundary;
    int pos = p.bodyStart;
    int end = p.bodyEnd;
    int partStart = -1;
    while (pos < end) {
      int at = s.indexOf(delim, pos);
      if (at < 0 || at >= end) {
        break;
      }
      boolean lineStart = at == p.bodyStart || s.charAt(at - 1) == '\n';
      int after = at + delim.length();
      if (!lineStart) {
        pos = after;
        continue;
      }
      boolean close = s.startsWith("--", after);
      int nl = s.indexOf('\n', after);
      int next = nl < 0 || nl >= end ? end : nl + 1;
      if (partStart >= 0) {
        int partEnd = at > partStart && s.charAt(at - 1) == '\n' ? at - 1 : at;
        if (!addChild(p, s, partStart, partEnd, budget)) {
          return;
        }
      }
      if (close) {
        p.epilogueStart = next;
        return;
      }
      partStart = next;
      pos = next;
    }
    if (partStart >= 0 && partStart < end) {
      addChild(p, s, partStart, end, budget);
    }
  }

  private static boolean addChild(Part p, String s, int from, int to, Budget budget) {
    if (budget.parts >= budget.maxParts) {
      budget.problem("more than " + budget.maxParts + " MIME parts; the rest were not read");
      return false;
    }
    p.children.add(parse(s, from, Math.max(from, to), p.depth + 1, budget));
    return true;
  }

  /** The media type of a Content-Type value, lower case; text/plain when absent or broken. */
  static String mediaType(@Nullable String ct) {
    if (ct == null) {
      return "text/plain";
    }
    int semi = ct.indexOf(';');
    String t = (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    int sp = t.indexOf(' ');
    if (sp > 0) {
      t = t.substring(0, sp);
    }
    return t.indexOf('/') > 0 ? t : "text/plain";
  }

  /** A parameter of a structured header value (RFC 2045 §5.1), unquoted; RFC 2231 continuations joined crudely. */
  public static @Nullable String param(String value, String name) {
    String lower = value.toLowerCase(Locale.ROOT);
    String key = name.toLowerCase(Locale.ROOT);
    int from = 0;
    while (true) {
      int at = lower.indexOf(key, from);
      if (at < 0) {
        return null;
      }
      from = at + key.length();
      char before = at == 0 ? ';' : lower.charAt(at - 1);
      if (before != ';' && before != ' ' && before != '\t') {
        continue;
      }
      int i = from;
      if (i < lower.length() && lower.charAt(i) == '*') {
        i++; // RFC 2231 extended value: skip charset'lang'
        while (i < lower.length() && lower.charAt(i) != '=') {
          i++;
        }
      }
      while (i < lower.length() && lower.charAt(i) == ' ') {
        i++;
      }
      if (i >= lower.length() || lower.charAt(i) != '=') {
        continue;
      }
      i++;
      while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
        i++;
      }
      if (i < value.length() && value.charAt(i) == '"') {
        StringBuilder b = new StringBuilder();
        for (int j = i + 1; j < value.length(); j++) {
          char c = value.charAt(j);
          if (c == '\\' && j + 1 < value.length()) {
            b.append(value.charAt(++j));
          } else if (c == '"') {
            break;
          } else {
            b.append(c);
          }
        }
        return b.toString();
      }
      int j = i;
      while (j < value.length() && value.charAt(j) != ';' && value.charAt(j) != ' ' && value.charAt(j) != '\t') {
        j++;
      }
      String v = value.substring(i, j);
      int q = v.indexOf("''");
      return q >= 0 ? v.substring(q + 2) : v;
    }
  }

  /** Undoes base64 or quoted-printable; returns bytes as ISO-8859-1 chars. */
  public static String decodeTransfer(String body, String encoding) {
    if (encoding.startsWith("base64")) {
      StringBuilder clean = new StringBuilder(body.length());
      for (int i = 0; i < body.length(); i++) {
        char c = body.charAt(i);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
          clean.append(c);
        }
      }
      int len = clean.length() - clean.length() % 4;
      int rem = clean.length() % 4;
      if (rem == 2) {
        clean.append("==");
        len = clean.length();
      } else if (rem == 3) {
        clean.append('=');
        len = clean.length();
      }
      try {
        byte[] b = Base64.getDecoder().decode(clean.substring(0, len));
        return new String(b, StandardCharsets.ISO_8859_1);
      } catch (IllegalArgumentException e) {
        return body;
      }
    }
    if (encoding.startsWith("quoted-printable")) {
      return decodeQp(body, false);
    }
    return body;
  }

  static String decodeQp(String s, boolean underscoreIsSpace) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '=' && i + 1 < s.length()) {
        char n = s.charAt(i + 1);
        if (n == '\n') {
          i++;
          continue;
        }
        if (i + 2 < s.length()) {
          int hi = Character.digit(n, 16);
          int lo = Character.digit(s.charAt(i + 2), 16);
          if (hi >= 0 && lo >= 0) {
            b.append((char) (hi * 16 + lo));
            i += 2;
            continue;
          }
        }
        // soft line break followed by trailing white space
        int j = i + 1;
        while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
          j++;
        }
        if (j < s.length() && s.charAt(j) == '\n') {
          i = j;
          continue;
        }
        b.append(c);
      } else if (c == '_' && underscoreIsSpace) {
        b.append(' ');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Decodes bytes (ISO-8859-1 chars) in the named charset; unlabelled 8-bit text is tried as UTF-8. */
  public static String charset(String bytes, @Nullable String charset) {
    boolean high = false;
    boolean esc = false;
    for (int i = 0; i < bytes.length(); i++) {
      char c = bytes.charAt(i);
      if (c >= 0x80) {
        high = true;
        break;
      }
      if (c == 0x1b) {
        esc = true;
      }
    }
    if (!high && !esc) {
      return bytes; // pure ASCII reads the same in every ASCII-compatible charset
    }
    Charset cs = lookup(charset);
    byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
    if (cs == null) {
      if (esc && !high) {
        cs = lookup("ISO-2022-JP");
      } else {
        String utf8 = strictUtf8(b);
        return utf8 != null ? utf8 : bytes;
      }
      if (cs == null) {
        return bytes;
      }
    }
    return new String(b, cs);
  }

  static @Nullable String strictUtf8(byte[] b) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer out = d.decode(ByteBuffer.wrap(b));
      return out.toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  static @Nullable Charset lookup(@Nullable String name) {
    if (name == null) {
      return null;
    }
    String n = name.strip().replace("\"", "");
    if (n.isEmpty() || n.equalsIgnoreCase("us-ascii") || n.equalsIgnoreCase("ascii")) {
      return n.isEmpty() ? null : StandardCharsets.ISO_8859_1;
    }
    if (n.equalsIgnoreCase("iso-2022-jp")) {
      n = "ISO-2022-JP"; // kept explicit: the carriers' notices use it
    }
    try {
      return Charset.forName(n);
    } catch (RuntimeException e) {
      if (n.toLowerCase(Locale.ROOT).contains("sjis") || n.toLowerCase(Locale.ROOT).contains("shift")) {
        return lookup("Shift_JIS");
      }
      return null;
    }
  }

  /** Decodes RFC 2047 encoded words in a header value; raw 8-bit text is tried as UTF-8. */
  public static String decodeHeader(@Nullable String v) {
    if (v == null) {
      return "";
    }
    if (v.indexOf("=?") < 0) {
      return charset(v, null);
    }
    StringBuilder out = new StringBuilder(v.length());
    int i = 0;
    int lastWordEnd = -1;
    while (i < v.length()) {
      int start = v.indexOf("=?", i);
      if (start < 0) {
        out.append(v, i, v.length());
        break;
      }
      int q1 = v.indexOf('?', start + 2);
      int q2 = q1 < 0 ? -1 : v.indexOf('?', q1 + 1);
      int endW = q2 < 0 ? -1 : v.indexOf("?=", q2 + 1);
      if (q1 < 0 || q2 < 0 || endW < 0 || q2 != q1 + 2) {
        out.append(v, i, v.length());
        break;
      }
      String between = v.substring(i, start);
      if (!(lastWordEnd == i && between.isBlank())) {
        out.append(between);
      }
      String cs = v.substring(start + 2, q1);
      int star = cs.indexOf('*');
      if (star >= 0) {
        cs = cs.substring(0, star);
      }
      char enc = Character.toUpperCase(v.charAt(q1 + 1));
      String text = v.substring(q2 + 1, endW);
      String bytes = enc == 'B' ? decodeTransfer(text, "base64") : decodeQp(text, true);
      Charset c = lookup(cs);
      out.append(c == null ? bytes : new String(bytes.getBytes(StandardCharsets.ISO_8859_1), c));
      i = endW + 2;
      lastWordEnd = i;
    }
    return out.toString();
  }

  /** Collects bytes from an ISO-8859-1 string (helper for tests). */
  static byte[] bytes(String latin1) {
    ByteArrayOutputStream o = new ByteArrayOutputStream(latin1.length());
    for (int i = 0; i < latin1.length(); i++) {
      o.write(latin1.charAt(i));
    }
    return o.toByteArray();
  }
}
