package dev.maildx.dns;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code tag=value; tag=value} list, the syntax of the MTA-STS (RFC 8461 §3.1), TLS-RPT
 * (RFC 8460 §3) and BIMI records: fields separated by {@code ;} with optional white space around
 * it, a final {@code ;} allowed. Parsing never fails; problems are collected as text.
 */
final class TagList {
  /** The most fields parsed; a record with more is reported as such. */
  static final int MAX_FIELDS = 64;

  /** One field. */
  record Tag(String name, String value) {}

  final List<Tag> tags;
  final List<String> problems;

  private TagList(List<Tag> tags, List<String> problems) {
    this.tags = List.copyOf(tags);
    this.problems = List.copyOf(problems);
  }

  static TagList parse(String text) {
    List<Tag> tags = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    String[] fields = text.split(";", -1);
    for (int i = 0; i < fields.length; i++) {
      String f = strip(fields[i]);
      if (f.isEmpty()) {
        if (i != fields.length - 1) {
          problems.add("empty field between ';' separators");
        }
        continue;
      }
      if (tags.size() >= MAX_FIELDS) {
        problems.add("more than " + MAX_FIELDS + " fields");
        break;
      }
      int eq = f.indexOf('=');
      if (eq < 0) {
        problems.add("field \"" + Text.printable(f) + "\" has no '='");
        continue;
      }
      String name = strip(f.substring(0, eq));
      String value = strip(f.substring(eq + 1));
      if (name.isEmpty()) {
        problems.add("field \"" + Text.printable(f) + "\" has no name before '='");
        continue;
      }
      tags.add(new Tag(name, value));
    }
    return new TagList(tags, problems);
  }

  /** The value of the first field with this name (exact, case-sensitive), or null. */
  @Nullable String get(String name) {
    for (Tag t : tags) {
      if (t.name.equals(name)) {
        return t.value;
      }
    }
    return null;
  }

  /** Names that occur more than once. */
  List<String> duplicates() {
    List<String> seen = new ArrayList<>();
    List<String> dup = new ArrayList<>();
    for (Tag t : tags) {
      if (seen.contains(t.name)) {
        if (!dup.contains(t.name)) {
          dup.add(t.name);
        }
      } else {
        seen.add(t.name);
      }
    }
    return dup;
  }

  /** Strips SP and HTAB only (WSP of RFC 5234), not other white space. */
  static String strip(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
      a++;
    }
    while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
      b--;
    }
    return s.substring(a, b);
  }

  /**
   * Whether a name is a valid extension name: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").
   */
  static boolean validExtensionName(String n) {
    if (n.isEmpty()
        || n.length() > 32
        || !Character.isLetterOrDigit(n.charAt(0))
        || n.charAt(0) > 0x7f) {
      return false;
    }
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether a value is a valid extension value: 1*(%x21-3A / %x3C / %x3E-7E). */
  static boolean validExtensionValue(String v) {
    if (v.isEmpty()) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x21 || c > 0x7e || c == ';' || c == '=') {
        return false;
      }
    }
    return true;
  }
}
