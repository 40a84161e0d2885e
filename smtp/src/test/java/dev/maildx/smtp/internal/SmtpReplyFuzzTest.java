package dev.maildx.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.SmtpReply;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.FuzzInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Fuzz targets for the prober's bounded reply reader (RFC 5321 §4.2) and the EHLO extension list
 * (RFC 5321 §4.1.1.1), fed from bytes instead of a socket. The contract: every reply read has one
 * code from 200 to 559, at most {@code maxReplyLines} lines, each at most {@code maxLineBytes};
 * anything else ends in a protocol error or "closed" (never another exception); the transcript
 * stays bounded; the extension accessors never fail and never report a negative size.
 *
 * <p>Seeds: {@code src/test/resources/dev/maildx/smtp/internal/SmtpReplyFuzzTestInputs/<method>/}.
 */
class SmtpReplyFuzzTest {
  private static final int MAX_LINES = 100;
  private static final int MAX_LINE_BYTES = 2048;
  private static final Duration TIME = Duration.ofMillis(500);
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fuzz-timer");
            t.setDaemon(true);
            return t;
          });
  private static final ProbeSettings SETTINGS =
      new ProbeSettings(
          null,
          null,
          1,
          true,
          true,
          true,
          false,
          false,
          false,
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofDays(14),
          MAX_LINES,
          MAX_LINE_BYTES,
          4,
          null);

  /** Everything the reader made of a byte stream: the replies, then how it ended. */
  record Read(
      List<SmtpReply> replies, ProbeFailure end, List<ProbeReport.TranscriptLine> transcript) {}

  static Read read(byte[] data) {
    Transcript transcript = new Transcript(System.nanoTime());
    SmtpConnection c = new SmtpConnection(transcript, TIMER, SETTINGS);
    c.attach(new ByteArrayInputStream(data), new ByteArrayOutputStream());
    List<SmtpReply> replies = new ArrayList<>();
    Deadline deadline = Deadline.after(Duration.ofSeconds(30));
    try {
      while (true) {
        replies.add(c.readReply(ProbeReport.Phase.EHLO, deadline));
      }
    } catch (ProbeFailure f) {
      return new Read(replies, f, transcript.lines());
    } finally {
      c.close();
    }
  }

  @FuzzTest(maxDuration = "5m")
  void smtpReplies(byte[] data) {
    Read r =
        FuzzInput.withinBudget(TIME, FuzzInput.allocationBudget(data.length), () -> read(data));
    assertThat(r.end().kind).isIn(ProbeFailure.Kind.PROTOCOL, ProbeFailure.Kind.CLOSED);
    assertThat(r.end().phase).isEqualTo(ProbeReport.Phase.EHLO);
    assertThat((long) r.replies().size()).isLessThanOrEqualTo(data.length / 5L);
    for (SmtpReply reply : r.replies()) {
      assertThat(reply.code()).isBetween(200, 559);
      assertThat(reply.lines()).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_LINES);
      for (String line : reply.lines()) {
        assertThat(line.getBytes(StandardCharsets.UTF_8).length)
            .isLessThanOrEqualTo(3 * (MAX_LINE_BYTES - 4));
        assertThat(line).doesNotContain("\n");
      }
      if (reply.status() != null) {
        assertThat(reply.status().statusClass()).isIn(2, 4, 5);
      }
      assertThat(reply.text()).isNotNull();
    }
    assertThat(r.transcript().size()).isLessThanOrEqualTo(Transcript.MAX_LINES);
    for (ProbeReport.TranscriptLine l : r.transcript()) {
      assertThat(l.text().length()).isLessThanOrEqualTo(Transcript.MAX_LINE + 32);
      assertThat(l.text().chars()).noneMatch(ch -> ch < 0x20 || ch == 0x7f);
    }
  }

  /**
   * An EHLO reply: the input's lines become {@code 250-} lines (the last {@code 250 }), read by the
   * reply reader, then judged as the extension list.
   */
  @FuzzTest(maxDuration = "5m")
  void ehloExtensions(byte[] data) {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i == data.length || data[i] == '\n') {
        lines.add(java.util.Arrays.copyOfRange(data, start, i));
        start = i + 1;
      }
    }
    wire.writeBytes("250-mx.fz.test greets you".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < lines.size(); i++) {
      wire.writeBytes("\r\n250".getBytes(StandardCharsets.US_ASCII));
      wire.write(i == lines.size() - 1 ? ' ' : '-');
      wire.writeBytes(lines.get(i));
    }
    wire.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    Read r =
        FuzzInput.withinBudget(
            TIME, FuzzInput.allocationBudget(data.length), () -> read(wire.toByteArray()));
    if (r.replies().isEmpty()) {
      assertThat(r.end().kind).isEqualTo(ProbeFailure.Kind.PROTOCOL);
      return;
    }
    SmtpReply reply = r.replies().get(0);
    assertThat(reply.code()).isEqualTo(250);
    ProbeReport.Extensions ext =
        new ProbeReport.Extensions(reply.lines().subList(1, reply.lines().size()));
    List<String> keywords = ext.keywords();
    assertThat(keywords).hasSize(ext.lines().size());
    ext.size().ifPresent(size -> assertThat(size).as("SIZE limit").isNotNegative());
    assertThat(ext.startTls()).isEqualTo(ext.has("STARTTLS"));
    assertThat(ext.pipelining()).isEqualTo(ext.has("PIPELINING"));
    assertThat(ext.eightBitMime()).isEqualTo(ext.has("8BITMIME"));
    assertThat(ext.smtpUtf8()).isEqualTo(ext.has("SMTPUTF8"));
    assertThat(ext.chunking()).isEqualTo(ext.has("CHUNKING"));
    assertThat(ext.enhancedStatusCodes()).isEqualTo(ext.has("ENHANCEDSTATUSCODES"));
    assertThat(ext.dsn()).isEqualTo(ext.has("DSN"));
    assertThat(ext.requireTls()).isEqualTo(ext.has("REQUIRETLS"));
    for (int i = 0; i < keywords.size(); i++) {
      String line = ext.lines().get(i);
      if (line.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e || ch == ' ')
          && !keywords.get(i).isEmpty()) {
        assertThat(ext.has(keywords.get(i))).as("announced %s", line).isTrue();
      }
    }
  }
}
