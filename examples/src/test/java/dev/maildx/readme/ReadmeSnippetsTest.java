package dev.maildx.readme;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.mail.DeliveryCheck;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.bounce.BounceParser;
import dev.maildx.report.AuthReport;
import dev.maildx.report.BounceReport;
import dev.maildx.report.MtaStsReport;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.TestDsn;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block of the README is a region of a source file that is compiled and run here (or is
 * itself a test: {@link ReadmeTestkitTest}, {@link ReadmeProbeTest}). The line before each block
 * names its source ({@code <!-- snippet: PATH -->}); the block must equal the file's imports and
 * its region {@code // region readme} … {@code // endregion} (the whole file when the region starts
 * with its package), so the README and the compiled code cannot drift apart. {@code
 * -Dmaildx.updateDocs=true} rewrites the README's blocks from the sources.
 */
class ReadmeSnippetsTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern BLOCK =
      Pattern.compile("(?m)^(?:<!-- snippet: (\\S+) -->\\n)?```java\\n(.*?)^```$", Pattern.DOTALL);

  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  @TempDir Path dir;

  /** What the README must show for a snippet source: its imports, a blank line, its region. */
  static String snippet(Path source) throws Exception {
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    List<String> region = new ArrayList<>();
    boolean in = false;
    for (String l : lines) {
      if (l.strip().equals("// region readme")) {
        in = true;
      } else if (l.strip().equals("// endregion")) {
        in = false;
      } else if (in) {
        region.add(l);
      }
    }
    assertThat(region).as("region readme in %s", source).isNotEmpty();
    int indent =
        region.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder b = new StringBuilder();
    if (!region.get(0).startsWith("package ")) { // a part of the file: its imports first
      for (String l : lines) {
        if (l.startsWith("import ")) {
          b.append(l).append('\n');
        }
      }
      b.append('\n');
    }
    for (String l : region) {
      b.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    }
    return b.toString();
  }

  @Test
  void everyJavaBlockOfTheReadme_isTheRegionOfACompiledSource() throws Exception {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    Matcher m = BLOCK.matcher(readme);
    StringBuilder updated = new StringBuilder();
    int blocks = 0;
    while (m.find()) {
      blocks++;
      assertThat(m.group(1))
          .as("the line before README block %d (%s...) names its source", blocks, head(m.group(2)))
          .isNotNull();
      Path source = Path.of("..", m.group(1));
      String expected = snippet(source);
      if (Boolean.getBoolean("maildx.updateDocs")) {
        m.appendReplacement(
            updated,
            Matcher.quoteReplacement(
                "<!-- snippet: " + m.group(1) + " -->\n```java\n" + expected + "```"));
      } else {
        assertThat(m.group(2)).as("README block from %s", m.group(1)).isEqualTo(expected);
      }
    }
    if (Boolean.getBoolean("maildx.updateDocs")) {
      m.appendTail(updated);
      Files.writeString(README, updated.toString(), StandardCharsets.UTF_8);
    }
    System.out.println("[readme] " + blocks + " Java blocks, each the region of a compiled source");
    assertThat(blocks).isGreaterThanOrEqualTo(7);
  }

  private static String head(String s) {
    return s.lines().findFirst().orElse("");
  }

  @Test
  void embeddingSnippet_diagnosesThroughTheDnsServerGiven() {
    dns.server().mx("agency.example", 0, ".");
    try (DeliveryCheck check = new DeliveryCheck(dns.server().address())) {
      var d = check.check("alice@corp.example", "203.0.113.5", "bob@agency.example");

      assertThat(d.verdict()).isEqualTo(Verdict.UNDELIVERABLE);
      assertThat(d.likelyCauses().get(0).code().name()).isEqualTo("RECIPIENT_ACCEPTS_NO_MAIL");
    }
    assertThat(dns.server().queryCount()).isPositive();
  }

  @Test
  void policySnippet_aDomainWithoutMtaSts_hasNoPolicy() {
    try (MailDiagnostics maildx =
        MailDiagnostics.builder().dnsServer(dns.server().address()).build()) {
      MtaStsReport r = PolicySnippet.mtaSts(maildx, "example.test");

      assertThat(r.policy()).isEmpty();
      assertThat(r.active()).isFalse();
    }
  }

  private Path userUnknownNotice() throws Exception {
    return TestDsn.failed("bob@shop.test", "5.1.1")
        .reportingMta("out.corp.test")
        .from("alice@corp.test")
        .diagnostic("smtp; 550 5.1.1 <bob@shop.test>: Recipient address rejected: User unknown")
        .write(dir.resolve("bounce.eml"));
  }

  @Test
  void bounceSnippet_readsTheReasonOfAUserUnknownNotice() throws Exception {
    BounceReport r = BounceSnippet.explain(userUnknownNotice());

    assertThat(r.kind()).isEqualTo(BounceReport.Kind.BOUNCE);
    assertThat(r.recipients().get(0).reason().id()).isEqualTo("userunknown");
  }

  @Test
  void jakartaMailSnippet_classifiesAMimeMessage_likeTheFile() throws Exception {
    Path notice = userUnknownNotice();
    MimeMessage message;
    try (InputStream in = Files.newInputStream(notice)) {
      message = new MimeMessage(Session.getInstance(new Properties()), in);
    }

    BounceReport r = JakartaMailSnippet.classify(BounceParser.create(), message);

    assertThat(r.kind()).isEqualTo(BounceReport.Kind.BOUNCE);
    assertThat(r.recipients().get(0).reason().id()).isEqualTo("userunknown");
  }

  @Test
  void authSnippet_evaluatesSpfForTheEnvelope() throws Exception {
    dns.server().zone("corp.example. IN TXT \"v=spf1 ip4:203.0.113.5 -all\"\n");
    Path message =
        Files.writeString(
            dir.resolve("received.eml"),
            "From: alice@corp.example\r\nTo: bob@agency.example\r\nSubject: hi\r\n\r\nhello\r\n");
    try (MailDiagnostics maildx =
        MailDiagnostics.builder().dnsServer(dns.server().address()).build()) {
      AuthReport r = AuthSnippet.authenticate(maildx, message);

      assertThat(r.dkim()).isEmpty();
      assertThat(r.authenticationResults()).contains("spf=pass");
    }
  }
}
