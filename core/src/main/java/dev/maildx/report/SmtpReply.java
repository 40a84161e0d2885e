package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One SMTP reply (RFC 5321 §4.2): a three-digit code and one or more lines of text, with the
 * enhanced status code of RFC 3463 / RFC 2034 when the first line starts with one.
 *
 * @param code the reply code, 200 to 599
 * @param lines the text of each line after the code and its separator, in order; never empty (an
 *     empty string for a line that was only the code)
 * @param status the enhanced status code at the start of the first line, if any
 */
public record SmtpReply(int code, List<String> lines, @Nullable EnhancedStatusCode status) {
  /** Validates and copies. */
  public SmtpReply {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("SMTP reply code must be 200..599, was " + code);
    }
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("an SMTP reply has at least one line");
    }
  }

  /**
   * @return {@code true} for 2xx (and 3xx) replies
   */
  public boolean isPositive() {
    return code < 400;
  }

  /**
   * @return {@code true} for 4xx: try again later (RFC 5321 §4.2.1)
   */
  public boolean isTransient() {
    return code >= 400 && code < 500;
  }

  /**
   * @return {@code true} for 5xx: do not try again (RFC 5321 §4.2.1)
   */
  public boolean isPermanent() {
    return code >= 500;
  }

  /**
   * The text of all lines joined by a space.
   *
   * @return for example {@code 5.1.1 <bob@example.com>: Recipient address rejected}
   */
  public String text() {
    return String.join(" ", lines);
  }

  /**
   * The reply as it appeared on the wire, lines joined by {@code \n}.
   *
   * @return for example {@code 250-mx.example.com\n250 SIZE 10240000}
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        b.append('\n');
      }
      b.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
    }
    return b.toString();
  }

  /**
   * The reply to a single-line reply's wire form, for tests and examples.
   *
   * @param code the code
   * @param text the text
   * @return the reply, with the enhanced status code parsed from the start of {@code text}
   */
  public static SmtpReply of(int code, String text) {
    requireNonNull(text, "text");
    String first = text.strip();
    int sp = first.indexOf(' ');
    EnhancedStatusCode status =
        EnhancedStatusCode.tryParse(sp < 0 ? first : first.substring(0, sp)).orElse(null);
    return new SmtpReply(code, List.of(text), status);
  }
}
