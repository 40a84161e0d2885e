package dev.maildx.dns.internal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A parsed SPF macro-string, domain-spec or explain-string (RFC 7208 §7): literal text and macro
 * expansions, validated once and expanded many times.
 *
 * <p>Immutable and thread-safe.
 */
public final class SpfMacro {
  /** Macro letters allowed everywhere (RFC 7208 §7.2). */
  static final String LETTERS = "slodiphv";

  /** Macro letters allowed only in explanation text (RFC 7208 §7.2). */
  static final String EXP_LETTERS = "crt";

  private static final String DELIMITERS = ".-+,/_=";

  /** Digit transformers above this take every part anyway; keeps hostile numbers harmless. */
  private static final int MAX_DIGITS = 128;

  /** One piece of a macro-string. */
  record Token(
      @Nullable String literal,
      char letter,
      boolean upper,
      int digits,
      boolean reverse,
      String delimiters) {
    boolean isLiteral() {
      return literal != null;
    }
  }

  private final String text;
  private final List<Token> tokens;
  private final boolean endsWithMacro;

  private SpfMacro(String text, List<Token> tokens, boolean endsWithMacro) {
    this.text = text;
    this.tokens = List.copyOf(tokens);
    this.endsWithMacro = endsWithMacro;
  }

  /** Thrown for a syntax error, with the offset (0-based, in the parsed text) where it is. */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    final int offset;

    SyntaxException(String message, int offset) {
      super(message, null, false, false);
      this.offset = offset;
    }

    /**
     * @return the 0-based offset of the error in the parsed text
     */
    public int offset() {
      return offset;
    }
  }

  /**
   * Parses a macro-string (RFC 7208 §7.1).
   *
   * @param text the text
   * @param explain {@code true} for an explain-string (spaces and the letters c, r, t allowed)
   * @return the parsed macro-string
   * @throws SyntaxException if it is not valid
   */
  public static SpfMacro parse(String text, boolean explain) throws SyntaxException {
    List<Token> tokens = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    boolean lastMacro = false;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c != '%') {
        if (!(c >= 0x21 && c <= 0x7e) && !(explain && c == ' ')) {
          throw new SyntaxException(describe(c) + " is not allowed here", i);
        }
        lit.append(c);
        lastMacro = false;
        continue;
      }
      if (i + 1 >= n) {
        throw new SyntaxException("'%' at the end: write %% for a literal percent sign", i);
      }
      char next = text.charAt(i + 1);
      if (next == '%' || next == '_' || next == '-') {
        lit.append(next == '%' ? "%" : next == '_' ? " " : "%20");
        i++;
        lastMacro = true;
        continue;
      }
      if (next != '{') {
        throw new SyntaxException(
            "'%' must be followed by '{', '%', '_' or '-' (write %% for a literal percent sign)",
            i);
      }
      int j = i + 2;
      if (j >= n) {
        throw new SyntaxException("unterminated macro", i);
      }
      char letter = text.charAt(j);
      char lower = Character.toLowerCase(letter);
      if (LETTERS.indexOf(lower) < 0 && EXP_LETTERS.indexOf(lower) < 0 || letter > 0x7e) {
        throw new SyntaxException("unknown macro letter '" + printable(letter) + "'", j);
      }
      if (!explain && EXP_LETTERS.indexOf(lower) >= 0) {
        throw new SyntaxException(
            "the macro letter '" + letter + "' is allowed only in explanation text", j);
      }
      j++;
      int digitsStart = j;
      long digits = 0;
      while (j < n && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
        digits = Math.min(digits * 10 + (text.charAt(j) - '0'), 1_000_000);
        j++;
      }
      if (j > digitsStart && digits == 0) {
        throw new SyntaxException("a macro's digit transformer must not be zero", digitsStart);
      }
      boolean reverse = false;
      if (j < n && (text.charAt(j) == 'r' || text.charAt(j) == 'R')) {
        reverse = true;
        j++;
      }
      StringBuilder delims = new StringBuilder();
      while (j < n && DELIMITERS.indexOf(text.charAt(j)) >= 0) {
        delims.append(text.charAt(j));
        j++;
      }
      if (j >= n || text.charAt(j) != '}') {
        throw new SyntaxException("invalid or unterminated macro", i);
      }
      if (lit.length() > 0) {
        tokens.add(new Token(lit.toString(), ' ', false, 0, false, ""));
        lit.setLength(0);
      }
      tokens.add(
          new Token(
              null,
              lower,
              Character.isUpperCase(letter),
              (int) Math.min(digits, MAX_DIGITS),
              reverse,
              delims.length() == 0 ? "." : delims.toString()));
      lastMacro = true;
      i = j;
    }
    if (lit.length() > 0) {
      tokens.add(new Token(lit.toString(), ' ', false, 0, false, ""));
    }
    return new SpfMacro(text, tokens, lastMacro);
  }

  /**
   * Parses a domain-spec (RFC 7208 §7.1): a macro-string that ends in a macro or in a dot and a
   * valid top label.
   *
   * @param text the text
   * @return the parsed domain-spec
   * @throws SyntaxException if it is not valid
   */
  public static SpfMacro parseDomainSpec(String text) throws SyntaxException {
    if (text.isEmpty()) {
      throw new SyntaxException("empty domain", 0);
    }
    SpfMacro m = parse(text, false);
    if (m.endsWithMacro) {
      return m;
    }
    String s = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    int dot = s.lastIndexOf('.');
    if (dot < 0) {
      throw new SyntaxException(
          "\"" + text + "\" is not a domain name: it needs a dot and a top-level label", 0);
    }
    String top = s.substring(dot + 1);
    if (!isTopLabel(top)) {
      throw new SyntaxException(
          "\""
              + top
              + "\" is not a valid top-level label (letters, digits and inner hyphens, not all digits)",
          dot + 1);
    }
    return m;
  }

  /** toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ). */
  static boolean isTopLabel(String t) {
    if (t.isEmpty()) {
      return false;
    }
    boolean alpha = false;
    boolean dash = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (isAlpha(c)) {
        alpha = true;
      } else if (c == '-') {
        dash = true;
      } else if (!(c >= '0' && c <= '9')) {
        return false;
      }
    }
    if (!dash) {
      return alpha;
    }
    return isAlnum(t.charAt(0)) && isAlnum(t.charAt(t.length() - 1));
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlnum(char c) {
    return isAlpha(c) || (c >= '0' && c <= '9');
  }

  /**
   * @return the text as written
   */
  public String text() {
    return text;
  }

  /**
   * @return whether any macro uses the letter (lower case)
   */
  public boolean uses(char letter) {
    for (Token t : tokens) {
      if (!t.isLiteral() && t.letter == letter) {
        return true;
      }
    }
    return false;
  }

  /**
   * @return whether the string has any %{...} macro at all
   */
  public boolean hasMacros() {
    for (Token t : tokens) {
      if (!t.isLiteral()) {
        return true;
      }
    }
    return false;
  }

  /** Supplies the value of each macro letter. */
  public interface Values {
    /**
     * The raw value of a macro letter.
     *
     * @param letter lower-case letter
     * @return its value
     */
    String value(char letter);
  }

  /**
   * Expands the macros (RFC 7208 §7.3, §7.4).
   *
   * @param values the letter values
   * @return the expanded text
   */
  public String expand(Values values) {
    if (tokens.size() == 1 && tokens.get(0).isLiteral()) {
      return requireNonNull(tokens.get(0).literal, "a literal token has its text");
    }
    StringBuilder out = new StringBuilder();
    for (Token t : tokens) {
      if (t.isLiteral()) {
        out.append(t.literal);
        continue;
      }
      String v = transform(values.value(t.letter), t);
      out.append(t.upper ? urlEscape(v) : v);
    }
    return out.toString();
  }

  private static String transform(String value, Token t) {
    if (t.digits == 0 && !t.reverse && t.delimiters.equals(".")) {
      return value;
    }
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      if (t.delimiters.indexOf(value.charAt(i)) >= 0) {
        parts.add(value.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(value.substring(start));
    if (t.reverse) {
      java.util.Collections.reverse(parts);
    }
    if (t.digits > 0 && t.digits < parts.size()) {
      parts = parts.subList(parts.size() - t.digits, parts.size());
    }
    return String.join(".", parts);
  }

  /** Escapes everything but RFC 3986 unreserved characters, as %XX of the UTF-8 bytes. */
  static String urlEscape(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.toString();
  }

  static String describe(char c) {
    if (c == ' ') {
      return "a space";
    }
    if (c > 0x7e) {
      return "the non-ASCII character U+" + String.format("%04X", (int) c);
    }
    return "the control character U+" + String.format("%04X", (int) c);
  }

  private static String printable(char c) {
    return c >= 0x21 && c <= 0x7e ? String.valueOf(c) : String.format("U+%04X", (int) c);
  }

  @Override
  public String toString() {
    return text;
  }
}
