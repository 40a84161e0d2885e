package dev.maildx.bounce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.maildx.Finding;
import dev.maildx.bounce.BounceParser;
import dev.maildx.report.BounceReport;
import dev.maildx.testkit.FuzzInput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fuzz targets for the bounce parser: whole messages (RFC 5322 + MIME, RFC 3464/6533 DSNs, ARF, the
 * non-standard notices), the delivery-status fields of an RFC 3464 report, the field reader itself,
 * and the body of an Amazon SES notice (with the JSON reader under it). The contract: a report for
 * every input — never an exception (the parser turns an unexpected exception into {@code
 * BOUNCE_READ_FAILED}, which is therefore a finding here) — whose recipients, codes and texts are
 * bounded and consistent with its kind; within a time and allocation budget.
 *
 * <p>Seeds: {@code src/test/resources/dev/maildx/bounce/internal/BounceFuzzTestInputs/<method>/}
 * (small synthetic messages); {@code .ci/fuzz} adds the real bounces of {@code
 * ../shared/corpora/sisimai-set-of-emails} to the working corpus when present (never committed).
 */
class BounceFuzzTest {
  private static final BounceParser PARSER = BounceParser.create();

  @FuzzTest(maxDuration = "5m")
  void bounceMessage(byte[] data) {
    BounceReport r =
        FuzzInput.withinBudget(
            Duration.ofSeconds(2),
            FuzzInput.allocationBudget(data.length),
            () -> PARSER.parse(data, "fuzz"));
    report(r);
  }

  /** The input is the body of the {@code message/delivery-status} part of an RFC 3464 report. */
  @FuzzTest(maxDuration = "5m")
  void dsnFields(byte[] data) {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(
        ("From: MAILER-DAEMON@mx.fz.test\r\nTo: sender@fz.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"=b=\"\r\n\r\n"
                + "--=b=\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
                + "--=b=\r\nContent-Type: message/delivery-status\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    m.writeBytes(data);
    m.writeBytes("\r\n--=b=--\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] message = m.toByteArray();
    BounceReport r =
        FuzzInput.withinBudget(
            Duration.ofSeconds(2),
            FuzzInput.allocationBudget(message.length),
            () -> PARSER.parse(message, "fuzz"));
    report(r);
    assertThat(r.kind())
        .isIn(BounceReport.Kind.BOUNCE, BounceReport.Kind.DELAY, BounceReport.Kind.DELIVERED);
    String lower = new String(data, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    int named = 0;
    for (int i = lower.indexOf("recipient"); i >= 0; i = lower.indexOf("recipient", i + 1)) {
      named++;
    }
    assertThat(r.recipients().size())
        .as("recipients read from %d recipient fields", named)
        .isLessThanOrEqualTo(named);

    String text = FuzzInput.text(data);
    List<Map<String, String>> blocks =
        FuzzInput.withinBudget(
            Duration.ofSeconds(1),
            FuzzInput.allocationBudget(data.length),
            () -> Analyzer.fields(text));
    assertThat(blocks).isNotEmpty();
    for (Map<String, String> b : blocks) {
      for (Map.Entry<String, String> e : b.entrySet()) {
        assertThat(e.getKey())
            .isNotEmpty()
            .isEqualTo(e.getKey().toLowerCase(Locale.ROOT))
            .doesNotContain(":", "\n");
        assertThat(e.getValue()).doesNotContain("\n");
      }
    }
  }

  /**
   * The input is the body of an Amazon SES notification mail (the SES JSON, or the SNS message
   * carrying it): the SES reader and the JSON reader under it return a reading, "not SES" or a
   * {@code MalformedJsonException}, never another exception, within budget; the whole mail gives a
   * report.
   */
  @FuzzTest(maxDuration = "5m")
  void sesNotice(byte[] data) {
    String text = FuzzInput.text(data);
    Json.Ses ses =
        FuzzInput.withinBudget(
            Duration.ofSeconds(1), FuzzInput.allocationBudget(text.length()), () -> Json.ses(text));
    if (ses != null) {
      assertThat(ses.kind).isNotNull();
      assertThat(ses.recipients.size()).isLessThanOrEqualTo(Analyzer.MAX_RECIPIENTS);
      assertThat(ses.recipients).allSatisfy(x -> assertThat(x.recipient).isNotNull());
      if (ses.kind == BounceReport.Kind.FEEDBACK) {
        assertThat(ses.feedback).isNotNull();
      }
    }
    try {
      JsonReader.parse(text, Json.MAX_CHARS);
    } catch (JsonReader.MalformedJsonException e) {
      assertThat(e.offset()).isBetween(0, text.length());
    }
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(
        ("From: AWS Notifications <no-reply@sns.amazonaws.com>\r\nTo: sender@fz.test\r\nSubject: AWS Notification Message\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    m.writeBytes(data);
    byte[] message = m.toByteArray();
    BounceReport r =
        FuzzInput.withinBudget(
            Duration.ofSeconds(2),
            FuzzInput.allocationBudget(message.length),
            () -> PARSER.parse(message, "fuzz"));
    report(r);
    if ("amazonses".equals(r.format())) {
      assertThat(r.kind())
          .isIn(
              BounceReport.Kind.BOUNCE,
              BounceReport.Kind.DELAY,
              BounceReport.Kind.DELIVERED,
              BounceReport.Kind.FEEDBACK);
    }
  }

  static void report(BounceReport r) {
    assertThat(r.check()).isEqualTo("bounce");
    assertThat(r.findings()).extracting(Finding::code).doesNotContain("BOUNCE_READ_FAILED");
    assertThat(r.recipients().size()).isLessThanOrEqualTo(3 * Analyzer.MAX_RECIPIENTS);
    if (r.kind() == BounceReport.Kind.NOT_BOUNCE) {
      assertThat(r.recipients()).isEmpty();
      assertThat(r.format()).isEqualTo("none");
    }
    if (r.kind() == BounceReport.Kind.FEEDBACK) {
      assertThat(r.feedback()).isNotNull();
    }
    for (BounceReport.Recipient d : r.recipients()) {
      assertThat(d.reason()).isNotNull();
      if (d.status() != null) {
        assertThat(d.status().statusClass()).isIn(2, 4, 5);
      }
      if (d.diagnosticCode() != null) {
        assertThat(d.diagnosticCode().length()).isLessThanOrEqualTo(Analyzer.MAX_DIAGNOSTIC_CHARS);
      }
      assertThat(d.explanation()).isNotBlank();
      if (d.hardBounce()) {
        assertThat(d.action()).isEqualTo(dev.maildx.report.BounceReport.Action.FAILED);
      }
    }
    for (Finding f : r.findings()) {
      assertThat(f.check()).isEqualTo("bounce");
      assertThat(f.code()).matches("BOUNCE_[A-Z_]+");
      assertThat(f.message().length()).as("message of %s", f.code()).isLessThanOrEqualTo(64 * 1024);
    }
    int recipientFindings =
        (int) r.findings().stream().filter(f -> f.evidence().containsKey("recipient")).count();
    assertThat(recipientFindings).isEqualTo(r.recipients().size());
  }
}
