package dev.maildx.testkit;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The transcript of one SMTP connection to {@link MockSmtpServer}.
 *
 * @param client the client's address
 * @param lines every line sent and received, in order (long lines truncated to 1,000 characters)
 */
public record SmtpSessionLog(InetSocketAddress client, List<Line> lines) {
  /** Copies. */
  public SmtpSessionLog {
    lines = List.copyOf(lines);
  }

  /**
   * The commands the client sent, in order.
   *
   * @return for example {@code [EHLO probe.test, STARTTLS, EHLO probe.test, MAIL FROM:<>, QUIT]}
   */
  public List<String> commands() {
    return lines.stream().filter(l -> l.fromClient()).map(Line::text).toList();
  }

  /**
   * Whether the client sent a command with this verb.
   *
   * @param verb for example {@code DATA}
   * @return {@code true} if it did
   */
  public boolean sent(String verb) {
    return commands().stream()
        .anyMatch(
            c ->
                c.regionMatches(true, 0, verb, 0, verb.length())
                    && (c.length() == verb.length()
                        || c.charAt(verb.length()) == ' '
                        || c.charAt(verb.length()) == ':'));
  }

  @Override
  public String toString() {
    return lines.stream()
        .map(l -> (l.fromClient() ? "C: " : "S: ") + l.text())
        .collect(Collectors.joining("\n"));
  }

  /**
   * One line of a transcript.
   *
   * @param at when it was sent or received
   * @param fromClient {@code true} for a client command, {@code false} for a server reply
   * @param text the line without CRLF
   */
  public record Line(Instant at, boolean fromClient, String text) {}
}
