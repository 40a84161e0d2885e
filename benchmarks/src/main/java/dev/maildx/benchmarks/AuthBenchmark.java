package dev.maildx.benchmarks;

import dev.maildx.auth.internal.MessageVerification;
import dev.maildx.auth.internal.SignatureVerifier;
import dev.maildx.auth.internal.StaticKeySource;
import dev.maildx.report.AuthReport;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.DkimSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DKIM verification of received messages with the keys cached in memory (an in-memory key source,
 * so that only maildx's own work is measured): a typical 20 KiB message (multipart/alternative, 15
 * header fields) with two RSA-2048 signatures, relaxed/relaxed — an ESP's and the author domain's —
 * read, canonicalized, hashed and verified; and a 25 MiB message (one signature) to show that the
 * body streams: run with {@code -prof gc} and compare {@code gc.alloc.rate.norm} with the message
 * size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuthBenchmark {
  private static final MessageVerification.Limits LIMITS =
      new MessageVerification.Limits(64L << 20, 1 << 20, 10);

  private byte[] typical;
  private byte[] large;
  private StaticKeySource keys;
  private SignatureVerifier.Settings settings;

  /** Signs the messages and caches the keys. */
  @Setup(Level.Trial)
  public void setUp() {
    KeyPair esp = DkimSigner.rsaKeyPair(2048);
    KeyPair own = DkimSigner.rsaKeyPair(2048);
    keys =
        new StaticKeySource(
            Map.of(
                "s2048._domainkey.esp.bench.test",
                DkimSigner.keyRecord(esp.getPublic()),
                "sel1._domainkey.bench.test",
                DkimSigner.keyRecord(own.getPublic())),
            "auth");
    settings = new SignatureVerifier.Settings(Instant.now(), Duration.ofMinutes(5), true, "auth");
    byte[] m = message(20 * 1024);
    m = DkimSigner.builder("esp.bench.test", "s2048", esp.getPrivate()).build().sign(m);
    typical = DkimSigner.builder("bench.test", "sel1", own.getPrivate()).build().sign(m);
    large =
        DkimSigner.builder("bench.test", "sel1", own.getPrivate()).build().sign(message(25 << 20));
    check(typical, 2);
    check(large, 1);
  }

  private void check(byte[] message, int signatures) {
    List<AuthReport.DkimSignature> r = verify(message);
    if (r.size() != signatures || !r.stream().allMatch(AuthReport.DkimSignature::pass)) {
      throw new IllegalStateException("benchmark message does not verify: " + r);
    }
  }

  /** A message of about {@code size} octets: realistic header fields, a text and an HTML part. */
  static byte[] message(int size) {
    StringBuilder b = new StringBuilder();
    b.append(
        "Received: from mta-out-12.esp.bench.test (mta-out-12.esp.bench.test [192.0.2.45])\r\n\tby mx1.agency.test (Postfix) with "
            + "ESMTPS id 4Xb3kQ2Lz9z1\r\n\tfor <bob@agency.test>; Mon,  2 Mar 2026 10:00:05 +0000 (UTC)\r\n");
    b.append("Return-Path: <bounce-8231-bob=agency.test@esp.bench.test>\r\n");
    b.append(
        "From: \"Bench Newsletter\" <news@bench.test>\r\nReply-To: support@bench.test\r\nTo: bob@agency.test\r\n");
    b.append("Subject: Your March statement is ready\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n");
    b.append("Message-ID: <20260302100000.8231.abcdef@esp.bench.test>\r\nMIME-Version: 1.0\r\n");
    b.append(
        "List-Unsubscribe: <mailto:unsub-8231@esp.bench.test>, <https://esp.bench.test/u/8231>\r\n");
    b.append(
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nX-Mailer: BenchMailer 4.2\r\nX-Campaign: march-statement\r\n");
    b.append("Content-Type: multipart/alternative; boundary=\"b1_8231\"\r\n\r\n");
    String text =
        "Dear customer,  your statement for March is ready. Sign in to see the details of every transaction.\t\r\n";
    String html =
        "<p style=\"font-family:Arial,sans-serif;font-size:14px\">Dear customer, your statement for March is <b>ready</b>.</p>\r\n";
    b.append(
        "--b1_8231\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
    int half = size / 2;
    while (b.length() < half) {
      b.append(text);
    }
    b.append(
        "\r\n--b1_8231\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
    while (b.length() < size - 20) {
      b.append(html);
    }
    b.append("\r\n--b1_8231--\r\n");
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private List<AuthReport.DkimSignature> verify(byte[] message) {
    try {
      MessageVerification m =
          MessageVerification.read(
              new ByteArrayInputStream(message),
              LIMITS,
              keys,
              Deadline.after(Duration.ofSeconds(5)));
      return m.verify(settings).join().dkim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A typical 20 KiB message with two RSA-2048 signatures.
   *
   * @return the results
   */
  @Benchmark
  public List<AuthReport.DkimSignature> verifyTypical20KiBTwoRsa2048() {
    return verify(typical);
  }

  /**
   * A 25 MiB message with one signature: streaming; see gc.alloc.rate.norm with -prof gc.
   *
   * @return the results
   */
  @Benchmark
  @Warmup(iterations = 1, time = 2)
  @Measurement(iterations = 3, time = 3)
  public List<AuthReport.DkimSignature> verify25MiB() {
    return verify(large);
  }
}
