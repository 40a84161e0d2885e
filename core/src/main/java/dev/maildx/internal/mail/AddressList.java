package dev.maildx.internal.mail;

import dev.maildx.DomainName;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the mailboxes of an address-list header field such as From, To or Cc (RFC 5322 §3.4, with
 * the obsolete forms of §4.4): display names (atoms, quoted strings whose commas, angle brackets
 * and {@code @} are text, RFC 2047 encoded words decoded), angle addresses (an obsolete source
 * route dropped), bare addr-specs, comments anywhere, CFWS around the {@code @} and the dots of
 * obs-local-part and obs-domain, empty list elements, and groups (whose members count as mailboxes;
 * an empty group has none).
 *
 * <p>The value is first cut into tokens (RFC 5322 §3.2: atoms, quoted strings, domain literals,
 * specials; comments and white space only separate), so a quoted string is never searched for an
 * address. Leniently, a phrase followed by an addr-spec without angle brackets ({@code "Johnson,
 * Joe" joe@example.com}) is a display name and its address.
 *
 * <p>Replaces maildx-dns's {@code AddressList}, which collected the characters of a mailbox and,
 * seeing white space around an {@code @}, removed all white space: {@code "Johnson, Joe
 * <joe@joe.com>" joe@joe.com} became the address {@code "Johnson,Joe<joe@joe.com>"joe@joe.com}.
 * Bounded; never throws on content. Thread-safe (stateless).
 */
public final class AddressList {
  /** The most mailboxes read from one field. */
  public static final int MAX_MAILBOXES = 100;

  /**
   * The longest address kept (RFC 5321 §4.5.3.1.3 allows 256 octets in a path); a longer one is
   * cut, without a domain.
   */
  public static final int MAX_ADDRESS = 320;

  /** The longest field value read. */
  public static final int MAX_LENGTH = 64 * 1024;

  private AddressList() {}

  /** One mailbox. Immutable; the domain is validated on first use. */
  public static final class Mailbox {
    private final String displayName;
    private final String address;
    private final @Nullable String group;
    private volatile @Nullable Object domain; // a DomainName, or NO_DOMAIN once known to be none

    Mailbox(String displayName, String address, @Nullable String group) {
      this.displayName = displayName;
      this.address = address;
      this.group = group;
    }

    /**
     * @return the display name, decoded, white space collapsed; empty if none
     */
    public String displayName() {
      return displayName;
    }

    /**
     * @return the addr-spec, comments and white space removed (a quoted local part stays quoted)
     */
    public String address() {
      return address;
    }

    /**
     * The domain of the address if it is a valid domain name.
     *
     * @return the domain (lower case, A-labels), or {@code null} (no {@code @}, an address literal,
     *     an invalid name, an address longer than {@link #MAX_ADDRESS})
     */
    public @Nullable DomainName domain() {
      Object d = domain;
      if (d == null) {
        d = NO_DOMAIN;
        int at = address.lastIndexOf('@');
        if (at > 0
            && at < address.length() - 1
            && address.length() < MAX_ADDRESS
            && address.charAt(at + 1) != '[') {
          try {
            d = DomainName.of(address.substring(at + 1));
          } catch (IllegalArgumentException e) {
            // not a domain name
          }
        }
        domain = d;
      }
      return d instanceof DomainName ? (DomainName) d : null;
    }

    /**
     * @return the text after the last {@code @} of the address, or empty
     */
    public String domainPart() {
      int at = address.lastIndexOf('@');
      return at < 0 ? "" : address.substring(at + 1);
    }

    /**
     * @return the display name of the group the mailbox is listed in, or {@code null}
     */
    public @Nullable String group() {
      return group;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Mailbox
          && ((Mailbox) o).displayName.equals(displayName)
          && ((Mailbox) o).address.equals(address)
          && java.util.Objects.equals(((Mailbox) o).group, group);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(displayName, address, group);
    }

    @Override
    public String toString() {
      return "Mailbox[displayName="
          + displayName
          + ", address="
          + address
          + ", domain="
          + domain()
          + (group == null ? "" : ", group=" + group)
          + "]";
    }
  }

  private static final Object NO_DOMAIN = new Object();

  // token kinds
  private static final int ATOM = 0;
  private static final int QUOTED = 1;
  private static final int LITERAL = 2;
  private static final int SPECIAL = 3;

  /**
   * A token: its kind, its text (unquoted for a quoted string), the special character, and whether
   * CFWS came before it.
   */
  private record Token(int kind, String text, char special, boolean space) {
    Token(int kind, String text, boolean space) {
      this(kind, text, kind == SPECIAL ? text.charAt(0) : 0, space);
    }

    boolean is(char c) {
      return special == c;
    }

    boolean word() {
      return kind == ATOM || kind == QUOTED;
    }
  }

  /**
   * Parses a header field value.
   *
   * @param value the unfolded value ({@link HeaderField#value()})
   * @return the mailboxes, in order; empty for an empty group or no address
   */
  public static List<Mailbox> parse(String value) {
    String s = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
    List<Token> tokens = tokenize(s);
    List<Mailbox> out = new ArrayList<>();
    List<Token> cur = new ArrayList<>();
    String group = null;
    boolean done = false; // the current element ended with an angle address: skip to its end
    int n = tokens.size();
    for (int i = 0; i < n && out.size() < MAX_MAILBOXES; i++) {
      Token t = tokens.get(i);
      if (t.is(',')) {
        if (!done) {
          element(cur, group, out);
        }
        cur.clear();
        done = false;
      } else if (t.is(';')) {
        // the end of a group, or (outside one) a separator as Outlook writes it
        if (!done) {
          element(cur, group, out);
        }
        cur.clear();
        done = false;
        group = null;
      } else if (done) {
        // after an address, everything up to the next ',' or ';' is ignored
      } else if (t.is('<')) {
        int j = i + 1;
        List<Token> angle = new ArrayList<>();
        while (j < n && !tokens.get(j).is('>')) {
          angle.add(tokens.get(j));
          j++;
        }
        Mailbox m = angleAddr(cur, angle, group);
        if (m != null) {
          out.add(m);
        }
        cur.clear();
        done = true;
        i = j;
      } else if (t.is(':') && group == null && !hasAt(cur)) {
        group = phrase(cur, 0, cur.size());
        cur.clear();
      } else {
        cur.add(t);
      }
    }
    if (!done && out.size() < MAX_MAILBOXES) {
      element(cur, group, out);
    }
    return out;
  }

  /**
   * The first mailbox of a value that has an {@code @}, or else the first mailbox.
   *
   * @param value the value
   * @return the mailbox, or {@code null}
   */
  public static @Nullable Mailbox first(String value) {
    List<Mailbox> all = parse(value);
    for (Mailbox m : all) {
      if (m.address().indexOf('@') > 0) {
        return m;
      }
    }
    return all.isEmpty() ? null : all.get(0);
  }

  private static boolean hasAt(List<Token> ts) {
    for (Token t : ts) {
      if (t.is('@')) {
        return true;
      }
    }
    return false;
  }

  /**
   * A list element without angle brackets: an addr-spec, maybe after a phrase, or a bare local
   * part.
   */
  private static void element(List<Token> ts, @Nullable String group, List<Mailbox> out) {
    if (ts.isEmpty()) {
      return;
    }
    int at = -1;
    for (int k = ts.size() - 1; k >= 0; k--) {
      if (ts.get(k).is('@')) {
        at = k;
        break;
      }
    }
    if (at < 0) {
      if (ts.size() == 1 && ts.get(0).kind() == ATOM) {
        out.add(
            mailbox("", ts.get(0).text(), group)); // a bare local part: a mailbox without a domain
      }
      return;
    }
    int localStart = localStart(ts, at);
    if (localStart == at) {
      return; // nothing before the @
    }
    String domain = domain(ts, at + 1, ts.size());
    if (domain.isEmpty()) {
      return;
    }
    String display = phrase(ts, 0, localStart);
    out.add(mailbox(display, local(ts, localStart, at) + "@" + domain, group));
  }

  /**
   * Where the local part before the {@code @} at {@code at} starts: word *("." word), read
   * backwards.
   */
  private static int localStart(List<Token> ts, int at) {
    int k = at - 1;
    if (k < 0 || !ts.get(k).word() && !ts.get(k).is('.')) {
      return at;
    }
    int start = at;
    boolean wantWord = true;
    while (k >= 0) {
      Token t = ts.get(k);
      if (t.is('.')) {
        start = k; // "a..b" and a leading or trailing dot: obsolete or broken, kept
        wantWord = true;
      } else if (t.word() && (wantWord || start == at)) {
        start = k;
        wantWord = false;
      } else {
        break;
      }
      k--;
    }
    return start;
  }

  private static String local(List<Token> ts, int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int k = from; k < to; k++) {
      Token t = ts.get(k);
      if (t.kind() == QUOTED) {
        b.append(dotAtom(t.text()) ? t.text() : quote(t.text()));
      } else {
        b.append(t.text());
      }
    }
    return b.toString();
  }

  /**
   * The domain after an {@code @}: atom *("." atom) or a domain literal; what follows is ignored.
   */
  private static String domain(List<Token> ts, int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int k = from; k < to; k++) {
      Token t = ts.get(k);
      if (t.kind() == LITERAL) {
        if (b.length() == 0) {
          b.append(t.text());
        }
        break;
      }
      if (t.kind() == ATOM || t.is('.')) {
        if (t.kind() == ATOM && b.length() > 0 && b.charAt(b.length() - 1) != '.') {
          break; // a second word: the domain has ended
        }
        b.append(t.text());
      } else {
        break;
      }
    }
    return b.toString();
  }

  private static @Nullable Mailbox angleAddr(
      List<Token> phrase, List<Token> angle, @Nullable String group) {
    int start = 0;
    if (!angle.isEmpty() && angle.get(0).is('@')) {
      // obsolete source route (RFC 5322 §4.4): "@a.example,@b.example:" before the address
      for (int k = 0; k < angle.size(); k++) {
        if (angle.get(k).is(':')) {
          start = k + 1;
          break;
        }
      }
    }
    int at = -1;
    for (int k = angle.size() - 1; k >= start; k--) {
      if (angle.get(k).is('@')) {
        at = k;
        break;
      }
    }
    String display = phrase(phrase, 0, phrase.size());
    if (at < 0) {
      for (int k = start; k < angle.size(); k++) {
        if (!angle.get(k).word() && !angle.get(k).is('.')) {
          return null;
        }
      }
      String a = local(angle, start, angle.size());
      return a.isEmpty() ? null : mailbox(display, a, group); // "<postmaster>": no domain
    }
    if (at == start) {
      return null; // "<@example.com>"
    }
    String domain = domain(angle, at + 1, angle.size());
    String a = local(angle, start, at) + "@" + domain;
    return mailbox(display, a, group);
  }

  /**
   * A phrase (display name or group name): words with single spaces where CFWS separated them,
   * encoded words decoded.
   */
  private static String phrase(List<Token> ts, int from, int to) {
    if (from >= to) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int k = from; k < to; k++) {
      Token t = ts.get(k);
      if (t.space() && b.length() > 0) {
        b.append(' ');
      }
      b.append(t.text());
    }
    return collapse(EncodedWords.decode(b.toString()));
  }

  private static String collapse(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        space = b.length() > 0;
      } else {
        if (space) {
          b.append(' ');
          space = false;
        }
        b.append(c);
      }
    }
    return b.toString();
  }

  private static Mailbox mailbox(String display, String address, @Nullable String group) {
    return new Mailbox(
        printable(display, 200),
        printable(address, MAX_ADDRESS),
        group == null ? null : printable(group, 200));
  }

  /** Cut to {@code max} characters, C0 controls and DEL written as {@code \\uXXXX}. */
  private static String printable(String s, int max) {
    String cut = s.length() > max ? s.substring(0, max) : s;
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        StringBuilder b = new StringBuilder(cut.length() + 16);
        for (int k = 0; k < cut.length(); k++) {
          char d = cut.charAt(k);
          if (d < 0x20 || d == 0x7f) {
            b.append(String.format("\\u%04X", (int) d));
          } else {
            b.append(d);
          }
        }
        return b.toString();
      }
    }
    return cut;
  }

  private static boolean atext(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0
        || c >= 0x80;
  }

  private static boolean dotAtom(String s) {
    if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '.' && !atext(c)) {
        return false;
      }
    }
    return true;
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }

  /**
   * Cuts a value into tokens (RFC 5322 §3.2); comments and white space only mark the token after
   * them.
   */
  private static List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int n = s.length();
    int i = 0;
    boolean space = false;
    while (i < n) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        space = true;
        i++;
      } else if (c == '(') {
        i = HeaderParams.commentEnd(s, i);
        space = true;
      } else if (c == '"') {
        int close = HeaderParams.quoteClose(s, i);
        int end = close < 0 ? n : close;
        out.add(new Token(QUOTED, unfoldQuoted(HeaderParams.unquote(s, i + 1, end)), space));
        i = close < 0 ? n : close + 1;
        space = false;
      } else if (c == '[') {
        int close = s.indexOf(']', i);
        int end = close < 0 ? n : close + 1;
        out.add(new Token(LITERAL, s.substring(i, end).replaceAll("[ \\t\\r\\n]+", ""), space));
        i = end;
        space = false;
      } else if (atext(c)) {
        int start = i;
        while (i < n && atext(s.charAt(i))) {
          i++;
        }
        out.add(new Token(ATOM, s.substring(start, i), space));
        space = false;
      } else {
        // specials ( < > @ , ; : \ . ] ) and control characters
        out.add(new Token(SPECIAL, String.valueOf(c), space));
        i++;
        space = false;
      }
    }
    return out;
  }

  private static String unfoldQuoted(String s) {
    return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : s.replace("\r\n", "").replace("\n", "");
  }
}
