package dev.maildx.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import dev.maildx.testkit.TestDsn;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A message an application holds as a Jakarta Mail part is classified as its bytes are, within the
 * same bounds.
 */
class JakartaMailBouncesTest {
  static final Session SESSION = Session.getInstance(new Properties());
  final BounceParser parser = BounceParser.create();

  static byte[] dsn() {
    return TestDsn.failed("bob@agency.example", "5.1.1")
        .reportingMta("out.provider.example")
        .remoteMta("mx.agency.example")
        .diagnostic(
            "smtp; 550 5.1.1 <bob@agency.example>: Recipient address rejected: User unknown")
        .from("alice@corp.example")
        .build()
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void mimeMessageReadFromADsn_givesTheSameReportAsItsBytes() throws Exception {
    byte[] bytes = dsn();
    MimeMessage read = new MimeMessage(SESSION, new ByteArrayInputStream(bytes));
    // A SharedInputStream keeps the content as a stream to be read later, as an IMAP message does.
    MimeMessage streamed = new MimeMessage(SESSION, new SharedByteArrayInputStream(bytes));

    BounceReport fromPart = JakartaMailBounces.parse(parser, read, "dsn.eml");

    assertThat(fromPart).isEqualTo(parser.parse(bytes, "dsn.eml"));
    assertThat(JakartaMailBounces.parse(parser, streamed, "dsn.eml")).isEqualTo(fromPart);
    assertThat(fromPart.kind()).isEqualTo(BounceReport.Kind.BOUNCE);
    assertThat(fromPart.recipients())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.recipient()).isEqualTo("bob@agency.example");
              assertThat(r.reason()).isEqualTo(BounceReason.USER_UNKNOWN);
              assertThat(r.hardBounce()).isTrue();
            });
  }

  @Test
  void dsnBuiltWithAngusMultipartReport_isClassifiedAsItsBytesAre() throws Exception {
    DeliveryStatus status = new DeliveryStatus();
    status.getMessageDSN().setHeader("Reporting-MTA", "dns; out.provider.example");
    InternetHeaders recipient = new InternetHeaders();
    recipient.setHeader("Final-Recipient", "rfc822; carol@agency.example");
    recipient.setHeader("Action", "delayed");
    recipient.setHeader("Status", "4.4.2");
    recipient.setHeader(
        "Diagnostic-Code",
        "smtp; 421 4.4.2 mx.agency.example: timed out while receiving the initial server greeting");
    status.addRecipientDSN(recipient);
    MimeMessage notice = new MimeMessage(SESSION);
    notice.setFrom(new InternetAddress("MAILER-DAEMON@out.provider.example"));
    notice.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@corp.example"));
    notice.setSubject("Delayed Mail (still being retried)");
    notice.setContent(
        new MultipartReport(
            "Your message to carol@agency.example has not been delivered yet.", status));

    BounceReport r = JakartaMailBounces.parse(parser, notice);

    assertThat(r.source()).isEqualTo(JakartaMailBounces.IN_MEMORY);
    assertThat(r.kind()).isEqualTo(BounceReport.Kind.DELAY);
    assertThat(r.reportingMta()).isEqualTo("out.provider.example");
    assertThat(r.recipients())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.recipient()).isEqualTo("carol@agency.example");
              assertThat(d.action()).isEqualTo(BounceReport.Action.DELAYED);
              assertThat(d.status()).hasToString("4.4.2");
              assertThat(d.hardBounce()).isFalse();
            });
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    notice.writeTo(written);
    assertThat(parser.parse(written.toByteArray(), JakartaMailBounces.IN_MEMORY)).isEqualTo(r);
  }

  @Test
  void messageReadFromAFolder_isNamedByTheFolderAndItsNumber() throws Exception {
    class InFolder extends MimeMessage {
      InFolder() throws MessagingException {
        super(new StubFolder("Bounces/2024"), new ByteArrayInputStream(dsn()), 42);
      }
    }

    assertThat(JakartaMailBounces.parse(parser, new InFolder()).source())
        .isEqualTo("Bounces/2024#42");
  }

  @Test
  void partWhoseContentCannotBeRead_givesAFindingNotAnException() throws Exception {
    // As an IMAP message does when its folder was closed: the headers are there, the content is
    // not.
    class Closed extends MimeMessage {
      Closed() throws MessagingException {
        super(SESSION, new SharedByteArrayInputStream(dsn()));
      }

      @Override
      protected InputStream getContentStream() throws MessagingException {
        throw new MessagingException("the folder is closed");
      }

      @Override
      public InputStream getInputStream() throws IOException {
        throw new IOException("the folder is closed");
      }
    }

    BounceReport r = JakartaMailBounces.parse(parser, new Closed(), "INBOX#7");

    assertThat(r.source()).isEqualTo("INBOX#7");
    assertThat(r.kind()).isEqualTo(BounceReport.Kind.NOT_BOUNCE);
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo("BOUNCE_READ_FAILED");
              assertThat(f.inconclusive()).isTrue();
              assertThat(f.message())
                  .contains("INBOX#7", "MessagingException", "the folder is closed");
            });
    // A part without any content fails inside Jakarta Mail itself; that too is a report.
    assertThat(JakartaMailBounces.parse(parser, new MimeBodyPart()).findings())
        .extracting(f -> f.code())
        .containsExactly("BOUNCE_READ_FAILED");
  }

  @Test
  void partLargerThanTheLimit_isCutAsItsBytesAre() throws Exception {
    byte[] big =
        (new String(dsn(), StandardCharsets.US_ASCII) + "x".repeat(100_000))
            .getBytes(StandardCharsets.US_ASCII);
    BounceParser small = parser.withMaxMessageBytes(4096);

    BounceReport r =
        JakartaMailBounces.parse(
            small, new MimeMessage(SESSION, new ByteArrayInputStream(big)), "big");

    assertThat(r).isEqualTo(small.parse(big, "big"));
    assertThat(r.findings()).anyMatch(f -> f.code().equals("BOUNCE_INPUT_TRUNCATED"));
  }

  @Test
  @Timeout(20)
  void endlessContent_isReadOnlyUpToTheLimit() throws Exception {
    AtomicLong served = new AtomicLong();
    class Endless extends MimeMessage {
      Endless() throws MessagingException {
        super(SESSION, new SharedByteArrayInputStream(dsn()));
      }

      @Override
      protected InputStream getContentStream() {
        return new InputStream() {
          @Override
          public int read() {
            served.incrementAndGet();
            return 'x';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            served.addAndGet(len);
            return len;
          }
        };
      }
    }

    BounceReport r =
        JakartaMailBounces.parse(parser.withMaxMessageBytes(64 * 1024), new Endless(), "endless");

    assertThat(r.findings()).anyMatch(f -> f.code().equals("BOUNCE_INPUT_TRUNCATED"));
    assertThat(served.get()).isLessThan(1024 * 1024);
  }

  @Test
  void nullArguments_throw() throws Exception {
    MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(dsn()));

    assertThatThrownBy(() -> JakartaMailBounces.parse(parser, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("part");
    assertThatThrownBy(() -> JakartaMailBounces.parse(null, m))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("parser");
    assertThatThrownBy(() -> JakartaMailBounces.parse(parser, m, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("source");
  }

  @Test
  void everySisimaiMessage_givesTheSameReportThroughJakartaMail() throws Exception {
    Path dir = SisimaiCorpusTest.CORPUS.resolve("maildir/bsd");
    Assumptions.assumeTrue(
        Files.isDirectory(dir),
        "Sisimai corpus not found at " + dir + " (see ../shared/corpora/SOURCES.md)");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
    }
    List<String> differ = new ArrayList<>();
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      BounceReport viaPart =
          JakartaMailBounces.parse(
              parser, new MimeMessage(SESSION, new ByteArrayInputStream(bytes)), f.toString());
      if (!viaPart.equals(parser.parse(bytes, f.toString()))) {
        differ.add(f.getFileName().toString());
      }
    }

    assertThat(files).hasSizeGreaterThan(300);
    assertThat(differ).isEmpty();
  }

  /** Only what a message asks of its folder: a store (for the session) and a name. */
  static final class StubFolder extends Folder {
    final String name;

    StubFolder(String name) {
      super(
          new jakarta.mail.Store(SESSION, null) {
            @Override
            public Folder getDefaultFolder() {
              return getFolder("");
            }

            @Override
            public Folder getFolder(String n) {
              throw new UnsupportedOperationException();
            }

            @Override
            public Folder getFolder(jakarta.mail.URLName url) {
              throw new UnsupportedOperationException();
            }
          });
      this.name = name;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public String getFullName() {
      return name;
    }

    @Override
    public Folder getParent() {
      return null;
    }

    @Override
    public boolean exists() {
      return true;
    }

    @Override
    public Folder[] list(String pattern) {
      return new Folder[0];
    }

    @Override
    public char getSeparator() {
      return '/';
    }

    @Override
    public int getType() {
      return HOLDS_MESSAGES;
    }

    @Override
    public boolean create(int type) {
      return false;
    }

    @Override
    public boolean hasNewMessages() {
      return false;
    }

    @Override
    public Folder getFolder(String n) {
      return this;
    }

    @Override
    public boolean delete(boolean recurse) {
      return false;
    }

    @Override
    public boolean renameTo(Folder f) {
      return false;
    }

    @Override
    public void open(int mode) {}

    @Override
    public void close(boolean expunge) {}

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public jakarta.mail.Flags getPermanentFlags() {
      return new jakarta.mail.Flags();
    }

    @Override
    public int getMessageCount() {
      return 0;
    }

    @Override
    public Message getMessage(int n) {
      throw new IndexOutOfBoundsException(n);
    }

    @Override
    public void appendMessages(Message[] msgs) {}

    @Override
    public Message[] expunge() {
      return new Message[0];
    }
  }
}
