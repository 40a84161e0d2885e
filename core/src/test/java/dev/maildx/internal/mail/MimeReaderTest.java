package dev.maildx.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MimeReaderTest {
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final String REPORT =
      "From: MAILER-DAEMON@mx.example\r\n"
          + "Subject: =?utf-8?Q?Undelivered_Mail?=\r\n"
          + "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"=b=\"\r\n"
          + "\r\n"
          + "preamble\r\n"
          + "--=b=\r\n"
          + "Content-Type: text/plain; charset=iso-8859-1\r\n"
          + "Content-Transfer-Encoding: quoted-printable\r\n"
          + "\r\n"
          + "Caf=E9 refused=\r\n it.\r\n"
          + "--=b=\r\n"
          + "Content-Type: message/delivery-status\r\n"
          + "\r\n"
          + "Final-Recipient: rfc822; a@example.org\r\n"
          + "\r\n"
          + "--=b=\r\n"
          + "Content-Type: message/rfc822\r\n"
          + "\r\n"
          + "From: Sender <s@example.com>\r\n"
          + "Subject: hello\r\n"
          + "\r\n"
          + "body\r\n"
          + "--=b=--\r\n"
          + "epilogue\r\n";

  @Test
  void multipartReportWithEmbeddedMessage() {
    MimeReader r = new MimeReader();
    MimeEntity root = r.parse(b(REPORT));
    assertThat(root.mediaType()).isEqualTo("multipart/report");
    assertThat(root.param("report-type")).isEqualTo("delivery-status");
    assertThat(root.headers().field("Subject").decodedValue()).isEqualTo("Undelivered Mail");
    assertThat(root.children())
        .extracting(MimeEntity::mediaType)
        .containsExactly("text/plain", "message/delivery-status", "message/rfc822");
    assertThat(root.children().get(0).text()).isEqualTo("Café refused it.");
    assertThat(root.children().get(1).text())
        .isEqualTo("Final-Recipient: rfc822; a@example.org\r\n");
    MimeEntity inner = root.children().get(2).embedded();
    assertThat(inner).isNotNull();
    assertThat(inner.headers().get("subject")).isEqualTo("hello");
    assertThat(inner.text()).isEqualTo("body");
    assertThat(new String(root.buffer(), root.epilogueStart(), 8, StandardCharsets.US_ASCII))
        .isEqualTo("epilogue");
    assertThat(r.parts()).isEqualTo(5);
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void lfOnlyInputReadsAlike() {
    MimeEntity root =
        new MimeReader().parse(MimeReader.normalizeLineEnds(b(REPORT), b(REPORT).length));
    assertThat(root.children()).hasSize(3);
    assertThat(root.children().get(0).text()).isEqualTo("Café refused it.");
    assertThat(root.children().get(2).embedded().headers().get("From"))
        .isEqualTo("Sender <s@example.com>");
  }

  @Test
  void delimitersMustBeWholeLines_digestDefaults_base64Messages() {
    String m =
        "Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--bb\nnot a delimiter\n--b  \n\ntwo\n--b--";
    MimeEntity root = new MimeReader().parse(b(m));
    assertThat(root.children())
        .extracting(MimeEntity::text)
        .containsExactly("one\n--bb\nnot a delimiter", "two");

    String digest =
        "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: first\n\n1\n--d\n\nSubject: second\n\n2\n--d--\n";
    MimeEntity dg = new MimeReader().parse(b(digest));
    assertThat(dg.children()).extracting(MimeEntity::mediaType).containsOnly("message/rfc822");
    assertThat(dg.children().get(1).embedded().headers().get("Subject")).isEqualTo("second");

    String b64 =
        "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
            + java.util.Base64.getMimeEncoder().encodeToString(b("Subject: inner\n\nhi\n"));
    MimeEntity e = new MimeReader().parse(b(b64));
    assertThat(e.embedded().headers().get("Subject")).isEqualTo("inner");
  }

  @Test
  void aMangledBoundaryIsGuessed() {
    String m =
        "Content-Type: multipart/mixed; boundary=\"declared\"\n\n--used\nContent-Type: text/plain\n\nx\n--used--\n";
    assertThat(new MimeReader().parse(b(m)).children())
        .extracting(MimeEntity::text)
        .containsExactly("x");
  }

  @Test
  void rfc2231Parameters() {
    assertThat(
            HeaderParams.parse("attachment; filename*=UTF-8''%E2%82%AC%20rates.txt")
                .get("filename"))
        .isEqualTo("€ rates.txt");
    assertThat(
            HeaderParams.parse("text/plain; name*0=\"a\"; name*1=\"b\"; name*2*=%41").get("name"))
        .isEqualTo("abA");
    assertThat(HeaderParams.parse("multipart/mixed boundary=x").get("boundary")).isEqualTo("x");
    assertThat(
            HeaderParams.parse("text/plain; name=\"boundary=no\"; boundary = \"yes\"")
                .get("boundary"))
        .isEqualTo("yes");
    assertThat(HeaderParams.parse("text/plain; charset=\"unclosed").get("charset"))
        .isEqualTo("unclosed");
    assertThat(HeaderParams.mediaType("Text / HTML ; x=y", "text/plain")).isEqualTo("text/html");
    assertThat(HeaderParams.mediaType("garbage", "text/plain")).isEqualTo("text/plain");
  }

  @Test
  void transferEncodingsTolerateBrokenInput() {
    byte[] two = b("aGVs\nbG8=IHdv cmxk!!"); // padding in the middle (two encodings joined), stray
    // characters
    assertThat(new String(TransferEncoding.base64(two, 0, two.length), StandardCharsets.US_ASCII))
        .isEqualTo("hello world");
    byte[] noPad = b("aGk");
    assertThat(
            new String(TransferEncoding.base64(noPad, 0, noPad.length), StandardCharsets.US_ASCII))
        .isEqualTo("hi");
    byte[] junk = b("=====@@@@");
    assertThat(TransferEncoding.base64(junk, 0, junk.length)).isEmpty();
    byte[] qp = b("a=3Db=3d=\r\nc=  \nd=ZZ=");
    assertThat(
            new String(
                TransferEncoding.quotedPrintable(qp, 0, qp.length, false),
                StandardCharsets.US_ASCII))
        .isEqualTo("a=b=cd=ZZ");
  }

  @Test
  void charsets() {
    byte[] latin = {'c', 'a', 'f', (byte) 0xe9};
    assertThat(Charsets.decode(latin, "ISO-8859-1")).isEqualTo("café");
    assertThat(Charsets.decode(latin, "x-no-such-charset")).isEqualTo("caf\uFFFD");
    assertThat(Charsets.decode(latin, null))
        .isEqualTo("café"); // unlabelled, not UTF-8: one character per octet
    assertThat(Charsets.decode(b("café"), null)).isEqualTo("café");
    assertThat(Charsets.decode(b("café"), "\"utf8\"")).isEqualTo("café");
    byte[] jis = {0x1b, '$', 'B', 0x24, 0x4b, 0x1b, '(', 'B'};
    assertThat(Charsets.decode(jis, null)).isEqualTo("に");
    assertThat(Charsets.decode(new byte[] {(byte) 0x82, (byte) 0xc9}, "x-sjis")).isEqualTo("に");
  }

  // --- hostile input: within bounds, no exception ---

  static <T> T quickly(java.util.function.Supplier<T> s) {
    long t0 = System.nanoTime();
    T v = s.get();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    return v;
  }

  @Test
  void hostile_oneMebibyteHeaderLine() {
    byte[] m = b("Subject: " + "x".repeat(1 << 20) + "\r\nFrom: a@example.com\r\n\r\nbody");
    MimeReader r = new MimeReader();
    MimeEntity e = quickly(() -> r.parse(m));
    assertThat(e.headers().tooLarge()).isTrue();
    assertThat(e.headers().fields())
        .allMatch(f -> f.length() <= MailLimits.DEFAULT_MAX_LINE_LENGTH);
    assertThat(new String(m, e.bodyStart(), e.bodyEnd() - e.bodyStart(), StandardCharsets.US_ASCII))
        .isEqualTo("body");
    assertThat(r.problems()).anyMatch(p -> p.contains("header section larger than"));

    // a shorter one fits the section but not a field: cut, and said so
    byte[] m2 = b("Subject: " + "y".repeat(200_000) + "\r\n\r\nbody");
    MimeReader r2 = new MimeReader();
    HeaderSection h = quickly(() -> r2.parse(m2)).headers();
    assertThat(h.field("Subject").length()).isEqualTo(MailLimits.DEFAULT_MAX_LINE_LENGTH);
    assertThat(h.longLines()).isEqualTo(1);
    assertThat(r2.problems()).anyMatch(p -> p.contains("longer than"));
  }

  @Test
  void hostile_oneHundredThousandFields() {
    byte[] m = b("X-A: b\r\n".repeat(100_000) + "\r\nbody");
    MimeReader r = new MimeReader();
    HeaderSection h = quickly(() -> r.parse(m)).headers();
    assertThat(h.size()).isEqualTo(MailLimits.DEFAULT_MAX_FIELDS);
    assertThat(h.tooManyFields()).isTrue();
    assertThat(r.problems()).anyMatch(p -> p.contains("header fields"));
  }

  @Test
  void hostile_tenThousandNestedMultiparts() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      s.append("Content-Type: multipart/mixed; boundary=\"b")
          .append(i)
          .append("\"\r\n\r\n--b")
          .append(i)
          .append("\r\n");
    }
    s.append("Content-Type: text/plain\r\n\r\ndeepest\r\n");
    for (int i = 9_999; i >= 0; i--) {
      s.append("--b").append(i).append("--\r\n");
    }
    MimeReader r = new MimeReader();
    MimeEntity root = quickly(() -> r.parse(b(s.toString())));
    int depth = 0;
    for (MimeEntity e = root; !e.children().isEmpty(); e = e.children().get(0)) {
      depth++;
    }
    assertThat(depth).isEqualTo(MailLimits.DEFAULT_MAX_DEPTH);
    assertThat(r.parts()).isLessThanOrEqualTo(MailLimits.DEFAULT_MAX_PARTS);
    assertThat(r.problems()).anyMatch(p -> p.contains("nesting deeper"));

    // the same breadth first: 10,000 parts side by side
    String wide =
        "Content-Type: multipart/mixed; boundary=w\r\n\r\n"
            + "--w\r\n\r\nx\r\n".repeat(10_000)
            + "--w--\r\n";
    MimeReader r2 = new MimeReader();
    MimeEntity w = quickly(() -> r2.parse(b(wide)));
    assertThat(w.children()).hasSize(MailLimits.DEFAULT_MAX_PARTS - 1);
    assertThat(r2.problems()).anyMatch(p -> p.contains("more than 256 MIME parts"));

    // and nested messages
    String msgs = "Content-Type: message/rfc822\r\n\r\n".repeat(10_000) + "Subject: in\r\n\r\nbody";
    MimeReader r3 = new MimeReader();
    MimeEntity m = quickly(() -> r3.parse(b(msgs)));
    int d = 0;
    for (MimeEntity e = m; e.embedded() != null; e = e.embedded()) {
      d++;
    }
    assertThat(d).isEqualTo(MailLimits.DEFAULT_MAX_DEPTH);
  }

  @Test
  void hostile_boundaryNeverClosed() {
    String m =
        "Content-Type: multipart/mixed; boundary=open\r\n\r\n--open\r\nContent-Type: text/plain\r\n\r\n"
            + "line\r\n".repeat(100_000);
    MimeReader r = new MimeReader();
    MimeEntity root = quickly(() -> r.parse(b(m)));
    assertThat(root.children()).hasSize(1);
    assertThat(root.children().get(0).text()).startsWith("line\r\nline").endsWith("line\r\n");
    assertThat(root.epilogueStart()).isEqualTo(-1);

    // a boundary that never occurs, and a body full of "--token" lines that never repeat: the
    // guesses are bounded
    StringBuilder s = new StringBuilder("Content-Type: multipart/mixed; boundary=nowhere\r\n\r\n");
    for (int i = 0; i < 50_000; i++) {
      s.append("--t").append(i).append("\r\n");
    }
    MimeReader r2 = new MimeReader();
    assertThat(quickly(() -> r2.parse(b(s.toString()))).children()).isEmpty();
  }

  @Test
  void hostile_brokenBase64AndUnknownCharset() {
    String m =
        "Content-Type: text/plain; charset=x-unheard-of\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "!!!*** not base64 at all =\r\n===\r\nw6k=\r\n/w\r\n"
            + "@".repeat(1 << 20);
    MimeReader r = new MimeReader();
    MimeEntity e = quickly(() -> r.parse(b(m)));
    String text = quickly(e::text);
    assertThat(text).doesNotContain("@").hasSizeLessThan(100);
    List<String> none = r.problems();
    assertThat(none).isEmpty();
  }

  @Test
  void neverThrowsOnTruncations() {
    byte[] m = b(REPORT);
    for (int len = 0; len <= m.length; len++) {
      MimeReader r = new MimeReader();
      MimeEntity e = r.parse(m, 0, len);
      walk(e);
    }
  }

  static void walk(MimeEntity e) {
    e.text();
    e.headers()
        .fields()
        .forEach(
            f -> {
              f.value();
              f.decodedValue();
              AddressList.parse(f.value());
            });
    e.children().forEach(MimeReaderTest::walk);
    if (e.embedded() != null) {
      walk(e.embedded());
    }
  }
}
