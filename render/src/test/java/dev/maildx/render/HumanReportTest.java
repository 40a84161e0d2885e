package dev.maildx.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.Verdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The text report's colour: ANSI only when asked for. */
class HumanReportTest {
  @Test
  void withColour_theVerdictIsPainted() {
    StringWriter w = new StringWriter();
    HumanReport h = new HumanReport(new PrintWriter(w), true);
    assertThat(h.verdict(Verdict.UNDELIVERABLE))
        .isEqualTo("\u001b[31m\u001b[1mUNDELIVERABLE\u001b[0m");
    assertThat(new HumanReport(new PrintWriter(w), false).verdict(Verdict.AT_RISK))
        .isEqualTo("AT RISK");
  }
}
