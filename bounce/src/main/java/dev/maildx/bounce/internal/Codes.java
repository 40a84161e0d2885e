package dev.maildx.bounce.internal;

import dev.maildx.report.EnhancedStatusCode;
import java.util.Optional;

/**
 * Finds enhanced status codes in text by scanning, without a regular expression (this is the hot
 * path).
 */
final class Codes {
  private Codes() {}

  /**
   * The first {@code class.subject.detail} code in text, as {@link EnhancedStatusCode#find} would
   * find it.
   */
  static Optional<EnhancedStatusCode> find(CharSequence s) {
    int n = s.length();
    for (int i = 0; i + 4 < n; i++) {
      char c = s.charAt(i);
      if ((c != '2' && c != '4' && c != '5') || s.charAt(i + 1) != '.') {
        continue;
      }
      if (i > 0) {
        char b = s.charAt(i - 1);
        if ((b >= '0' && b <= '9') || b == '.') {
          continue;
        }
      }
      int j = i + 2;
      int subj = 0;
      int d = 0;
      while (j < n && d < 4 && Character.isDigit(s.charAt(j))) {
        subj = subj * 10 + (s.charAt(j) - '0');
        j++;
        d++;
      }
      if (d == 0 || d > 3 || j >= n || s.charAt(j) != '.') {
        continue;
      }
      j++;
      int det = 0;
      d = 0;
      while (j < n && d < 4 && Character.isDigit(s.charAt(j))) {
        det = det * 10 + (s.charAt(j) - '0');
        j++;
        d++;
      }
      if (d == 0 || d > 3) {
        continue;
      }
      if (j < n && Character.isDigit(s.charAt(j))) {
        continue;
      }
      if (j + 1 < n && s.charAt(j) == '.' && Character.isDigit(s.charAt(j + 1))) {
        continue;
      }
      return Optional.of(new EnhancedStatusCode(c - '0', subj, det));
    }
    return Optional.empty();
  }
}
