package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code maildx spf} and the SPF part of {@code maildx diagnose}, per DESIGN.md, against a DNS
 * server on loopback.
 */
class SpfCliTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private void story() {
    dns.server()
        .txt("brightwater.test", "v=spf1 include:_spf.oldhost.test -all")
        .txt("_spf.oldhost.test", "v=spf1 ip4:192.0.2.128/25 -all")
        .mx("brightwater.test", 10, "mx.brightwater.test")
        .a("mx.brightwater.test", "8.8.8.8")
        .mx("agency.test", 10, "mx.agency.test")
        .a("mx.agency.test", "8.8.4.4");
  }

  @Test
  void spfJson_followsTheContract() throws Exception {
    story();

    CliRun r =
        CliRun.of(
            "spf",
            "203.0.113.10",
            "alice@brightwater.test",
            "--helo",
            "mail.brightwater.test",
            "--dns",
            dns.server().hostPort(),
            "--json");

    assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.get("result").asText()).isEqualTo("fail");
    assertThat(j.get("explanation").asText())
        .isEqualTo("brightwater.test does not designate 203.0.113.10 as a permitted sender");
    assertThat(j.get("matchedMechanism").asText()).isEqualTo("-all");
    assertThat(j.get("dnsLookups").asInt()).isEqualTo(1);
    assertThat(j.get("voidLookups").asInt()).isZero();
    assertThat(j.at("/trace/0/domain").asText()).isEqualTo("brightwater.test");
    assertThat(j.at("/trace/0/terms/0/term").asText()).isEqualTo("include:_spf.oldhost.test");
    assertThat(j.at("/trace/0/terms/0/outcome").asText()).isEqualTo("no_match");
    assertThat(j.at("/trace/1/depth").asInt()).isEqualTo(1);
    assertThat(j.at("/trace/1/via").asText()).isEqualTo("include");
    assertThat(j.at("/trace/1/lookup/answers/0").asText())
        .isEqualTo("v=spf1 ip4:192.0.2.128/25 -all");
    assertThat(j.at("/findings/0/code").asText()).isEqualTo("SPF_FAIL");
  }

  @Test
  void spfHuman_showsTheTraceAsATree() {
    story();

    CliRun r =
        CliRun.of(
            "spf", "203.0.113.10", "alice@brightwater.test", "--dns", dns.server().hostPort());

    assertThat(r.out())
        .contains(
            "Result: fail",
            "├─ include:_spf.oldhost.test",
            "│  _spf.oldhost.test",
            "203.0.113.10 is not in 192.0.2.128/25",
            "└─ -all",
            "SPF_FAIL")
        .doesNotContain("\u001b[");
  }

  @Test
  void spfPass_exitsZero_andTemperror_exitsThree() {
    story();
    assertThat(
            CliRun.of(
                    "spf",
                    "192.0.2.200",
                    "alice@brightwater.test",
                    "--dns",
                    dns.server().hostPort())
                .exit())
        .isEqualTo(Main.OK);

    dns.server().fault("slow.test", DnsFault.timeout());
    assertThat(
            CliRun.of(
                    "spf",
                    "192.0.2.200",
                    "a@slow.test",
                    "--dns",
                    dns.server().hostPort(),
                    "--timeout",
                    "800ms")
                .exit())
        .isEqualTo(Main.INCONCLUSIVE);
  }

  @Test
  void spfBadIp_exitsTwo() {
    CliRun r = CliRun.of("spf", "300.1.2.3", "a@b.test");

    assertThat(r.exit()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("not an IP address");
  }

  @Test
  void diagnoseWithFromAndIp_includesTheSpfReportAndItsLikelyCause() throws Exception {
    story();

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@agency.test",
            "--from",
            "alice@brightwater.test",
            "--ip",
            "203.0.113.10",
            "--no-smtp",
            "--dns",
            dns.server().hostPort(),
            "--json");

    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.at("/spf/result").asText()).isEqualTo("fail");
    assertThat(j.at("/spf/trace/1/domain").asText()).isEqualTo("_spf.oldhost.test");
    assertThat(j.get("likelyCauses").findValuesAsText("code"))
        .contains("SENDER_SPF_DOES_NOT_AUTHORIZE_IP");
    assertThat(j.get("findings").findValuesAsText("code")).contains("SPF_FAIL");
  }

  @Test
  void diagnoseWithFromButNoIp_lintsTheSendersRecordWithoutAResult() throws Exception {
    story();

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@agency.test",
            "--from",
            "alice@brightwater.test",
            "--no-smtp",
            "--dns",
            dns.server().hostPort(),
            "--json");

    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.at("/spf/result").isNull()).isTrue();
    assertThat(j.at("/spf/trace/1/domain").asText()).isEqualTo("_spf.oldhost.test");
    assertThat(j.at("/spf/findings").findValuesAsText("code")).contains("SPF_NOT_EVALUATED");
  }

  @Test
  void diagnoseWithABrokenSenderRecord_namesItAsALikelyCause() throws Exception {
    dns.server()
        .txt("broken.test", "v=spf1 ip4:192.0.2.1 include:gone.test -all")
        .mx("agency.test", 10, "mx.agency.test")
        .a("mx.agency.test", "8.8.4.4");

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@agency.test",
            "--from",
            "alice@broken.test",
            "--no-smtp",
            "--dns",
            dns.server().hostPort(),
            "--json");

    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.get("likelyCauses").findValuesAsText("code")).contains("SENDER_SPF_RECORD_BROKEN");
    assertThat(j.at("/spf/findings").findValuesAsText("code")).contains("SPF_INCLUDE_NO_RECORD");
  }
}
