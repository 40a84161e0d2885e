package dev.maildx.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.MailDiagnostics;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser: headless Chromium renders it, takes a screenshot, and the page
 * writes nothing to the console (no error, no resource refused by its Content Security Policy). A
 * page with a deliberate error shows that the check sees errors.
 */
@Tag("interop")
class HtmlReportChromiumInteropTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  @TempDir Path dir;

  @Test
  void aWholeDiagnosisReport_rendersWithAScreenshot_andNoConsoleMessage() throws Exception {
    DeliveryDiagnosis d;
    try (Scenario s = new Scenario()) {
      d = s.diagnose();
    }
    Path page = Files.writeString(dir.resolve("diagnosis.html"), HtmlReport.render(d));
    Path png = dir.resolve("diagnosis.png");

    Chromium.Result r = Chromium.render(page, png);

    assertThat(r.exit()).as(r.log()).isZero();
    assertThat(r.screenshot()).as(r.log()).isTrue();
    assertThat(Chromium.isPng(png)).isTrue();
    assertThat(Files.size(png)).isGreaterThan(20_000); // a rendered page, not a blank one
    assertThat(r.console()).as("console messages of the page").isEmpty();
    System.out.println(
        "[chromium] diagnosis report: "
            + Files.size(page)
            + " bytes of HTML, screenshot "
            + Files.size(png)
            + " bytes, "
            + r.console().size()
            + " console messages");
  }

  @Test
  void aReportFullOfMarkupFromTheNetwork_rendersWithoutConsoleMessages() throws Exception {
    HtmlReportTest t = new HtmlReportTest();
    java.lang.reflect.Field f = HtmlReportTest.class.getDeclaredField("dns");
    f.setAccessible(true);
    f.set(t, dns);
    try (MockSmtpServer smtp = HtmlReportTest.hostileServer()) {
      Path page =
          Files.writeString(
              dir.resolve("hostile.html"), HtmlReport.render(t.hostileDiagnosis(smtp)));

      Chromium.Result r = Chromium.render(page, dir.resolve("hostile.png"));

      assertThat(r.screenshot()).as(r.log()).isTrue();
      assertThat(r.console()).as("console messages of the page").isEmpty();
    }
  }

  @Test
  void theCheckSeesErrors_anUncaughtException_andAResourceThePolicyRefuses() throws Exception {
    String report = HtmlReport.render(DemoFree.diagnosis());
    Path broken =
        Files.writeString(
            dir.resolve("broken.html"),
            report.replace(
                "</body>", "<img alt=\"\" src=\"https://example.com/tracker.png\"></body>"));
    Path scripted =
        Files.writeString(
            dir.resolve("scripted.html"),
            "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p><script>throw new Error(\"deliberate\")</script></body></html>");

    Chromium.Result refused = Chromium.render(broken, dir.resolve("broken.png"));
    Chromium.Result thrown = Chromium.render(scripted, dir.resolve("scripted.png"));

    assertThat(refused.console())
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("https://example.com/tracker.png", "Content Security Policy"));
    assertThat(thrown.console())
        .anySatisfy(l -> assertThat(l).contains("Uncaught Error: deliberate"));
  }

  /** A small diagnosis without servers: a question nothing checks. */
  static final class DemoFree {
    static DeliveryDiagnosis diagnosis() {
      try (MailDiagnostics m = MailDiagnostics.builder().discoverChecks(false).build()) {
        return m.diagnose(dev.maildx.DeliveryQuestion.to("bob@example.test"));
      }
    }
  }
}
