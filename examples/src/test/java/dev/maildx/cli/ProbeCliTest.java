package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.SmtpPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code maildx probe} and the SMTP part of {@code maildx diagnose}: the contract of DESIGN.md,
 * against servers on loopback.
 */
class ProbeCliTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void probeJson_followsTheContract() throws Exception {
    try (MockSmtpServer smtp = MockSmtpServer.builder().hostname("mx1.example.test").build()) {
      CliRun r =
          CliRun.of(
              "probe",
              "127.0.0.1",
              "--port",
              String.valueOf(smtp.port()),
              "--rcpt",
              "bob@example.test",
              "--json");

      assertThat(r.err()).isEmpty();
      JsonNode j = CliRun.JSON.readTree(r.out());
      JsonNode h = j.at("/hosts/0");
      assertThat(h.get("name").asText()).isEqualTo("127.0.0.1");
      assertThat(h.get("address").asText()).isEqualTo("127.0.0.1");
      assertThat(h.get("port").asInt()).isEqualTo(smtp.port());
      assertThat(h.get("outcome").asText()).isEqualTo("accepted");
      assertThat(h.get("banner").asText()).startsWith("220 mx1.example.test");
      assertThat(h.get("extensions").toString())
          .contains("PIPELINING", "STARTTLS", "SIZE 10240000");
      assertThat(h.at("/tls/protocol").asText()).startsWith("TLSv1.");
      assertThat(h.at("/tls/cipher").asText()).startsWith("TLS_");
      assertThat(h.at("/tls/certificate/subject").asText()).isEqualTo("CN=mx1.example.test");
      assertThat(h.at("/tls/certificate/issuer").asText()).isEqualTo("CN=mx1.example.test");
      assertThat(h.at("/tls/certificate/notAfter").asText()).isNotEmpty();
      assertThat(h.at("/tls/certificate/hostnameMatches").asBoolean())
          .isFalse(); // probed by IP, the certificate names a host
      assertThat(h.at("/tls/certificate/trusted").asBoolean()).isFalse();
      assertThat(h.at("/rcpt/code").asInt()).isEqualTo(250);
      assertThat(h.at("/rcpt/status").asText()).isEqualTo("2.1.5");
      assertThat(h.at("/rcpt/address").asText()).isEqualTo("bob@example.test");
      assertThat(h.at("/timings/connect").isNumber()).isTrue();
      assertThat(h.at("/timings/greeting").isNumber()).isTrue();
      assertThat(h.at("/timings/tlsEhlo").isNumber()).isTrue();
      assertThat(h.at("/timings/total").isNumber()).isTrue();
      assertThat(h.at("/transcript/0/from").asText()).isEqualTo("note");
      assertThat(h.get("transcript").findValuesAsText("text"))
          .contains("RCPT TO:<bob@example.test>", "QUIT");
      assertThat(j.get("findings").findValuesAsText("code"))
          .contains("SMTP_ACCEPTED", "TLS_OK", "TLS_CERT_SELF_SIGNED");
      assertThat(smtp.sessions().get(0).sent("DATA")).isFalse();
    }
  }

  @Test
  void probeOfADomain_followsItsMxAndExitsOneWhenTheRecipientIsUnknown() throws Exception {
    try (MockSmtpServer smtp =
        MockSmtpServer.builder()
            .hostname("mx1.example.test")
            .recipient(
                "nobody@example.test",
                "550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown")
            .build()) {
      dns.server().mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.1");

      CliRun r =
          CliRun.of(
              "probe",
              "example.test",
              "--dns",
              dns.server().hostPort(),
              "--port",
              String.valueOf(smtp.port()),
              "--rcpt",
              "nobody@example.test",
              "--json");

      assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
      JsonNode j = CliRun.JSON.readTree(r.out());
      assertThat(j.at("/hosts/0/name").asText()).isEqualTo("mx1.example.test");
      assertThat(j.at("/hosts/0/outcome").asText()).isEqualTo("rcpt_rejected");
      assertThat(j.at("/hosts/0/rcpt/status").asText()).isEqualTo("5.1.1");
      assertThat(j.get("findings").findValuesAsText("code")).contains("SMTP_RCPT_USER_UNKNOWN");
    }
  }

  @Test
  void probeHuman_showsTheConversation() {
    try (MockSmtpServer smtp = MockSmtpServer.builder().hostname("mx1.example.test").build()) {
      CliRun r = CliRun.of("probe", "127.0.0.1", "--port", String.valueOf(smtp.port()));

      assertThat(r.exit()).isEqualTo(Main.OK);
      assertThat(r.out())
          .contains(
              "SMTP probe of 127.0.0.1",
              "accepted",
              "banner      220 mx1.example.test",
              "tls         TLSv1.",
              "C: EHLO [127.0.0.1]",
              "SMTP_ACCEPTED")
          .doesNotContain("\u001b[");
    }
  }

  @Test
  void blackHole_exitsWithProblemsWithinTheTimeout() throws Exception {
    try (MockSmtpServer smtp = MockSmtpServer.start(SmtpPolicy.blackHole())) {
      long t0 = System.nanoTime();
      CliRun r =
          CliRun.of(
              "probe",
              "127.0.0.1",
              "--port",
              String.valueOf(smtp.port()),
              "--timeout",
              "1500ms",
              "--json");

      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
      assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
      assertThat(CliRun.JSON.readTree(r.out()).at("/hosts/0/outcome").asText())
          .isEqualTo("no_banner");
    }
  }

  @Test
  void nothingListening_exitsInconclusive() throws Exception {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CliRun r = CliRun.of("probe", "127.0.0.1", "--port", String.valueOf(port), "--json");

    assertThat(r.exit()).isEqualTo(Main.INCONCLUSIVE);
    assertThat(CliRun.JSON.readTree(r.out()).at("/hosts/0/outcome").asText())
        .isEqualTo("connect_refused");
  }

  @Test
  void injectionInTheRecipient_exitsTwoBeforeConnecting() {
    try (MockSmtpServer smtp = MockSmtpServer.start()) {
      CliRun r =
          CliRun.of(
              "probe",
              "127.0.0.1",
              "--port",
              String.valueOf(smtp.port()),
              "--rcpt",
              "bob@example.test\r\nDATA");

      assertThat(r.exit()).isEqualTo(Main.USAGE);
      assertThat(r.err()).contains("CR (U+000D)");
      assertThat(smtp.connectionCount()).isZero();
    }
  }

  @Test
  void diagnose_probesTheRecipientsMxOnTheSmtpPort() throws Exception {
    try (MockSmtpServer smtp = MockSmtpServer.builder().hostname("mx1.example.test").build()) {
      dns.server().mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.1");

      CliRun r =
          CliRun.of(
              "diagnose",
              "bob@example.test",
              "--dns",
              dns.server().hostPort(),
              "--smtp-port",
              String.valueOf(smtp.port()),
              "--json");

      JsonNode j = CliRun.JSON.readTree(r.out());
      assertThat(j.at("/smtp/hosts/0/outcome").asText()).isEqualTo("accepted");
      assertThat(j.at("/smtp/port").asInt()).isEqualTo(smtp.port());
      assertThat(j.get("findings").findValuesAsText("code")).contains("SMTP_ACCEPTED");
    }
  }

  @Test
  void diagnoseNoSmtp_doesNotConnect() {
    try (MockSmtpServer smtp = MockSmtpServer.builder().hostname("mx1.example.test").build()) {
      dns.server().mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.1");

      CliRun r =
          CliRun.of(
              "diagnose",
              "bob@example.test",
              "--dns",
              dns.server().hostPort(),
              "--smtp-port",
              String.valueOf(smtp.port()),
              "--no-smtp",
              "--json");

      assertThat(r.out()).doesNotContain("\"smtp\"");
      assertThat(smtp.connectionCount()).isZero();
    }
  }
}
