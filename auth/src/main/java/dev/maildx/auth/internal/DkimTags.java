package dev.maildx.auth.internal;

import dev.maildx.dns.internal.TxtStrings;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A DKIM tag list (RFC 6376 §3.2) as found in a {@code DKIM-Signature}, {@code
 * ARC-Message-Signature} or {@code ARC-Seal} header field: {@code tag=value} pairs separated by
 * {@code ;}, folding white space allowed around names, values and separators, a final {@code ;}
 * allowed. Tag names are case-sensitive; a name given twice, an empty pair, a pair without {@code
 * =}, a name that is not {@code ALPHA *(ALPHA / DIGIT / "_")} or a value with characters outside
 * {@code VALCHAR} make the whole list invalid ({@link #problem()}).
 *
 * <p>Positions refer to the parsed string (the header field value decoded one octet to one char),
 * so that the {@code b=} value can be cut out of the raw octets.
 *
 * <p>Immutable.
 */
public final class DkimTags {
  /** The most tags read. */
  public static final int MAX_TAGS = 64;

  /**
   * One tag.
   *
   * @param name the name
   * @param value the value, folding white space at both ends removed (inner white space kept)
   * @param eq the position of the {@code =}
   * @param end the position of the {@code ;} that ends the pair, or the length of the string
   */
  public record Tag(String name, String value, int eq, int end) {}

  private final List<Tag> tags;
  private final @Nullable String problem;

  private DkimTags(List<Tag> tags, @Nullable String problem) {
    this.tags = List.copyOf(tags);
    this.problem = problem;
  }

  /**
   * Parses a tag list; never throws on content.
   *
   * @param s the header field value, octets as chars
   * @return the tags and the first problem
   */
  public static DkimTags parse(String s) {
    List<Tag> tags = new ArrayList<>();
    String problem = null;
    int start = 0;
    int len = s.length();
    while (start <= len) {
      int semi = s.indexOf(';', start);
      int end = semi < 0 ? len : semi;
      int a = start;
      int b = end;
      while (a < b && fws(s.charAt(a))) {
        a++;
      }
      while (b > a && fws(s.charAt(b - 1))) {
        b--;
      }
      if (a == b) {
        // only the part after the last ';' may be empty: "a=1;" is fine, "a=1;;" and ";a=1" are not
        if (semi >= 0 && problem == null) {
          problem = "an empty tag between two semicolons";
        }
      } else if (tags.size() >= MAX_TAGS) {
        if (problem == null) {
          problem = "more than " + MAX_TAGS + " tags";
        }
        break;
      } else {
        int eq = s.indexOf('=', a);
        if (eq < 0 || eq >= b) {
          problem =
              problem != null
                  ? problem
                  : "\""
                      + TxtStrings.printable(s.substring(a, b), 60)
                      + "\" is not a tag=value pair";
        } else {
          int ne = eq;
          while (ne > a && fws(s.charAt(ne - 1))) {
            ne--;
          }
          String name = s.substring(a, ne);
          int va = eq + 1;
          while (va < b && fws(s.charAt(va))) {
            va++;
          }
          String value = s.substring(va, b);
          if (!validName(name)) {
            problem =
                problem != null
                    ? problem
                    : "\"" + TxtStrings.printable(name, 60) + "\" is not a valid tag name";
          } else if (!validValue(value)) {
            problem =
                problem != null
                    ? problem
                    : "the value of "
                        + name
                        + "= holds characters that are not allowed (printable ASCII but ';')";
          } else {
            for (Tag t : tags) {
              if (t.name.equals(name)) {
                problem =
                    problem != null ? problem : "the tag " + name + "= appears more than once";
                break;
              }
            }
          }
          tags.add(new Tag(name, value, eq, end));
        }
      }
      if (semi < 0) {
        break;
      }
      start = semi + 1;
    }
    return new DkimTags(tags, problem);
  }

  /**
   * @return the tags in order (including invalid ones, when there is a {@link #problem()})
   */
  public List<Tag> tags() {
    return tags;
  }

  /**
   * @return what makes the list invalid, or {@code null} if it is valid
   */
  public @Nullable String problem() {
    return problem;
  }

  /**
   * The first tag with this name.
   *
   * @param name the exact name (case-sensitive)
   * @return the tag, or {@code null}
   */
  public @Nullable Tag tag(String name) {
    for (Tag t : tags) {
      if (t.name.equals(name)) {
        return t;
      }
    }
    return null;
  }

  /**
   * The value of the first tag with this name.
   *
   * @param name the exact name
   * @return the value, or {@code null}
   */
  public @Nullable String get(String name) {
    Tag t = tag(name);
    return t == null ? null : t.value;
  }

  static boolean fws(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean validName(String n) {
    if (n.isEmpty() || !alpha(n.charAt(0))) {
      return false;
    }
    for (int i = 1; i < n.length(); i++) {
      char c = n.charAt(i);
      if (!alpha(c) && !(c >= '0' && c <= '9') && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean validValue(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!((c >= 0x21 && c <= 0x7e && c != ';') || fws(c))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A value with all folding white space removed (for {@code b=}, {@code bh=}, {@code h=}).
   *
   * @param v the value
   * @return it without SP, HTAB, CR and LF
   */
  public static String compact(String v) {
    StringBuilder b = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!fws(c)) {
        b.append(c);
      }
    }
    return b.toString();
  }
}
