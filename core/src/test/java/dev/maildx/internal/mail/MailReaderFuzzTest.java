package dev.maildx.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.maildx.testkit.FuzzInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Fuzz targets for the message reader: whole messages through the MIME reader and the stream
 * reader, address lists, encoded words. The contract: no exception, the bounds hold, within a time
 * and allocation budget.
 *
 * <p>Seeds: {@code src/test/resources/dev/maildx/internal/mail/MailReaderFuzzTestInputs/<method>/};
 * {@code ./mvnw verify} replays them, {@code .ci/fuzz} fuzzes.
 */
class MailReaderFuzzTest {
  private static final Duration TIME = Duration.ofSeconds(2);
  private static final MailLimits SMALL = new MailLimits(64 * 1024, 200, 4096, 64, 6);

  @FuzzTest(maxDuration = "5m")
  void message(byte[] data) {
    FuzzInput.withinBudget(
        TIME,
        FuzzInput.allocationBudget(data.length),
        () -> {
          MimeReader r = new MimeReader(SMALL);
          MimeEntity root = r.parse(data);
          int[] count = {0};
          walk(root, 0, count);
          assertThat(count[0]).isEqualTo(r.parts()).isLessThanOrEqualTo(SMALL.maxParts());
          assertThat(r.problems()).hasSizeLessThanOrEqualTo(MimeReader.MAX_PROBLEMS);
          try {
            MessageReader s = new MessageReader(new ByteArrayInputStream(data), 1 << 20, SMALL);
            HeaderSection h = s.readHeaders();
            bounded(h);
            long[] body = {0};
            s.readBody(
                new BodySink() {
                  @Override
                  public void update(byte[] b, int off, int len) {
                    body[0] += len;
                  }

                  @Override
                  public void finish() {}
                });
            assertThat(body[0]).isLessThanOrEqualTo(data.length);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
  }

  private static void walk(MimeEntity e, int depth, int[] count) {
    count[0]++;
    assertThat(e.depth()).isEqualTo(depth).isLessThanOrEqualTo(SMALL.maxDepth());
    assertThat(e.bodyStart()).isBetween(0, e.bodyEnd());
    assertThat(e.bodyEnd()).isLessThanOrEqualTo(e.buffer().length);
    bounded(e.headers());
    e.text();
    for (HeaderField f : e.headers().fields()) {
      f.decodedValue();
      assertThat(AddressList.parse(f.value())).hasSizeLessThanOrEqualTo(AddressList.MAX_MAILBOXES);
    }
    for (MimeEntity c : e.children()) {
      walk(c, depth + 1, count);
    }
    if (e.embedded() != null) {
      walk(e.embedded(), depth + 1, count);
    }
  }

  private static void bounded(HeaderSection h) {
    assertThat(h.size()).isLessThanOrEqualTo(SMALL.maxFields());
    for (HeaderField f : h.fields()) {
      assertThat(f.length()).isLessThanOrEqualTo(SMALL.maxLineLength());
      assertThat(f.colon()).isBetween(1, f.length() - 1);
      assertThat(f.raw()[f.colon()]).isEqualTo((byte) ':');
      assertThat(f.name()).isNotEmpty().doesNotContain(":", " ", "\t");
    }
  }

  @FuzzTest(maxDuration = "5m")
  void addressList(byte[] data) {
    String value = FuzzInput.text(data);
    List<AddressList.Mailbox> m =
        FuzzInput.withinBudget(
            TIME, FuzzInput.allocationBudget(data.length), () -> AddressList.parse(value));
    assertThat(m).hasSizeLessThanOrEqualTo(AddressList.MAX_MAILBOXES);
    for (AddressList.Mailbox b : m) {
      assertThat(b.address()).isNotEmpty();
      assertThat(b.address().length()).isLessThanOrEqualTo(6 * AddressList.MAX_ADDRESS);
      assertThat(b.displayName()).doesNotContain("\r", "\n");
      if (b.domain() != null) {
        assertThat(b.address()).contains("@");
      }
    }
  }

  @FuzzTest(maxDuration = "5m")
  void encodedWords(byte[] data) {
    String text = FuzzInput.text(data);
    String out =
        FuzzInput.withinBudget(
            TIME, FuzzInput.allocationBudget(data.length), () -> EncodedWords.decode(text));
    if (!text.contains("=?")) {
      assertThat(out).isEqualTo(text);
    }
    assertThat(out.length()).isLessThanOrEqualTo(Math.max(16, 2 * text.length()));
  }
}
