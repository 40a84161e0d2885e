package dev.maildx.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The stream reader the DKIM verifier needs: raw octets of each field, the body streamed. */
class MessageReaderTest {
  static final class Collect implements BodySink {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean finished;

    @Override
    public void update(byte[] b, int off, int len) {
      out.write(b, off, len);
    }

    @Override
    public void finish() {
      finished = true;
    }
  }

  static MessageReader reader(String s) {
    return new MessageReader(
        new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)),
        Long.MAX_VALUE,
        MailLimits.DEFAULT);
  }

  @Test
  void fieldFromRawOctets_keepsOctetsThatAreNotUtf8_exactly() {
    // DKIM (RFC 6376 §3.4) rebuilds fields from raw octets: a UTF-8 round trip would change them
    byte[] raw = "Subject: Gr\u00fc\u00dfe".getBytes(StandardCharsets.ISO_8859_1);

    HeaderField f = HeaderField.ofRaw(raw);

    assertThat(f.raw()).isEqualTo(raw);
    assertThat(f.name()).isEqualTo("Subject");
    assertThat(f.colon()).isEqualTo(7);
    assertThat(f.value()).isEqualTo("Gr\u00fc\u00dfe");
    assertThat(HeaderField.of("Subject: Gr\u00fc\u00dfe").raw()).isNotEqualTo(raw);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HeaderField.ofRaw(": no name".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rawOctetsKeepFoldingAsCrlf() throws IOException {
    MessageReader r =
        reader(
            "From mbox-line Mon Jan  1 00:00:00 2026\nDKIM-Signature: v=1;\n\tb=abc\nFrom : \"Doe, J\" <j@example.com>\r\nSubject: =?utf-8?B?w6k=?=\r\n\r\nbody\r\n");
    HeaderSection h = r.readHeaders();
    assertThat(h.mboxLine()).startsWith("From mbox-line");
    assertThat(h.bareLfLines()).isEqualTo(3);
    assertThat(h.fields())
        .extracting(HeaderField::name)
        .containsExactly("DKIM-Signature", "From", "Subject");
    HeaderField sig = h.fields().get(0);
    assertThat(new String(sig.raw(), StandardCharsets.ISO_8859_1))
        .isEqualTo("DKIM-Signature: v=1;\r\n\tb=abc");
    assertThat(sig.colon()).isEqualTo(14);
    assertThat(sig.rawValue()).isEqualTo(" v=1;\r\n\tb=abc");
    assertThat(sig.value()).isEqualTo("v=1;\tb=abc");
    HeaderField from = h.fields().get(1);
    assertThat(from.lowerName()).isEqualTo("from");
    assertThat(from.colon()).isEqualTo(5);
    assertThat(AddressList.parse(from.value()).get(0).displayName()).isEqualTo("Doe, J");
    assertThat(h.fields().get(2).decodedValue()).isEqualTo("é");
    Collect c = new Collect();
    r.readBody(c);
    assertThat(c.out.toString(StandardCharsets.US_ASCII)).isEqualTo("body\r\n");
    assertThat(c.finished).isTrue();
    assertThat(h.bodyOffset()).isEqualTo(-1);
  }

  @Test
  void aLineThatIsNotAFieldStartsTheBody() throws IOException {
    MessageReader r = reader("A: 1\r\nthis is not a field\r\nB: 2\r\n");
    HeaderSection h = r.readHeaders();
    assertThat(h.fields()).extracting(HeaderField::name).containsExactly("A");
    assertThat(h.malformedLine()).isEqualTo("this is not a field");
    Collect c = new Collect();
    r.readBody(c);
    assertThat(c.out.toString(StandardCharsets.US_ASCII))
        .isEqualTo("this is not a field\r\nB: 2\r\n");

    // the in-memory MIME reader recovers instead: the stray line is skipped, B is a field
    HeaderSection lenient =
        new MimeReader()
            .parse(
                "A: 1\r\nthis is not a field\r\nB: 2\r\n\r\nx".getBytes(StandardCharsets.US_ASCII))
            .headers();
    assertThat(lenient.fields()).extracting(HeaderField::name).containsExactly("A", "B");
    assertThat(lenient.malformedLine()).isEqualTo("this is not a field");
  }

  @Test
  void aHeaderSectionOverTheLimitIsNotRead() throws IOException {
    String big = "X: " + "a".repeat(5000) + "\r\n";
    MessageReader r =
        new MessageReader(
            new ByteArrayInputStream(
                (big.repeat(10) + "\r\nbody").getBytes(StandardCharsets.US_ASCII)),
            Long.MAX_VALUE,
            20_000);
    HeaderSection h = r.readHeaders();
    assertThat(h.tooLarge()).isTrue();
    assertThat(h.fields()).hasSizeLessThanOrEqualTo(4);
    assertThat(r.bytesRead()).isLessThan(40_000);
  }

  @Test
  void theMessageSizeIsBounded() throws IOException {
    MessageReader r =
        new MessageReader(
            new ByteArrayInputStream(
                ("A: 1\r\n\r\n" + "x".repeat(100_000)).getBytes(StandardCharsets.US_ASCII)),
            1000,
            MailLimits.DEFAULT);
    r.readHeaders();
    Collect c = new Collect();
    r.readBody(c);
    assertThat(r.truncated()).isTrue();
    assertThat(r.bytesRead()).isEqualTo(1000);
    assertThat(c.out.size()).isEqualTo(1000 - 8);
  }

  @Test
  void hostileStreamsStayBounded() throws IOException {
    // an endless header line: reading stops after the header bound, memory stays near it
    InputStream endless =
        new InputStream() {
          long n;

          @Override
          public int read() {
            return n++ < 3 ? "X: ".charAt((int) n - 1) : 'x';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
              b[off + i] = (byte) read();
            }
            return len;
          }
        };
    MessageReader r = new MessageReader(endless, Long.MAX_VALUE, MailLimits.DEFAULT);
    HeaderSection h = r.readHeaders();
    assertThat(h.tooLarge()).isTrue();
    assertThat(r.bytesRead())
        .isLessThan(MailLimits.DEFAULT_MAX_HEADER_BYTES + 2 * MessageReader.BUFFER);

    // 100,000 fields
    MessageReader many = reader("X-A: b\r\n".repeat(100_000) + "\r\n");
    HeaderSection m = many.readHeaders();
    assertThat(m.size()).isEqualTo(MailLimits.DEFAULT_MAX_FIELDS);
    assertThat(m.tooManyFields()).isTrue();
  }

  @Test
  void headerFieldOf() {
    HeaderField f = HeaderField.of("Subject: hi");
    assertThat(f.name()).isEqualTo("Subject");
    assertThat(f.value()).isEqualTo("hi");
    assertThat(f.length()).isEqualTo(11);
  }
}
