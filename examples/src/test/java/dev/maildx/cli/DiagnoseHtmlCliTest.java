package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.testkit.MockDnsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diagnose --html FILE}: the page is written beside the report on standard output (the page
 * itself: maildx-render's HtmlReportTest).
 */
class DiagnoseHtmlCliTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void diagnoseHtml_writesTheFile_andStillPrintsTheReport(@TempDir Path dir) throws Exception {
    dns.server().mx("nomail.test", 0, ".");
    Path out = dir.resolve("report.html");

    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@nomail.test",
            "--no-smtp",
            "--dns",
            dns.server().hostPort(),
            "--html",
            out.toString());

    assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
    assertThat(r.out()).startsWith("Verdict: UNDELIVERABLE");
    assertThat(r.err()).contains("wrote " + out);
    assertThat(Files.readString(out))
        .contains("Verdict: UNDELIVERABLE", "RECIPIENT_ACCEPTS_NO_MAIL", "null MX");
  }

  @Test
  void diagnoseHtml_intoAMissingDirectory_isAUsageError(@TempDir Path dir) {
    CliRun r =
        CliRun.of(
            "diagnose",
            "bob@nomail.test",
            "--no-smtp",
            "--dns",
            dns.server().hostPort(),
            "--html",
            dir.resolve("no/such/dir/r.html").toString());

    assertThat(r.exit()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("no such directory");
  }
}
