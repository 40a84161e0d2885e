package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code maildx mx} against a real authoritative server: NSD serving {@code .ci/interop/zones} on
 * 127.0.0.1:5353 and [::1]:5353, started by {@code .ci/run} (see the README).
 */
@Tag("interop")
class MxInteropTest {
  private static final String NSD = System.getProperty("maildx.interop.nsd", "127.0.0.1:5353");

  private static JsonNode mx(String domain, String server) throws Exception {
    CliRun r = CliRun.of("mx", domain, "--dns", server, "--json", "--timeout", "5s");
    assertThat(r.err()).isEmpty();
    return CliRun.JSON.readTree(r.out());
  }

  @Test
  void mxOfExampleTest_listsBothHostsWithTheirAddresses() throws Exception {
    JsonNode r = mx("example.test", NSD);

    assertThat(r.get("hosts")).hasSize(2);
    assertThat(r.at("/hosts/0/name").asText()).isEqualTo("mx1.example.test");
    assertThat(r.at("/hosts/0/preference").asInt()).isEqualTo(10);
    assertThat(r.at("/hosts/0/addresses/0").asText()).isEqualTo("127.0.0.1");
    assertThat(r.at("/hosts/1/name").asText()).isEqualTo("mx2.example.test");
    assertThat(r.at("/hosts/1/addresses/0").asText()).isEqualTo("::1");
    assertThat(r.get("nullMx").asBoolean()).isFalse();
  }

  @Test
  void overIpv6Transport_givesTheSameHosts() throws Exception {
    JsonNode r = mx("example.test", "[::1]:5353");

    assertThat(r.at("/hosts/0/name").asText()).isEqualTo("mx1.example.test");
  }

  @Test
  void nullMx_cnameTarget_implicitMx_andMissingHost_asNsdServesThem() throws Exception {
    assertThat(mx("nullmx.example.test", NSD).get("nullMx").asBoolean()).isTrue();
    assertThat(mx("alias.example.test", NSD).get("findings").findValuesAsText("code"))
        .contains("MX_TARGET_CNAME");
    assertThat(mx("implicit.example.test", NSD).get("implicit").asBoolean()).isTrue();
    assertThat(mx("gone.example.test", NSD).get("findings").findValuesAsText("code"))
        .contains("MX_TARGET_NO_ADDRESS");
    assertThat(mx("nope.example.test", NSD).get("findings").findValuesAsText("code"))
        .contains("MX_NXDOMAIN");
  }

  @Test
  void exitCodeIsOneWhenProblemsAreFound() {
    assertThat(CliRun.of("mx", "example.test", "--dns", NSD).exit()).isEqualTo(Main.PROBLEMS);
  }
}
