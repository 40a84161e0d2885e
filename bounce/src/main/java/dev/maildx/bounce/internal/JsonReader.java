package dev.maildx.bounce.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small, bounded reader of RFC 8259 JSON texts, for the notices that arrive as JSON (Amazon SES
 * through SNS). It builds plain values: an object is a {@link LinkedHashMap} (members in document
 * order), an array an {@link ArrayList}, a string a {@link String} with every escape decoded, a
 * number a {@link BigDecimal}, {@code true}/{@code false} a {@link Boolean}, {@code null} Java
 * {@code null}.
 *
 * <p>Strict where the RFC is: no comments, no single quotes, no trailing commas, no unescaped
 * control characters inside strings, only the four white-space characters between tokens. Where the
 * RFC leaves a choice to the reader: an escaped surrogate that is not half of a pair is read as
 * U+FFFD; an object naming a member twice is malformed (readers disagree on which one wins); a
 * number is kept exactly, but may have at most {@value #MAX_NUMBER_CHARS} characters.
 *
 * <p>Bounded: at most {@value #MAX_DEPTH} nested arrays/objects, at most {@value #MAX_VALUES}
 * values in all (members and elements), and no more characters than the caller allows; past any
 * bound the input is malformed. Malformed input is a {@link MalformedJsonException}, never another
 * exception, and reading stops at the first error.
 */
final class JsonReader {
  static final int MAX_DEPTH = 64;
  static final int MAX_VALUES = 50_000;
  static final int MAX_NUMBER_CHARS = 256;

  /**
   * The input is not one JSON value within the bounds; carries where reading stopped. No stack
   * trace.
   */
  static final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int offset;

    MalformedJsonException(String what, int offset) {
      super(what + " at offset " + offset, null, false, false);
      this.offset = offset;
    }

    int offset() {
      return offset;
    }
  }

  /** A value read from the start of a longer text, and the offset just after it. */
  record Prefix(@Nullable Object value, int end) {}

  private final String s;
  private final int limit;
  private int pos;
  private int values;

  private JsonReader(String s, int from, int limit) {
    this.s = s;
    this.pos = from;
    this.limit = limit;
  }

  /**
   * Reads {@code text} as one JSON text (white space, one value, white space, nothing else).
   *
   * @param maxChars the longest text read; a longer one is malformed without being read
   */
  static @Nullable Object parse(String text, int maxChars) throws MalformedJsonException {
    if (text.length() > maxChars) {
      throw new MalformedJsonException("longer than " + maxChars + " characters", maxChars);
    }
    JsonReader r = new JsonReader(text, 0, text.length());
    r.skipWhitespace();
    Object v = r.value(0);
    r.skipWhitespace();
    if (r.pos != text.length()) {
      throw new MalformedJsonException("text after the value", r.pos);
    }
    return v;
  }

  /**
   * Reads the one JSON value that starts at {@code from} (after white space), leaving what follows
   * it to the caller.
   *
   * @param maxChars the value must end within this many characters of {@code from}
   */
  static Prefix parsePrefix(String text, int from, int maxChars) throws MalformedJsonException {
    if (from < 0 || from > text.length()) {
      throw new MalformedJsonException("no value", Math.max(0, from));
    }
    int limit = (int) Math.min(text.length(), (long) from + Math.max(0, maxChars));
    JsonReader r = new JsonReader(text, from, limit);
    r.skipWhitespace();
    Object v = r.value(0);
    return new Prefix(v, r.pos);
  }

  private MalformedJsonException error(String what) {
    if (pos >= limit && limit < s.length()) {
      return new MalformedJsonException("value longer than the limit", pos);
    }
    return new MalformedJsonException(what, pos);
  }

  private void skipWhitespace() {
    while (pos < limit) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private @Nullable Object value(int depth) throws MalformedJsonException {
    if (++values > MAX_VALUES) {
      throw error("more than " + MAX_VALUES + " values");
    }
    if (pos >= limit) {
      throw error("a value expected, end of input");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        literal("true");
        return true;
      case 'f':
        literal("false");
        return false;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + printable(c) + "'");
    }
  }

  private Map<String, @Nullable Object> object(int depth) throws MalformedJsonException {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    pos++; // '{'
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    skipWhitespace();
    if (pos < limit && s.charAt(pos) == '}') {
      pos++;
      return m;
    }
    while (true) {
      if (pos >= limit || s.charAt(pos) != '"') {
        throw error("a member name expected");
      }
      int at = pos;
      String name = string();
      skipWhitespace();
      if (pos >= limit || s.charAt(pos) != ':') {
        throw error("':' expected");
      }
      pos++;
      skipWhitespace();
      Object v = value(depth);
      if (m.containsKey(name)) {
        throw new MalformedJsonException("member \"" + clip(name) + "\" named twice", at);
      }
      m.put(name, v);
      skipWhitespace();
      if (pos >= limit) {
        throw error("unterminated object");
      }
      char c = s.charAt(pos++);
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        pos--;
        throw error("',' or '}' expected");
      }
      skipWhitespace();
    }
  }

  private List<@Nullable Object> array(int depth) throws MalformedJsonException {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    pos++; // '['
    List<@Nullable Object> a = new ArrayList<>();
    skipWhitespace();
    if (pos < limit && s.charAt(pos) == ']') {
      pos++;
      return a;
    }
    while (true) {
      a.add(value(depth));
      skipWhitespace();
      if (pos >= limit) {
        throw error("unterminated array");
      }
      char c = s.charAt(pos++);
      if (c == ']') {
        return a;
      }
      if (c != ',') {
        pos--;
        throw error("',' or ']' expected");
      }
      skipWhitespace();
    }
  }

  private String string() throws MalformedJsonException {
    pos++; // '"'
    int start = pos;
    StringBuilder b = null;
    while (pos < limit) {
      char c = s.charAt(pos);
      if (c == '"') {
        String out = b == null ? s.substring(start, pos) : b.append(s, start, pos).toString();
        pos++;
        return out;
      }
      if (c < 0x20) {
        throw error(
            "unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
      }
      if (c == '\\') {
        if (b == null) {
          b = new StringBuilder(Math.min(limit - start, 64 + 2 * (pos - start)));
        }
        b.append(s, start, pos);
        pos++;
        escape(b);
        start = pos;
        continue;
      }
      if (Character.isSurrogate(c)) {
        // An unpaired surrogate in the text itself: U+FFFD, as for an escaped one.
        boolean paired =
            Character.isHighSurrogate(c)
                && pos + 1 < limit
                && Character.isLowSurrogate(s.charAt(pos + 1));
        if (paired) {
          pos += 2;
          continue;
        }
        if (b == null) {
          b = new StringBuilder(Math.min(limit - start, 64 + 2 * (pos - start)));
        }
        b.append(s, start, pos).append('\uFFFD');
        pos++;
        start = pos;
        continue;
      }
      pos++;
    }
    throw error("unterminated string");
  }

  /** After a backslash: appends the escaped character(s). */
  private void escape(StringBuilder b) throws MalformedJsonException {
    if (pos >= limit) {
      throw error("unterminated escape");
    }
    char e = s.charAt(pos++);
    switch (e) {
      case '"':
        b.append('"');
        return;
      case '\\':
        b.append('\\');
        return;
      case '/':
        b.append('/');
        return;
      case 'b':
        b.append('\b');
        return;
      case 'f':
        b.append('\f');
        return;
      case 'n':
        b.append('\n');
        return;
      case 'r':
        b.append('\r');
        return;
      case 't':
        b.append('\t');
        return;
      case 'u':
        char u = hex4();
        if (Character.isHighSurrogate(u)) {
          if (pos + 1 < limit && s.charAt(pos) == '\\' && s.charAt(pos + 1) == 'u') {
            int save = pos;
            pos += 2;
            char low = hex4();
            if (Character.isLowSurrogate(low)) {
              b.append(u).append(low);
              return;
            }
            pos = save; // not a pair: the next escape is read on its own
          }
          b.append('\uFFFD');
          return;
        }
        b.append(Character.isLowSurrogate(u) ? '\uFFFD' : u);
        return;
      default:
        pos--;
        throw error("invalid escape '\\" + printable(e) + "'");
    }
  }

  private char hex4() throws MalformedJsonException {
    if (pos + 4 > limit) {
      throw error("\\u needs four hex digits");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      char c = s.charAt(pos);
      int d =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) {
        throw error("\\u needs four hex digits");
      }
      v = v * 16 + d;
      pos++;
    }
    return (char) v;
  }

  private BigDecimal number() throws MalformedJsonException {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    if (pos < limit && s.charAt(pos) == '0') {
      pos++;
    } else if (!digits()) {
      throw error("a digit expected");
    }
    if (pos < limit && s.charAt(pos) == '.') {
      pos++;
      if (!digits()) {
        throw error("a digit expected after '.'");
      }
    }
    if (pos < limit && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      pos++;
      if (pos < limit && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      if (!digits()) {
        throw error("a digit expected in the exponent");
      }
    }
    if (pos - start > MAX_NUMBER_CHARS) {
      throw new MalformedJsonException(
          "a number longer than " + MAX_NUMBER_CHARS + " characters", start);
    }
    try {
      return new BigDecimal(s.substring(start, pos));
    } catch (NumberFormatException | ArithmeticException ex) {
      throw new MalformedJsonException("a number out of range", start); // an exponent beyond an int
    }
  }

  /** Consumes ASCII digits; whether there was at least one. */
  private boolean digits() {
    int start = pos;
    while (pos < limit && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private void literal(String word) throws MalformedJsonException {
    if (pos + word.length() > limit || !s.startsWith(word, pos)) {
      throw error("invalid literal");
    }
    pos += word.length();
  }

  private static String printable(char c) {
    return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : String.valueOf(c);
  }

  private static String clip(String v) {
    return v.length() > 40 ? v.substring(0, 40) + "..." : v;
  }
}
