package dev.maildx.smtp.internal;

import dev.maildx.report.ProbeReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one conversation with their times. Bounded: each line is cut at {@value #MAX_LINE}
 * characters and at most {@value #MAX_LINES} lines are kept (a note says how many more there were).
 * Control characters are escaped so that nothing a server sends can forge a line of the transcript.
 */
final class Transcript {
  static final int MAX_LINE = 512;
  static final int MAX_LINES = 400;

  private final long start;
  private final List<ProbeReport.TranscriptLine> lines = new ArrayList<>();
  private int dropped;

  Transcript(long startNanos) {
    this.start = startNanos;
  }

  void client(String text) {
    add(ProbeReport.TranscriptLine.From.CLIENT, text);
  }

  void server(String text) {
    add(ProbeReport.TranscriptLine.From.SERVER, text);
  }

  void note(String text) {
    add(ProbeReport.TranscriptLine.From.NOTE, text);
  }

  private void add(ProbeReport.TranscriptLine.From from, String text) {
    if (lines.size() >= MAX_LINES - 1) {
      dropped++;
      return;
    }
    lines.add(
        new ProbeReport.TranscriptLine(
            Duration.ofNanos(System.nanoTime() - start), from, printable(text, MAX_LINE)));
  }

  List<ProbeReport.TranscriptLine> lines() {
    List<ProbeReport.TranscriptLine> out = new ArrayList<>(lines);
    if (dropped > 0) {
      out.add(
          new ProbeReport.TranscriptLine(
              Duration.ofNanos(System.nanoTime() - start),
              ProbeReport.TranscriptLine.From.NOTE,
              "(" + dropped + " more lines not kept)"));
    }
    return out;
  }

  /**
   * Escapes control characters (as {@code \xNN} or {@code \\uNNNN}) and cuts the text.
   *
   * @param s the text
   * @param max the most characters to keep before "..."
   * @return printable text
   */
  static String printable(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 8);
    for (int i = 0; i < s.length(); i++) {
      if (b.length() >= max) {
        b.append("... (").append(s.length()).append(" characters)");
        break;
      }
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02X", (int) c));
      } else if ((c >= 0x80 && c <= 0x9f)
          || c == '\u2028'
          || c == '\u2029'
          || Character.isSurrogate(c) && !validPair(s, i)) {
        b.append(String.format("\\u%04X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean validPair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
