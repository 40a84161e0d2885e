package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.DkimSignature.Failure;
import dev.maildx.report.AuthReport.DkimSignature.Result;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.SmtpEnvelope;
import dev.maildx.testkit.DkimSigner;
import dev.maildx.testkit.MockDnsExtension;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A received message an application holds as a Jakarta Mail part authenticates as its octets do: a
 * DKIM-signed message read into a {@code MimeMessage} and not changed verifies, a tampered one
 * fails the same way, within the same bounds.
 */
class JakartaMailMessagesTest {
  static final Session SESSION = Session.getInstance(new Properties());
  static final SmtpEnvelope ENVELOPE =
      SmtpEnvelope.of("192.0.2.10", "mail.example.test", "bounces@example.test");
  static KeyPair rsa;
  static KeyPair ed;

  /**
   * Folded fields, odd spacing and trailing white space: what simple canonicalization sees octet by
   * octet.
   */
  static final String MESSAGE =
      """
      Received: from mail.example.test (mail.example.test [192.0.2.10])
      \tby mx.agency.test with ESMTPS id 4Xyz; Sun, 01 Mar 2026 11:59:02 +0000
      From: Alice Example <alice@example.test>
      To: bob@agency.test,
        carol@agency.test
      Subject:   Quarterly   report\t
      Date: Sun, 01 Mar 2026 11:59:00 +0000
      Message-ID: <q1@example.test>
      MIME-Version: 1.0
      Content-Type: text/plain; charset=utf-8
      Content-Transfer-Encoding: 8bit

      Hello Bob,

      the report is attached.\t \r
      Grüße, Alice


      """
          .replace("\r\n", "\n")
          .replace("\n", "\r\n");

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  private MessageAuthenticator auth;
  private DkimVerifier dkim;

  @BeforeAll
  static void keys() {
    rsa = DkimSigner.rsaKeyPair(2048);
    ed = DkimSigner.ed25519KeyPair();
  }

  @BeforeEach
  void publish() {
    dns.server()
        .txt(
            "sel._domainkey.example.test",
            DkimSigner.txtStrings(DkimSigner.keyRecord(rsa.getPublic())))
        .txt("ed._domainkey.example.test", DkimSigner.keyRecord(ed.getPublic()))
        .txt("_dmarc.example.test", "v=DMARC1; p=reject")
        .txt("example.test", "v=spf1 ip4:192.0.2.0/24 -all");
    auth = MessageAuthenticator.create(runtime.of(config()), AuthOptions.defaults());
    dkim = DkimVerifier.create(runtime.of(config()), AuthOptions.defaults());
  }

  @AfterEach
  void close() {
    auth.close();
    dkim.close();
  }

  private DiagnosticsConfig config() {
    return DiagnosticsConfig.builder()
        .dnsServer(dns.server().address())
        .timeout(Duration.ofSeconds(4))
        .dnsQueryTimeout(Duration.ofMillis(800))
        .clock(Clock.fixed(MessageAuthenticatorTest.NOW, ZoneOffset.UTC))
        .build();
  }

  static byte[] signed(DkimSigner.Builder signer, String message) {
    return signer.build().sign(message.getBytes(StandardCharsets.UTF_8));
  }

  static DkimSigner.Builder rsaSigner() {
    return DkimSigner.builder("example.test", "sel", rsa.getPrivate());
  }

  /**
   * The message parsed from octets in memory, and as an IMAP message is: content kept as a stream
   * to be read later.
   */
  static List<MimeMessage> read(byte[] bytes) throws MessagingException {
    return List.of(
        new MimeMessage(SESSION, new ByteArrayInputStream(bytes)),
        new MimeMessage(SESSION, new SharedByteArrayInputStream(bytes)));
  }

  static List<String> codes(AuthReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  @Test
  void signedMessageReadIntoAMimeMessage_givesTheSameReportAsItsBytes_andPasses() throws Exception {
    for (DkimSigner.Builder signer :
        List.of(
            rsaSigner().canonicalization("simple/simple"),
            rsaSigner().canonicalization("relaxed/relaxed"),
            DkimSigner.builder("example.test", "ed", ed.getPrivate())
                .canonicalization("simple/simple"))) {
      byte[] bytes = signed(signer, MESSAGE);
      AuthReport expected = auth.authenticate(bytes, ENVELOPE);
      List<AuthReport.DkimSignature> expectedDkim = dkim.verify(bytes);

      for (MimeMessage m : read(bytes)) {
        // The premise: a message parsed and not changed is written as it was read.
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        m.writeTo(written);
        assertThat(written.toByteArray()).isEqualTo(bytes);

        AuthReport r = JakartaMailMessages.authenticate(auth, m, "message", ENVELOPE);

        assertThat(r).isEqualTo(expected);
        assertThat(JakartaMailMessages.verify(dkim, m)).isEqualTo(expectedDkim);
      }
      String canon =
          expected.dkim().get(0).algorithm()
              + " "
              + expected.dkim().get(0).headerCanonicalization()
              + "/"
              + expected.dkim().get(0).bodyCanonicalization();
      assertThat(expected.dkim())
          .as(canon)
          .singleElement()
          .satisfies(s -> assertThat(s.result()).isEqualTo(Result.PASS));
      assertThat(expectedDkim)
          .singleElement()
          .satisfies(s -> assertThat(s.result()).isEqualTo(Result.PASS));
      assertThat(expected.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PASS);
      assertThat(codes(expected)).contains("DKIM_PASS", "SPF_PASS", "AUTH_DMARC_PASS");
    }
  }

  @Test
  void tamperedMessageReadIntoAMimeMessage_failsAsItsBytesDo() throws Exception {
    String signed =
        new String(
            signed(rsaSigner().canonicalization("simple/simple"), MESSAGE), StandardCharsets.UTF_8);
    String bodyChanged = signed.replace("the report is attached.", "the report is NOT attached.");
    String subjectTagged = signed.replace("Subject:   Quarterly", "Subject: [staff]   Quarterly");
    String footerAdded = signed + "-- \r\nstaff mailing list\r\n";

    for (String tampered : List.of(bodyChanged, subjectTagged, footerAdded)) {
      byte[] bytes = tampered.getBytes(StandardCharsets.UTF_8);
      AuthReport expected = auth.authenticate(bytes, SmtpEnvelope.NONE);
      for (MimeMessage m : read(bytes)) {
        assertThat(JakartaMailMessages.authenticate(auth, m, "message", SmtpEnvelope.NONE))
            .isEqualTo(expected);
        assertThat(JakartaMailMessages.verify(dkim, m)).isEqualTo(expected.dkim());
      }
      assertThat(expected.dkim())
          .singleElement()
          .satisfies(s -> assertThat(s.result()).isEqualTo(Result.FAIL));
      assertThat(expected.dmarcResult()).isEqualTo(DmarcEvaluation.Result.FAIL);
    }
    // The body is re-read from the buffer to tell an added footer from an edit, as for octets.
    AuthReport.DkimSignature footer =
        JakartaMailMessages.authenticate(
                auth, read(footerAdded.getBytes(StandardCharsets.UTF_8)).get(1), SmtpEnvelope.NONE)
            .dkim()
            .get(0);
    assertThat(footer.failure()).isEqualTo(Failure.BODY_HASH_MISMATCH);
    assertThat(footer.reason()).contains("The body as signed is still there");
    AuthReport.DkimSignature subject =
        JakartaMailMessages.verify(
                dkim, read(subjectTagged.getBytes(StandardCharsets.UTF_8)).get(0))
            .get(0);
    assertThat(subject.failure()).isEqualTo(Failure.SIGNATURE_MISMATCH);
    assertThat(subject.changedHeaders()).containsExactly("subject");
  }

  @Test
  void changedOrSavedMimeMessage_isWrittenAnew_andItsSignatureFails() throws Exception {
    byte[] bytes = signed(rsaSigner(), MESSAGE);
    MimeMessage tagged = new MimeMessage(SESSION, new ByteArrayInputStream(bytes));
    tagged.setSubject("[staff] Quarterly report");
    MimeMessage saved = new MimeMessage(SESSION, new ByteArrayInputStream(bytes));
    saved.saveChanges();

    AuthReport.DkimSignature t = JakartaMailMessages.verify(dkim, tagged).get(0);
    AuthReport.DkimSignature s = JakartaMailMessages.verify(dkim, saved).get(0);
    AuthReport r = JakartaMailMessages.authenticate(auth, saved, SmtpEnvelope.NONE);

    assertThat(t.result()).isEqualTo(Result.FAIL);
    assertThat(t.changedHeaders()).containsExactly("subject");
    // saveChanges() gives the message a new Message-ID, which the signature covers.
    assertThat(saved.getMessageID()).isNotEqualTo("<q1@example.test>");
    assertThat(s.result()).isEqualTo(Result.FAIL);
    assertThat(r.dmarcResult()).isEqualTo(DmarcEvaluation.Result.FAIL);
  }

  @Test
  void headerWrittenDifferentlyThanRead_bareLfAsCrlf_andNonUtf8OctetsUnderAllowUtf8()
      throws Exception {
    // A bare LF header section is written with CRLF: the same DKIM results, without the line ending
    // finding.
    byte[] lf =
        signed(rsaSigner().canonicalization("simple/simple"), MESSAGE.replace("\r\n", "\n"));
    AuthReport fromBytes = auth.authenticate(lf, SmtpEnvelope.NONE);
    AuthReport fromPart =
        JakartaMailMessages.authenticate(auth, read(lf).get(0), "message", SmtpEnvelope.NONE);

    assertThat(fromPart.dkim()).isEqualTo(fromBytes.dkim());
    assertThat(fromPart.dkim().get(0).result()).isEqualTo(Result.PASS);
    assertThat(codes(fromBytes)).contains("AUTH_LINE_ENDINGS");
    assertThat(codes(fromPart))
        .containsExactlyElementsOf(
            codes(fromBytes).stream().filter(c -> !c.equals("AUTH_LINE_ENDINGS")).toList());

    // A Latin-1 Subject: kept octet for octet by default, replaced when the session allows UTF-8
    // headers.
    byte[] latin1 =
        rsaSigner()
            .build()
            .sign(
                MESSAGE
                    .replace("Quarterly", "Vierteljahresbericht f\u00fcr")
                    .getBytes(StandardCharsets.ISO_8859_1));
    Properties utf8 = new Properties();
    utf8.setProperty("mail.mime.allowutf8", "true");
    MimeMessage plain = new MimeMessage(SESSION, new ByteArrayInputStream(latin1));
    MimeMessage allowUtf8 =
        new MimeMessage(Session.getInstance(utf8), new ByteArrayInputStream(latin1));

    assertThat(JakartaMailMessages.verify(dkim, plain))
        .isEqualTo(dkim.verify(latin1))
        .singleElement()
        .satisfies(r -> assertThat(r.result()).isEqualTo(Result.PASS));
    assertThat(JakartaMailMessages.verify(dkim, allowUtf8))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.result()).isEqualTo(Result.FAIL);
              assertThat(r.failure()).isEqualTo(Failure.SIGNATURE_MISMATCH);
            });
  }

  @Test
  void messageReadFromAFolder_isNamedByTheFolderAndItsNumber() throws Exception {
    class InFolder extends MimeMessage {
      InFolder() throws MessagingException {
        super(new StubFolder("INBOX"), new ByteArrayInputStream(signed(rsaSigner(), MESSAGE)), 42);
      }
    }

    AuthReport r = JakartaMailMessages.authenticate(auth, new InFolder(), SmtpEnvelope.NONE);

    assertThat(r.source()).isEqualTo("INBOX#42");
    assertThat(r.dkim())
        .singleElement()
        .satisfies(s -> assertThat(s.result()).isEqualTo(Result.PASS));
    assertThat(
            JakartaMailMessages.authenticate(
                    auth, read(signed(rsaSigner(), MESSAGE)).get(0), SmtpEnvelope.NONE)
                .source())
        .isEqualTo(JakartaMailMessages.IN_MEMORY);
  }

  @Test
  void partWhoseContentCannotBeRead_givesAFindingNotAnException() throws Exception {
    // As an IMAP message does when its folder was closed: the headers are there, the content is
    // not.
    class Closed extends MimeMessage {
      Closed() throws MessagingException {
        super(SESSION, new SharedByteArrayInputStream(signed(rsaSigner(), MESSAGE)));
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

    AuthReport r = JakartaMailMessages.authenticate(auth, new Closed(), "INBOX#7", ENVELOPE);

    assertThat(r.source()).isEqualTo("INBOX#7");
    assertThat(r.envelope()).isEqualTo(ENVELOPE);
    assertThat(r.dkim()).isEmpty();
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo("AUTH_READ_FAILED");
              assertThat(f.inconclusive()).isTrue();
              assertThat(f.message())
                  .contains("INBOX#7", "MessagingException", "the folder is closed");
            });
    assertThatThrownBy(() -> JakartaMailMessages.verify(dkim, new Closed()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("the folder is closed")
        .hasRootCauseInstanceOf(MessagingException.class);
    // A part without any content fails inside Jakarta Mail itself; that too is a report.
    assertThat(codes(JakartaMailMessages.authenticate(auth, new MimeBodyPart(), SmtpEnvelope.NONE)))
        .containsExactly("AUTH_READ_FAILED");
  }

  @Test
  void partLargerThanTheLimit_isReportedAsTooLarge_asItsBytesAre() throws Exception {
    byte[] bytes = signed(rsaSigner(), MESSAGE + "x".repeat(76).concat("\r\n").repeat(1000));
    AuthOptions atSize = AuthOptions.builder().maxMessageBytes(bytes.length).build();
    AuthOptions below = AuthOptions.builder().maxMessageBytes(bytes.length - 1).build();
    try (MessageAuthenticator fits = MessageAuthenticator.create(runtime.of(config()), atSize);
        MessageAuthenticator small = MessageAuthenticator.create(runtime.of(config()), below);
        DkimVerifier smallDkim = DkimVerifier.create(runtime.of(config()), below)) {
      for (MimeMessage m : read(bytes)) {
        AuthReport whole = JakartaMailMessages.authenticate(fits, m, "big", SmtpEnvelope.NONE);
        AuthReport cut = JakartaMailMessages.authenticate(small, m, "message", SmtpEnvelope.NONE);

        assertThat(whole.dkim().get(0).result()).isEqualTo(Result.PASS);
        assertThat(whole.messageBytes()).isEqualTo(bytes.length);
        assertThat(cut).isEqualTo(small.authenticate(bytes, SmtpEnvelope.NONE));
        assertThat(cut.messageBytes()).isEqualTo(bytes.length - 1);
        assertThat(codes(cut)).contains("AUTH_MESSAGE_TOO_LARGE");
        assertThat(cut.dkim())
            .extracting(AuthReport.DkimSignature::failure)
            .containsExactly(Failure.NOT_VERIFIED);
        assertThat(JakartaMailMessages.verify(smallDkim, m))
            .isEqualTo(smallDkim.verify(bytes))
            .extracting(AuthReport.DkimSignature::failure)
            .containsExactly(Failure.NOT_VERIFIED);
      }
    }
  }

  @Test
  @Timeout(20)
  void endlessContent_isReadOnlyUpToTheLimit() throws Exception {
    AtomicLong served = new AtomicLong();
    class Endless extends MimeMessage {
      Endless() throws MessagingException {
        super(SESSION, new SharedByteArrayInputStream(signed(rsaSigner(), MESSAGE)));
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

    try (MessageAuthenticator small =
        MessageAuthenticator.create(
            runtime.of(config()), AuthOptions.builder().maxMessageBytes(64 * 1024).build())) {
      AuthReport r =
          JakartaMailMessages.authenticate(small, new Endless(), "endless", SmtpEnvelope.NONE);

      assertThat(codes(r)).contains("AUTH_MESSAGE_TOO_LARGE");
      assertThat(r.messageBytes()).isEqualTo(64 * 1024);
      assertThat(served.get()).isLessThan(1024 * 1024);
    }
  }

  @Test
  void nullArguments_throw() throws Exception {
    MimeMessage m = read(signed(rsaSigner(), MESSAGE)).get(0);

    assertThatThrownBy(() -> JakartaMailMessages.authenticate(null, m, SmtpEnvelope.NONE))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("authenticator");
    assertThatThrownBy(() -> JakartaMailMessages.authenticate(auth, null, SmtpEnvelope.NONE))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("part");
    assertThatThrownBy(() -> JakartaMailMessages.authenticate(auth, m, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("envelope");
    assertThatThrownBy(() -> JakartaMailMessages.authenticate(auth, m, null, SmtpEnvelope.NONE))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("source");
    assertThatThrownBy(() -> JakartaMailMessages.verify(null, m))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("verifier");
    assertThatThrownBy(() -> JakartaMailMessages.verify(dkim, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("part");
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
