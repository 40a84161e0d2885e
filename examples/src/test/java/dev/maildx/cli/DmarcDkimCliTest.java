package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code maildx dmarc}, {@code maildx dkim}, and their parts of {@code diagnose} and {@code demo},
 * against a DNS server on loopback.
 */
class DmarcDkimCliTest {
  static final String KEY =
      "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3Fu"
          + "tACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void dmarcJson_hasTheRecordBothOrganizationalDomainsAndFindings() throws Exception {
    dns.server()
        .txt("_dmarc.example.com", "v=DMARC1; p=quarantine; sp=none; rua=mailto:r@vendor.example")
        .mx("vendor.example", 10, "mx.vendor.example")
        .a("mail.example.com", "192.0.2.1");

    CliRun r = CliRun.of("dmarc", "mail.example.com", "--dns", dns.server().hostPort(), "--json");

    assertThat(r.exit()).isEqualTo(Main.OK);
    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.get("domain").asText()).isEqualTo("mail.example.com");
    assertThat(j.at("/record/p").asText()).isEqualTo("quarantine");
    assertThat(j.at("/record/sp").asText()).isEqualTo("none");
    assertThat(j.get("policyDomain").asText()).isEqualTo("example.com");
    assertThat(j.get("policy").asText()).isEqualTo("none");
    assertThat(j.get("ownRecord").asBoolean()).isFalse();
    assertThat(j.get("organizationalDomain").asText()).isEqualTo("example.com");
    assertThat(j.get("pslOrganizationalDomain").asText()).isEqualTo("example.com");
    assertThat(j.get("methodsAgree").asBoolean()).isTrue();
    assertThat(j.at("/treeWalk/0/name").asText()).isEqualTo("_dmarc.mail.example.com");
    assertThat(j.at("/reportDestinations/0/authorization").asText()).isEqualTo("not_authorized");
    assertThat(r.out())
        .contains(
            "DMARC_INHERITED",
            "DMARC_SUBDOMAIN_POLICY_WEAKER",
            "DMARC_REPORT_DESTINATION_UNAUTHORIZED");
  }

  @Test
  void dmarcHuman_showsRecordPolicyAndBothMethods() {
    dns.server()
        .txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com")
        .mx("example.com", 10, "mx.example.com");

    CliRun r = CliRun.of("dmarc", "example.com", "--dns", dns.server().hostPort());

    assertThat(r.out())
        .contains(
            "DMARC of example.com",
            "v=DMARC1; p=reject",
            "tree walk (RFC 9989): example.com",
            "public suffix list (RFC 7489): example.com",
            "DMARC_OK")
        .doesNotContain("\u001b[");
    assertThat(r.exit()).isEqualTo(Main.OK);
  }

  @Test
  void missingDmarc_exitsWithProblems() {
    dns.server().mx("example.com", 10, "mx.example.com");

    CliRun r = CliRun.of("dmarc", "example.com", "--dns", dns.server().hostPort());

    assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
    assertThat(r.out()).contains("DMARC_MISSING");
  }

  @Test
  void dmarcLookupFailure_exitsInconclusive() {
    dns.server().fault("_dmarc.example.com", DnsFault.servfail());

    assertThat(CliRun.of("dmarc", "example.com", "--dns", dns.server().hostPort()).exit())
        .isEqualTo(Main.INCONCLUSIVE);
  }

  @Test
  void dkimJson_listsGivenAndFoundSelectors() throws Exception {
    dns.server()
        .txt(
            "s2024._domainkey.example.com",
            "v=DKIM1; k=rsa; p=" + KEY.substring(0, 200),
            KEY.substring(200))
        .cname("selector1._domainkey.example.com", "selector1-example._domainkey.provider.example");

    CliRun r =
        CliRun.of(
            "dkim",
            "example.com",
            "--selector",
            "s2024",
            "--dns",
            dns.server().hostPort(),
            "--json");

    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.get("domain").asText()).isEqualTo("example.com");
    assertThat(j.at("/selectors/0/selector").asText()).isEqualTo("s2024");
    assertThat(j.at("/selectors/0/source").asText()).isEqualTo("given");
    assertThat(j.at("/selectors/0/key/bits").asInt()).isEqualTo(1024);
    assertThat(j.at("/selectors/0/key/keyType").asText()).isEqualTo("rsa");
    assertThat(j.at("/selectors/1/selector").asText()).isEqualTo("selector1");
    assertThat(j.at("/selectors/1/cname/0").asText())
        .isEqualTo("selector1-example._domainkey.provider.example");
    assertThat(j.get("tried").size()).isGreaterThan(20);
    assertThat(r.out()).contains("DKIM_KEYS_FOUND", "DKIM_KEY_WEAK", "DKIM_CNAME_TARGET_MISSING");
    assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
  }

  @Test
  void dkimHuman_showsKeysAndDelegation() {
    dns.server()
        .txt(
            "google._domainkey.example.com",
            "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");

    CliRun r = CliRun.of("dkim", "example.com", "--dns", dns.server().hostPort());

    assertThat(r.out())
        .contains("DKIM keys of example.com", "google", "ed25519", "DKIM_ED25519_ONLY");
  }

  @Test
  void badSelector_exitsTwo() {
    CliRun r =
        CliRun.of(
            "dkim", "example.com", "--selector", "bad selector", "--dns", dns.server().hostPort());

    assertThat(r.exit()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("invalid DKIM selector");
  }

  @Test
  void diagnose_includesDmarcAndDkimOfTheSender() throws Exception {
    dns.server()
        .mx("agency.example", 10, "mx.agency.example")
        .a("mx.agency.example", "8.8.8.8")
        .txt("_dmarc.corp.example", "v=DMARC1; p=reject; rua=mailto:d@corp.example")
        .mx("corp.example", 10, "mx.corp.example")
        .a("mx.corp.example", "8.8.4.4")
        .txt(
            "k9._domainkey.corp.example",
            "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@agency.example",
            "--from",
            "alice@corp.example",
            "--selector",
            "k9",
            "--no-smtp",
            "--dns",
            dns.server().hostPort(),
            "--json");

    JsonNode j = CliRun.JSON.readTree(r.out());
    assertThat(j.at("/dmarc/record/p").asText()).isEqualTo("reject");
    assertThat(j.at("/dkim/selectors/0/selector").asText()).isEqualTo("k9");
    assertThat(j.at("/dkim/selectors/0/key/keyType").asText()).isEqualTo("ed25519");
  }

  @Test
  void demo_showsTheSendersDmarcAndItsBrokenDkim() {
    CliRun r = CliRun.of("demo");

    assertThat(r.out())
        .contains(
            "DMARC of brightwater.example",
            "p=reject",
            "DKIM keys of brightwater.example",
            "DKIM_CNAME_TARGET_MISSING",
            "selector1-brightwater._domainkey.cloudmail.example");
  }
}
