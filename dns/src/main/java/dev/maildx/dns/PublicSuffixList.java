package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The Public Suffix List (https://publicsuffix.org), which RFC 7489 §3.2 uses to find a domain's
 * Organizational Domain: the public suffix plus one label (the "registrable domain").
 *
 * <p>The list is publicsuffix.org's {@code public_suffix_list.dat} (MPL-2.0), which the build takes
 * from a Maven Central artifact and puts into this jar; {@link #version()} names the list's {@code
 * VERSION} and {@code COMMIT} header lines and that artifact. Both its ICANN and its private
 * section are used, as the list's own test vectors expect, with its wildcard ({@code *.ck}) and
 * exception ({@code !www.ck}) rules. A name under no listed suffix has its last label as the suffix
 * (the list's default rule {@code *}). Labels are compared in Unicode: an A-label ({@code xn--…})
 * matches the rule written with its U-label, so {@code xn--55qx5d.cn} and {@code 公司.cn} are the
 * same suffix. RFC 9989 replaces the list with the DNS tree walk; maildx uses both and reports
 * where they disagree.
 *
 * <p>The bundled list is read once, when {@link #bundled()} is first called. Immutable and
 * thread-safe.
 */
public final class PublicSuffixList {
  private static final String RESOURCE = "public_suffix_list.dat";
  private static final String SOURCE_RESOURCE = "public_suffix_list.properties";

  /**
   * Rule flags of a suffix (a key of {@link #rules}); 0 for a suffix that only ends longer rules.
   */
  private static final int EXACT = 1;

  private static final int WILDCARD = 2; // "*.<key>"
  private static final int EXCEPTION = 4; // "!<key>"

  private static final int MAX_LENGTH = 253;
  private static final int MAX_LABELS = 127;
  private static final int MAX_LABEL_LENGTH = 63;

  /** Every rule's suffix in Unicode, lower case, without "*." or "!", and every suffix of those. */
  private final Map<String, Integer> rules;

  private final String version;

  private PublicSuffixList(Map<String, Integer> rules, String version) {
    this.rules = rules;
    this.version = version;
  }

  /** Loaded when {@link #bundled()} is first called. */
  private static final class Bundled {
    static final PublicSuffixList LIST = load();
  }

  /**
   * The list in this jar.
   *
   * @return the list
   */
  public static PublicSuffixList bundled() {
    return Bundled.LIST;
  }

  /**
   * Where the list comes from.
   *
   * @return for example {@code publicsuffix.org list 2025-12-21_00-34-40_UTC (commit a081401…) from
   *     de.malkusch.whois-server-list:public-suffix-list:2.2.4}
   */
  public String version() {
    return version;
  }

  /**
   * The registrable domain: the longest public suffix of {@code domain} plus one label (RFC 7489
   * §3.2 steps 1–4).
   *
   * @param domain the domain
   * @return the registrable domain, or empty if {@code domain} is itself a public suffix
   */
  public Optional<DomainName> registrableDomain(DomainName domain) {
    requireNonNull(domain, "domain");
    String r = registrable(domain.ascii());
    return r != null && DomainName.isValid(r) ? Optional.of(DomainName.of(r)) : Optional.empty();
  }

  /**
   * The registrable domain of any string, as the list's test vectors ({@code test_psl.txt}) state
   * it: lower case, Unicode labels kept as given.
   *
   * @param name a domain, any case, Unicode or A-labels
   * @return the registrable domain, or empty for a public suffix or a malformed name (such as one
   *     with a leading dot)
   */
  public Optional<String> registrableDomain(String name) {
    requireNonNull(name, "name");
    return Optional.ofNullable(registrable(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The Organizational Domain by RFC 7489 §3.2: the registrable domain, or {@code domain} itself
   * when it is a public suffix.
   *
   * @param domain the domain
   * @return the Organizational Domain
   */
  public DomainName organizationalDomain(DomainName domain) {
    return registrableDomain(domain).orElse(domain);
  }

  /**
   * The registrable domain of {@code name}, or {@code null} for a public suffix or a malformed
   * name. Names are accepted and normalized as maildx did with Guava's {@code InternetDomainName}:
   * the dots {@code 。．｡} separate labels too, ASCII letters are lowered, one trailing dot is
   * dropped; at most 253 characters and 127 labels of 1–63 characters; ASCII characters only
   * letters, digits, {@code -} and {@code _}, not at a label's start or end; the last label does
   * not start with a digit. Other characters are not checked.
   */
  private @Nullable String registrable(String name) {
    if (name.isEmpty() || name.startsWith(".")) {
      return null;
    }
    String n = normalize(name);
    if (n.length() > MAX_LENGTH) {
      return null;
    }
    int[] starts = new int[Math.min(MAX_LABELS, (n.length() + 1) / 2) + 1];
    int count = labels(n, starts);
    if (count < 0) {
      return null;
    }
    String key = lookupForm(n, starts, count);
    int suffix = suffixLabels(key, key.equals(n) ? starts : dots(key, count), count);
    return suffix >= count ? null : n.substring(starts[count - suffix - 1]);
  }

  /** How many labels on the right of {@code key} are its public suffix (at least 1: rule "*"). */
  private int suffixLabels(String key, int[] starts, int count) {
    int suffix = 1;
    for (int i = 1; i <= count; i++) {
      Integer f = rules.get(key.substring(starts[count - i]));
      if (f == null) {
        break; // no rule ends with this suffix: no longer one can match
      }
      int flags = f;
      if ((flags & EXCEPTION) != 0) {
        return Math.max(1, i - 1); // an exception rule prevails: its parent is the suffix
      }
      if ((flags & EXACT) != 0) {
        suffix = i;
      }
      if ((flags & WILDCARD) != 0 && i < count) {
        suffix = i + 1;
      }
    }
    return suffix;
  }

  /** Guava's normalization: other dots to '.', ASCII lower case, one trailing dot dropped. */
  private static String normalize(String name) {
    String n = name;
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (c == '\u3002' || c == '\uFF0E' || c == '\uFF61' || (c >= 'A' && c <= 'Z')) {
        char[] chars = n.toCharArray();
        for (int j = i; j < chars.length; j++) {
          char d = chars[j];
          if (d == '\u3002' || d == '\uFF0E' || d == '\uFF61') {
            chars[j] = '.';
          } else if (d >= 'A' && d <= 'Z') {
            chars[j] = (char) (d + ('a' - 'A'));
          }
        }
        n = new String(chars);
        break;
      }
    }
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /**
   * Splits {@code n} at its dots: {@code starts[i]} is where label i starts, {@code starts[count]}
   * is {@code n.length() + 1}.
   *
   * @return the number of labels, or -1 if {@code n} is malformed
   */
  private static int labels(String n, int[] starts) {
    int count = 0;
    int start = 0;
    int length = n.length();
    for (int i = 0; i <= length; i++) {
      if (i < length && n.charAt(i) != '.') {
        continue;
      }
      if (count == MAX_LABELS || !validLabel(n, start, i, i == length)) {
        return -1;
      }
      starts[count++] = start;
      start = i + 1;
    }
    starts[count] = length + 1;
    return count;
  }

  private static boolean validLabel(String n, int from, int to, boolean last) {
    int length = to - from;
    if (length < 1 || length > MAX_LABEL_LENGTH) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = n.charAt(i);
      if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return false; // upper case was lowered by normalize
      }
    }
    char first = n.charAt(from);
    char end = n.charAt(to - 1);
    return first != '-'
        && first != '_'
        && end != '-'
        && end != '_'
        && !(last && first >= '0' && first <= '9');
  }

  /**
   * {@code n} with its A-labels decoded to U-labels, as the list writes them ({@code n} if none).
   */
  private static String lookupForm(String n, int[] starts, int count) {
    StringBuilder b = null;
    for (int i = 0; i < count; i++) {
      int from = starts[i];
      int to = starts[i + 1] - 1;
      String u = n.startsWith("xn--", from) ? Punycode.decode(n, from + 4, to) : null;
      if (u != null && b == null) {
        b = new StringBuilder(n.length() + 16).append(n, 0, from);
      }
      if (b != null) {
        b.append(u != null ? u.toLowerCase(Locale.ROOT) : n.substring(from, to));
        if (i < count - 1) {
          b.append('.');
        }
      }
    }
    return b == null ? n : b.toString();
  }

  /** The starts of the {@code count} labels of {@code key}, as {@link #labels} gives them. */
  private static int[] dots(String key, int count) {
    int[] starts = new int[count + 1];
    int label = 1;
    for (int i = key.indexOf('.'); i >= 0 && label < count; i = key.indexOf('.', i + 1)) {
      starts[label++] = i + 1; // a decoded label has no dot: Punycode.decode refuses one
    }
    starts[count] = key.length() + 1;
    return starts;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the list

  private static PublicSuffixList load() {
    byte[] list;
    try (InputStream in = PublicSuffixList.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the Public Suffix List is missing from the jar: dev/maildx/dns/" + RESOURCE);
      }
      list = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Public Suffix List", e);
    }
    return parse(list, source());
  }

  private static String source() {
    try (InputStream in = PublicSuffixList.class.getResourceAsStream(SOURCE_RESOURCE)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String s = p.getProperty("source");
        if (s != null && !s.isBlank()) {
          return s.strip();
        }
      }
    } catch (IOException ignored) {
      // fall through
    }
    return "an unknown artifact";
  }

  /**
   * Reads a list in publicsuffix.org's format: one rule per line (up to its first white space),
   * {@code //} comments, {@code *.} wildcard and {@code !} exception rules. The {@code // VERSION:}
   * and {@code // COMMIT:} header lines, when present, go into {@link #version()}.
   *
   * @param utf8 the list, UTF-8
   * @param source where it comes from, for {@link #version()}
   * @return the list
   */
  static PublicSuffixList parse(byte[] utf8, String source) {
    Map<String, Integer> rules = new HashMap<>(32_768);
    String listVersion = null;
    String commit = null;
    byte[] b = utf8;
    int length = b.length;
    int pos = 0;
    while (pos < length) {
      int from = pos;
      while (from < length && b[from] != '\n' && (b[from] & 0xff) <= ' ') {
        from++; // leading white space
      }
      int eol = from;
      while (eol < length && b[eol] != '\n') {
        eol++;
      }
      pos = eol + 1;
      if (from == eol) {
        continue;
      }
      if (b[from] == '/') {
        if (startsWith(b, from, eol, VERSION_LINE)) {
          listVersion =
              new String(
                      b,
                      from + VERSION_LINE.length,
                      eol - from - VERSION_LINE.length,
                      StandardCharsets.UTF_8)
                  .strip();
        } else if (startsWith(b, from, eol, COMMIT_LINE)) {
          commit =
              new String(
                      b,
                      from + COMMIT_LINE.length,
                      eol - from - COMMIT_LINE.length,
                      StandardCharsets.UTF_8)
                  .strip();
        }
        continue;
      }
      int to = from;
      boolean ascii = true;
      boolean upper = false;
      for (int c; to < eol && (c = b[to] & 0xff) > ' '; to++) {
        ascii &= c < 0x80;
        upper |= c >= 'A' && c <= 'Z';
      }
      // ISO-8859-1 is the quick way to make a String of ASCII bytes
      String rule =
          new String(
              b, from, to - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      addRule(rules, upper || !ascii ? rule.toLowerCase(Locale.ROOT) : rule);
    }
    StringBuilder v = new StringBuilder("publicsuffix.org list ");
    v.append(listVersion == null || listVersion.isEmpty() ? "(no VERSION line)" : listVersion);
    if (commit != null && !commit.isEmpty()) {
      v.append(" (commit ").append(commit).append(')');
    }
    v.append(" from ").append(source);
    return new PublicSuffixList(rules, v.toString());
  }

  private static final byte[] VERSION_LINE = "// VERSION:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COMMIT_LINE = "// COMMIT:".getBytes(StandardCharsets.US_ASCII);

  private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static void addRule(Map<String, Integer> rules, String rule) {
    int flag;
    String suffix;
    if (rule.startsWith("!")) {
      flag = EXCEPTION;
      suffix = rule.substring(1);
    } else if (rule.startsWith("*.")) {
      flag = WILDCARD;
      suffix = rule.substring(2);
    } else if (rule.equals("*")) {
      return; // the default rule, always applied
    } else {
      flag = EXACT;
      suffix = rule;
    }
    if (suffix.isEmpty()
        || suffix.startsWith(".")
        || suffix.endsWith(".")
        || suffix.contains("..")) {
      return; // not a rule
    }
    Integer old = rules.put(suffix, flag);
    if (old != null) {
      rules.put(suffix, old | flag);
      return; // its suffixes are in already
    }
    for (int dot = suffix.indexOf('.'); dot >= 0; dot = suffix.indexOf('.', dot + 1)) {
      if (rules.putIfAbsent(suffix.substring(dot + 1), 0) != null) {
        break; // and so are their own suffixes
      }
    }
  }

  @Override
  public String toString() {
    return "PublicSuffixList[" + version + "]";
  }

  /** Punycode (RFC 3492 §6.2) decoding of one label, enough to compare A-labels with the list. */
  static final class Punycode {
    private static final int BASE = 36;
    private static final int TMIN = 1;
    private static final int TMAX = 26;
    private static final int SKEW = 38;
    private static final int DAMP = 700;

    private Punycode() {}

    /**
     * Decodes {@code s[from, to)} (the part after {@code xn--}).
     *
     * @return the Unicode label, or {@code null} if it is not valid Punycode or decodes to
     *     something that cannot be a label (empty, a dot, a surrogate)
     */
    static @Nullable String decode(String s, int from, int to) {
      int delimiter = -1;
      for (int i = to - 1; i >= from; i--) {
        if (s.charAt(i) == '-') {
          delimiter = i;
          break;
        }
      }
      int[] out = new int[to - from];
      int size = 0;
      int in = from;
      if (delimiter > from) {
        for (int i = from; i < delimiter; i++) {
          out[size++] = s.charAt(i); // ASCII: the label was checked
        }
        in = delimiter + 1;
      }
      int n = 0x80;
      int i = 0;
      int bias = 72;
      while (in < to) {
        int oldi = i;
        int w = 1;
        for (int k = BASE; ; k += BASE) {
          if (in >= to) {
            return null;
          }
          int digit = digit(s.charAt(in++));
          if (digit < 0 || digit > (Integer.MAX_VALUE - i) / w) {
            return null;
          }
          i += digit * w;
          int t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
          if (digit < t) {
            break;
          }
          if (w > Integer.MAX_VALUE / (BASE - t)) {
            return null;
          }
          w *= BASE - t;
        }
        bias = adapt(i - oldi, size + 1, oldi == 0);
        if (i / (size + 1) > Integer.MAX_VALUE - n) {
          return null;
        }
        n += i / (size + 1);
        i %= size + 1;
        if (n > Character.MAX_CODE_POINT
            || (n >= Character.MIN_SURROGATE && n <= Character.MAX_SURROGATE)
            || n == '.'
            || n == '\u3002'
            || n == '\uFF0E'
            || n == '\uFF61'
            || size == out.length) {
          return null;
        }
        System.arraycopy(out, i, out, i + 1, size - i);
        out[i++] = n;
        size++;
      }
      return size == 0 ? null : new String(out, 0, size);
    }

    private static int digit(char c) {
      if (c >= 'a' && c <= 'z') {
        return c - 'a';
      }
      if (c >= 'A' && c <= 'Z') {
        return c - 'A';
      }
      if (c >= '0' && c <= '9') {
        return c - '0' + 26;
      }
      return -1;
    }

    private static int adapt(int delta, int points, boolean first) {
      int d = first ? delta / DAMP : delta / 2;
      d += d / points;
      int k = 0;
      while (d > ((BASE - TMIN) * TMAX) / 2) {
        d /= BASE - TMIN;
        k += BASE;
      }
      return k + (BASE - TMIN + 1) * d / (d + SKEW);
    }
  }
}
