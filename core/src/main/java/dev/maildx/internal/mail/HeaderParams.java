package dev.maildx.internal.mail;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The value and parameters of a MIME structured field (RFC 2045 §5.1 Content-Type, RFC 2183
 * Content-Disposition), with RFC 2231 continuations ({@code name*0=}, {@code name*1=}) joined and
 * extended values ({@code name*=charset'lang'%XX}) decoded. Lenient as the bounce reader was: a
 * missing {@code ;} between parameters, white space around {@code =}, an unclosed quoted string and
 * comments are accepted. Replaces the bounce reader's substring search ({@code Mime.param}), which
 * could find a parameter name inside another parameter's value.
 *
 * <p>Bounded: at most {@value #MAX_PARAMS} parameters, {@value #MAX_SECTIONS} sections each.
 * Thread-safe (stateless).
 */
public final class HeaderParams {
  private HeaderParams() {}

  static final int MAX_PARAMS = 64;
  static final int MAX_SECTIONS = 100;

  /**
   * The media type of a Content-Type value, lower case, or the default when absent or broken (RFC
   * 2045 §5.2).
   *
   * @param contentType the field value, or {@code null}
   * @param defaultType the type when there is none, e.g. {@code text/plain}
   * @return {@code type/subtype}
   */
  public static String mediaType(@Nullable String contentType, String defaultType) {
    if (contentType == null) {
      return defaultType;
    }
    String v = contentType;
    int i = skipCfws(v, 0);
    int start = i;
    while (i < v.length()) {
      char c = v.charAt(i);
      if (c == ';' || c == ' ' || c == '\t' || c == '(' || c == '"') {
        break;
      }
      i++;
    }
    String t = v.substring(start, i).toLowerCase(Locale.ROOT);
    int slash = t.indexOf('/');
    if (slash <= 0 || slash == t.length() - 1) {
      // "text / plain" (obsolete white space around the slash)
      int j = skipCfws(v, i);
      if (slash < 0 && j < v.length() && v.charAt(j) == '/') {
        int k = skipCfws(v, j + 1);
        int e = k;
        while (e < v.length()
            && v.charAt(e) != ';'
            && v.charAt(e) != ' '
            && v.charAt(e) != '\t'
            && v.charAt(e) != '(') {
          e++;
        }
        if (e > k && !t.isEmpty()) {
          return t + "/" + v.substring(k, e).toLowerCase(Locale.ROOT);
        }
      }
      return defaultType;
    }
    return t;
  }

  /**
   * The parameters of a structured value, names lower case, in order of appearance.
   *
   * @param value the field value
   * @return the parameters (the first of a name wins)
   */
  public static Map<String, String> parse(@Nullable String value) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    Continuations sections = new Continuations();
    String v = value;
    int n = v.length();
    int i = parametersStart(v);
    int count = 0;
    while (i < n && count < MAX_PARAMS) {
      i = skipCfws(v, i);
      if (i < n && v.charAt(i) == ';') {
        i++;
        continue;
      }
      int ns = i;
      while (i < n
          && v.charAt(i) != '='
          && v.charAt(i) != ';'
          && v.charAt(i) != ' '
          && v.charAt(i) != '\t'
          && v.charAt(i) != '('
          && v.charAt(i) != '"') {
        i++;
      }
      String name = v.substring(ns, i).toLowerCase(Locale.ROOT);
      i = skipCfws(v, i);
      if (name.isEmpty() || i >= n || v.charAt(i) != '=') {
        // not a parameter: skip to the next ';'
        while (i < n && v.charAt(i) != ';') {
          i = v.charAt(i) == '"' ? quotedEnd(v, i) : i + 1;
        }
        continue;
      }
      i = skipCfws(v, i + 1);
      String val;
      boolean quoted = i < n && v.charAt(i) == '"';
      if (quoted) {
        int close = quoteClose(v, i);
        val = unquote(v, i + 1, close < 0 ? n : close);
        i = close < 0 ? n : close + 1;
      } else {
        int s = i;
        while (i < n && v.charAt(i) != ';' && v.charAt(i) != ' ' && v.charAt(i) != '\t') {
          i++;
        }
        val = v.substring(s, i);
      }
      count++;
      if (name.indexOf('*') < 0) {
        out.putIfAbsent(name, val);
      } else {
        sections.add(name, val, quoted);
      }
    }
    sections.joinInto(out);
    return out;
  }

  /**
   * Where the parameters start: at the first {@code ;} (RFC 2045 §5.1), or, leniently, after the
   * first white space when there is none ("multipart/mixed boundary=x").
   */
  private static int parametersStart(String v) {
    int i = v.indexOf(';');
    if (i < 0) {
      i = 0;
      while (i < v.length() && v.charAt(i) != ' ' && v.charAt(i) != '\t') {
        i++;
      }
    }
    return i;
  }

  /**
   * The RFC 2231 sections of the parameters split into continuations ({@code name*N=}, §3) or
   * written as extended values ({@code name*=}, {@code name*N*=}, §4), by base name and section
   * number; the first of a number wins.
   */
  private static final class Continuations {
    /** Per base name: section number to {value, "*" when extended and not quoted, else ""}. */
    private final Map<String, TreeMap<Integer, String[]>> byName = new LinkedHashMap<>();

    /** Files one section; names with a broken or out-of-range section number are dropped. */
    void add(String name, String val, boolean quoted) {
      int star = name.indexOf('*');
      String base = name.substring(0, star);
      String rest = name.substring(star + 1);
      boolean extended = rest.endsWith("*") || rest.isEmpty();
      String num = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
      int index = 0;
      if (!num.isEmpty()) {
        try {
          index = Integer.parseInt(num);
        } catch (NumberFormatException e) {
          return;
        }
      }
      if (base.isEmpty() || index < 0 || index >= MAX_SECTIONS) {
        return;
      }
      byName
          .computeIfAbsent(base, k -> new TreeMap<>())
          .putIfAbsent(index, new String[] {val, extended && !quoted ? "*" : ""});
    }

    /**
     * Joins each name's sections from 0 up to the first gap (RFC 2231 §3) and decodes them in the
     * charset the first extended section names (RFC 2231 §4); a plain parameter of the same name
     * wins.
     */
    void joinInto(Map<String, String> out) {
      for (Map.Entry<String, TreeMap<Integer, String[]>> e : byName.entrySet()) {
        if (!out.containsKey(e.getKey())) {
          out.put(e.getKey(), join(e.getValue()));
        }
      }
    }

    private static String join(SortedMap<Integer, String[]> sections) {
      Bytes bytes = new Bytes(64);
      String charset = null;
      int expect = 0;
      for (Map.Entry<Integer, String[]> s : sections.entrySet()) {
        if (s.getKey() != expect) {
          break;
        }
        expect++;
        String part = s.getValue()[0];
        if (s.getValue()[1].equals("*")) {
          if (s.getKey() == 0) {
            int q1 = part.indexOf('\'');
            int q2 = q1 < 0 ? -1 : part.indexOf('\'', q1 + 1);
            if (q2 > 0) {
              charset = part.substring(0, q1);
              part = part.substring(q2 + 1);
            }
          }
          percentDecode(part, bytes);
        } else {
          byte[] u = part.getBytes(StandardCharsets.UTF_8);
          bytes.append(u, 0, u.length);
        }
      }
      byte[] b = bytes.toArray();
      return Charsets.decode(b, 0, b.length, charset == null || charset.isEmpty() ? null : charset);
    }
  }

  /**
   * One parameter.
   *
   * @param value the field value
   * @param name the parameter name, any case
   * @return the parameter's value, or {@code null}
   */
  public static @Nullable String param(@Nullable String value, String name) {
    if (value == null) {
      return null;
    }
    return parse(value).get(name.toLowerCase(Locale.ROOT));
  }

  /**
   * The value before the parameters (a Content-Disposition's type), trimmed.
   *
   * @param value the field value, or {@code null}
   * @return the value, or {@code null}
   */
  public static @Nullable String main(@Nullable String value) {
    if (value == null) {
      return null;
    }
    int semi = value.indexOf(';');
    return (semi < 0 ? value : value.substring(0, semi)).strip();
  }

  private static void percentDecode(String s, Bytes bytes) {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '%'
          && k + 2 < s.length()
          && Character.digit(s.charAt(k + 1), 16) >= 0
          && Character.digit(s.charAt(k + 2), 16) >= 0) {
        bytes.append(
            Character.digit(s.charAt(k + 1), 16) * 16 + Character.digit(s.charAt(k + 2), 16));
        k += 2;
      } else if (c < 0x80) {
        bytes.append(c);
      } else {
        byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.append(u, 0, u.length);
      }
    }
  }

  /**
   * The index of the quote closing the quoted string at {@code start}, or -1 if it is not closed.
   */
  static int quoteClose(String s, int start) {
    for (int i = start + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  static int skipCfws(String s, int i) {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        i++;
      } else if (c == '(') {
        i = commentEnd(s, i);
      } else {
        break;
      }
    }
    return i;
  }

  /**
   * The index after the quoted string starting at {@code start} (or the end of the text, if it is
   * not closed).
   */
  static int quotedEnd(String s, int start) {
    int i = start + 1;
    int n = s.length();
    while (i < n) {
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
    return n;
  }

  /**
   * The index after the comment starting at {@code start} (comments nest), or the end of the text.
   */
  static int commentEnd(String s, int start) {
    int depth = 0;
    int i = start;
    int n = s.length();
    while (i < n) {
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
    return n;
  }

  static String unquote(String s, int from, int to) {
    StringBuilder b = new StringBuilder(to - from);
    for (int i = from; i < to && i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < to) {
        c = s.charAt(++i);
      }
      b.append(c);
    }
    return b.toString();
  }
}
