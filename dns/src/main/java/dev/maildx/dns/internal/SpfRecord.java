package dev.maildx.dns.internal;

import static java.util.Objects.requireNonNull;

import dev.maildx.internal.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A parsed SPF record (RFC 7208 §4.5, §4.6, §12): its terms in order, the {@code redirect} and
 * {@code exp} modifiers, or the first syntax error with its position.
 *
 * <p>The whole record is checked before anything is evaluated, as §4.6 requires. Immutable and
 * thread-safe.
 */
public final class SpfRecord {
  /** The version prefix of an SPF record (RFC 7208 §4.5). */
  public static final String VERSION = "v=spf1";

  /** Mechanisms (RFC 7208 §5). */
  public enum Mechanism {
    ALL,
    INCLUDE,
    A,
    MX,
    PTR,
    IP4,
    IP6,
    EXISTS;

    /**
     * @return whether evaluating it costs a DNS lookup against the limit of 10 (RFC 7208 §4.6.4)
     */
    public boolean countsLookup() {
      return this == INCLUDE || this == A || this == MX || this == PTR || this == EXISTS;
    }

    /**
     * @return the name as written in records
     */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One term.
   *
   * @param text the term as written
   * @param position 1-based column in the record
   * @param qualifier '+', '-', '~' or '?' for mechanisms; 0 for modifiers
   * @param mechanism the mechanism, or null for a modifier
   * @param modifier the modifier name in lower case, or null for a mechanism
   * @param domainSpec the domain-spec (or unknown modifier's macro-string), if any
   * @param network the ip4/ip6 network address
   * @param cidr4 the IPv4 prefix length (32 if not given)
   * @param cidr6 the IPv6 prefix length (128 if not given)
   */
  public record Term(
      String text,
      int position,
      char qualifier,
      @Nullable Mechanism mechanism,
      @Nullable String modifier,
      @Nullable SpfMacro domainSpec,
      @Nullable InetAddress network,
      int cidr4,
      int cidr6) {

    /**
     * @return whether this is a mechanism (directive)
     */
    public boolean isMechanism() {
      return mechanism != null;
    }

    /**
     * @return whether it has an explicit qualifier character in the text
     */
    public boolean explicitQualifier() {
      char c = text.isEmpty() ? ' ' : text.charAt(0);
      return c == '+' || c == '-' || c == '~' || c == '?';
    }

    /**
     * @return the number of addresses an ip4/ip6 mechanism covers, as a power of two exponent
     */
    public int addressBits() {
      if (mechanism == Mechanism.IP4) {
        return 32 - cidr4;
      }
      if (mechanism == Mechanism.IP6) {
        return 128 - cidr6;
      }
      return 0;
    }
  }

  private final String text;
  private final List<Term> terms;
  private final @Nullable Term redirect;
  private final @Nullable Term exp;
  private final @Nullable String error;
  private final int errorPosition;

  private SpfRecord(
      String text,
      List<Term> terms,
      @Nullable Term redirect,
      @Nullable Term exp,
      @Nullable String error,
      int errorPosition) {
    this.text = text;
    this.terms = List.copyOf(terms);
    this.redirect = redirect;
    this.exp = exp;
    this.error = error;
    this.errorPosition = errorPosition;
  }

  /**
   * Whether a TXT record is an SPF version 1 record: it starts with {@code v=spf1} (any case)
   * followed by a space or nothing (RFC 7208 §4.5).
   *
   * @param txt the record text, its strings joined
   * @return {@code true} if it is selected as an SPF record
   */
  public static boolean isSpf1(String txt) {
    return txt.length() >= 6
        && txt.regionMatches(true, 0, VERSION, 0, 6)
        && (txt.length() == 6 || txt.charAt(6) == ' ');
  }

  /**
   * Parses a record. Never throws: a syntax error is reported by {@link #error()}.
   *
   * @param text the record, starting with {@code v=spf1}
   * @return the parsed record
   */
  public static SpfRecord parse(String text) {
    List<Term> terms = new ArrayList<>();
    Term redirect = null;
    Term exp = null;
    if (!isSpf1(text)) {
      return new SpfRecord(text, terms, null, null, "the record does not start with \"v=spf1\"", 1);
    }
    int n = text.length();
    int i = 6;
    while (i < n) {
      if (text.charAt(i) == ' ') {
        i++;
        continue;
      }
      int start = i;
      while (i < n && text.charAt(i) != ' ') {
        i++;
      }
      String t = text.substring(start, i);
      int pos = start + 1;
      Term term;
      try {
        term = term(t, pos);
      } catch (TermException e) {
        return new SpfRecord(text, terms, null, null, e.getMessage(), pos + e.offset);
      }
      if (term.modifier != null && term.modifier.equals("redirect")) {
        if (redirect != null) {
          return new SpfRecord(text, terms, null, null, "\"redirect\" appears more than once", pos);
        }
        redirect = term;
      } else if (term.modifier != null && term.modifier.equals("exp")) {
        if (exp != null) {
          return new SpfRecord(text, terms, null, null, "\"exp\" appears more than once", pos);
        }
        exp = term;
      }
      terms.add(term);
    }
    return new SpfRecord(text, terms, redirect, exp, null, 0);
  }

  private static final class TermException extends Exception {
    private static final long serialVersionUID = 1L;
    final int offset;

    TermException(String message, int offset) {
      super(message, null, false, false);
      this.offset = offset;
    }
  }

  /**
   * Parses one term (RFC 7208 §4.6.1): a modifier ({@code name=value}, §6) or a mechanism with its
   * qualifier (§4.6.2) and arguments (§5).
   */
  private static Term term(String t, int pos) throws TermException {
    checkCharacters(t);
    char first = t.charAt(0);
    boolean qualified = first == '+' || first == '-' || first == '~' || first == '?';
    if (!qualified) {
      int k = 0;
      if (isAlpha(first)) {
        k = 1;
        while (k < t.length()
            && (isAlpha(t.charAt(k))
                || Character.isDigit(t.charAt(k))
                || "-_.".indexOf(t.charAt(k)) >= 0)) {
          k++;
        }
      }
      if (k < t.length() && t.charAt(k) == '=') {
        if (k == 0) {
          throw new TermException("a modifier needs a name before '='", 0);
        }
        return modifier(
            t, pos, t.substring(0, k).toLowerCase(Locale.ROOT), t.substring(k + 1), k + 1);
      }
      if (k == 0 && t.charAt(0) == '=') {
        throw new TermException("a modifier needs a name before '='", 0);
      }
    }
    int off = qualified ? 1 : 0;
    char qualifier = qualified ? first : '+';
    String rest = t.substring(off);
    int nameEnd = 0;
    while (nameEnd < rest.length() && rest.charAt(nameEnd) != ':' && rest.charAt(nameEnd) != '/') {
      nameEnd++;
    }
    String name = rest.substring(0, nameEnd).toLowerCase(Locale.ROOT);
    String arg = rest.substring(nameEnd);
    int argOff = off + nameEnd;
    Mechanism m = mechanismNamed(name, rest.substring(0, nameEnd), off);
    return mechanism(t, pos, qualifier, m, arg, argOff);
  }

  /** A term is visible ASCII, and terms are separated by spaces only (RFC 7208 §4.6.1 grammar). */
  private static void checkCharacters(String t) throws TermException {
    for (int k = 0; k < t.length(); k++) {
      char c = t.charAt(k);
      if (c < 0x21 || c > 0x7e) {
        throw new TermException(
            SpfMacro.describe(c)
                + " in \""
                + printable(t)
                + "\" (terms are separated by spaces only, and records are ASCII)",
            k);
      }
    }
  }

  /** The mechanisms RFC 7208 §5 defines, by name (case-insensitive, §4.6.1). */
  private static Mechanism mechanismNamed(String name, String written, int off)
      throws TermException {
    Mechanism m;
    switch (name) {
      case "all":
        m = Mechanism.ALL;
        break;
      case "include":
        m = Mechanism.INCLUDE;
        break;
      case "a":
        m = Mechanism.A;
        break;
      case "mx":
        m = Mechanism.MX;
        break;
      case "ptr":
        m = Mechanism.PTR;
        break;
      case "ip4":
        m = Mechanism.IP4;
        break;
      case "ip6":
        m = Mechanism.IP6;
        break;
      case "exists":
        m = Mechanism.EXISTS;
        break;
      default:
        if (name.equals("redirect") || name.equals("exp")) {
          throw new TermException(
              "\"" + name + "\" is a modifier: write " + name + "=<domain>", off);
        }
        throw new TermException("unknown mechanism \"" + printable(written) + "\"", off);
    }
    return m;
  }

  /** A mechanism's arguments, as RFC 7208 §5.1 to §5.7 define them for each. */
  private static Term mechanism(
      String t, int pos, char qualifier, Mechanism m, String arg, int argOff) throws TermException {
    switch (m) {
      case ALL:
        if (!arg.isEmpty()) {
          throw new TermException("\"all\" takes no argument", argOff);
        }
        return new Term(t, pos, qualifier, m, null, null, null, 32, 128);
      case INCLUDE:
      case EXISTS:
        if (!arg.startsWith(":")) {
          throw new TermException(
              "\"" + m.label() + "\" needs a domain: " + m.label() + ":<domain>", argOff);
        }
        return new Term(
            t, pos, qualifier, m, null, domainSpec(arg.substring(1), argOff + 1), null, 32, 128);
      case PTR:
        if (arg.isEmpty()) {
          return new Term(t, pos, qualifier, m, null, null, null, 32, 128);
        }
        if (!arg.startsWith(":")) {
          throw new TermException("\"ptr\" takes no prefix length", argOff);
        }
        return new Term(
            t, pos, qualifier, m, null, domainSpec(arg.substring(1), argOff + 1), null, 32, 128);
      case A:
      case MX:
        return addressMechanism(t, pos, qualifier, m, arg, argOff);
      case IP4:
      case IP6:
      default:
        return ipMechanism(t, pos, qualifier, m, arg, argOff);
    }
  }

  private static Term addressMechanism(
      String t, int pos, char qualifier, Mechanism m, String arg, int argOff) throws TermException {
    String spec = "";
    String cidr = arg;
    int specOff = argOff;
    if (arg.startsWith(":")) {
      spec = arg.substring(1);
      specOff = argOff + 1;
      // A trailing dual-cidr-length belongs to the mechanism, not the domain-spec.
      int cut = spec.length();
      int dd = trailingCidr(spec, cut, true);
      if (dd >= 0) {
        cut = dd;
      }
      int d = trailingCidr(spec, cut, false);
      if (d >= 0) {
        cut = d;
      }
      cidr = spec.substring(cut);
      spec = spec.substring(0, cut);
      if (spec.isEmpty()) {
        throw new TermException("\"" + m.label() + ":\" needs a domain after the colon", 1);
      }
    }
    int cidr4 = 32;
    int cidr6 = 128;
    int cidrOff = specOff + spec.length();
    if (!cidr.isEmpty()) {
      String v4 = null;
      String v6 = null;
      if (cidr.startsWith("//")) {
        v6 = cidr.substring(2);
      } else if (cidr.startsWith("/")) {
        int dbl = cidr.indexOf("//");
        if (dbl >= 0) {
          v4 = cidr.substring(1, dbl);
          v6 = cidr.substring(dbl + 2);
        } else {
          v4 = cidr.substring(1);
        }
      } else {
        throw new TermException("unexpected \"" + cidr + "\" after \"" + m.label() + "\"", cidrOff);
      }
      if (v4 != null) {
        cidr4 = prefix(v4, 32, cidrOff);
      }
      if (v6 != null) {
        cidr6 = prefix(v6, 128, cidrOff);
      }
    }
    SpfMacro ds = spec.isEmpty() ? null : domainSpec(spec, specOff);
    return new Term(t, pos, qualifier, m, null, ds, null, cidr4, cidr6);
  }

  /** The start of a trailing "/digits" (or "//digits") ending at {@code end}, or -1. */
  private static int trailingCidr(String s, int end, boolean dbl) {
    int k = end;
    while (k > 0 && Character.isDigit(s.charAt(k - 1))) {
      k--;
    }
    if (k == end || k == 0 || s.charAt(k - 1) != '/') {
      return -1;
    }
    k--;
    if (dbl) {
      return k > 0 && s.charAt(k - 1) == '/' ? k - 1 : -1;
    }
    return k > 0 && s.charAt(k - 1) == '/' ? -1 : k;
  }

  private static Term ipMechanism(
      String t, int pos, char qualifier, Mechanism m, String arg, int argOff) throws TermException {
    boolean v4 = m == Mechanism.IP4;
    if (!arg.startsWith(":") || arg.length() == 1) {
      throw new TermException(
          "\""
              + m.label()
              + "\" needs "
              + (v4 ? "an IPv4" : "an IPv6")
              + " network: "
              + m.label()
              + ":<address>[/<prefix>]",
          argOff);
    }
    String net = arg.substring(1);
    int slash = net.indexOf('/');
    String addr = slash < 0 ? net : net.substring(0, slash);
    int len = v4 ? 32 : 128;
    if (slash >= 0) {
      len = prefix(net.substring(slash + 1), v4 ? 32 : 128, argOff + 1 + slash);
    }
    boolean chars =
        !addr.isEmpty()
            && addr.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
    InetAddress a = chars ? InetAddresses.tryParse(addr) : null;
    if (v4 && (a == null || !(a instanceof Inet4Address) || addr.indexOf(':') >= 0)) {
      throw new TermException(
          "\"" + addr + "\" is not an IPv4 address (four decimal numbers 0-255, no leading zeros)",
          argOff + 1);
    }
    if (!v4 && (a == null || addr.indexOf(':') < 0)) {
      throw new TermException("\"" + addr + "\" is not an IPv6 address", argOff + 1);
    }
    if (!v4 && a instanceof Inet4Address) {
      // ::ffff:a.b.c.d is parsed by the JDK as IPv4; keep it as the IPv6 address it is.
      try {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(a.getAddress(), 0, b, 12, 4);
        a = Inet6Address.getByAddress(null, b, -1);
      } catch (java.net.UnknownHostException e) {
        throw new TermException("\"" + addr + "\" is not an IPv6 address", argOff + 1);
      }
    }
    return new Term(t, pos, qualifier, m, null, null, a, v4 ? len : 32, v4 ? 128 : len);
  }

  private static int prefix(String digits, int max, int off) throws TermException {
    if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
      throw new TermException("invalid prefix length \"/" + digits + "\"", off);
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      throw new TermException("prefix length \"/" + digits + "\" has a leading zero", off);
    }
    int v = Integer.parseInt(digits);
    if (v > max) {
      throw new TermException("prefix length /" + v + " is out of range 0-" + max, off);
    }
    return v;
  }

  private static Term modifier(String t, int pos, String name, String value, int valueOff)
      throws TermException {
    if (name.equals("redirect") || name.equals("exp")) {
      return new Term(t, pos, (char) 0, null, name, domainSpec(value, valueOff), null, 32, 128);
    }
    try {
      return new Term(t, pos, (char) 0, null, name, SpfMacro.parse(value, false), null, 32, 128);
    } catch (SpfMacro.SyntaxException e) {
      throw new TermException(
          "in the value of the modifier \"" + name + "\": " + e.getMessage(),
          valueOff + e.offset());
    }
  }

  private static SpfMacro domainSpec(String spec, int off) throws TermException {
    try {
      return SpfMacro.parseDomainSpec(spec);
    } catch (SpfMacro.SyntaxException e) {
      throw new TermException(
          requireNonNull(e.getMessage(), "syntax errors have a message"), off + e.offset());
    }
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c <= 0x7e ? String.valueOf(c) : String.format("\\u%04X", (int) c));
    }
    return b.toString();
  }

  /**
   * @return the record text
   */
  public String text() {
    return text;
  }

  /**
   * @return every term, in record order (empty after a syntax error)
   */
  public List<Term> terms() {
    return terms;
  }

  /**
   * @return the redirect modifier, if any
   */
  public @Nullable Term redirect() {
    return redirect;
  }

  /**
   * @return the exp modifier, if any
   */
  public @Nullable Term exp() {
    return exp;
  }

  /**
   * @return the first syntax error, or {@code null} if the record is valid
   */
  public @Nullable String error() {
    return error;
  }

  /**
   * @return the 1-based column of the syntax error, or 0
   */
  public int errorPosition() {
    return errorPosition;
  }

  /**
   * @return whether the record is free of syntax errors
   */
  public boolean valid() {
    return error == null;
  }

  @Override
  public String toString() {
    return text;
  }
}
