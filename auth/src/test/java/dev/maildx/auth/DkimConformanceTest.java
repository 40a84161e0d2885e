package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.DkimSignature.Failure;
import dev.maildx.report.AuthReport.DkimSignature.Result;
import dev.maildx.testkit.DkimSigner;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DKIM conformance against the third-party data of {@code ../shared/corpora/dkim}: every vector of
 * {@code vectors/manifest.json} (its DNS records published on {@link MockDnsServer}, verified
 * through the DNS over real sockets) gives the expected result for each of its signatures; and
 * dkimpy's good and bad key records of {@code dkimpy-data} behave as its {@code EXPECTED.md} says,
 * with {@code test.message} signed by the test signer with dkimpy's test key in all four
 * canonicalization combinations. The counts are printed.
 */
class DkimConformanceTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  static final Path CORPUS =
      Path.of(System.getProperty("maildx.corpora", "../shared/corpora"), "dkim");

  /**
   * Every vector was signed before this and none expires; verification time is fixed so results
   * never depend on the date.
   */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);

  @RegisterExtension final MockDnsExtension dnsExtension = new MockDnsExtension();

  private DkimVerifier verifier() {
    return DkimVerifier.create(
        runtime.of(
            DiagnosticsConfig.builder()
                .dnsServer(dnsExtension.server().address())
                .timeout(Duration.ofSeconds(5))
                .clock(CLOCK)
                .build()));
  }

  static void publish(MockDnsServer dns, Path dnsTxt) throws Exception {
    if (!Files.exists(dnsTxt)) {
      return;
    }
    for (String line : Files.readAllLines(dnsTxt)) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        dns.txt(line.substring(0, tab), DkimSigner.txtStrings(line.substring(tab + 1)));
      }
    }
  }

  @Test
  void everyManifestVector_givesTheExpectedResults() throws Exception {
    Path manifest = CORPUS.resolve("vectors/manifest.json");
    Assumptions.assumeTrue(Files.exists(manifest), "corpus not found at " + manifest);
    JsonNode root = new ObjectMapper().readTree(manifest.toFile());
    int vectors = 0;
    int signatures = 0;
    int agree = 0;
    List<String> disagreements = new ArrayList<>();
    try (DkimVerifier verifier = verifier()) {
      for (JsonNode v : root.get("vectors")) {
        String dir = v.get("dir").asText();
        MockDnsServer dns = dnsExtension.server();
        dns.reset();
        publish(dns, CORPUS.resolve("vectors").resolve(dir).resolve("dns.txt"));
        List<AuthReport.DkimSignature> results =
            verifier.verify(CORPUS.resolve("vectors").resolve(dir).resolve("message.eml"));
        List<String> expected = new ArrayList<>();
        v.get("expected").forEach(e -> expected.add(e.asText()));
        vectors++;
        if (results.size() != expected.size()) {
          disagreements.add(
              dir + ": " + results.size() + " signatures, expected " + expected.size());
          continue;
        }
        for (int i = 0; i < expected.size(); i++) {
          signatures++;
          AuthReport.DkimSignature r = results.get(i);
          String want = expected.get(i);
          boolean ok =
              want.equals("pass")
                  ? r.result() == Result.PASS
                  : want.equals("fail (body hash mismatch)")
                      ? r.result() == Result.FAIL && r.failure() == Failure.BODY_HASH_MISMATCH
                      : r.result().name().equalsIgnoreCase(want);
          if (ok) {
            agree++;
          } else {
            disagreements.add(
                dir
                    + " #"
                    + (i + 1)
                    + ": "
                    + r.result()
                    + " "
                    + r.failure()
                    + " ("
                    + r.reason()
                    + "), expected "
                    + want);
          }
        }
      }
    }
    System.out.println(
        "[dkim vectors] "
            + vectors
            + " vectors, "
            + signatures
            + " signatures: "
            + agree
            + "/"
            + signatures
            + " as expected"
            + (disagreements.isEmpty() ? "" : "; differ: " + disagreements));
    assertThat(disagreements).isEmpty();
    assertThat(vectors).isEqualTo(root.get("vectors").size());
    assertThat(signatures).isGreaterThanOrEqualTo(12);
  }

  @Test
  void vectorBodyHashMismatch_reportsBothHashes() throws Exception {
    Path dir = CORPUS.resolve("vectors/rfc6376-appendix-a2-two-spaces");
    Assumptions.assumeTrue(Files.exists(dir), "corpus not found at " + dir);
    publish(dnsExtension.server(), dir.resolve("dns.txt"));
    try (DkimVerifier verifier = verifier()) {
      AuthReport.DkimSignature r = verifier.verify(dir.resolve("message.eml")).get(0);
      assertThat(r.failure()).isEqualTo(Failure.BODY_HASH_MISMATCH);
      assertThat(r.bodyHashComputed()).isNotEmpty().isNotEqualTo(r.bodyHashClaimed());
      assertThat(r.reason())
          .contains(r.bodyHashComputed(), r.bodyHashClaimed(), "signed header fields are intact");
      assertThat(r.findings().get(0).code()).isEqualTo("DKIM_BODY_HASH_MISMATCH");
      assertThat(r.findings().get(0).evidence())
          .containsEntry("bodyHashComputed", r.bodyHashComputed());
    }
  }

  /**
   * dkimpy-data/EXPECTED.md: which key record gives which result for test.message signed with
   * test.private.
   */
  @Test
  void dkimpyKeyRecords_behaveAsExpectedMd() throws Exception {
    Path data = CORPUS.resolve("dkimpy-data");
    Assumptions.assumeTrue(
        Files.exists(data.resolve("EXPECTED.md")), "corpus not found at " + data);
    PrivateKey key = DkimSigner.readPrivateKey(Files.readString(data.resolve("test.private")));
    byte[] message = Files.readAllBytes(data.resolve("test.message"));
    record Case(String record, boolean pass, String why) {}
    List<Case> cases =
        List.of(
            new Case("test.txt", true, "test_verifies"),
            new Case("test2.txt", true, "test_implicit_k"),
            new Case("badversion.txt", false, "test_bad_version"),
            new Case("badk.txt", false, "test_unknown_k"),
            new Case("test_bad.txt", false, "test_crypto"));
    int checks = 0;
    int agree = 0;
    List<String> differ = new ArrayList<>();
    try (DkimVerifier verifier = verifier()) {
      for (Case c : cases) {
        MockDnsServer dns = dnsExtension.server();
        dns.reset();
        dns.txt(
            "test._domainkey.example.com",
            DkimSigner.txtStrings(Files.readString(data.resolve(c.record)).strip()));
        for (String canon :
            List.of("simple/simple", "simple/relaxed", "relaxed/simple", "relaxed/relaxed")) {
          byte[] signed =
              DkimSigner.builder("example.com", "test", key)
                  .canonicalization(canon)
                  .build()
                  .sign(message);
          AuthReport.DkimSignature r = verifier.verify(signed).get(0);
          checks++;
          if (r.pass() == c.pass) {
            agree++;
          } else {
            differ.add(c.record + " " + canon + ": " + r.result() + " (" + r.reason() + ")");
          }
          if (!c.pass) {
            assertThat(r.result()).as(c.record).isIn(Result.PERMERROR, Result.FAIL);
          }
        }
      }
      // the other sign-then-verify checks of EXPECTED.md, on test.message with test.txt published
      MockDnsServer dns = dnsExtension.server();
      dns.reset();
      dns.txt(
          "test._domainkey.example.com",
          DkimSigner.txtStrings(Files.readString(data.resolve("test.txt")).strip()));
      String signed =
          new String(
              DkimSigner.builder("example.com", "test", key).build().sign(message),
              StandardCharsets.ISO_8859_1);
      String nl = signed.contains("\r\n") ? "\r\n" : "\n";
      record Tamper(String name, String message, boolean pass) {}
      int body = signed.indexOf(nl + nl) + 2 * nl.length();
      List<Tamper> tampers =
          List.of(
              new Tamper("unknown header added", "X-Unknown: added" + nl + signed, true),
              new Tamper(
                  "second From before (test_multiple_from_fails)",
                  "From: evil@example.org" + nl + signed,
                  false),
              new Tamper(
                  "second From after (test_multiple_from_fails)",
                  signed.substring(0, body - nl.length())
                      + "From: evil@example.org"
                      + nl
                      + signed.substring(body - nl.length()),
                  false),
              new Tamper(
                  "body altered (test_altered_body_fails)",
                  signed.substring(0, body) + "altered " + signed.substring(body),
                  false));
      for (Tamper t : tampers) {
        AuthReport.DkimSignature r =
            verifier.verify(t.message.getBytes(StandardCharsets.ISO_8859_1)).get(0);
        checks++;
        if (r.pass() == t.pass) {
          agree++;
        } else {
          differ.add(t.name + ": " + r.result() + " (" + r.reason() + ")");
        }
      }
      // ed25519: ed25519test.msg signed with the seed in ed25519test.key (test, example.net),
      // public key ed25519test.dns
      dns.reset();
      dns.txt(
          "test._domainkey.example.net", Files.readString(data.resolve("ed25519test.dns")).strip());
      PrivateKey ed =
          DkimSigner.ed25519PrivateKey(
              Base64.getDecoder()
                  .decode(Files.readString(data.resolve("ed25519test.key")).strip()));
      byte[] edMessage = Files.readAllBytes(data.resolve("ed25519test.msg"));
      for (String canon : List.of("simple/simple", "relaxed/relaxed")) {
        String edSigned =
            new String(
                DkimSigner.builder("example.net", "test", ed)
                    .canonicalization(canon)
                    .build()
                    .sign(edMessage),
                StandardCharsets.ISO_8859_1);
        AuthReport.DkimSignature ok =
            verifier.verify(edSigned.getBytes(StandardCharsets.ISO_8859_1)).get(0);
        String enl = edSigned.contains("\r\n") ? "\r\n" : "\n";
        int edBody = edSigned.indexOf(enl + enl) + 2 * enl.length();
        AuthReport.DkimSignature altered =
            verifier
                .verify(
                    (edSigned.substring(0, edBody) + "altered " + edSigned.substring(edBody))
                        .getBytes(StandardCharsets.ISO_8859_1))
                .get(0);
        checks += 2;
        agree += (ok.pass() ? 1 : 0) + (altered.result() == Result.FAIL ? 1 : 0);
        if (!ok.pass() || altered.result() != Result.FAIL) {
          differ.add(
              "ed25519 "
                  + canon
                  + ": "
                  + ok.result()
                  + " / altered "
                  + altered.result()
                  + " ("
                  + ok.reason()
                  + ")");
        }
        assertThat(ok.algorithm()).isEqualTo("ed25519-sha256");
      }
    }
    System.out.println(
        "[dkimpy-data] "
            + checks
            + " checks from EXPECTED.md: "
            + agree
            + "/"
            + checks
            + " as expected"
            + (differ.isEmpty() ? "" : "; differ: " + differ));
    assertThat(differ).isEmpty();
  }

  @Test
  void dkimpyTestNoFrom_hasNoSignatureToVerify() throws Exception {
    Path m = CORPUS.resolve("dkimpy-data/test_nofrom.message");
    Assumptions.assumeTrue(Files.exists(m), "corpus not found at " + m);
    try (DkimVerifier verifier = verifier()) {
      assertThat(verifier.verify(m)).isEmpty();
    }
    assertThat(
            new String(Files.readAllBytes(m), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT))
        .doesNotContain("\nfrom:");
  }
}
