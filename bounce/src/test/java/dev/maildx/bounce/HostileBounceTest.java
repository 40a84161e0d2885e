package dev.maildx.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.Finding;
import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import dev.maildx.testkit.ResourceSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-bounce matrix: a 100 MiB message, 10,000 MIME parts, message/rfc822 nested 10,000
 * deep, charsets that do not exist or do not fit, broken base64 and encoded words, a 1 MiB header.
 * Each is read from a file (as the CLI and a diagnosis do) and must give a report with the right
 * finding on time, read the delivery status where it is still within the limits, and leave no
 * thread or file handle behind.
 */
class HostileBounceTest {
  /**
   * Every case here but the 100 MiB one is far below this on a quiet machine; the margin is for a
   * loaded one.
   */
  private static final Duration BUDGET = Duration.ofSeconds(5);

  @TempDir static Path dir;

  private final BounceParser parser = BounceParser.create();

  /**
   * The report part of a failure notice for bob@agency.test (5.1.1), to put in front of the hostile
   * part.
   */
  private static final String HEAD =
      "From: MAILER-DAEMON@mx.sender.test (Mail Delivery System)\r\n"
          + "To: alice@sender.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
          + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"\r\n\r\n"
          + "--B1\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mx.sender.test.\r\n\r\n"
          + "--B1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.sender.test\r\n\r\n"
          + "Final-Recipient: rfc822; bob@agency.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
          + "Diagnostic-Code: smtp; 550 5.1.1 <bob@agency.test>: Recipient address rejected: User unknown\r\n\r\n";

  @BeforeAll
  static void warmUp() {
    BounceParser.create().parse(HEAD.getBytes(StandardCharsets.US_ASCII), "warm-up");
  }

  /**
   * Parses the file; asserts the time, that no exception became a report, and that nothing is left
   * open.
   */
  private BounceReport parse(Path file, Duration budget) {
    ResourceSnapshot before = ResourceSnapshot.take();
    long t0 = System.nanoTime();
    BounceReport r = parser.parse(file);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms)
        .as("parse time of %s", file.getFileName())
        .isLessThanOrEqualTo(budget.toMillis());
    assertThat(r.findings()).extracting(Finding::code).doesNotContain("BOUNCE_READ_FAILED");
    before.assertNothingLeftBehind(Duration.ofSeconds(2));
    return r;
  }

  private static Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.ISO_8859_1);
  }

  private static void bobIsUnknown(BounceReport r) {
    assertThat(r.recipients())
        .extracting(BounceReport.Recipient::recipient)
        .contains("bob@agency.test");
    BounceReport.Recipient bob =
        r.recipients().stream()
            .filter(d -> d.recipient().equals("bob@agency.test"))
            .findFirst()
            .orElseThrow();
    assertThat(bob.reason()).isEqualTo(BounceReason.USER_UNKNOWN);
    assertThat(bob.hardBounce()).isTrue();
  }

  private static List<String> codes(BounceReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  @Test
  void aHundredMebibyteMessage_isReadUpToTheLimitAndSaysSo() throws IOException {
    Path file = dir.resolve("huge.eml");
    byte[] line = ("x".repeat(998) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(
          (HEAD
                  + "--B1\r\nContent-Type: message/rfc822\r\n\r\nFrom: alice@sender.test\r\nSubject: the attachment\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      for (long written = 0; written < 100L << 20; written += line.length) {
        out.write(line);
      }
      out.write("\r\n--B1--\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(Files.size(file)).isGreaterThan(100L << 20);

    BounceReport r = parse(file, Duration.ofSeconds(20));

    bobIsUnknown(r);
    assertThat(codes(r)).contains("BOUNCE_INPUT_TRUNCATED");
    assertThat(
            r.findings().stream()
                .filter(f -> f.code().equals("BOUNCE_INPUT_TRUNCATED"))
                .findFirst()
                .orElseThrow()
                .message())
        .contains(String.valueOf(BounceParser.MAX_MESSAGE_BYTES));
  }

  @Test
  void tenThousandMimeParts_areCutAtThePartLimit() throws IOException {
    StringBuilder m =
        new StringBuilder(HEAD)
            .append("--B1\r\nContent-Type: multipart/mixed; boundary=\"many\"\r\n\r\n");
    for (int i = 0; i < 10_000; i++) {
      m.append("--many\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
    }
    m.append("--many--\r\n--B1--\r\n");

    BounceReport r = parse(write("parts.eml", m.toString()), BUDGET);

    bobIsUnknown(r);
    assertThat(codes(r)).contains("BOUNCE_MIME_LIMIT");
  }

  @Test
  void messageRfc822NestedTenThousandDeep_isCutAtTheDepthLimit() throws IOException {
    StringBuilder m = new StringBuilder(HEAD).append("--B1\r\n");
    for (int i = 0; i < 10_000; i++) {
      m.append("Content-Type: message/rfc822\r\n\r\nFrom: a").append(i).append("@sender.test\r\n");
    }
    m.append("\r\nbody\r\n--B1--\r\n");

    BounceReport r = parse(write("nested.eml", m.toString()), BUDGET);

    bobIsUnknown(r);
    assertThat(codes(r)).contains("BOUNCE_MIME_LIMIT");
  }

  @Test
  void unknownAndIllFittingCharsets_areReadWithoutFailing() throws IOException {
    String m =
        "From: =?x-no-such-charset?B?TUFJTEVSLURBRU1PTg==?= <MAILER-DAEMON@mx.sender.test>\r\n"
            + "To: =?utf-8?B?!!!not base64!!!?= <alice@sender.test>\r\n"
            + "Subject: =?iso-2022-jp?B?GyRCJTUhPCVQGyhC?= =?utf-8?Q?=FF=FE=C3?= Undelivered Mail\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"C\"\r\n\r\n"
            + "--C\r\nContent-Type: text/plain; charset=\"x-no-such-charset\"\r\n\r\nDelivery to \u00e9\u00ff failed.\r\n"
            + "--C\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\nbroken \u00c3\u0028 \u00ff\u00fe utf-8\r\n"
            + "--C\r\nContent-Type: text/plain; charset=\"\u0000;;=\"\r\n\r\nnonsense charset name\r\n"
            + "--C\r\nContent-Type: message/delivery-status; charset=us-ascii\r\n\r\n"
            + "Reporting-MTA: dns; mx.sender.test\r\n\r\nFinal-Recipient: rfc822; bob@agency.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            + "Diagnostic-Code: smtp; 550 5.1.1 <bob@agency.test>: user unknown \u00e9\u00ff\r\n\r\n--C--\r\n";

    BounceReport r = parse(write("charsets.eml", m), BUDGET);

    bobIsUnknown(r);
  }

  @Test
  void brokenBase64_isDecodedAsFarAsItGoes() throws IOException {
    String status =
        "Reporting-MTA: dns; mx.sender.test\r\n\r\nFinal-Recipient: rfc822; bob@agency.test\r\nAction: failed\r\n"
            + "Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\r\n";
    String b64 =
        java.util.Base64.getMimeEncoder()
            .encodeToString(status.getBytes(StandardCharsets.US_ASCII));
    // Characters outside the alphabet sprinkled in (RFC 2045 §6.8: ignore them), and a cut final
    // quantum.
    String broken = b64.replace("A", "A!").replace("\r\n", "\r\n*** ") + "QUJ";
    String m =
        "From: MAILER-DAEMON@mx.sender.test\r\nSubject: Undelivered\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=Q\r\n\r\n"
            + "--Q\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%% not base64 at all ====\r\n"
            + "--Q\r\nContent-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + broken
            + "\r\n--Q--\r\n";

    BounceReport r = parse(write("base64.eml", m), BUDGET);

    bobIsUnknown(r);
  }

  @Test
  void aOneMebibyteHeader_isBounded() throws IOException {
    StringBuilder folded = new StringBuilder("X-Long: start");
    while (folded.length() < 1 << 20) {
      folded.append("\r\n\tcontinued ").append("y".repeat(60));
    }
    StringBuilder to = new StringBuilder("To: ");
    for (int i = 0; to.length() < 1 << 20; i++) {
      to.append(i == 0 ? "" : ",\r\n ").append("user").append(i).append("@sender.test");
    }
    String m =
        "Subject: "
            + "S".repeat(1 << 20)
            + "\r\n"
            + folded
            + "\r\n"
            + to
            + "\r\n"
            + HEAD
            + "--B1--\r\n";

    BounceReport r = parse(write("header.eml", m), BUDGET);

    bobIsUnknown(r);
    assertThat(codes(r)).contains("BOUNCE_MIME_LIMIT");
  }
}
