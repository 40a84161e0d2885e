package dev.maildx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.testkit.MockDnsExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The command-line contract of DESIGN.md, across subcommands: names, shared options, verdict first,
 * colour rules.
 */
class CliContractTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  @Test
  void everySubcommandOfTheContract_isThere_withItsOptions() {
    CommandLine cli = new CommandLine(new MaildxCommand());
    Map<String, CommandLine> subs = cli.getSubcommands();
    assertThat(subs)
        .containsKeys("diagnose", "mx", "spf", "dmarc", "dkim", "probe", "bounce", "audit", "demo");
    for (String networked : List.of("diagnose", "mx", "spf", "dmarc", "dkim", "probe", "audit")) {
      assertThat(subs.get(networked).getCommandSpec().optionsMap())
          .as(networked)
          .containsKeys("--dns", "--timeout");
    }
    for (String json :
        List.of("diagnose", "mx", "spf", "dmarc", "dkim", "probe", "bounce", "demo")) {
      assertThat(subs.get(json).getCommandSpec().optionsMap()).as(json).containsKey("--json");
    }
    assertThat(subs.get("diagnose").getCommandSpec().optionsMap())
        .containsKeys(
            "--from",
            "--ip",
            "--bounce",
            "--selector",
            "--no-smtp",
            "--smtp-port",
            "--html",
            "--message");
    assertThat(subs.get("probe").getCommandSpec().optionsMap()).containsKeys("--port", "--rcpt");
    assertThat(subs.get("spf").getCommandSpec().optionsMap()).containsKeys("--helo");
    assertThat(subs.get("dkim").getCommandSpec().optionsMap()).containsKeys("--selector");
    assertThat(subs.get("audit").getCommandSpec().optionsMap()).containsKeys("--out");
  }

  @Test
  void humanReports_putTheVerdictFirst_withoutColourWhenNotATerminal() {
    dns.server()
        .mx("ok.test", 10, "mx.ok.test")
        .a("mx.ok.test", "8.8.8.8")
        .txt("ok.test", "v=spf1 ip4:8.8.8.8 -all")
        .txt("_dmarc.ok.test", "v=DMARC1; p=reject; rua=mailto:d@ok.test");
    String d = dns.server().hostPort();
    for (String[] args :
        List.of(
            new String[] {"mx", "ok.test", "--dns", d},
            new String[] {"spf", "8.8.8.8", "a@ok.test", "--dns", d},
            new String[] {"dmarc", "ok.test", "--dns", d},
            new String[] {"dkim", "ok.test", "--dns", d},
            new String[] {"diagnose", "ok.test", "--no-smtp", "--dns", d})) {
      CliRun r = CliRun.of(args);
      assertThat(r.out())
          .as(String.join(" ", args))
          .startsWith("Verdict: ")
          .doesNotContain("\u001b[");
    }
  }

  @Test
  void colour_onlyOnATerminal_andNeverWithNoColorOrADumbTerminal() {
    assertThat(Output.colourWanted(true, Map.of())).isTrue();
    assertThat(Output.colourWanted(false, Map.of())).isFalse();
    assertThat(Output.colourWanted(true, Map.of("NO_COLOR", "1"))).isFalse();
    assertThat(Output.colourWanted(true, Map.of("NO_COLOR", "")))
        .isTrue(); // https://no-color.org: set and not empty
    assertThat(Output.colourWanted(true, Map.of("TERM", "dumb"))).isFalse();
  }
}
