package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One line of an SMTP probe's transcript: what was sent or received, and when, relative to the
 * start of the connection attempt. Control characters are shown escaped and long lines are
 * truncated; the prober has no credentials, so none can appear.
 *
 * @param at time since the connection attempt started
 * @param from who said it
 * @param text the line without CRLF
 */
public record TranscriptLine(Duration at, From from, String text) {
  /** Validates. */
  public TranscriptLine {
    requireNonNull(at, "at");
    requireNonNull(from, "from");
    requireNonNull(text, "text");
  }

  /** The author of a transcript line. */
  public enum From {
    /** A command maildx sent. */
    CLIENT,
    /** A reply line from the server. */
    SERVER,
    /** An event maildx notes: connected, TLS established, timeout, connection closed. */
    NOTE
  }

  @Override
  public String toString() {
    String who = from == From.CLIENT ? "C: " : from == From.SERVER ? "S: " : "-- ";
    return String.format("%6d ms %s%s", at.toMillis(), who, text);
  }
}
