package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.TestDsn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Advice follows its evidence: stories run through {@code maildx diagnose} against a DNS server and
 * SMTP servers on loopback, asserting on the human text a user reads. Each story is one of issue
 * 14's "advice that contradicts the evidence": never advise adding what is there, never an empty
 * value in a sentence, the SPF cause follows the SPF result, "no banner" when TCP was accepted, one
 * party across cause and notice, a routed test server is no missing mail server.
 *
 * <p>Every story's likely causes pass {@link #readsWell(String)}, the guard against sentences with
 * a hole where a value should be.
 */
class AdviceConsistencyTest {
  static final String SENDER = "alice@corp.test";
  static final String RECIPIENT = "bob@agency.test";
  static final String IP = "203.0.113.5";

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  @TempDir Path dir;
  private final List<MockSmtpServer> servers = new ArrayList<>();

  @BeforeEach
  void zone() {
    dns.server()
        .zone(
            """
            $ORIGIN test.
            newprovider             IN SOA ns hostmaster 1 3600 600 86400 300
            _spf.newprovider        IN TXT "v=spf1 ip4:203.0.113.0/24 -all"
            out.newprovider         IN A   203.0.113.5
            5.113.0.203.in-addr.arpa. IN PTR out.newprovider.test.
            oldprovider             IN SOA ns hostmaster 1 3600 600 86400 300
            _spf.oldprovider        IN TXT "v=spf1 ip4:192.0.2.128/25 a:relay.oldprovider.test -all"
            relay.oldprovider       IN A   192.0.2.200
            agency                  IN MX  10 mx.agency.test.
            mx.agency               IN A   192.0.2.25
            """);
  }

  @AfterEach
  void close() {
    servers.forEach(MockSmtpServer::close);
  }

  /**
   * The guard: a sentence with an empty value rendered into it ("point to ;", "()", "authorizes .",
   * a doubled parenthesis or a doubled space) is a bug in the rule that wrote it.
   */
  static void readsWell(String text) {
    Pattern hole =
        Pattern.compile(
            "\\(\\s*\\)|\\(\\s*,|,\\s*\\)|\\s[;,.:](?=\\s|$)|[;,:]\\s*[;,.]|\\)\\s*\\((?!RFC )|\\bnull\\b(?!\\s+MX)|\"\"");
    Pattern sentence = Pattern.compile("^\\s+(?:\\d+\\.|What to do:|Who must act:)\\s");
    for (String line : causes(text).split("\n")) {
      if (!sentence.matcher(line).find()) {
        continue; // evidence lines are key=value data, not sentences
      }
      Matcher m = hole.matcher(line.strip());
      boolean hit = m.find();
      assertThat(hit)
          .as(
              "a likely cause renders an empty value or doubled parenthesis at \"%s\" in: %s",
              hit ? m.group() : "", line)
          .isFalse();
    }
  }

  /** The "Likely causes" block of the human report. */
  static String causes(String out) {
    int start = out.indexOf("Likely causes");
    int end = out.indexOf("\nFindings");
    assertThat(start).as("no likely causes in:%n%s", out).isNotNegative();
    return out.substring(start, end < 0 ? out.length() : end);
  }

  private CliRun diagnose(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("diagnose", RECIPIENT, "--dns", dns.server().hostPort()));
    args.addAll(List.of(extra));
    CliRun r = CliRun.of(args.toArray(String[]::new));
    readsWell(r.out());
    return r;
  }

  private Path notice(TestDsn dsn) {
    return dsn.write(dir.resolve("notice.eml"));
  }

  // ---------------------------------------------------------------- SPF permerror vs fail

  /**
   * 14 DNS-querying terms: the record already includes the new provider; SPF is permerror (RFC 7208
   * §4.6.4), so the record is broken, and adding another include makes it worse.
   */
  @Test
  void spfPermerrorFromTooManyLookups_saysTheRecordIsBroken_neverToAddTheIncludeItHas() {
    // mx (1), a (1), four vendors (3 each), then the provider the mail leaves from (1): 15.
    StringBuilder rec = new StringBuilder("v=spf1 mx a");
    for (int i = 1; i <= 4; i++) {
      dns.server()
          .txt(
              "_spf" + i + ".vendor.test",
              "v=spf1 a:x" + i + ".vendor.test include:_n" + i + ".vendor.test -all")
          .a("x" + i + ".vendor.test", "198.51.100." + (10 + i))
          .txt("_n" + i + ".vendor.test", "v=spf1 ip4:198.51.100." + i + " -all");
      rec.append(" include:_spf").append(i).append(".vendor.test");
    }
    dns.server()
        .mx("corp.test", 10, "inbound.newprovider.test")
        .a("inbound.newprovider.test", "198.51.100.20")
        .a("corp.test", "198.51.100.30")
        .txt("corp.test", rec + " include:_spf.newprovider.test -all")
        // DMARC enforced while the provider's DKIM key is not published: DMARC rests on SPF.
        .txt("_dmarc.corp.test", "v=DMARC1; p=reject")
        .cname("selector1._domainkey.corp.test", "selector1-corp._domainkey.newprovider.test");
    Path n =
        notice(
            TestDsn.failed(RECIPIENT, "5.7.23")
                .reportingMta("out.newprovider.test")
                .from(SENDER)
                .remoteMta("mx.agency.test")
                .diagnostic("smtp; 550 5.7.23 SPF validation failed for corp.test"));

    CliRun r =
        diagnose(
            "--from",
            SENDER,
            "--ip",
            IP,
            "--bounce",
            n.toString(),
            "--no-smtp",
            "--route",
            IP + "=127.0.0.1:9");

    String causes = causes(r.out());
    assertThat(causes)
        .doesNotContain(
            "Add the SPF include", "does not authorize the provider", "add the provider")
        .doesNotContain("permerrors")
        .contains("is broken", "permerror", "15 DNS lookups", "flatten")
        // The DMARC cause reads the same SPF result: repair, not extend.
        .contains(
            "SPF is permerror (the record is broken) for 203.0.113.5", "repair the SPF record");
    // The cost of each term, in record order: mx, a, the four vendors, the provider last.
    assertThat(causes)
        .contains(
            "mx (1), a (1), include:_spf1.vendor.test (3), include:_spf2.vendor.test (3), "
                + "include:_spf3.vendor.test (3), include:_spf4.vendor.test (3), "
                + "include:_spf.newprovider.test (1)");
  }

  /** SPF fail: what the record authorizes, term by term, with what each include stands for. */
  @Test
  void spfFail_namesWhatTheRecordAuthorizes_termByTerm() {
    dns.server()
        .mx("corp.test", 10, "inbound.newprovider.test")
        .txt("corp.test", "v=spf1 include:_spf.oldprovider.test -all");

    CliRun r = diagnose("--from", SENDER, "--ip", IP, "--no-smtp", "--route", IP + "=127.0.0.1:9");

    String causes = causes(r.out());
    assertThat(causes)
        .contains("SPF record of corp.test does not authorize 203.0.113.5 (out.newprovider.test)")
        .contains("include:_spf.oldprovider.test (ip4:192.0.2.128/25, a:relay.oldprovider.test)")
        .doesNotContain("(203.0.113.5 (out.newprovider.test))");
  }

  // ---------------------------------------------------------------- sender MX

  /** All MX hosts resolve to loopback or private space: none works, none is kept. */
  @Test
  void senderMxOnlyOnLoopbackAndPrivateAddresses_noneIsKept_andNoEmptyList() {
    dns.server()
        .mx("corp.test", 10, "mx1.corp.test")
        .mx("corp.test", 20, "mx2.corp.test")
        .a("mx1.corp.test", "127.0.0.1")
        .a("mx2.corp.test", "10.1.2.3")
        .txt("corp.test", "v=spf1 ip4:203.0.113.0/24 -all");

    CliRun r = diagnose("--from", SENDER, "--no-smtp");

    String causes = causes(r.out());
    assertThat(causes)
        .contains("No MX host of corp.test works")
        .contains("mx1.corp.test (127.0.0.1: loopback)", "mx2.corp.test (10.1.2.3: private")
        .contains(
            "at the servers of the current mail provider: none of mx1.corp.test, mx2.corp.test")
        .doesNotContain("keep mx1", "keep mx2", "point to ;");
  }

  // ---------------------------------------------------------------- tarpit

  /** The demo's tarpit: TCP was accepted, no greeting came: "no banner", not "not accepting". */
  @Test
  void tarpit_saysTheGatewayAcceptsConnectionsButSendsNoBanner() {
    CliRun r = CliRun.of("demo");
    readsWell(r.out());

    String causes = causes(r.out());
    assertThat(causes)
        .doesNotContain("not accepting connections")
        .contains("accept TCP connections but send no SMTP greeting (no banner)")
        // The notice's text is the sending server's own account, not a reply of the gateway.
        .contains("out.cloudmail.example, the sender's server, is still retrying and reports 4.4.7")
        .doesNotContain("(4.4.7 \"conversation");
    // One party: the bounce block names the party of the cause that explains the notice.
    String bounce = r.out().substring(r.out().indexOf("\nBounce "));
    assertThat(bounce).contains("Who must act: the recipient's postmaster (likely cause 1)");
  }

  // ---------------------------------------------------------------- reputation

  /** A listed IP and a bounce that links the list: the link once, the provider named once. */
  @Test
  void blocklistBounce_linksTheListOnce_andNamesTheProviderWithoutDoubledParentheses() {
    dns.server()
        .mx("corp.test", 10, "inbound.newprovider.test")
        .txt("corp.test", "v=spf1 include:_spf.newprovider.test -all")
        .a("5.113.0.203.zen.spamhaus.org", "127.0.0.2");
    Path n =
        notice(
            TestDsn.failed(RECIPIENT, "5.7.1")
                .reportingMta("out.newprovider.test")
                .from(SENDER)
                .remoteMta("mx.agency.test")
                .diagnostic(
                    "smtp; 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.5"));

    CliRun r =
        diagnose(
            "--from",
            SENDER,
            "--ip",
            IP,
            "--bounce",
            n.toString(),
            "--no-smtp",
            "--route",
            IP + "=127.0.0.1:9");

    String causes = causes(r.out());
    assertThat(causes).contains("Spamhaus ZEN");
    String first = causes.substring(0, causes.indexOf("Evidence:"));
    assertThat(first.split("https://www.spamhaus.org/query/ip/203.0.113.5", -1)).hasSize(2);
    assertThat(first).doesNotContain(") (the mail provider)");
  }

  // ---------------------------------------------------------------- local testing

  /** --route names the test server: no "no mail server" beside the probe's accepted RCPT. */
  @Test
  void routedTestServer_isNoMissingMailServer() {
    MockSmtpServer smtp = MockSmtpServer.builder().hostname("mx.local.test").tls(false).build();
    servers.add(smtp);
    dns.server().mx("local.test", 10, "mx.local.test").a("mx.local.test", "127.0.0.1");

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@local.test",
            "--dns",
            dns.server().hostPort(),
            "--route",
            "mx.local.test=127.0.0.1:" + smtp.port());

    assertThat(r.out())
        .contains("SMTP_ACCEPTED")
        .doesNotContain("MX_NO_USABLE_HOST", "MX_TARGET_NOT_PUBLIC", "has no mail server");
    assertThat(r.exit()).isEqualTo(Main.OK);
  }

  /** --smtp-port alone probes loopback; the MX check then does not call the domain mail-less. */
  @Test
  void smtpPortAlone_doesNotContradictTheProbe() {
    MockSmtpServer smtp = MockSmtpServer.builder().hostname("mx.local.test").tls(false).build();
    servers.add(smtp);
    dns.server().mx("local.test", 10, "mx.local.test").a("mx.local.test", "127.0.0.1");

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@local.test",
            "--dns",
            dns.server().hostPort(),
            "--smtp-port",
            String.valueOf(smtp.port()));

    assertThat(r.out())
        .contains("SMTP_ACCEPTED")
        .doesNotContain("MX_NO_USABLE_HOST", "has no mail server")
        .doesNotContain("UNDELIVERABLE");
  }

  @Test
  void aMalformedRoute_isAUsageErrorInOneLine() {
    CliRun r = CliRun.of("diagnose", "bob@local.test", "--route", "mx.local.test=127.0.0.1");

    assertThat(r.exit()).isEqualTo(Main.USAGE);
    assertThat(r.err().strip()).contains("--route", "HOST=IP:PORT").doesNotContain("\n");
  }
}
