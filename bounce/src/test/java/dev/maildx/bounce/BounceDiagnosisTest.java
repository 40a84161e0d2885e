package dev.maildx.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import dev.maildx.testkit.TestDsn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code bounce} check inside a whole diagnosis (found by the service loader), for a notice in
 * a file or in memory.
 */
class BounceDiagnosisTest {
  static DeliveryDiagnosis diagnose(DeliveryQuestion q) {
    try (MailDiagnostics m = MailDiagnostics.builder().timeout(Duration.ofSeconds(10)).build()) {
      return m.diagnose(q);
    }
  }

  @Test
  void bounceInMemory_givesTheSameReportAsTheSameBytesInAFile(@TempDir Path dir) throws Exception {
    byte[] notice =
        TestDsn.delayed("bob@agency.example", "4.4.7")
            .reportingMta("out.provider.example")
            .diagnostic(
                "smtp; 421 4.4.2 mx.agency.example: timed out while receiving the initial server greeting")
            .build()
            .getBytes(StandardCharsets.US_ASCII);
    Path file = Files.write(dir.resolve("delayed.eml"), notice);

    BounceReport fromFile =
        diagnose(DeliveryQuestion.builder().bounce(file).build()).bounce().orElseThrow();
    BounceReport named =
        diagnose(DeliveryQuestion.builder().bounce(notice, file.toString()).build())
            .bounce()
            .orElseThrow();
    BounceReport unnamed =
        diagnose(DeliveryQuestion.builder().bounce(notice).build()).bounce().orElseThrow();

    assertThat(fromFile.kind()).isEqualTo(BounceReport.Kind.DELAY);
    assertThat(fromFile.recipients())
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).isEqualTo(BounceReason.NETWORK_ERROR));
    assertThat(named).isEqualTo(fromFile);
    assertThat(unnamed.source()).isEqualTo(DeliveryQuestion.Source.IN_MEMORY_BOUNCE);
    assertThat(unnamed.recipients()).isEqualTo(fromFile.recipients());
  }

  @Test
  void bounceFileThatIsGoneWhenTheCheckRuns_isAFindingNotAnException(@TempDir Path dir) {
    DeliveryDiagnosis d =
        diagnose(DeliveryQuestion.builder().bounce(dir.resolve("gone.eml")).build());

    assertThat(d.findings("BOUNCE_READ_FAILED"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("gone.eml"));
  }
}
