package dev.maildx.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maildx.DeliveryDiagnosis;
import dev.maildx.Finding;
import dev.maildx.LikelyCause;
import dev.maildx.report.CheckReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public API on the diagnosis of a real run ({@link Scenario}): text, ANSI text, JSON and HTML.
 */
class RenderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LOWER_SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

  private static Scenario scenario;
  private static DeliveryDiagnosis d;

  @BeforeAll
  static void diagnose() {
    scenario = new Scenario();
    d = scenario.diagnose();
  }

  @AfterAll
  static void close() {
    scenario.close();
  }

  @Test
  void theScenario_isARealRunWithCausesAndHostileText() {
    assertThat(d.likelyCauses()).isNotEmpty();
    assertThat(d.mx()).isPresent();
    assertThat(d.smtp()).isPresent();
    assertThat(d.bounce()).isPresent();
    assertThat(d.findings())
        .extracting(Finding::message)
        .anyMatch(m -> m.contains(Scenario.HOSTILE));
  }

  @Test
  void json_parses_withTheContractsMembers() throws Exception {
    JsonNode j = JSON.readTree(Render.json(d));

    assertThat(j.isObject()).isTrue();
    assertThat(j.get("verdict").asText())
        .isEqualTo(d.verdict().name().toLowerCase(java.util.Locale.ROOT));
    assertThat(j.get("elapsedMs").isIntegralNumber()).isTrue();
    assertThat(j.get("elapsedMs").asLong()).isEqualTo(d.elapsed().toMillis());
    assertThat(j.get("findings").size()).isEqualTo(d.findings().size());
    assertThat(j.get("likelyCauses").size()).isEqualTo(d.likelyCauses().size());
    for (JsonNode f : j.get("findings")) {
      assertThat(f.fieldNames()).toIterable().contains("code", "severity", "check", "message");
    }
    assertThat(j.at("/likelyCauses/0/rank").asInt()).isEqualTo(1);
    assertThat(j.at("/likelyCauses/0/summary").asText())
        .isEqualTo(d.likelyCauses().get(0).summary());
    assertThat(j.has("mx")).isTrue();
    assertThat(j.has("smtp")).isTrue();
    assertThat(j.has("bounce")).isTrue();
    assertThat(Render.json(d)).doesNotContain("\n");
  }

  @Test
  void json_enumValues_areLowerSnakeCase() throws Exception {
    JsonNode j = JSON.readTree(Render.json(d));
    List<String> values = new ArrayList<>();
    values.add(j.get("verdict").asText());
    for (JsonNode f : j.get("findings")) {
      values.add(f.get("severity").asText());
      values.add(f.get("effect").asText());
    }
    for (JsonNode c : j.get("likelyCauses")) {
      values.add(c.get("party").asText());
      values.add(c.get("confidence").asText());
      values.add(c.get("effect").asText());
    }
    for (JsonNode h : j.at("/smtp/hosts")) {
      values.add(h.get("outcome").asText());
      values.add(h.get("phase").asText());
    }
    values.add(j.at("/mx/lookup").asText());
    values.add(j.at("/bounce/kind").asText());
    values.add(j.at("/bounce/recipients/0/action").asText());

    assertThat(values).hasSizeGreaterThan(8).allMatch(v -> LOWER_SNAKE.matcher(v).matches());
    assertThat(j.at("/smtp/hosts/0/outcome").asText()).isEqualTo("rcpt_rejected");
  }

  @Test
  void jsonOfAReport_isTheObjectTheDiagnosisHoldsUnderItsCheck() throws Exception {
    JsonNode j = JSON.readTree(Render.json(d));
    for (CheckReport r : d.reports()) {
      assertThat(JSON.readTree(Render.json(r)))
          .as(r.check())
          .isEqualTo(j.get(JsonReport.camel(r.check())));
    }
  }

  @Test
  void html_isSelfContained_andEscapesAHostileFindingMessage() {
    String html = Render.html(d);

    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("Content-Security-Policy\" content=\"default-src 'none'");
    assertThat(html)
        .doesNotContain(
            "<script", "<link", "<img", "<iframe", "@import", "url(", "https://", "//cdn");
    assertThat(
            Pattern.compile("(?i)<[^>]*\\s(src|href|action|srcset|on[a-z]+)\\s*=")
                .matcher(html)
                .find())
        .as("no resource attribute")
        .isFalse();
    // The only URL-like text allowed is the SVG namespace, an identifier the browser never fetches.
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
        .doesNotContain("http://", "https://");
    String hostileMessage =
        d.findings().stream()
            .map(Finding::message)
            .filter(m -> m.contains(Scenario.HOSTILE))
            .findFirst()
            .orElseThrow();
    assertThat(html)
        .contains(HtmlReport.esc(hostileMessage))
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
  }

  @Test
  void text_hasTheVerdictFirst_andEveryLikelyCausesSummary() {
    String text = Render.text(d);

    assertThat(text)
        .startsWith(
            "Verdict: " + d.verdict().name().replace('_', ' ') + "   mail from alice@corp.test");
    for (LikelyCause c : d.likelyCauses()) {
      assertThat(text).contains(c.summary());
    }
    assertThat(text)
        .contains("Findings", "MX of agency.test", "SMTP probe of")
        .doesNotContain("\u001b[");
  }

  @Test
  void ansi_isTheTextWithColour() {
    String ansi = Render.ansi(d);

    assertThat(ansi).contains("\u001b[").startsWith("Verdict: \u001b[");
    assertThat(ansi.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(Render.text(d));
  }

  @Test
  void textOfAReport_isWhatItsSubcommandPrints_verdictDetailsFindings() {
    MxReport mx = d.mx().orElseThrow();
    String text = Render.text(mx);

    assertThat(text)
        .startsWith("Verdict: ")
        .contains("MX of agency.test", "mx.agency.test", "Findings");
    ProbeReport probe = d.smtp().orElseThrow();
    assertThat(Render.text(probe))
        .startsWith("Verdict: ")
        .contains("SMTP probe of", "rcpt_rejected", "RCPT TO");
    assertThat(Render.ansi(probe)).contains("\u001b[");
  }
}
