package dev.maildx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.TestDsn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each example program run as the README shows it ({@code java -cp maildx-cli.jar
 * dev.maildx.examples.<Name> ...}), in a new JVM, pointed with {@code --dns} at a {@link
 * dev.maildx.testkit.MockDnsServer} on loopback; and each with missing or bad arguments, which give
 * a usage line and exit status 2, never a stack trace.
 */
class ExampleProgramsTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  @TempDir Path dir;

  private String dnsArg() {
    return "127.0.0.1:" + dns.server().address().getPort();
  }

  private static String main(String name) {
    return "dev.maildx.examples." + name;
  }

  @BeforeEach
  void publish() {
    // RFC 7505: a null MX says the domain accepts no mail.
    dns.server().mx("nomail.test", 0, ".");
  }

  @Test
  void diagnoseDomain_withDnsAndTimeout_printsTheVerdictAndTheCause() throws Exception {
    JavaProcess p =
        JavaProcess.run(
            main("DiagnoseDomain"), "bob@nomail.test", "--dns", dnsArg(), "--timeout", "5s");

    assertThat(p.exit()).as(p.err()).isZero();
    assertThat(p.out()).startsWith("UNDELIVERABLE").contains("null MX", "ERROR MX_NULL");
    assertThat(dns.server().queryCount()).isPositive();
  }

  @Test
  void explainBounce_withDns_readsTheNoticeAndDiagnosesItsRecipient() throws Exception {
    Path notice =
        TestDsn.failed("bob@nomail.test", "5.1.10")
            .reportingMta("out.corp.test")
            .from("alice@corp.test")
            .diagnostic("smtp; 556 5.1.10 Recipient address has null MX")
            .write(dir.resolve("bounce.eml"));

    JavaProcess p =
        JavaProcess.run(
            main("ExplainBounce"), notice.toString(), "--dns", dnsArg(), "--timeout", "5s");

    assertThat(p.exit()).as(p.err()).isZero();
    assertThat(p.out())
        .contains(
            "bounce notice from out.corp.test",
            "bob@nomail.test: failed, status 5.1.10",
            "Diagnosis: UNDELIVERABLE");
  }

  @Test
  void embedInService_withDns_answersEachAddressAndCountsChecks() throws Exception {
    JavaProcess p =
        JavaProcess.run(
            main("EmbedInService"),
            "bob@nomail.test",
            "carol@nomail.test",
            "--dns",
            dnsArg(),
            "--timeout",
            "5s");

    assertThat(p.exit()).as(p.err()).isZero();
    assertThat(p.out().lines().filter(l -> l.contains("verdict=UNDELIVERABLE"))).hasSize(2);
    assertThat(p.out()).contains("recipient=bob@nomail.test", "recipient=carol@nomail.test");
    assertThat(p.out()).containsPattern("checks [1-9]\\d*, DNS queries [1-9]");
  }

  @Test
  void auditDomains_acceptsDomainAndAddressLines_andSkipsBadOnes() throws Exception {
    Path list =
        Files.writeString(
            dir.resolve("domains.txt"), "# audit\nnomail.test\nbob@nomail.test\nnot a domain!\n");
    Path out = dir.resolve("results.jsonl");

    JavaProcess p =
        JavaProcess.run(
            main("AuditDomains"),
            list.toString(),
            out.toString(),
            "--dns",
            dnsArg(),
            "--timeout",
            "5s");

    assertThat(p.exit()).as(p.err()).isEqualTo(1);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(2).allMatch(l -> l.contains("\"verdict\":\"undeliverable\""));
    assertThat(lines).anyMatch(l -> l.contains("\"recipient\":\"bob@nomail.test\""));
    assertThat(p.err()).contains("line 4: skipped", "audited 2 domains", "1 lines skipped");
  }

  @Test
  void testWithTestkit_runsItsScenariosOnItsOwnServers() throws Exception {
    JavaProcess p = JavaProcess.run(main("TestWithTestkit"));

    assertThat(p.exit()).as(p.err()).isZero();
    assertThat(p.out())
        .contains(
            "alice@shop.test: accepted",
            "bob@nomail.test: rejected: nomail.test publishes a null MX",
            "not an address: rejected");
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of("DiagnoseDomain", List.of(), "missing argument"),
        Arguments.of("DiagnoseDomain", List.of("not an address!"), "not an address!"),
        Arguments.of("DiagnoseDomain", List.of("a.test", "--timeout", "soon"), "--timeout soon"),
        Arguments.of("DiagnoseDomain", List.of("a.test", "--dns"), "--dns needs a value"),
        Arguments.of("ExplainBounce", List.of(), "missing argument"),
        Arguments.of("ExplainBounce", List.of("no-such.eml"), "no-such.eml: not a readable file"),
        Arguments.of(
            "ExplainBounce", List.of("x.eml", "--dns", "127.0.0.1:99999"), "from 1 to 65535"),
        Arguments.of("EmbedInService", List.of(), "missing argument"),
        Arguments.of("EmbedInService", List.of("bob@x.test", "--verbose"), "unknown option"),
        Arguments.of("AuditDomains", List.of(), "missing arguments"),
        Arguments.of("AuditDomains", List.of("only-one.txt"), "missing arguments"),
        Arguments.of("AuditDomains", List.of("nope.txt", "out.jsonl"), "not a readable file"),
        Arguments.of("TestWithTestkit", List.of("extra"), "unexpected argument extra"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badArguments")
  void example_withMissingOrBadArguments_printsUsageAndExits2(
      String name, List<String> args, String problem) throws Exception {
    JavaProcess p = JavaProcess.run(main(name), args.toArray(String[]::new));

    assertThat(p.exit()).isEqualTo(2);
    assertThat(p.err()).contains(problem).contains("usage: " + name);
    assertThat(p.err()).doesNotContain("Exception", "\tat ");
    assertThat(p.out()).isEmpty();
  }
}
