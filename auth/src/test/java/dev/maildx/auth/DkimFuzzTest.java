package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.maildx.DomainName;
import dev.maildx.auth.internal.BodyHasher;
import dev.maildx.auth.internal.DkimSignature;
import dev.maildx.auth.internal.DkimTags;
import dev.maildx.auth.internal.MessageVerification;
import dev.maildx.auth.internal.SignatureVerifier;
import dev.maildx.auth.internal.StaticKeySource;
import dev.maildx.internal.mail.AddressList;
import dev.maildx.internal.mail.EncodedWords;
import dev.maildx.internal.mail.HeaderField;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.DkimSignature.Failure;
import dev.maildx.report.AuthReport.DkimSignature.Result;
import dev.maildx.spi.Deadline;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Fuzz targets for DKIM verification of untrusted messages. Each asserts the contract: never an
 * exception, bounded time, and results that are consistent with themselves — a well-formed
 * signature has every required tag, a pass has a matching body hash, every signature gets exactly
 * one result, the same message gives the same results twice, and the streaming canonicalization
 * does not depend on how the body is cut into chunks.
 *
 * <p>{@code ./mvnw verify} replays the seeds in {@code
 * src/test/resources/dev/maildx/auth/DkimFuzzTestInputs} (messages signed with the keys below);
 * {@code .ci/fuzz} fuzzes. Seed files are in the format Jazzer's mutators read for one {@code
 * String} parameter: a byte 1 (not null), the length as a 4-byte big-endian integer, then the UTF-8
 * octets.
 */
class DkimFuzzTest {
  private static final long MAX_NANOS = 2_000_000_000L;

  /**
   * The keys the seed messages were signed with (selector sel: RSA-1024, selector ed: Ed25519,
   * domain example.test).
   */
  private static final StaticKeySource KEYS =
      new StaticKeySource(
          Map.of(
              "sel._domainkey.example.test",
              "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCWVVhEWv0TjBwX3diG8RVsMCeod7ZWbdGPS2ryoi2HeEBOm"
                  + "ttwNLLXu7ugscYmP8z02G2gdZ1r340xLUUhSxozwfQz9uqa54hgI9KZy/SmgCftD9DkugPmZ3ok18YMLQe5l8vKQgzX9HGJrXQDhUDs8OiuFJEckDBV1EdzdRp5UwIDAQAB",
              "ed._domainkey.example.test",
              "v=DKIM1; k=ed25519; p=l9ZUqRDE4EfbRZQAvcpeNaNWUbnqXLGmJurRtFNP9hM="),
          "auth");

  private static final MessageVerification.Limits LIMITS =
      new MessageVerification.Limits(1 << 20, 256 * 1024, 10);
  private static final SignatureVerifier.Settings SETTINGS =
      new SignatureVerifier.Settings(
          Instant.parse("2026-03-02T10:00:00Z"), Duration.ofMinutes(5), true, "auth");

  /** Chars as octets: every byte value is reachable from a String input. */
  private static byte[] octets(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) s.charAt(i);
    }
    return b;
  }

  @FuzzTest(maxDuration = "5m")
  void signatureTags(String input) {
    if (input == null) {
      return;
    }
    long t0 = System.nanoTime();
    DkimTags tags = DkimTags.parse(input);
    for (DkimTags.Tag t : tags.tags()) {
      assertThat(t.eq()).isBetween(0, input.length() - 1);
      assertThat(input.charAt(t.eq())).isEqualTo('=');
      assertThat(t.end()).isBetween(t.eq() + 1, input.length());
    }
    if (tags.problem() == null) {
      assertThat(tags.tags()).allMatch(t -> t.name().matches("[A-Za-z][A-Za-z0-9_]*"));
      assertThat(tags.tags().stream().map(DkimTags.Tag::name).distinct().count())
          .isEqualTo(tags.tags().size());
    }
    HeaderField field =
        HeaderField.of("DKIM-Signature:" + input.replace("\r", "").replace("\n", "\r\n "));
    DkimSignature sig = DkimSignature.parse(DkimSignature.Kind.DKIM, 1, field);
    DkimSignature ams = DkimSignature.parse(DkimSignature.Kind.AMS, 1, field);
    assertThat(System.nanoTime() - t0).isLessThan(MAX_NANOS);
    if (sig.failure() == null) {
      DkimTags parsed = DkimTags.parse(field.rawValue());
      assertThat(parsed.problem()).isNull();
      for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
        assertThat(parsed.get(required)).as(required).isNotNull();
      }
      assertThat(parsed.get("v")).isEqualTo("1");
      assertThat(DomainName.isValid(parsed.get("d"))).isTrue();
      assertThat(
              Arrays.stream(DkimTags.compact(parsed.get("h")).split(":"))
                  .anyMatch(n -> n.equalsIgnoreCase("from")))
          .isTrue();
    } else {
      assertThat(sig.reason()).isNotBlank();
    }
    if (ams.failure() == null) {
      assertThat(ams.instance()).isBetween(1, 50);
    }
  }

  @FuzzTest(maxDuration = "5m")
  void message(String input) throws Exception {
    if (input == null) {
      return;
    }
    byte[] bytes = octets(input);
    long t0 = System.nanoTime();
    MessageVerification m =
        MessageVerification.read(
                new ByteArrayInputStream(bytes),
                LIMITS,
                KEYS,
                Deadline.after(Duration.ofSeconds(5)))
            .reopenWith(() -> new ByteArrayInputStream(bytes));
    MessageVerification.Verified v = m.verify(SETTINGS).join();
    assertThat(System.nanoTime() - t0).isLessThan(MAX_NANOS);
    long fields =
        m.headers().fields().stream().filter(f -> f.lowerName().equals("dkim-signature")).count();
    assertThat(v.dkim()).hasSize((int) fields);
    for (int i = 0; i < v.dkim().size(); i++) {
      AuthReport.DkimSignature r = v.dkim().get(i);
      assertThat(r.index()).isEqualTo(i + 1);
      assertThat(r.reason()).isNotBlank();
      assertThat(r.findings()).isNotEmpty();
      assertThat(r.result() == Result.PASS).isEqualTo(r.failure() == Failure.NONE);
      if (r.pass()) {
        assertThat(r.bodyHashMatches()).isTrue();
      }
      if (r.failure() == Failure.BODY_HASH_MISMATCH) {
        assertThat(r.bodyHashComputed()).isNotEqualTo(r.bodyHashClaimed());
      }
    }
    boolean arcFields =
        m.headers().fields().stream()
            .anyMatch(
                f ->
                    List.of("arc-seal", "arc-message-signature", "arc-authentication-results")
                        .contains(f.lowerName()));
    assertThat(v.arc().status() == AuthReport.Arc.ChainStatus.NONE).isEqualTo(!arcFields);
    assertThat(m.messageBytes()).isEqualTo(Math.min(bytes.length, LIMITS.maxMessageBytes()));
    // deterministic
    MessageVerification again =
        MessageVerification.read(
            new ByteArrayInputStream(bytes), LIMITS, KEYS, Deadline.after(Duration.ofSeconds(5)));
    assertThat(again.verify(SETTINGS).join().dkim())
        .extracting(AuthReport.DkimSignature::result)
        .containsExactlyElementsOf(
            v.dkim().stream().map(AuthReport.DkimSignature::result).toList());
  }

  @FuzzTest(maxDuration = "5m")
  void bodyCanonicalization(String input) {
    if (input == null) {
      return;
    }
    byte[] body = octets(input);
    BodyHasher whole = hasher();
    whole.update(body, 0, body.length);
    whole.finish();
    // the same body cut into pieces whose sizes come from the input itself, including 1-octet
    // pieces at every CR and LF
    BodyHasher pieces = hasher();
    int i = 0;
    int k = 0;
    while (i < body.length) {
      int len = body[i] == '\r' || body[i] == '\n' ? 1 : 1 + ((body[k++ % body.length] & 0xff) % 7);
      len = Math.min(len, body.length - i);
      pieces.update(body, i, len);
      i += len;
    }
    pieces.finish();
    for (int h = 0; h < 4; h++) {
      assertThat(pieces.digest(h)).isEqualTo(whole.digest(h));
    }
    for (BodyHasher.Canon c : BodyHasher.Canon.values()) {
      assertThat(pieces.canonicalLength(c)).isEqualTo(whole.canonicalLength(c));
    }
    // and both agree with a plain line-by-line reading of RFC 6376 §3.4.3 and §3.4.4
    for (boolean relaxed : new boolean[] {false, true}) {
      byte[] reference = reference(body, relaxed);
      assertThat(
              whole.canonicalLength(relaxed ? BodyHasher.Canon.RELAXED : BodyHasher.Canon.SIMPLE))
          .isEqualTo(reference.length);
      assertThat(whole.digest(relaxed ? 1 : 0)).isEqualTo(sha256(reference));
    }
    assertThat(whole.canonicalLength(BodyHasher.Canon.SIMPLE)).isGreaterThanOrEqualTo(2);
    assertThat(whole.canonicalLength(BodyHasher.Canon.RELAXED))
        .isLessThanOrEqualTo(Math.max(2, whole.canonicalLength(BodyHasher.Canon.SIMPLE)));
  }

  /**
   * The canonical body the simple way: split into lines at LF (dropping one CR before it), then the
   * RFC's steps per line.
   */
  static byte[] reference(byte[] body, boolean relaxed) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    List<String> lines = new java.util.ArrayList<>(List.of(text.split("\n", -1)));
    if (text.endsWith("\n") || text.isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.endsWith("\r") && (i < lines.size() - 1 || text.endsWith("\n"))) {
        l = l.substring(0, l.length() - 1);
      }
      if (relaxed) {
        l = l.replaceAll("[ \t]+", " ");
        if (l.endsWith(" ")) {
          l = l.substring(0, l.length() - 1);
        }
      }
      lines.set(i, l);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    StringBuilder out = new StringBuilder();
    lines.forEach(l -> out.append(l).append("\r\n"));
    if (!relaxed && out.length() == 0) {
      out.append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BodyHasher hasher() {
    BodyHasher h = new BodyHasher();
    h.request(BodyHasher.Canon.SIMPLE, "SHA-256", -1);
    h.request(BodyHasher.Canon.RELAXED, "SHA-256", -1);
    h.request(BodyHasher.Canon.SIMPLE, "SHA-256", 10);
    h.request(BodyHasher.Canon.RELAXED, "SHA-1", 3);
    return h;
  }

  @FuzzTest(maxDuration = "5m")
  void fromHeader(String input) {
    if (input == null) {
      return;
    }
    long t0 = System.nanoTime();
    List<AddressList.Mailbox> boxes = AddressList.parse(input);
    String decoded = EncodedWords.decode(input);
    assertThat(System.nanoTime() - t0).isLessThan(MAX_NANOS);
    assertThat(boxes.size()).isLessThanOrEqualTo(AddressList.MAX_MAILBOXES);
    for (AddressList.Mailbox b : boxes) {
      assertThat(b.address()).isNotEmpty();
      if (b.domain() != null) {
        assertThat(DomainName.isValid(b.domain().ascii())).isTrue();
        assertThat(b.address()).contains("@");
      }
    }
    assertThat(decoded).isNotNull();
    assertThat(new String(octets(decoded), StandardCharsets.ISO_8859_1)).isNotNull();
  }
}
