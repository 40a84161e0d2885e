package dev.maildx.auth;

import static java.util.Objects.requireNonNull;

import dev.maildx.internal.mail.BoundedOutput;
import dev.maildx.report.AuthReport;
import dev.maildx.report.SmtpEnvelope;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Authenticates a received message an application already holds as a Jakarta Mail {@link Part} — a
 * {@link jakarta.mail.internet.MimeMessage} read over IMAP or POP3, or a {@code message/rfc822}
 * attachment — with a {@link MessageAuthenticator} or a {@link DkimVerifier}, without the
 * application serializing it first.
 *
 * <p>Jakarta Mail is an optional dependency of maildx-auth ({@code requires static jakarta.mail};
 * add {@code jakarta.mail:jakarta.mail-api} and an implementation such as Angus Mail to use this
 * class). This is the only public class that names its types: {@link MessageAuthenticator} and
 * {@link DkimVerifier} do not, so an application without Jakarta Mail compiles against them, loads
 * them and introspects them (as dependency injection containers do) without a {@code
 * NoClassDefFoundError}.
 *
 * <p><b>The octets verified are those {@link Part#writeTo} writes.</b> A DKIM signature covers the
 * message as it was sent, so it verifies only if they are the octets received. A {@code
 * MimeMessage} parsed from a stream (as a {@code MimeMessage} read from an IMAP or POP3 folder is)
 * and not changed since writes its header fields as read — Angus Mail keeps each field's line,
 * folding included, and ends every line with CRLF — and its content as read, so it gives the same
 * report as its bytes. A {@code MimeMessage} that was changed (a header field set, added or
 * removed, the content replaced) or saved with {@code saveChanges()} is written anew: changed
 * fields, a new {@code Message-ID}, content encoded again, so its signatures fail as they would for
 * a message altered in transit. Authenticate the message before changing it, or keep its octets
 * ({@code MessageAuthenticator.authenticate(byte[], ...)}). A header section with bare LF line
 * endings is written with CRLF (the result is the same, as maildx reads a bare LF as CRLF, but the
 * report has no {@code AUTH_LINE_ENDINGS} finding; the body is written as read). With the session
 * property {@code mail.mime.allowutf8} set, a header field with 8-bit octets that are not UTF-8 is
 * written with other octets, and its signature fails.
 *
 * <p>The part is written into a buffer bounded by the authenticator's limit ({@link
 * AuthOptions#maxMessageBytes()}, 64 MiB unless set; the octets are held in memory while the
 * message is verified): writing stops one octet past the limit (a large IMAP message is not fetched
 * whole), and the message is reported as too large — {@code AUTH_MESSAGE_TOO_LARGE}, its signatures
 * not verified — as for bytes or a file. A part that cannot be written — a closed folder, a lost
 * connection, content that cannot be read — gives a report with an {@code AUTH_READ_FAILED} finding
 * that keeps the cause ({@link #verify} throws an {@link UncheckedIOException}, as {@link
 * DkimVerifier#verify(java.io.InputStream)} does); only a null argument throws. As {@code writeTo}
 * does, a {@code MimeMessage} built in memory and not yet saved has its headers updated ({@code
 * saveChanges()}) first.
 *
 * <p>Stateless and thread-safe, as far as the part is (Jakarta Mail messages of one open folder are
 * not meant to be read from several threads at once).
 *
 * <pre>{@code
 * try (MessageAuthenticator auth = MessageAuthenticator.create(DiagnosticsConfig.defaults())) {
 *   for (Message m : inbox.getMessages()) {
 *     AuthReport r = JakartaMailMessages.authenticate(auth, m, SmtpEnvelope.NONE);   // source "INBOX#1", ...
 *     r.dmarcResult();
 *   }
 * }
 * }</pre>
 */
public final class JakartaMailMessages {
  /** What a report calls a part that is not a message in a folder. */
  static final String IN_MEMORY = "in-memory message";

  /** The longest array a JVM allocates. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private JakartaMailMessages() {}

  /**
   * Authenticates one message held as a Jakarta Mail part, blocking up to the authenticator's
   * timeout. The report's source is the folder and message number ({@code INBOX#42}) of a message
   * read from a folder, or {@code in-memory message}.
   *
   * @param authenticator the authenticator (its size limit applies)
   * @param part the message as received, for example a {@code MimeMessage} read from a folder
   * @param envelope the SMTP envelope ({@link SmtpEnvelope#NONE} if unknown)
   * @return the report; a part that cannot be written gives a report with {@code AUTH_READ_FAILED}
   */
  public static AuthReport authenticate(
      MessageAuthenticator authenticator, Part part, SmtpEnvelope envelope) {
    requireNonNull(authenticator, "authenticator");
    requireNonNull(part, "part");
    requireNonNull(envelope, "envelope");
    return authenticate(authenticator, part, name(part), envelope);
  }

  /**
   * Authenticates one message held as a Jakarta Mail part, blocking up to the authenticator's
   * timeout.
   *
   * @param authenticator the authenticator (its size limit applies)
   * @param part the message as received, for example a {@code MimeMessage} read from a folder
   * @param source what to call it in the report
   * @param envelope the SMTP envelope ({@link SmtpEnvelope#NONE} if unknown)
   * @return the report; a part that cannot be written gives a report with {@code AUTH_READ_FAILED}
   */
  public static AuthReport authenticate(
      MessageAuthenticator authenticator, Part part, String source, SmtpEnvelope envelope) {
    requireNonNull(authenticator, "authenticator");
    requireNonNull(part, "part");
    requireNonNull(source, "source");
    requireNonNull(envelope, "envelope");
    BoundedOutput out;
    try {
      out = write(part, authenticator.options().maxMessageBytes());
    } catch (IOException e) {
      return authenticator.unreadable(source, envelope, e);
    }
    return authenticator.authenticate(out.bytes(), out.length(), source, envelope);
  }

  /**
   * Verifies the DKIM signatures of one message held as a Jakarta Mail part, blocking up to the
   * verifier's timeout.
   *
   * @param verifier the verifier (its size limit applies)
   * @param part the message as received, for example a {@code MimeMessage} read from a folder
   * @return one result per DKIM-Signature, top to bottom; empty if there is none
   * @throws UncheckedIOException if the part cannot be written (a closed folder, a lost
   *     connection): its cause is an {@code IOException} whose cause is the part's exception
   */
  public static List<AuthReport.DkimSignature> verify(DkimVerifier verifier, Part part) {
    requireNonNull(verifier, "verifier");
    requireNonNull(part, "part");
    BoundedOutput out;
    try {
      out = write(part, verifier.options().maxMessageBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return verifier.verify(out.bytes(), out.length());
  }

  /**
   * Writes the part, keeping at most one octet more than {@code limit}: a message longer than the
   * limit is then cut, and maildx's reader reports it as too large.
   *
   * @throws IOException if the part cannot be written; the cause is the part's exception
   */
  private static BoundedOutput write(Part part, long limit) throws IOException {
    BoundedOutput out = new BoundedOutput((int) (Math.min(limit, MAX_ARRAY - 1) + 1));
    try {
      part.writeTo(out);
    } catch (MessagingException | IOException | RuntimeException e) {
      // Jakarta Mail may wrap the buffer's exception; the flag says whether the limit stopped it.
      if (!out.full()) {
        throw new IOException(
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
            e);
      }
    }
    if (out.full() && out.max() <= limit) {
      // Only with a limit of 2 GiB or more: the message does not fit in an array, and maildx would
      // not know it was cut.
      throw new IOException(
          "the message is larger than "
              + out.max()
              + " octets, the most that can be held in memory");
    }
    return out;
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
