package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.DkimSignature.Result;
import dev.maildx.testkit.DkimSigner;
import dev.maildx.testkit.MockDnsExtension;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canonicalization streams: verifying a 25 MiB message (two signatures, simple and relaxed)
 * allocates a small, fixed amount on the verifying thread — the body is hashed as it is read and
 * never held — measured with {@code ThreadMXBean.getThreadAllocatedBytes}.
 */
class DkimStreamingTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  static final int BODY_MIB = 25;

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void a25MiBMessage_isVerifiedWithoutHoldingItsBody(@TempDir Path dir) throws Exception {
    KeyPair keys = DkimSigner.rsaKeyPair(2048);
    dns.server()
        .txt(
            "big._domainkey.example.test",
            DkimSigner.txtStrings(DkimSigner.keyRecord(keys.getPublic())));
    Path file = dir.resolve("big.eml");
    writeSigned(file, keys);
    long size = Files.size(file);
    assertThat(size).isGreaterThan(BODY_MIB * (1L << 20));

    // through reflection: the test is compiled into the auth module, which does not read
    // java.management
    Object mx =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    Method allocatedBytes =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getCurrentThreadAllocatedBytes");
    try (DkimVerifier verifier =
        DkimVerifier.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns.server().address())
                    .timeout(Duration.ofSeconds(20))
                    .build()))) {
      verifier.verify(file); // warm up: class loading, JIT
      long before = (long) allocatedBytes.invoke(mx);
      List<AuthReport.DkimSignature> results = verifier.verify(file);
      long allocated = (long) allocatedBytes.invoke(mx) - before;

      assertThat(results)
          .extracting(AuthReport.DkimSignature::result)
          .containsExactly(Result.PASS, Result.PASS);
      assertThat(results.get(1).bodyCanonicalization()).isEqualTo("simple");
      assertThat(results.get(1).canonicalBodyBytes()).isGreaterThan(BODY_MIB * (1L << 20));
      System.out.println(
          "[dkim streaming] "
              + size
              + " octets verified (2 signatures, simple and relaxed) with "
              + allocated
              + " bytes allocated on the verifying thread ("
              + String.format("%.2f", 100.0 * allocated / size)
              + " % of the message)");
      assertThat(allocated)
          .as("bytes allocated to verify a %d-byte message", size)
          .isLessThan(2L << 20);
    }
  }

  /**
   * A 25 MiB message written line by line, signed twice over its full body (the signer sees it in
   * memory once, here in the test).
   */
  static void writeSigned(Path file, KeyPair keys) throws Exception {
    StringBuilder body = new StringBuilder(BODY_MIB * (1 << 20) + 4096);
    String line =
        "Lorem ipsum dolor sit amet,  consectetur adipiscing elit, sed do eiusmod tempor \t incididunt ut labore.  ";
    int n = 0;
    while (body.length() < BODY_MIB * (1 << 20) + 1000) {
      body.append(n++ % 100 == 0 ? "" : line).append("\r\n");
    }
    String message =
        "From: big@example.test\r\nTo: bob@agency.test\r\nSubject: large\r\nMIME-Version: 1.0\r\n\r\n"
            + body;
    byte[] signed = message.getBytes(StandardCharsets.ISO_8859_1);
    signed =
        DkimSigner.builder("example.test", "big", keys.getPrivate())
            .canonicalization("simple/simple")
            .build()
            .sign(signed);
    signed =
        DkimSigner.builder("example.test", "big", keys.getPrivate())
            .canonicalization("relaxed/relaxed")
            .build()
            .sign(signed);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(signed);
    }
  }
}
