package dev.maildx.bounce.internal;

import dev.maildx.internal.mail.AddressList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Finds mail addresses in the free text of notices, linearly (no regular expressions); header
 * values are read by core's RFC 5322 {@link AddressList} ({@link #first}).
 */
final class Addresses {
  private Addresses() {}

  /** An address found in text, with its offsets. */
  record Found(String address, int start, int end) {}

  static boolean localChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || ".!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0
        || c >= 0x80 && Character.isLetterOrDigit(c);
  }

  static boolean domainChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '-'
        || c >= 0x80 && Character.isLetterOrDigit(c);
  }

  /** Every address-looking token in {@code s[from, to)}, at most {@code max}. */
  static List<Found> find(String s, int from, int to, int max) {
    List<Found> out = new ArrayList<>();
    int i = from;
    while (out.size() < max) {
      int at = s.indexOf('@', i);
      if (at < 0 || at >= to) {
        break;
      }
      int l = at;
      while (l > from && at - l < 128 && localChar(s.charAt(l - 1))) {
        l--;
      }
      int r = at + 1;
      while (r < to && r - at < 256 && domainChar(s.charAt(r))) {
        r++;
      }
      while (l < at
          && (s.charAt(l) == '.'
              || s.charAt(l) == '\''
              || s.charAt(l) == '='
              || s.charAt(l) == '/')) {
        l++;
      }
      int re = r;
      while (re > at + 1 && (s.charAt(re - 1) == '.' || s.charAt(re - 1) == '-')) {
        re--;
      }
      // A label that runs from ASCII into other scripts ("example.jp您好"): the address ends where
      // the script changes.
      for (int k = at + 1; k < re; k++) {
        if (s.charAt(k) >= 0x80 && k > at + 1 && s.charAt(k - 1) < 0x80 && s.charAt(k - 1) != '.') {
          re = k;
          break;
        }
      }
      String domain = s.substring(at + 1, re);
      if (l < at
          && domain.indexOf('.') > 0
          && !domain.startsWith(".")
          && !(l > 0 && (s.charAt(l - 1) == '/' && l > 1 && s.charAt(l - 2) == '/'))) {
        boolean url = l >= 3 && s.startsWith("://", l - 3);
        if (!url) {
          out.add(new Found(s.substring(l, at) + "@" + domain.toLowerCase(Locale.ROOT), l, re));
        }
      }
      i = Math.max(r, at + 1);
    }
    return out;
  }

  /**
   * The first address of a header value such as {@code "Name, Jr." <a@b.example>}, read as an RFC
   * 5322 address list by core's reader (so an address inside a quoted display name is not taken); a
   * value that is not an address list ({@code rfc822; a@b.example}) is searched as free text. The
   * domain is lower-cased.
   */
  static @Nullable String first(@Nullable String value) {
    if (value == null) {
      return null;
    }
    AddressList.Mailbox m = AddressList.first(value);
    if (m != null) {
      String a = m.address();
      int at = a.lastIndexOf('@');
      String domain = at < 0 ? "" : stripDots(a.substring(at + 1));
      if (at > 0 && !domain.isEmpty() && !domain.startsWith("[")) {
        return a.substring(0, at) + "@" + domain.toLowerCase(Locale.ROOT);
      }
    }
    List<Found> f = find(value, 0, value.length(), 1);
    return f.isEmpty() ? null : f.get(0).address();
  }

  private static String stripDots(String d) {
    int e = d.length();
    while (e > 0 && d.charAt(e - 1) == '.') {
      e--;
    }
    return d.substring(0, e);
  }

  /** Normalised for comparison. */
  static String key(String address) {
    return address.toLowerCase(Locale.ROOT);
  }
}
