package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A delivery status notification (RFC 3464) as a sending mail server writes it, for tests: a {@code
 * multipart/report} with a human part in Postfix's wording, the {@code message/delivery-status}
 * part and the returned headers. Delay notices ({@code Action: delayed}, status 4.x.x) and failures
 * ({@code Action: failed}, 5.x.x) alike.
 *
 * <pre>{@code
 * Path dsn = TestDsn.delayed("bob@agency.example", "4.4.7")
 *     .reportingMta("out.provider.example")
 *     .diagnostic("smtp; 421 4.4.2 mx.agency.example: timed out while receiving the initial server greeting")
 *     .from("alice@corp.example")
 *     .write(dir.resolve("delayed.eml"));
 * }</pre>
 *
 * <p>Builders are not thread-safe; the text they build is plain 7-bit ASCII with CRLF line ends.
 */
public final class TestDsn {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

  private final String action;
  private final String status;
  private final String recipient;
  private String reportingMta = "mail.sender.example";
  private String sender = "sender@sender.example";
  private @Nullable String remoteMta;
  private @Nullable String diagnostic;
  private String messageId = "<test-1@sender.example>";
  private String subject = "Hello";
  private ZonedDateTime date = ZonedDateTime.of(2026, 6, 17, 9, 14, 0, 0, ZoneOffset.UTC);
  private final List<String> human = new ArrayList<>();

  private TestDsn(String action, String recipient, String status) {
    this.action = action;
    this.recipient = requireSafe(recipient, "recipient");
    this.status = requireSafe(status, "status");
  }

  /**
   * A delay notice: the sending server is still retrying ({@code Action: delayed}).
   *
   * @param recipient the final recipient, for example {@code bob@agency.example}
   * @param status the enhanced status code, for example {@code 4.4.7}
   * @return a builder
   */
  public static TestDsn delayed(String recipient, String status) {
    return new TestDsn("delayed", recipient, status);
  }

  /**
   * A non-delivery notice: the sending server gave up ({@code Action: failed}).
   *
   * @param recipient the final recipient
   * @param status the enhanced status code, for example {@code 5.1.1}
   * @return a builder
   */
  public static TestDsn failed(String recipient, String status) {
    return new TestDsn("failed", recipient, status);
  }

  /**
   * Sets the host that writes the notice (the sender's mail server or provider).
   *
   * @param host for example {@code out.provider.example}
   * @return this builder
   */
  public TestDsn reportingMta(String host) {
    this.reportingMta = requireSafe(host, "host");
    return this;
  }

  /**
   * Sets the original sender, who receives the notice.
   *
   * @param address for example {@code alice@corp.example}
   * @return this builder
   */
  public TestDsn from(String address) {
    this.sender = requireSafe(address, "address");
    return this;
  }

  /**
   * Sets the recipient's server that answered ({@code Remote-MTA}).
   *
   * @param host its name
   * @return this builder
   */
  public TestDsn remoteMta(String host) {
    this.remoteMta = requireSafe(host, "host");
    return this;
  }

  /**
   * Sets the {@code Diagnostic-Code}: what the recipient's server replied, or why the sending
   * server could not reach it, for example {@code smtp; 550 5.7.23 SPF validation failed}.
   *
   * @param diagnostic the field's value, with its type ({@code smtp; }) or without (then {@code
   *     smtp; } is added)
   * @return this builder
   */
  public TestDsn diagnostic(String diagnostic) {
    String d = requireSafe(diagnostic, "diagnostic");
    this.diagnostic = d.contains(";") && d.indexOf(';') < 12 ? d : "smtp; " + d;
    return this;
  }

  /**
   * Sets the returned message's Message-ID and Subject.
   *
   * @param messageId for example {@code <123@corp.example>}
   * @param subject the subject
   * @return this builder
   */
  public TestDsn original(String messageId, String subject) {
    this.messageId = requireSafe(messageId, "messageId");
    this.subject = requireSafe(subject, "subject");
    return this;
  }

  /**
   * Sets when the original message arrived (default 2026-06-17 09:14 UTC); the notice is dated four
   * hours later, and a delay retries for five days.
   *
   * @param arrival the arrival time
   * @return this builder
   */
  public TestDsn arrival(ZonedDateTime arrival) {
    this.date = requireNonNull(arrival, "arrival");
    return this;
  }

  /**
   * Adds a line to the human-readable part.
   *
   * @param line the text
   * @return this builder
   */
  public TestDsn text(String line) {
    human.add(requireSafe(line, "line"));
    return this;
  }

  /**
   * Builds the notice.
   *
   * @return the message, CRLF line ends
   */
  public String build() {
    boolean delay = action.equals("delayed");
    String boundary = "dsn-" + Integer.toHexString((recipient + status + diagnostic).hashCode());
    ZonedDateTime sent = date.plusHours(4);
    List<String> l = new ArrayList<>();
    l.add("Return-Path: <>");
    l.add("From: MAIL-DAEMON <MAILER-DAEMON@" + reportingMta + ">");
    l.add("To: " + sender);
    l.add("Date: " + DATE.format(sent));
    l.add(
        "Subject: "
            + (delay
                ? "Delayed Mail (still being retried)"
                : "Undelivered Mail Returned to Sender"));
    l.add("Auto-Submitted: auto-replied");
    l.add(
        "Message-ID: <dsn-" + Integer.toHexString(boundary.hashCode()) + "@" + reportingMta + ">");
    l.add("MIME-Version: 1.0");
    l.add(
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\""
            + boundary
            + "\"");
    l.add("");
    l.add("This is a MIME-encapsulated message.");
    l.add("");
    l.add("--" + boundary);
    l.add("Content-Description: Notification");
    l.add("Content-Type: text/plain; charset=us-ascii");
    l.add("");
    l.add("This is the mail system at host " + reportingMta + ".");
    l.add("");
    if (delay) {
      l.add("####################################################################");
      l.add("# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #");
      l.add("####################################################################");
      l.add("");
      l.add("Your message could not be delivered for more than 4 hour(s).");
      l.add("It will be retried until it is 5 day(s) old.");
    } else {
      l.add("I'm sorry to have to inform you that your message could not");
      l.add("be delivered to one or more recipients. It's attached below.");
    }
    l.add("");
    l.add("                   The mail system");
    l.add("");
    l.add(
        "<"
            + recipient
            + ">: "
            + (diagnostic == null
                ? status
                : diagnostic.substring(diagnostic.indexOf(';') + 1).strip()));
    l.addAll(human);
    l.add("");
    l.add("--" + boundary);
    l.add("Content-Description: " + "Delivery report");
    l.add("Content-Type: message/delivery-status");
    l.add("");
    l.add("Reporting-MTA: dns; " + reportingMta);
    l.add("X-Postfix-Queue-ID: 4TqW2D1xYz");
    l.add("X-Postfix-Sender: rfc822; " + sender);
    l.add("Arrival-Date: " + DATE.format(date));
    l.add("");
    l.add("Final-Recipient: rfc822; " + recipient);
    l.add("Original-Recipient: rfc822;" + recipient);
    l.add("Action: " + action);
    l.add("Status: " + status);
    if (remoteMta != null) {
      l.add("Remote-MTA: dns; " + remoteMta);
    }
    if (diagnostic != null) {
      l.add("Diagnostic-Code: " + diagnostic);
    }
    if (delay) {
      l.add("Will-Retry-Until: " + DATE.format(date.plusDays(5)));
    }
    l.add("");
    l.add("--" + boundary);
    l.add("Content-Description: " + "Undelivered Message Headers");
    l.add("Content-Type: text/rfc822-headers");
    l.add("");
    l.add("Return-Path: <" + sender + ">");
    l.add(
        "Received: by "
            + reportingMta
            + " (Postfix, from userid 1000) id 4TqW2D1xYz; "
            + DATE.format(date));
    l.add("From: " + sender);
    l.add("To: " + recipient);
    l.add("Subject: " + subject);
    l.add("Message-ID: " + messageId);
    l.add("Date: " + DATE.format(date));
    l.add("");
    l.add("--" + boundary + "--");
    l.add("");
    return String.join("\r\n", l);
  }

  /**
   * Builds the notice and writes it to a file.
   *
   * @param file where to write it (replaced if it exists)
   * @return {@code file}
   * @throws UncheckedIOException if it cannot be written
   */
  public Path write(Path file) {
    try {
      return Files.writeString(file, build(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String requireSafe(String value, String what) {
    requireNonNull(value, what);
    if (value.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
      throw new IllegalArgumentException(
          what
              + " must be printable ASCII on one line: \""
              + value.replaceAll("[^\\x20-\\x7e]", "?")
              + "\"");
    }
    return value;
  }
}
