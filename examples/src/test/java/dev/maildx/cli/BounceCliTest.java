package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maildx.testkit.MockDnsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code maildx bounce} and {@code diagnose --bounce}, per the CLI contract of DESIGN.md. */
class BounceCliTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  static final String DSN =
      "From: MAILER-DAEMON@mx.sender.test\nTo: alice@sender.test\nSubject: Undelivered Mail Returned to Sender\n"
          + "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
          + "--B\nContent-Type: text/plain\n\nThe mail system\n\n--B\nContent-Type: message/delivery-status\n\n"
          + "Reporting-MTA: dns; mx.sender.test\n\nFinal-Recipient: rfc822; bob@agency.test\nAction: %s\nStatus: %s\n"
          + "Remote-MTA: dns; mx.agency.test\nDiagnostic-Code: smtp; %s\n\n--B\nContent-Type: text/rfc822-headers\n\n"
          + "Message-ID: <m1@sender.test>\nFrom: alice@sender.test\nTo: bob@agency.test\nSubject: hi\n\n--B--\n";

  @Test
  void bounceJson_printsOneObjectPerMessagePerLine(@TempDir Path dir) throws Exception {
    Path a =
        Files.writeString(
            dir.resolve("a.eml"), String.format(DSN, "failed", "5.1.1", "550 5.1.1 user unknown"));
    Path b =
        Files.writeString(
            dir.resolve("b.eml"),
            String.format(DSN, "delayed", "4.4.1", "421 4.4.1 connection timed out"));
    Path c = Files.write(dir.resolve("c.eml"), new byte[] {(byte) 0xff, 0, 1});

    CliRun r = CliRun.of("bounce", a.toString(), b.toString(), c.toString(), "--json");

    assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(3);
    JsonNode j = CliRun.JSON.readTree(lines[0]);
    assertThat(j.get("source").asText()).endsWith("a.eml");
    assertThat(j.get("kind").asText()).isEqualTo("bounce");
    assertThat(j.get("reportingMta").asText()).isEqualTo("mx.sender.test");
    assertThat(j.get("originalMessageId").asText()).isEqualTo("<m1@sender.test>");
    JsonNode rc = j.at("/recipients/0");
    assertThat(rc.get("recipient").asText()).isEqualTo("bob@agency.test");
    assertThat(rc.get("action").asText()).isEqualTo("failed");
    assertThat(rc.get("status").asText()).isEqualTo("5.1.1");
    assertThat(rc.get("replyCode").asInt()).isEqualTo(550);
    // an smtp Diagnostic-Code beside a Remote-MTA quotes the remote host (RFC 3464 §2.3.6)
    assertThat(rc.get("replySource").asText()).isEqualTo("remote_host");
    assertThat(rc.get("reason").asText()).isEqualTo("userunknown");
    assertThat(rc.get("hardBounce").asBoolean()).isTrue();
    assertThat(rc.get("remoteMta").asText()).isEqualTo("mx.agency.test");
    assertThat(rc.get("diagnosticCode").asText()).isEqualTo("550 5.1.1 user unknown");
    assertThat(CliRun.JSON.readTree(lines[1]).get("kind").asText()).isEqualTo("delay");
    assertThat(CliRun.JSON.readTree(lines[2]).get("kind").asText()).isEqualTo("not_bounce");
  }

  @Test
  void bounceHuman_printsASummaryTable(@TempDir Path dir) throws Exception {
    Path a =
        Files.writeString(
            dir.resolve("a.eml"), String.format(DSN, "failed", "5.2.2", "552 5.2.2 mailbox full"));

    CliRun r = CliRun.of("bounce", a.toString());

    assertThat(r.out())
        .contains(
            "SOURCE",
            "REASON",
            "bob@agency.test",
            "5.2.2",
            "552",
            "mailboxfull",
            "Messages: 1 (1 bounce)");
  }

  @Test
  void bounce_missingFile_isAUsageError(@TempDir Path dir) {
    CliRun r = CliRun.of("bounce", dir.resolve("nope.eml").toString());

    assertThat(r.exit()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("no such file");
  }

  @Test
  void diagnoseWithADelayAndNothingElseWrong_blamesTheRecipientsGateway(@TempDir Path dir)
      throws Exception {
    dns.server().mx("agency.test", 10, "mx.agency.test").a("mx.agency.test", "8.8.8.8");
    Path d =
        Files.writeString(
            dir.resolve("d.eml"),
            String.format(
                DSN,
                "delayed",
                "4.4.7",
                "451 4.4.7 delivery temporarily suspended: connect to mx.agency.test[8.8.8.8]:25: Connection timed out"));

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@agency.test",
            "--bounce",
            d.toString(),
            "--no-smtp",
            "--dns",
            dns.server().hostPort(),
            "--json");

    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.at("/bounce/kind").asText()).isEqualTo("delay");
    assertThat(j.at("/likelyCauses/0/code").asText()).isEqualTo("RECIPIENT_NOT_ACCEPTING_YET");
    assertThat(j.at("/likelyCauses/0/party").asText()).isEqualTo("recipient_postmaster");
  }

  @Test
  void diagnoseWithBounce_includesTheBounceReport(@TempDir Path dir) throws Exception {
    Path a =
        Files.writeString(
            dir.resolve("a.eml"),
            String.format(
                DSN, "failed", "5.7.26", "550 5.7.26 DMARC policy of sender.test is reject"));

    // 127.0.0.1:9 answers nothing: the DNS checks end inconclusive quickly, the bounce is still
    // read.
    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@agency.test",
            "--bounce",
            a.toString(),
            "--no-smtp",
            "--dns",
            "127.0.0.1:9",
            "--timeout",
            "2s",
            "--json");

    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.at("/bounce/recipients/0/reason").asText()).isEqualTo("authfailure");
    assertThat(j.at("/bounce/recipients/0/party").asText()).isEqualTo("sender_dns_admin");
    assertThat(j.get("findings").toString()).contains("BOUNCE_FAILED");
  }
}
