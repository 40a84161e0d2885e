package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maildx.testkit.MockDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The domain-policy reports in the CLI's JSON and human output. */
class PolicyCliTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private void zone() {
    dns.server()
        .zone(
            """
        $ORIGIN rcpt.test.
        @            IN MX  10 mx1
        mx1          IN A   9.9.9.1
        _smtp._tls   IN TXT "v=TLSRPTv1; rua=mailto:tls@rcpt.test"
        _25._tcp.mx1 IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        $ORIGIN in-addr.arpa.
        1.9.9.9      IN PTR mx1.rcpt.test.
        77.9.9.9     IN PTR out.sender.test.
        $ORIGIN sender.test.
        out          IN A   9.9.9.77
        @            IN MX  10 out
        default._bimi IN TXT "v=BIMI1; l=https://sender.test/logo.svg"
        """);
    dns.server()
        .a("77.9.9.9.zen.spamhaus.org", "127.0.0.4")
        .txt("77.9.9.9.zen.spamhaus.org", "listed for a test");
  }

  @Test
  void diagnoseJson_hasAnObjectPerPolicyCheck() throws Exception {
    zone();

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@rcpt.test",
            "--from",
            "alice@sender.test",
            "--ip",
            "9.9.9.77",
            "--no-smtp",
            "--dns",
            dns.server().hostPort(),
            "--json");

    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.at("/mtaSts/lookup").asText()).isEqualTo("nxdomain");
    assertThat(j.at("/mtaSts/policy").isNull()).isTrue();
    assertThat(j.at("/tlsRpt/rua/0").asText()).isEqualTo("mailto:tls@rcpt.test");
    assertThat(j.at("/dnssec/method").asText()).isEqualTo("resolver_ad_bit");
    assertThat(j.at("/dnssec/results/0/status").asText()).isEqualTo("insecure");
    assertThat(j.at("/tlsa/hosts/0/records/0/usage").asInt()).isEqualTo(3);
    assertThat(j.at("/tlsa/hosts/0/dnssec").asText()).isEqualTo("insecure");
    assertThat(j.at("/tlsa/hosts/0/daneEnabled").asBoolean()).isFalse();
    assertThat(j.at("/mxPtr/results/0/forwardConfirmed").asBoolean()).isTrue();
    assertThat(j.at("/ptr/results/0/confirmed/0").asText()).isEqualTo("out.sender.test");
    assertThat(j.at("/bimi/location").asText()).isEqualTo("https://sender.test/logo.svg");
    assertThat(j.at("/dnsbl/listed").asBoolean()).isTrue();
    assertThat(j.at("/dnsbl/results/0/meanings/0").asText()).contains("XBL");
    assertThat(j.get("findings").findValuesAsText("code"))
        .contains("DNSBL_LISTED", "TLSA_INSECURE", "TLSRPT_OK");
    assertThat(j.get("verdict").asText()).isEqualTo("at_risk");
    assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
  }

  @Test
  void diagnoseHuman_showsThePolicySections() {
    zone();

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@rcpt.test",
            "--from",
            "alice@sender.test",
            "--ip",
            "9.9.9.77",
            "--no-smtp",
            "--dns",
            dns.server().hostPort());

    assertThat(r.out())
        .contains(
            "MTA-STS of rcpt.test",
            "TLS-RPT of rcpt.test",
            "DNSSEC of rcpt.test",
            "TLSA (DANE) of the MX hosts",
            "Reverse DNS of the sending IP",
            "Blocklists",
            "LISTED 127.0.0.4",
            "BIMI of sender.test");
  }

  @Test
  void demoJson_showsTheAgencysMtaStsPolicy() throws Exception {
    CliRun r = CliRun.of("demo", "--json");

    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.at("/mtaSts/policy/mode").asText()).isEqualTo("enforce");
    assertThat(j.at("/mtaSts/httpStatus").asInt()).isEqualTo(200);
    assertThat(j.at("/mtaSts/mxNotMatching")).isEmpty();
    assertThat(j.at("/ptr/results/0/forwardConfirmed").asBoolean()).isTrue();
    assertThat(j.at("/dnsbl/listed").asBoolean()).isFalse();
    assertThat(j.at("/tlsRpt/rua/0").asText()).isEqualTo("mailto:tls-reports@revenue.gov.example");
  }
}
