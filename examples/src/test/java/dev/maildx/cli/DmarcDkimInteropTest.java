package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code maildx dmarc} and {@code maildx dkim} against a real authoritative server: NSD serving
 * {@code .ci/interop/zones/dmarc.test.zone} on 127.0.0.1:5353, started by {@code .ci/run}. NSD
 * answers NXDOMAIN/NODATA with its SOA, joins nothing for us (character-strings arrive split), and
 * refuses names outside its zones ({@code _dmarc.test}), as an authoritative server does.
 */
@Tag("interop")
class DmarcDkimInteropTest {
  private static final String NSD = System.getProperty("maildx.interop.nsd", "127.0.0.1:5353");

  private static JsonNode run(String... args) throws Exception {
    String[] all = new String[args.length + 5];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(
        new String[] {"--dns", NSD, "--json", "--timeout", "5s"}, 0, all, args.length, 5);
    CliRun r = CliRun.of(all);
    assertThat(r.err()).isEmpty();
    return CliRun.JSON.readTree(r.out());
  }

  @Test
  void organizationalRecord_splitOverCharacterStrings_appliesToAnExistingSubdomainWithSp()
      throws Exception {
    JsonNode r = run("dmarc", "www.dmarc.test");

    assertThat(r.get("policyDomain").asText()).isEqualTo("dmarc.test");
    assertThat(r.get("policy").asText()).isEqualTo("quarantine");
    assertThat(r.get("domainExists").asBoolean()).isTrue();
    assertThat(r.at("/record/rua/1").asText()).isEqualTo("mailto:reports@vendor.dmarc.test");
    assertThat(r.get("organizationalDomain").asText()).isEqualTo("dmarc.test");
    assertThat(r.get("findings").findValuesAsText("code"))
        .contains("DMARC_INHERITED")
        .doesNotContain("DMARC_LOOKUP_FAILED");
  }

  @Test
  void nonExistentSubdomain_getsNp_fromNsdsNxdomain() throws Exception {
    JsonNode r = run("dmarc", "spoofed.dmarc.test");

    assertThat(r.get("domainExists").asBoolean()).isFalse();
    assertThat(r.get("policy").asText()).isEqualTo("reject");
  }

  @Test
  void psdN_makesTheSubdomainItsOwnOrganizationalDomain() throws Exception {
    JsonNode r = run("dmarc", "mail.team.dmarc.test");

    assertThat(r.get("organizationalDomain").asText()).isEqualTo("team.dmarc.test");
    assertThat(r.get("policyDomain").asText()).isEqualTo("team.dmarc.test");
    assertThat(r.get("pslOrganizationalDomain").asText()).isEqualTo("dmarc.test");
    assertThat(r.get("methodsAgree").asBoolean()).isFalse();
  }

  @Test
  void dkimKeys_asNsdServesThem() throws Exception {
    JsonNode r =
        run("dkim", "dmarc.test", "--selector", "rsa", "--selector", "ed", "--selector", "old");

    assertThat(r.at("/selectors/0/key/bits").asInt()).isEqualTo(1024);
    assertThat(r.at("/selectors/1/key/keyType").asText()).isEqualTo("ed25519");
    assertThat(r.at("/selectors/2/key/revoked").asBoolean()).isTrue();
    assertThat(r.get("findings").findValuesAsText("code"))
        .contains(
            "DKIM_KEYS_FOUND", "DKIM_KEY_WEAK", "DKIM_KEY_REVOKED", "DKIM_CNAME_TARGET_MISSING");
  }
}
