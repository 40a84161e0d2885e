package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maildx demo}: the story replayed offline — a sender whose migration left SPF authorizing
 * the old provider only and its MX half-moved, a recipient whose gateway tarpits, and the delay
 * notice the sender got. The diagnosis names both sides' causes with evidence, and the whole
 * command takes under five seconds.
 */
class DemoTest {
  private static JsonNode cause(JsonNode d, String code) {
    for (JsonNode c : d.get("likelyCauses")) {
      if (c.get("code").asText().equals(code)) {
        return c;
      }
    }
    throw new AssertionError(
        "no " + code + " in " + d.get("likelyCauses").findValuesAsText("code"));
  }

  private static List<String> evidence(JsonNode cause) {
    return cause.get("evidence").findValuesAsText("code");
  }

  @Test
  void demo_namesTheRecipientsTarpitAndTheSendersHalfDoneMigration_withEvidence() throws Exception {
    CliRun r = CliRun.of("demo", "--json");

    assertThat(r.exit()).isEqualTo(Main.OK);
    JsonNode d = CliRun.JSON.readTree(r.out());
    assertThat(d.get("verdict").asText()).isEqualTo("undeliverable");
    assertThat(d.at("/bounce/kind").asText()).isEqualTo("delay");
    assertThat(d.at("/bounce/reportingMta").asText()).isEqualTo("out.cloudmail.example");

    // The recipient's side: the notice and the probe agree.
    JsonNode gateway = cause(d, "RECIPIENT_GATEWAY_UNRESPONSIVE");
    assertThat(d.at("/likelyCauses/0/code").asText()).isEqualTo("RECIPIENT_GATEWAY_UNRESPONSIVE");
    assertThat(gateway.get("confidence").asText()).isEqualTo("high");
    assertThat(gateway.get("party").asText()).isEqualTo("recipient_postmaster");
    assertThat(gateway.get("summary").asText())
        .contains(
            "accept TCP connections but send no SMTP greeting (no banner)",
            "timed out while receiving the initial server greeting",
            "sees the same on mx1.revenue.gov.example, mx2.revenue.gov.example",
            "wait",
            "bounce");
    assertThat(evidence(gateway)).contains("BOUNCE_DELAYED", "SMTP_NO_HOST_ACCEPTS", "SMTP_TARPIT");
    assertThat(gateway.at("/evidence/0/evidence/status").asText()).isEqualTo("4.4.7");
    assertThat(d.at("/bounce/recipients/0/reason").asText()).isEqualTo("expired");

    // The sender's side: SPF still authorizes the old provider only, the MX is half-moved, DKIM was
    // never set up at the new one.
    JsonNode spf = cause(d, "SENDER_SPF_DOES_NOT_AUTHORIZE_IP");
    assertThat(spf.get("party").asText()).isEqualTo("sender_dns_admin");
    assertThat(spf.get("summary").asText())
        .contains(
            "203.0.113.10 (out.cloudmail.example)",
            "only include:_spf.oldhost.example (ip4:192.0.2.128/25)");
    assertThat(evidence(spf)).contains("SPF_FAIL");
    JsonNode mx = cause(d, "SENDER_MX_HALF_MOVED");
    assertThat(mx.get("summary").asText())
        .contains("mx.oldhost.example (no address)", "inbound.cloudmail.example");
    assertThat(evidence(mx)).contains("MX_TARGET_NO_ADDRESS");
    JsonNode dmarc = cause(d, "SENDER_DMARC_WILL_REJECT");
    assertThat(evidence(dmarc)).contains("DMARC_OK", "DKIM_CNAME_TARGET_MISSING", "SPF_FAIL");
    assertThat(d.get("elapsedMs").asLong()).isLessThan(5000);
  }

  @Test
  void demo_human_putsTheVerdictFirstThenTheCauses(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("demo.html");
    CliRun r = CliRun.of("demo", "--html", html.toString());

    String out = r.out();
    int verdict = out.indexOf("Verdict: UNDELIVERABLE");
    int causes = out.indexOf("Likely causes");
    int findings = out.indexOf("Findings");
    int details = out.indexOf("SMTP probe of revenue.gov.example");
    assertThat(verdict).isPositive();
    assertThat(causes).isGreaterThan(verdict);
    assertThat(findings).isGreaterThan(causes);
    assertThat(details).isGreaterThan(findings);
    assertThat(out).doesNotContain("\u001b[");
    assertThat(r.err()).contains("wrote " + html);
    assertThat(Files.readString(html)).contains("RECIPIENT_GATEWAY_UNRESPONSIVE", "<svg");
  }

  /**
   * The whole command as a user runs it: a new JVM with the launcher's options, from start to exit.
   * The machine is shared, so the best of up to three runs counts.
   */
  @Test
  void demo_wholeCommand_takesUnderFiveSeconds() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(launcherOptions());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("demo");
    long best = Long.MAX_VALUE;
    List<Long> runs = new ArrayList<>();
    for (int i = 0; i < 3 && best >= 5000; i++) {
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(File.createTempFile("demo", ".out"))
              .start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(p.exitValue()).isZero();
      runs.add(ms);
      best = Math.min(best, ms);
    }
    System.out.println(
        "[demo] whole command (new JVM "
            + launcherOptions()
            + "): "
            + runs
            + " ms, best "
            + best
            + " ms (limit 5000 ms)");
    assertThat(best).isLessThan(5000);
  }

  /** The JVM options of the {@code maildx} launcher at the repository root. */
  static List<String> launcherOptions() throws Exception {
    Path launcher = Path.of("..", "maildx");
    if (!Files.exists(launcher)) {
      return List.of();
    }
    Matcher m =
        Pattern.compile("DEFAULT_JAVA_OPTS=\"([^\"]*)\"").matcher(Files.readString(launcher));
    return m.find() ? List.of(m.group(1).split("\\s+")) : List.of();
  }
}
