package dev.maildx.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.Party;
import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parsing and classification on hand-made messages: standard DSNs, delays, feedback, auto-replies,
 * hostile input.
 */
class BounceParserTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  final BounceParser parser = BounceParser.create();

  static String dsn(String action, String status, String diag) {
    return "From: MAILER-DAEMON@mx.sender.test (Mail Delivery System)\r\n"
        + "To: alice@sender.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"\r\n\r\n"
        + "--B1\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mx.sender.test.\r\n\r\n"
        + "--B1\r\nContent-Type: message/delivery-status\r\n\r\n"
        + "Reporting-MTA: dns; mx.sender.test\r\nArrival-Date: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\n"
        + "Final-Recipient: rfc822; bob@agency.test\r\nOriginal-Recipient: rfc822;bob@agency.test\r\nAction: "
        + action
        + "\r\n"
        + "Status: "
        + status
        + "\r\nRemote-MTA: dns; mx.agency.test\r\nDiagnostic-Code: smtp; "
        + diag
        + "\r\n\r\n"
        + "--B1\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: <m1@sender.test>\r\nFrom: Alice <alice@sender.test>\r\n"
        + "To: bob@agency.test\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nDate: Mon, 2 Jan 2023 09:59:00 +0000\r\n\r\nHello\r\n--B1--\r\n";
  }

  BounceReport parse(String text) {
    return parser.parse(text.getBytes(StandardCharsets.UTF_8), "test");
  }

  @Test
  void rfc3464_userUnknown_isHardBounceWithAllFields() {
    BounceReport r =
        parse(
            dsn(
                "failed",
                "5.1.1",
                "550 5.1.1 <bob@agency.test>: Recipient address rejected: User unknown"));

    assertThat(r.kind()).isEqualTo(BounceReport.Kind.BOUNCE);
    assertThat(r.format()).isEqualTo("rfc3464");
    assertThat(r.reportingMta()).isEqualTo("mx.sender.test");
    assertThat(r.arrivalDate()).isEqualTo("Mon, 2 Jan 2023 10:00:00 +0000");
    assertThat(r.originalMessageId()).isEqualTo("<m1@sender.test>");
    assertThat(r.original().subject()).isEqualTo("Grüße");
    BounceReport.Recipient d = r.recipients().get(0);
    assertThat(d.recipient()).isEqualTo("bob@agency.test");
    assertThat(d.action()).isEqualTo(BounceReport.Action.FAILED);
    assertThat(d.status()).hasToString("5.1.1");
    assertThat(d.replyCode()).isEqualTo(550);
    assertThat(d.remoteMta()).isEqualTo("mx.agency.test");
    assertThat(d.reason()).isEqualTo(BounceReason.USER_UNKNOWN);
    assertThat(d.hardBounce()).isTrue();
    assertThat(d.party()).isEqualTo(Party.SENDER);
    assertThat(d.explanation()).contains("does not exist");
    assertThat(r.findings()).anyMatch(f -> f.code().equals("BOUNCE_HARD"));
  }

  @Test
  void delayed_isADelayNeverAFailure() {
    BounceReport r =
        parse(
            dsn(
                "delayed",
                "4.4.7",
                "451 4.4.7 delivery temporarily suspended: connect to mx.agency.test: Connection timed out"));

    assertThat(r.kind()).isEqualTo(BounceReport.Kind.DELAY);
    BounceReport.Recipient d = r.recipients().get(0);
    assertThat(d.action()).isEqualTo(BounceReport.Action.DELAYED);
    assertThat(d.hardBounce()).isFalse();
    assertThat(d.explanation()).contains("still retrying");
    assertThat(r.findings())
        .anyMatch(f -> f.code().equals("BOUNCE_DELAYED"))
        .noneMatch(f -> f.code().startsWith("BOUNCE_FAILED"));
  }

  @Test
  void dmarcFailure_5_7_26_namesTheSendersDnsAdmin() {
    BounceReport.Recipient d =
        parse(
                dsn(
                    "failed",
                    "5.7.26",
                    "550 5.7.26 Unauthenticated email from sender.test is not accepted due to domain's DMARC policy"))
            .recipients()
            .get(0);

    assertThat(d.reason()).isEqualTo(BounceReason.AUTH_FAILURE);
    assertThat(d.party()).isEqualTo(Party.SENDER_DNS_ADMIN);
    assertThat(d.hardBounce()).isFalse();
  }

  @Test
  void genericStatus_moreSpecificDiagnosticWins_andTheDecisionIsRecorded() {
    BounceReport.Recipient d =
        parse(dsn("failed", "5.0.0", "552 5.2.2 <bob@agency.test>: mailbox full"))
            .recipients()
            .get(0);

    assertThat(d.status()).hasToString("5.2.2");
    assertThat(d.reason()).isEqualTo(BounceReason.MAILBOX_FULL);
    assertThat(d.decision()).contains("more specific");
  }

  @Test
  void microsoft_5_7_708_isBlockedByIpReputation() {
    BounceReport.Recipient d =
        parse(
                dsn(
                    "failed",
                    "5.7.708",
                    "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP"))
            .recipients()
            .get(0);

    assertThat(d.reason()).isEqualTo(BounceReason.BLOCKED);
    assertThat(d.party()).isEqualTo(Party.SENDER_MAIL_PROVIDER);
    assertThat(d.explanation()).contains("Microsoft");
  }

  @Test
  void microsoft_5_1_10_recipientNotFound_isAHardUserUnknown() {
    BounceReport.Recipient d =
        parse(
                dsn(
                    "failed",
                    "5.1.10",
                    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"))
            .recipients()
            .get(0);

    assertThat(d.reason()).isEqualTo(BounceReason.USER_UNKNOWN);
    assertThat(d.hardBounce()).isTrue();
    assertThat(d.explanation()).contains("does not exist").contains("5.1.10");
  }

  @Test
  void spfFailure_5_7_23_namesTheSendersSpf() {
    BounceReport.Recipient d =
        parse(dsn("failed", "5.7.23", "550 5.7.23 SPF validation failed")).recipients().get(0);

    assertThat(d.reason()).isEqualTo(BounceReason.AUTH_FAILURE);
    assertThat(d.party()).isEqualTo(Party.SENDER_DNS_ADMIN);
    assertThat(d.explanation()).contains("SPF");
  }

  @Test
  void spfFailure_5_7_23_claimsNoCauseItCannotSee() {
    BounceReport.Recipient d =
        parse(dsn("failed", "5.7.23", "550 5.7.23 SPF validation failed")).recipients().get(0);

    assertThat(d.explanation()).contains("SPF validation of the sender failed");
    assertThat(d.explanation()).doesNotContain("did not authorize");
  }

  @Test
  void spfError_5_7_24_saysAnErrorNotAnUnauthorizedServer() {
    BounceReport.Recipient d =
        parse(dsn("failed", "5.7.24", "550 5.7.24 SPF validation error")).recipients().get(0);

    assertThat(d.reason()).isEqualTo(BounceReason.AUTH_FAILURE);
    assertThat(d.party()).isEqualTo(Party.SENDER_DNS_ADMIN);
    assertThat(d.explanation()).contains("error while validating the sender's SPF");
    assertThat(d.explanation()).doesNotContain("did not authorize").doesNotContain("failed");
  }

  @Test
  void replyMeaningEndingInAParenthesis_isNotFollowedByASecondOne() {
    BounceReport.Recipient d =
        parse(dsn("delayed", "4.2.0", "450 4.2.0 mailbox busy")).recipients().get(0);

    assertThat(d.explanation()).contains("Reply 450 (RFC 5321): ").doesNotContain(") (");
  }

  @Test
  void expiredAfterRetrying_4_4_7_inAFailure_saysTheGatewayNeverAccepted() {
    BounceReport r =
        parse(
            dsn(
                "failed",
                "4.4.7",
                "451 4.4.7 delivery expired: connect to mx.agency.test: Connection timed out"));

    assertThat(r.kind()).isEqualTo(BounceReport.Kind.BOUNCE);
    BounceReport.Recipient d = r.recipients().get(0);
    assertThat(d.reason()).isEqualTo(BounceReason.EXPIRED);
    assertThat(d.party()).isEqualTo(Party.RECIPIENT_POSTMASTER);
    assertThat(d.explanation()).contains("never accepted").contains("gave up");
  }

  @Test
  void deliveredNotice_isDelivered() {
    BounceReport r = parse(dsn("delivered", "2.0.0", "250 2.0.0 Ok: queued"));

    assertThat(r.kind()).isEqualTo(BounceReport.Kind.DELIVERED);
    assertThat(r.recipients().get(0).reason()).isEqualTo(BounceReason.DELIVERED);
  }

  @Test
  void globalDeliveryStatus_rfc6533_isRead() {
    String m =
        dsn("failed", "5.1.1", "550 5.1.1 user unknown")
            .replace("message/delivery-status", "message/global-delivery-status")
            .replace("bob@agency.test", "bøb@agency.test");

    BounceReport r = parse(m);

    assertThat(r.format()).isEqualTo("rfc6533");
    assertThat(r.recipients().get(0).recipient()).isEqualTo("bøb@agency.test");
  }

  @Test
  void arfFeedbackReport_isFeedbackWithSourceIp() {
    String m =
        "From: feedback@isp.test\nTo: abuse@sender.test\nSubject: FW: hello\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\n\n--F\nContent-Type: text/plain\n\n"
            + "This is an email abuse report.\n--F\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: isp/1.0\n"
            + "Version: 1\nSource-IP: 192.0.2.1\nOriginal-Mail-From: <alice@sender.test>\nOriginal-Rcpt-To: <bob@isp.test>\n"
            + "Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT\n\n--F\nContent-Type: message/rfc822\n\nFrom: alice@sender.test\n"
            + "To: bob@isp.test\nMessage-ID: <x@sender.test>\nSubject: hello\n\nspam?\n--F--\n";

    BounceReport r = parse(m);

    assertThat(r.kind()).isEqualTo(BounceReport.Kind.FEEDBACK);
    assertThat(r.feedback().feedbackType()).isEqualTo("abuse");
    assertThat(r.feedback().sourceIp()).isEqualTo("192.0.2.1");
    assertThat(r.feedback().originalMailFrom()).isEqualTo("<alice@sender.test>");
    assertThat(r.recipients().get(0).recipient()).isEqualTo("bob@isp.test");
    assertThat(r.recipients().get(0).reason()).isEqualTo(BounceReason.FEEDBACK);
  }

  @Test
  void autoReply_rfc3834_isAutoreply() {
    BounceReport r =
        parse(
            "From: bob@agency.test\nTo: alice@sender.test\nSubject: Out of office\nAuto-Submitted: auto-replied\n\n"
                + "I am away until Monday.\n");

    assertThat(r.kind()).isEqualTo(BounceReport.Kind.AUTOREPLY);
    assertThat(r.recipients().get(0).reason()).isEqualTo(BounceReason.VACATION);
  }

  @Test
  void plainMail_isNotABounce() {
    BounceReport r =
        parse(
            "From: bob@agency.test\nTo: alice@sender.test\nSubject: lunch?\n\nShall we meet at noon?\n");

    assertThat(r.kind()).isEqualTo(BounceReport.Kind.NOT_BOUNCE);
    assertThat(r.recipients()).isEmpty();
  }

  @Test
  void eximTextNotice_isReadFromItsWording() {
    String m =
        "From: Mail Delivery System <Mailer-Daemon@mx.sender.test>\nTo: alice@sender.test\n"
            + "Subject: Mail delivery failed: returning message to sender\nX-Failed-Recipients: bob@agency.test\n\n"
            + "This message was created automatically by mail delivery software.\n\n"
            + "A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n"
            + "  bob@agency.test\n    host mx.agency.test [192.0.2.9]\n    SMTP error from remote mail server after RCPT TO:<bob@agency.test>:\n"
            + "    552 5.2.2 Mailbox full\n\n------ This is a copy of the message, including all the headers. ------\n\n"
            + "Message-ID: <orig@sender.test>\nFrom: alice@sender.test\nTo: bob@agency.test\n\nhi\n";

    BounceReport r = parse(m);

    assertThat(r.kind()).isEqualTo(BounceReport.Kind.BOUNCE);
    assertThat(r.format()).isEqualTo("exim");
    assertThat(r.originalMessageId()).isEqualTo("<orig@sender.test>");
    BounceReport.Recipient d = r.recipients().get(0);
    assertThat(d.recipient()).isEqualTo("bob@agency.test");
    assertThat(d.replyCode()).isEqualTo(552);
    assertThat(d.status()).hasToString("5.2.2");
    assertThat(d.reason()).isEqualTo(BounceReason.MAILBOX_FULL);
  }

  @Test
  void lineEndings_lfCrlfCr_giveTheSameReport() {
    String lf = dsn("failed", "5.1.1", "550 5.1.1 user unknown").replace("\r\n", "\n");

    BounceReport a = parse(lf);
    BounceReport b = parse(lf.replace("\n", "\r\n"));
    BounceReport c = parse(lf.replace("\n", "\r"));

    assertThat(b.recipients()).isEqualTo(a.recipients());
    assertThat(c.recipients()).isEqualTo(a.recipients());
    assertThat(c.originalMessageId()).isEqualTo(a.originalMessageId());
  }

  @Test
  void base64AndQuotedPrintableParts_areDecoded() {
    String status =
        "Reporting-MTA: dns; mx.sender.test\n\nFinal-Recipient: rfc822; bob@agency.test\nAction: failed\nStatus: 5.2.2\n";
    String b64 =
        java.util.Base64.getMimeEncoder()
            .encodeToString(status.getBytes(StandardCharsets.US_ASCII));
    String m =
        "From: MAILER-DAEMON@mx.sender.test\nSubject: Undelivered\nContent-Type: multipart/report; report-type=delivery-status; boundary=Q\n\n"
            + "--Q\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nBo=C3=AEte pleine =\nfor bob\n"
            + "--Q\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n"
            + b64
            + "\n--Q--\n";

    BounceReport.Recipient d = parse(m).recipients().get(0);

    assertThat(d.status()).hasToString("5.2.2");
    assertThat(d.reason()).isEqualTo(BounceReason.MAILBOX_FULL);
  }

  @Test
  @Timeout(10)
  void hostileMessages_giveFindingsNeverExceptionsOrHangs() {
    StringBuilder deep = new StringBuilder("From: MAILER-DAEMON@x.test\nSubject: Undelivered\n");
    for (int i = 0; i < 2000; i++) {
      deep.append("Content-Type: multipart/mixed; boundary=b")
          .append(i)
          .append("\n\n--b")
          .append(i)
          .append('\n');
    }
    StringBuilder manyParts =
        new StringBuilder(
            "From: MAILER-DAEMON@x.test\nContent-Type: multipart/mixed; boundary=z\n\n");
    for (int i = 0; i < 5000; i++) {
      manyParts
          .append("--z\nContent-Type: text/plain\n\nuser")
          .append(i)
          .append("@a.test: 550 5.1.1 user unknown\n");
    }
    String longHeader =
        "From: MAILER-DAEMON@x.test\nSubject: "
            + "A".repeat(2_000_000)
            + "\n\n"
            + "x@y.test ".repeat(100_000);
    String deepMessages =
        "From: MAILER-DAEMON@x.test\n" + "Content-Type: message/rfc822\n\n".repeat(5000) + "body";
    String binary = new String(new byte[300_000], StandardCharsets.ISO_8859_1);
    String badBase64 =
        "From: MAILER-DAEMON@x.test\nContent-Type: multipart/report; report-type=delivery-status; boundary=q\n\n--q\n"
            + "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n!!!!====\n--q--";
    StringBuilder manyRecipients =
        new StringBuilder("From: MAILER-DAEMON@x.test\nSubject: failure notice\n\n");
    for (int i = 0; i < 3000; i++) {
      manyRecipients
          .append("<user")
          .append(i)
          .append("@a.test>:\n550 5.1.1 user unknown ")
          .append("blah ".repeat(40))
          .append('\n');
    }
    String digits =
        "From: MAILER-DAEMON@x.test\nSubject: failure notice\n\n"
            + "5".repeat(1_000_000)
            + "@"
            + ".".repeat(100_000);

    for (String m :
        List.of(
            deep.toString(),
            manyParts.toString(),
            manyRecipients.toString(),
            longHeader,
            deepMessages,
            binary,
            badBase64,
            digits,
            "",
            "\n\n\n",
            "From")) {
      BounceReport r = parse(m);
      assertThat(r).isNotNull();
      assertThat(r.findings()).noneMatch(f -> f.code().equals("BOUNCE_READ_FAILED"));
    }
    assertThat(parse(deep.toString()).findings())
        .anyMatch(f -> f.code().equals("BOUNCE_MIME_LIMIT"));
    assertThat(parse(manyParts.toString()).findings())
        .anyMatch(f -> f.code().equals("BOUNCE_MIME_LIMIT"));
    assertThat(parse(manyRecipients.toString()).recipients()).hasSize(500);
  }

  @Test
  void oversizedMessage_isCutAndSaysSo() {
    byte[] big =
        (dsn("failed", "5.1.1", "550 5.1.1 user unknown") + "x".repeat(10_000))
            .getBytes(StandardCharsets.UTF_8);

    BounceReport r = parser.withMaxMessageBytes(2048).parse(new ByteArrayInputStream(big), "big");

    assertThat(r.findings()).anyMatch(f -> f.code().equals("BOUNCE_INPUT_TRUNCATED"));
  }

  @Test
  void mbox_isSplitIntoMessages_andFromLinesUnescaped(@TempDir Path dir) throws IOException {
    String one = dsn("failed", "5.1.1", "550 5.1.1 user unknown").replace("\r\n", "\n");
    String two = "From: bob@agency.test\nTo: alice@sender.test\nSubject: hi\n\n>From the start\n";
    Path mbox = dir.resolve("mbox");
    Files.writeString(
        mbox,
        "From MAILER-DAEMON Mon Jan  2 10:00:00 2023\n"
            + one
            + "\nFrom bob@agency.test Mon Jan  2 10:00:00 2023\n"
            + two);

    List<BounceReport> reports = parser.parseAll(mbox);

    assertThat(reports).hasSize(2);
    assertThat(reports.get(0).source()).endsWith("mbox#1");
    assertThat(reports.get(0).recipients().get(0).reason()).isEqualTo(BounceReason.USER_UNKNOWN);
    assertThat(reports.get(1).kind()).isEqualTo(BounceReport.Kind.NOT_BOUNCE);
  }

  @Test
  void maildir_readsCurAndNew_andABatchNeverStopsOnABadFile(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("cur"));
    Files.createDirectories(dir.resolve("new"));
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(dir.resolve("cur/1"), dsn("failed", "5.2.2", "552 5.2.2 mailbox full"));
    Files.write(dir.resolve("cur/2"), new byte[] {0, 1, 2, (byte) 0xff});
    Files.writeString(dir.resolve("new/3"), dsn("delayed", "4.4.1", "421 4.4.1 timeout"));

    List<BounceReport> reports = new ArrayList<>();
    parser.parseAll(dir, reports::add);

    assertThat(reports)
        .extracting(BounceReport::kind)
        .containsExactly(
            BounceReport.Kind.BOUNCE, BounceReport.Kind.NOT_BOUNCE, BounceReport.Kind.DELAY);
  }

  @Test
  void missingPath_isAnIllegalArgument(@TempDir Path dir) {
    assertThatThrownBy(() -> parser.parseAll(dir.resolve("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void unreadableFile_isAReportNotAnException(@TempDir Path dir) {
    BounceReport r = parser.parse(dir);

    assertThat(r.findings())
        .anyMatch(f -> f.code().equals("BOUNCE_READ_FAILED") && f.inconclusive());
  }

  @Test
  void parseAsync_completesOnTheExecutor(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("b.eml");
    Files.writeString(f, dsn("failed", "5.1.1", "550 5.1.1 user unknown"));
    try (BounceParser p =
        BounceParser.create(runtime.of(dev.maildx.DiagnosticsConfig.defaults()))) {
      BounceReport r = p.parseAsync(f, dev.maildx.spi.Deadline.after(Duration.ofSeconds(5))).join();
      assertThat(r.recipients()).hasSize(1);
    }
  }
}
