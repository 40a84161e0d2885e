package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command-line contract of DESIGN.md, against a DNS server on loopback. */
class CliTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void mxJson_followsTheContract() throws Exception {
    dns.server().mx("ok.test", 10, "mx.ok.test").a("mx.ok.test", "8.8.8.8");

    CliRun r = CliRun.of("mx", "ok.test", "--dns", dns.server().hostPort(), "--json");

    assertThat(r.exit()).isEqualTo(Main.OK);
    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.at("/hosts/0/preference").asInt()).isEqualTo(10);
    assertThat(j.at("/hosts/0/name").asText()).isEqualTo("mx.ok.test");
    assertThat(j.at("/hosts/0/addresses/0").asText()).isEqualTo("8.8.8.8");
    assertThat(j.has("nullMx")).isTrue();
    assertThat(j.has("implicit")).isTrue();
    assertThat(j.at("/findings/0/severity").asText()).isEqualTo("info");
  }

  @Test
  void mxHuman_showsHostsAndFindings() {
    dns.server().mx("ok.test", 10, "mx.ok.test").a("mx.ok.test", "8.8.8.8");

    CliRun r = CliRun.of("mx", "ok.test", "--dns", dns.server().hostPort());

    assertThat(r.out())
        .contains("MX of ok.test", "mx.ok.test", "8.8.8.8", "MX_OK")
        .doesNotContain("\u001b[");
  }

  @Test
  void nullMx_exitsWithProblems() {
    dns.server().mx("nomail.test", 0, ".");

    assertThat(CliRun.of("mx", "nomail.test", "--dns", dns.server().hostPort()).exit())
        .isEqualTo(Main.PROBLEMS);
  }

  @Test
  void unanswerableDns_exitsInconclusive() {
    dns.server().fault("slow.test", DnsFault.timeout());

    CliRun r =
        CliRun.of(
            "diagnose",
            "slow.test",
            "--dns",
            dns.server().hostPort(),
            "--timeout",
            "700ms",
            "--json");

    assertThat(r.exit()).isEqualTo(Main.INCONCLUSIVE);
    assertThat(r.out()).contains("\"verdict\":\"inconclusive\"");
  }

  @Test
  void diagnoseJson_hasVerdictFindingsCausesElapsedAndTheMxReport() throws Exception {
    dns.server().mx("nomail.test", 0, ".");

    CliRun r =
        CliRun.of(
            "diagnose", "bob@nomail.test", "--dns", dns.server().hostPort(), "--no-smtp", "--json");

    assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.get("verdict").asText()).isEqualTo("undeliverable");
    assertThat(j.at("/findings/0/code").asText()).isEqualTo("MX_NULL");
    assertThat(j.at("/findings/0/check").asText()).isEqualTo("mx");
    assertThat(j.at("/likelyCauses/0/code").asText()).isEqualTo("RECIPIENT_ACCEPTS_NO_MAIL");
    assertThat(j.at("/likelyCauses/0/party").asText()).isEqualTo("sender");
    assertThat(j.get("elapsedMs").isNumber()).isTrue();
    assertThat(j.at("/mx/nullMx").asBoolean()).isTrue();
  }

  @Test
  void badInput_exitsTwoWithOneLineOnStderr() {
    CliRun r = CliRun.of("mx", "bad\u0000domain.test");

    assertThat(r.exit()).isEqualTo(Main.USAGE);
    assertThat(r.err().strip()).startsWith("maildx: invalid domain name").doesNotContain("\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void badDnsOption_exitsTwo() {
    CliRun r = CliRun.of("mx", "ok.test", "--dns", "dns.example.com:53");

    assertThat(r.exit()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("must be an IP address");
  }

  @Test
  void unknownOption_exitsTwo() {
    assertThat(CliRun.of("mx", "--frobnicate").exit()).isEqualTo(Main.USAGE);
  }

  @Test
  void dnsOption_acceptsIpv4Ipv6AndDefaultPort() {
    assertThat(NetworkOptions.server("127.0.0.1:5353").getPort()).isEqualTo(5353);
    assertThat(NetworkOptions.server("[::1]:5353").getAddress().getHostAddress())
        .isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(NetworkOptions.server("::1").getPort()).isEqualTo(53);
    assertThat(NetworkOptions.server("192.0.2.53").getPort()).isEqualTo(53);
  }

  @Test
  void timeoutOption_acceptsTheUsualForms() {
    assertThat(NetworkOptions.duration("20s").toMillis()).isEqualTo(20_000);
    assertThat(NetworkOptions.duration("500ms").toMillis()).isEqualTo(500);
    assertThat(NetworkOptions.duration("2m").toSeconds()).isEqualTo(120);
    assertThat(NetworkOptions.duration("PT1.5S").toMillis()).isEqualTo(1500);
  }

  @Test
  void demo_findsTheTarpittingGatewayWithinFiveSeconds() throws Exception {
    CliRun r = CliRun.of("demo", "--json");

    assertThat(r.exit()).isEqualTo(Main.OK);
    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.get("elapsedMs").asLong()).isLessThan(5000);
    assertThat(j.at("/smtp/hosts/0/outcome").asText()).isEqualTo("no_banner");
    assertThat(j.at("/smtp/hosts/1/outcome").asText()).isEqualTo("no_banner");
    assertThat(j.get("findings").findValuesAsText("code"))
        .contains("SMTP_TARPIT", "SMTP_NO_HOST_ACCEPTS");
    assertThat(j.get("likelyCauses").findValuesAsText("code"))
        .contains("RECIPIENT_GATEWAY_UNRESPONSIVE");
  }

  @Test
  void demo_namesTheHalfMovedMxOfTheSender() {
    CliRun r = CliRun.of("demo");

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out())
        .contains("Verdict:", "mx.oldhost.example", "MX_TARGET_NO_ADDRESS", "revenue.gov.example");
  }
}
