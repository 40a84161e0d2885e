package dev.maildx.bounce;

import static java.util.Objects.requireNonNull;

import dev.maildx.internal.mail.BoundedOutput;
import dev.maildx.report.BounceReport;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import java.io.IOException;

/**
 * Classifies a message an application already holds as a Jakarta Mail {@link Part} — a {@link
 * jakarta.mail.internet.MimeMessage} read over IMAP or POP3 or built in memory, or a {@code
 * message/rfc822} attachment — with a {@link BounceParser}, without the application serializing it
 * first.
 *
 * <p>Jakarta Mail is an optional dependency of maildx-bounce ({@code requires static jakarta.mail};
 * add {@code jakarta.mail:jakarta.mail-api} and an implementation such as Angus Mail to use this
 * class). This is the only public class that names its types: {@link BounceParser} does not, so an
 * application without Jakarta Mail compiles against it, loads it and introspects it (as dependency
 * injection containers do) without a {@code NoClassDefFoundError}.
 *
 * <p>The part is written ({@link Part#writeTo}) into the parser's bounded buffer: at most the
 * parser's limit ({@link BounceParser#MAX_MESSAGE_BYTES} unless set with {@link
 * BounceParser#withMaxMessageBytes}) is taken, writing stops there (a large IMAP message is not
 * fetched whole), and the report says the message was cut, as for bytes or a stream. A part that
 * cannot be written — a closed folder, a lost connection, content that cannot be read — gives a
 * report with a {@code BOUNCE_READ_FAILED} finding that keeps the cause; only a null argument
 * throws. As {@code writeTo} does, a {@code MimeMessage} built in memory and not yet saved has its
 * headers updated ({@code saveChanges()}) first.
 *
 * <p>Stateless and thread-safe, as far as the part is (Jakarta Mail messages of one open folder are
 * not meant to be read from several threads at once).
 *
 * <pre>{@code
 * BounceParser parser = BounceParser.create();
 * for (Message m : inbox.getMessages()) {
 *   BounceReport r = JakartaMailBounces.parse(parser, m);   // source "INBOX#1", "INBOX#2", ...
 * }
 * }</pre>
 */
public final class JakartaMailBounces {
  /** What a report calls a part that is not a message in a folder. */
  static final String IN_MEMORY = "in-memory message";

  private JakartaMailBounces() {}

  /**
   * Parses one message held as a Jakarta Mail part. The report's source is the folder and message
   * number ({@code INBOX#42}) of a message read from a folder, or {@code in-memory message}.
   *
   * @param parser the parser (its size limit applies)
   * @param part the message, for example a {@code MimeMessage}
   * @return the report; a part that cannot be written gives a report with a {@code
   *     BOUNCE_READ_FAILED} finding
   */
  public static BounceReport parse(BounceParser parser, Part part) {
    requireNonNull(parser, "parser");
    requireNonNull(part, "part");
    return parse(parser, part, name(part));
  }

  /**
   * Parses one message held as a Jakarta Mail part.
   *
   * @param parser the parser (its size limit applies)
   * @param part the message, for example a {@code MimeMessage}
   * @param source a name for the report
   * @return the report; a part that cannot be written gives a report with a {@code
   *     BOUNCE_READ_FAILED} finding
   */
  public static BounceReport parse(BounceParser parser, Part part, String source) {
    requireNonNull(parser, "parser");
    requireNonNull(part, "part");
    requireNonNull(source, "source");
    BoundedOutput out = new BoundedOutput(parser.maxMessageBytes());
    try {
      part.writeTo(out);
    } catch (MessagingException | IOException | RuntimeException e) {
      // Jakarta Mail may wrap the stream's exception; the flag says whether the limit stopped it.
      if (!out.full()) {
        return BounceParser.unreadable(source, e);
      }
    }
    return parser.parse(out.bytes(), out.length(), source, out.full());
  }

  private static String name(Part part) {
    if (part instanceof Message) {
      try {
        Message m = (Message) part;
        Folder folder = m.getFolder();
        if (folder != null && m.getMessageNumber() > 0) {
          return folder.getFullName() + "#" + m.getMessageNumber();
        }
      } catch (RuntimeException e) {
        // Only a name: fall back to the generic one.
      }
    }
    return IN_MEMORY;
  }
}
