package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maildx.testkit.DkimSigner;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code maildx auth} and {@code diagnose --message}, against a DNS server on loopback. */
class AuthCliTest {
  static KeyPair keys;
  static final String MESSAGE =
      "From: Alice <alice@corp.test>\r\nTo: bob@agency.test\r\nSubject: Invoice 42\r\nDate: Mon, 2 Mar 2026 "
          + "10:00:00 +0000\r\nMessage-ID: <i42@corp.test>\r\n\r\nPlease find the invoice attached.\r\n";

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  @TempDir Path dir;

  @BeforeAll
  static void keys() {
    keys = DkimSigner.rsaKeyPair(2048);
  }

  @BeforeEach
  void zone() {
    dns.server()
        .txt(
            "s1._domainkey.corp.test",
            DkimSigner.txtStrings(DkimSigner.keyRecord(keys.getPublic())))
        .txt("_dmarc.corp.test", "v=DMARC1; p=reject")
        .txt("corp.test", "v=spf1 ip4:203.0.113.0/24 -all");
  }

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private static String signed() {
    return DkimSigner.builder("corp.test", "s1", keys.getPrivate()).build().sign(MESSAGE);
  }

  @Test
  void passingMessage_exitsZero_andPrintsTheAuthenticationResults() throws Exception {
    Path m = write("ok.eml", signed());

    CliRun r =
        CliRun.of(
            "auth",
            m.toString(),
            "--ip",
            "203.0.113.7",
            "--helo",
            "mail.corp.test",
            "--mail-from",
            "alice@corp.test",
            "--dns",
            dns.server().hostPort());

    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(Main.OK);
    assertThat(r.out())
        .contains(
            "Authentication of " + m,
            "DKIM 1 ",
            "pass",
            "d=corp.test s=s1 rsa-sha256 relaxed/relaxed 2048-bit key",
            "SPF    pass",
            "DMARC  pass",
            "Authentication-Results: maildx;",
            "dkim=pass (2048-bit key) header.d=corp.test");
  }

  @Test
  void bodyChanged_exitsOne_andShowsBothBodyHashes() throws Exception {
    Path m =
        write(
            "body.eml",
            signed().replace("invoice attached", "invoice attached. Pay to IBAN XX00 instead"));

    CliRun human = CliRun.of("auth", m.toString(), "--dns", dns.server().hostPort());
    CliRun json = CliRun.of("auth", m.toString(), "--dns", dns.server().hostPort(), "--json");

    assertThat(human.exit()).isEqualTo(Main.PROBLEMS);
    assertThat(human.out())
        .contains(
            "fail",
            "The body changed after signing",
            "body hash computed",
            "body hash claimed",
            "DMARC  fail");
    JsonNode j = CliRun.JSON.readTree(json.out());
    assertThat(j.at("/dkim/0/result").asText()).isEqualTo("fail");
    assertThat(j.at("/dkim/0/failure").asText()).isEqualTo("body_hash_mismatch");
    assertThat(j.at("/dkim/0/bodyHashComputed").asText())
        .isNotEqualTo(j.at("/dkim/0/bodyHashClaimed").asText());
    assertThat(j.at("/dkim/0/bodyHashMatches").asBoolean()).isFalse();
    assertThat(j.at("/dmarc/result").asText()).isEqualTo("fail");
    assertThat(j.at("/dmarc/disposition").asText()).isEqualTo("reject");
    assertThat(j.at("/arc/status").asText()).isEqualTo("none");
    assertThat(j.get("authenticationResults").asText())
        .startsWith("maildx; dkim=fail reason=\"body hash did not verify\"");
    assertThat(j.at("/findings/0/severity").asText()).isEqualTo("error");
  }

  @Test
  void headerChanged_namesTheHeader() throws Exception {
    Path m =
        write(
            "subject.eml",
            signed().replace("Subject: Invoice 42", "Subject: [EXTERNAL] Invoice 42"));

    CliRun r =
        CliRun.of(
            "auth",
            m.toString(),
            "--dns",
            dns.server().hostPort(),
            "--authserv-id",
            "mx.agency.test");

    assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
    assertThat(r.out())
        .contains(
            "changed header: subject",
            "a list tag was added to the Subject",
            "header hash signed",
            "Authentication-Results: mx.agency.test;");
  }

  @Test
  void unexplainedHeaderChange_printsTheSignedHeaderBlock() throws Exception {
    Path m = write("date.eml", signed().replace("10:00:00 +0000", "10:00:01 +0000"));

    CliRun r = CliRun.of("auth", m.toString(), "--dns", dns.server().hostPort());

    assertThat(r.out())
        .contains(
            "signed header block, as hashed",
            "| date:Mon, 2 Mar 2026 10:00:01 +0000",
            "| dkim-signature:v=1;");
  }

  @Test
  void spfJson_followsTheSpfContract() throws Exception {
    Path m = write("spf.eml", signed());

    JsonNode j =
        CliRun.JSON.readTree(
            CliRun.of(
                    "auth",
                    m.toString(),
                    "--ip",
                    "198.51.100.1",
                    "--mail-from",
                    "alice@corp.test",
                    "--dns",
                    dns.server().hostPort(),
                    "--json")
                .out());

    assertThat(j.at("/spf/result").asText()).isEqualTo("fail");
    assertThat(j.at("/envelope/clientIp").asText()).isEqualTo("198.51.100.1");
    assertThat(j.at("/dmarc/result").asText()).as("DKIM still aligns").isEqualTo("pass");
    assertThat(j.at("/dmarc/dkimAligned").asText()).isEqualTo("corp.test");
  }

  @Test
  void diagnoseWithAMessage_includesTheAuthReport() throws Exception {
    Path m = write("d.eml", signed());
    dns.server().mx("agency.test", 10, "mx.agency.test").a("mx.agency.test", "8.8.8.8");

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@agency.test",
            "--message",
            m.toString(),
            "--no-smtp",
            "--dns",
            dns.server().hostPort(),
            "--json");

    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.at("/auth/dkim/0/result").asText()).isEqualTo("pass");
    assertThat(j.at("/auth/dmarc/result").asText()).isEqualTo("pass");
    assertThat(j.at("/question/message").asText()).isEqualTo(m.toString());
    assertThat(
            CliRun.of(
                    "diagnose",
                    "bob@agency.test",
                    "--message",
                    m.toString(),
                    "--no-smtp",
                    "--dns",
                    dns.server().hostPort())
                .out())
        .contains("Authentication of " + m);
  }

  @Test
  void missingFile_exitsTwo_andUnreachableDns_exitsThree() throws Exception {
    CliRun missing = CliRun.of("auth", dir.resolve("nope.eml").toString());
    assertThat(missing.exit()).isEqualTo(Main.USAGE);
    assertThat(missing.err()).startsWith("maildx: no such readable file");

    Path m = write("t.eml", signed());
    dns.server()
        .fault("s1._domainkey.corp.test", DnsFault.timeout())
        .fault("_dmarc.corp.test", DnsFault.timeout());
    CliRun slow =
        CliRun.of("auth", m.toString(), "--dns", dns.server().hostPort(), "--timeout", "800ms");
    assertThat(slow.exit()).as(slow.out()).isEqualTo(Main.INCONCLUSIVE);
  }

  @Test
  void badEnvelopeInput_exitsTwo() throws Exception {
    Path m = write("e.eml", signed());

    CliRun r = CliRun.of("auth", m.toString(), "--ip", "not-an-ip");

    assertThat(r.exit()).isEqualTo(Main.USAGE);
    assertThat(r.err()).startsWith("maildx: ").doesNotContain("\n\n");
  }
}
