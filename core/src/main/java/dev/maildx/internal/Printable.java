package dev.maildx.internal;

/**
 * Makes untrusted text safe to quote in an error message: control characters escaped, length
 * bounded.
 */
public final class Printable {
  private Printable() {}

  /**
   * The text with every C0 control character and DEL written as {@code \\uXXXX}, cut after about
   * 300 characters.
   *
   * @param s the untrusted text
   * @return text safe to put in a one-line message
   */
  public static String of(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 300; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
