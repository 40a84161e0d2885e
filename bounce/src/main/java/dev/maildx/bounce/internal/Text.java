package dev.maildx.bounce.internal;

/** Small text helpers for what the report shows. */
final class Text {
  private Text() {}

  /**
   * The text cut to at most {@code max} characters at a word boundary, with "…" where it was cut;
   * unchanged when it is short enough. A word is never cut in the middle (unless a single word is
   * longer than {@code max}).
   */
  static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 1;
    int space = text.lastIndexOf(' ', end);
    if (space > max / 2) {
      end = space;
    }
    return text.substring(0, end).stripTrailing() + "…";
  }
}
