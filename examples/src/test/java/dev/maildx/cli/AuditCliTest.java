package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maildx.BatchProgress;
import dev.maildx.testkit.MockDnsExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maildx audit <file-of-domains> [--out results.jsonl]}: a batch that never stops on a bad
 * line.
 */
class AuditCliTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
  @TempDir Path dir;

  @BeforeEach
  void zone() {
    dns.server()
        .zone(
            """
        $ORIGIN test.
        good          IN MX  10 mx.good
        mx.good       IN A   8.8.8.8
        good          IN TXT "v=spf1 ip4:8.8.8.0/24 -all"
        _dmarc.good   IN TXT "v=DMARC1; p=none; rua=mailto:d@good.test"
        nomail        IN MX  0 .
        """);
  }

  private Path input(String text) throws Exception {
    return Files.write(dir.resolve("domains.txt"), text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void audit_writesOneJsonLinePerEntry_reportsAndSkipsBadLines_andSummarizes() throws Exception {
    Path in =
        input(
            "# my domains\ngood.test\n\nnot a domain!\nnomail.test\nbob@good.test\n   \n"
                + "x".repeat(5000)
                + "\nlast\u00ff.test\n");

    CliRun r =
        CliRun.of("audit", in.toString(), "--dns", dns.server().hostPort(), "--timeout", "3s");

    assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
    List<JsonNode> lines = new ArrayList<>();
    for (String l : r.out().strip().split("\n")) {
      lines.add(CliRun.JSON.readTree(l));
    }
    assertThat(lines).hasSize(6);
    assertThat(lines)
        .filteredOn(j -> j.has("error"))
        .extracting(j -> j.get("line").asLong())
        .containsExactlyInAnyOrder(4L, 8L, 9L);
    JsonNode nomail =
        lines.stream()
            .filter(j -> "nomail.test".equals(j.path("input").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(nomail.get("line").asLong()).isEqualTo(5);
    assertThat(nomail.get("verdict").asText()).isEqualTo("undeliverable");
    assertThat(nomail.at("/likelyCauses/0/code").asText()).isEqualTo("RECIPIENT_ACCEPTS_NO_MAIL");
    assertThat(nomail.at("/mx/nullMx").asBoolean()).isTrue();
    assertThat(nomail.at("/question/from").asText()).isEqualTo("postmaster@nomail.test");
    JsonNode bob =
        lines.stream()
            .filter(j -> "bob@good.test".equals(j.path("input").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(bob.at("/question/to").asText()).isEqualTo("bob@good.test");
    assertThat(r.err())
        .contains(
            "line 4: skipped",
            "line 8: skipped: the line is longer than 1024 characters",
            "line 9: skipped",
            "Audited 3 domains",
            "3 lines skipped",
            "1 undeliverable",
            "Most common causes:",
            "RECIPIENT_ACCEPTS_NO_MAIL");
    assertThat(r.err()).doesNotContain("\u001b["); // no progress bar: not a terminal
  }

  @Test
  void audit_toCsv_writesAHeaderAndOneRowPerEntry_andTheSummaryToStdout() throws Exception {
    Path in = input("good.test\nnomail.test\nbad domain\n");
    Path out = dir.resolve("results.csv");

    CliRun r =
        CliRun.of(
            "audit",
            in.toString(),
            "--out",
            out.toString(),
            "--dns",
            dns.server().hostPort(),
            "--timeout",
            "3s");

    List<String> rows = Files.readAllLines(out);
    assertThat(rows.get(0))
        .isEqualTo("line,input,verdict,causes,first_party,errors,warnings,inconclusive,elapsed_ms");
    assertThat(rows).hasSize(4);
    assertThat(rows)
        .anySatisfy(
            x ->
                assertThat(x)
                    .startsWith("2,nomail.test,undeliverable,RECIPIENT_ACCEPTS_NO_MAIL,sender,"));
    assertThat(rows).anySatisfy(x -> assertThat(x).startsWith("3,bad domain,skipped,"));
    assertThat(r.out()).contains("Audited 2 domains", "1 line skipped");
    assertThat(r.exit()).isEqualTo(Main.PROBLEMS);
  }

  @Test
  void audit_ofHealthyDomainsOnly_exitsZero() throws Exception {
    dns.server()
        .zone(
            "ok2.test. IN MX 10 mx.good.test.\nok2.test. IN TXT \"v=spf1 -all\"\n_dmarc.ok2.test. IN TXT \"v=DMARC1; p=reject; rua=mailto:d@ok2.test\"\n");
    Path in = input("ok2.test\n");

    CliRun r =
        CliRun.of(
            "audit",
            in.toString(),
            "--out",
            dir.resolve("r.jsonl").toString(),
            "--dns",
            dns.server().hostPort());

    assertThat(Files.readString(dir.resolve("r.jsonl"))).contains("\"input\":\"ok2.test\"");
    assertThat(r.out()).contains("Audited 1 domain ");
  }

  @Test
  void audit_missingFile_isAUsageError() {
    CliRun r = CliRun.of("audit", dir.resolve("nope.txt").toString());

    assertThat(r.exit()).isEqualTo(Main.USAGE);
    assertThat(r.err().strip())
        .isEqualTo("maildx: no such readable file: " + dir.resolve("nope.txt"));
  }

  @Test
  void progressBar_showsCountRateAndTimeLeft() {
    assertThat(AuditCommand.Progress.bar(new BatchProgress(60, 50, Duration.ofSeconds(5)), 100))
        .isEqualTo("[###############...............] 50/100 domains  10.0/s  about 5 s left");
    assertThat(AuditCommand.Progress.bar(new BatchProgress(60, 50, Duration.ofSeconds(5)), -1))
        .isEqualTo("50 domains  10.0/s");
  }

  @Test
  void progressBar_isDrawnOnlyWhenAsked() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    java.io.PrintWriter w = new java.io.PrintWriter(b, true, StandardCharsets.UTF_8);
    new AuditCommand.Progress(w, false, 10).update(new BatchProgress(1, 1, Duration.ofSeconds(1)));
    assertThat(b.size()).isZero();
    new AuditCommand.Progress(w, true, 10).update(new BatchProgress(1, 1, Duration.ofSeconds(1)));
    assertThat(b.toString(StandardCharsets.UTF_8)).startsWith("\r[###").contains("1/10 domains");
  }
}
