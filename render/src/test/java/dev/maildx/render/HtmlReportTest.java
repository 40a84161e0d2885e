package dev.maildx.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.internal.InetAddresses;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTML page ({@code diagnose --html}): self-contained, every outside text escaped. */
class HtmlReportTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  static final String HOSTILE =
      "<script>alert(1)</script><img src=x onerror=alert(2)> \"quoted\" & 'single'";

  /** A diagnosis whose every outside text (banner, SPF record, RCPT reply) carries markup. */
  DeliveryDiagnosis hostileDiagnosis(MockSmtpServer smtp) {
    dns.server()
        .mx("agency.test", 10, "mx.agency.test")
        .a("mx.agency.test", "192.0.2.25")
        .txt("corp.test", "v=spf1 ip4:192.0.2.0/24 exp=<b>x</b> -all", "")
        .txt("_dmarc.corp.test", "v=DMARC1; p=reject; rua=mailto:<x>@corp.test");
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .dnsServer(dns.server().address())
            .timeout(Duration.ofSeconds(5))
            .route(InetAddresses.parse("192.0.2.25"), smtp.address())
            .build()) {
      return m.diagnose(
          DeliveryQuestion.builder()
              .from("alice@corp.test")
              .sendingIp("203.0.113.7")
              .to("bob@agency.test")
              .build());
    }
  }

  static MockSmtpServer hostileServer() {
    return MockSmtpServer.builder()
        .hostname("mx.agency.test")
        .greeting("220 mx.agency.test ESMTP " + HOSTILE)
        .recipient("bob@agency.test", "550 5.1.1 " + HOSTILE)
        .build();
  }

  @Test
  void report_isSelfContained_andEscapesEveryOutsideText() {
    try (MockSmtpServer smtp = hostileServer()) {
      DeliveryDiagnosis d = hostileDiagnosis(smtp);
      String html = HtmlReport.render(d);

      assertThat(html)
          .startsWith("<!DOCTYPE html>")
          .contains("Content-Security-Policy\" content=\"default-src 'none'");
      assertThat(html).doesNotContain("<script", "<img", "<link", "<iframe", "@import", "url(");
      assertThat(
              Pattern.compile("(?i)<[^>]*\\s(src|href|action|srcset|on[a-z]+)\\s*=")
                  .matcher(html)
                  .find())
          .as("no resource attribute")
          .isFalse();
      assertThat(html)
          .contains(
              "&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;quoted&quot; &amp; &#39;single&#39;");
      // What a person needs: the verdict, the causes, the SPF tree, the MX hosts with the probe
      // phases on a timeline.
      assertThat(html)
          .contains(
              "Verdict: UNDELIVERABLE",
              "Likely causes",
              "RECIPIENT_MAILBOX_UNKNOWN",
              "SPF of corp.test",
              "ip4:192.0.2.0/24",
              "MX of agency.test",
              "<svg",
              "SMTP conversation phases",
              "greeting",
              "rcpt",
              "Findings");
      assertThat(html.chars().filter(c -> c < 0x20 && c != '\n' && c != '\t').count()).isZero();
    }
  }

  @Test
  void escape_replacesMarkupAndControlCharacters() {
    assertThat(HtmlReport.esc("<a href=\"x\">&'\u0000\u0085ok"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&#39;\uFFFD\uFFFDok");
  }
}
