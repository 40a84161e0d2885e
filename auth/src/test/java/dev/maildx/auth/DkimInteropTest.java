package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.DkimSignature.Result;
import dev.maildx.testkit.DkimSigner;
import dev.maildx.testkit.MockDnsServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Interoperability with dkimpy ({@code python3-dkim}, the reference implementation behind {@code
 * dkimsign} and {@code dkimverify}) in both directions, keys made by dkimpy's {@code dknewkey} and
 * served by {@link MockDnsServer} on loopback:
 *
 * <ul>
 *   <li>messages signed by {@code dkimsign} (RSA and Ed25519, every header/body canonicalization
 *       combination) verify with maildx;
 *   <li>messages signed by maildx's test signer ({@link DkimSigner}: RSA and Ed25519, simple and
 *       relaxed, with {@code l=}, {@code z=}, {@code i=}, {@code t=}/{@code x=}, over-signed From)
 *       verify with dkimpy, whose key lookups go to the same server (dkimpy's {@code dnsfunc} with
 *       dnspython pointed at its port, as {@code ../shared/INTEROP.md} describes);
 *   <li>the same messages, tampered, fail with both.
 * </ul>
 *
 * Needs {@code dkimsign}, {@code dknewkey} and {@code /usr/bin/python3} with {@code dkim} and
 * {@code dns} ({@code .ci/interop/packages.txt}).
 */
@Tag("interop")
class DkimInteropTest {
  @RegisterExtension static final TestRuntime runtime = new TestRuntime();
  static final String PYTHON = "/usr/bin/python3";
  static final List<String> MESSAGES =
      List.of(
          """
      From: Alice Example <alice@interop.test>
      To: Bob <bob@agency.test>,
      \tCarol <carol@agency.test>
      Subject: A folded
       subject line with  two  spaces
      Date: Mon, 2 Mar 2026 10:00:00 +0000
      Message-ID: <m1@interop.test>
      MIME-Version: 1.0
      Content-Type: text/plain; charset=utf-8
      Content-Transfer-Encoding: 8bit

      Grüße aus Zürich —  trailing white space here:\t\s
      \t indented line

      last line before empty lines



      """,
          """
      From: news@interop.test
      To: bob@agency.test
      Subject: multipart
      MIME-Version: 1.0
      Content-Type: multipart/alternative; boundary="b1"

      --b1
      Content-Type: text/plain

      Plain part.
      --b1
      Content-Type: text/html

      <p>HTML   part.</p>
      --b1--
      """,
          "From: empty-body@interop.test\nTo: bob@agency.test\nSubject: no body\n\n");

  static Path dir;
  static MockDnsServer dns;
  static PrivateKey rsaKey;
  static PrivateKey edKey;

  @BeforeAll
  static void keys() throws Exception {
    dir = Files.createTempDirectory("maildx-dkim-interop-");
    dns = MockDnsServer.start();
    run(List.of("dknewkey", "rsa1"), null);
    run(List.of("dknewkey", "--ktype", "ed25519", "ed1"), null);
    dns.txt(
        "rsa1._domainkey.interop.test",
        DkimSigner.txtStrings(Files.readString(dir.resolve("rsa1.dns")).strip()));
    dns.txt("ed1._domainkey.interop.test", Files.readString(dir.resolve("ed1.dns")).strip());
    rsaKey = DkimSigner.readPrivateKey(Files.readString(dir.resolve("rsa1.key")));
    edKey =
        DkimSigner.ed25519PrivateKey(
            Base64.getDecoder().decode(Files.readString(dir.resolve("ed1.key")).strip()));
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
    }
  }

  static byte[] run(List<String> command, byte[] stdin) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.log").toFile()))
            .start();
    if (stdin != null) {
      p.getOutputStream().write(stdin);
    }
    p.getOutputStream().close();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as(String.join(" ", command) + ": " + Files.readString(dir.resolve("stderr.log")))
        .isZero();
    return out;
  }

  private static DkimVerifier verifier() {
    return DkimVerifier.create(
        runtime.of(
            DiagnosticsConfig.builder()
                .dnsServer(dns.address())
                .timeout(Duration.ofSeconds(10))
                .build()));
  }

  @Test
  void messagesSignedByDkimsign_verifyWithMaildx() throws Exception {
    int checked = 0;
    List<String> differ = new ArrayList<>();
    try (DkimVerifier verifier = verifier()) {
      for (String text : MESSAGES) {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        for (String alg : List.of("rsa-sha256", "ed25519-sha256")) {
          for (String h : List.of("simple", "relaxed")) {
            for (String b : List.of("simple", "relaxed")) {
              String sel = alg.startsWith("rsa") ? "rsa1" : "ed1";
              byte[] signed =
                  run(
                      List.of(
                          "dkimsign",
                          "--hcanon",
                          h,
                          "--bcanon",
                          b,
                          "--signalg",
                          alg,
                          sel,
                          "interop.test",
                          sel + ".key"),
                      message);
              List<AuthReport.DkimSignature> r = verifier.verify(signed);
              checked++;
              if (r.size() != 1 || r.get(0).result() != Result.PASS) {
                differ.add(alg + " " + h + "/" + b + ": " + r);
              } else {
                assertThat(r.get(0).algorithm()).isEqualTo(alg);
                assertThat(
                        r.get(0).headerCanonicalization() + "/" + r.get(0).bodyCanonicalization())
                    .isEqualTo(h + "/" + b);
              }
              byte[] tampered =
                  new String(signed, StandardCharsets.UTF_8)
                      .replace("Subject: ", "Subject: [list] ")
                      .getBytes(StandardCharsets.UTF_8);
              assertThat(verifier.verify(tampered).get(0).result())
                  .as("tampered " + alg + " " + h + "/" + b)
                  .isEqualTo(Result.FAIL);
            }
          }
        }
      }
    }
    System.out.println(
        "[dkim interop] dkimsign -> maildx: "
            + (checked - differ.size())
            + "/"
            + checked
            + " verify"
            + (differ.isEmpty() ? "" : "; differ: " + differ));
    assertThat(differ).isEmpty();
  }

  @Test
  void messagesSignedByMaildxsSigner_verifyWithDkimpy() throws Exception {
    Map<Path, String> expected = new LinkedHashMap<>();
    int n = 0;
    for (String text : MESSAGES) {
      for (boolean ed : List.of(false, true)) {
        for (String canon :
            List.of("simple/simple", "relaxed/relaxed", "relaxed/simple", "simple/relaxed")) {
          DkimSigner.Builder b =
              DkimSigner.builder("interop.test", ed ? "ed1" : "rsa1", ed ? edKey : rsaKey)
                  .canonicalization(canon);
          if (n % 3 == 0) {
            b.bodyLength().copyHeaders();
          }
          if (n % 3 == 1) {
            b.identity("alice@mail.interop.test")
                .timestamp(Instant.now().minusSeconds(60))
                .expiration(Instant.now().plusSeconds(86400));
          }
          String signed = b.build().sign(text.replace("\n", "\r\n"));
          Path ok = dir.resolve("maildx-" + n + ".eml");
          Files.writeString(ok, signed, StandardCharsets.UTF_8);
          expected.put(ok, "pass");
          Path bad = dir.resolve("maildx-" + n + "-tampered.eml");
          Files.writeString(
              bad, signed.replace("To: ", "To: mallory@evil.test, "), StandardCharsets.UTF_8);
          expected.put(bad, "fail");
          n++;
        }
      }
    }
    Path script = dir.resolve("dkimpy-verify.py");
    try (InputStream in = DkimInteropTest.class.getResourceAsStream("dkimpy-verify.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> command =
        new ArrayList<>(
            List.of(PYTHON, script.toString(), "127.0.0.1", String.valueOf(dns.port())));
    expected.keySet().forEach(p -> command.add(p.toString()));
    String out = new String(run(command, null), StandardCharsets.UTF_8);
    int agree = 0;
    List<String> differ = new ArrayList<>();
    try (DkimVerifier verifier = verifier()) {
      for (String line : out.strip().split("\n")) {
        String[] parts = line.strip().split(" ");
        Path file = Path.of(parts[0]);
        String want = expected.get(file);
        String dkimpy = parts.length > 1 ? parts[1] : "none";
        String maildx = verifier.verify(file).get(0).pass() ? "pass" : "fail";
        if (dkimpy.equals(want) && maildx.equals(want)) {
          agree++;
        } else {
          differ.add(
              file.getFileName()
                  + ": expected "
                  + want
                  + ", dkimpy "
                  + dkimpy
                  + ", maildx "
                  + maildx);
        }
      }
    }
    System.out.println(
        "[dkim interop] maildx signer -> dkimpy: "
            + agree
            + "/"
            + expected.size()
            + " as expected ("
            + n
            + " signed, "
            + n
            + " tampered)"
            + (differ.isEmpty() ? "" : "; differ: " + differ));
    assertThat(differ).isEmpty();
    assertThat(agree).isEqualTo(expected.size());
  }
}
