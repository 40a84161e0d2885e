package dev.maildx.cli;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.MailDiagnostics;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code maildx demo}: the story of DESIGN.md, replayed offline against testkit servers on
 * loopback.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Replay the botched cloud migration offline: a sender whose MX and SPF were left half-moved, the delay notice it got, "
            + "a recipient agency, and the diagnosis maildx gives. Needs no network.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the diagnosis as one JSON object.")
  boolean json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Also write the diagnosis as a self-contained HTML page to FILE.")
  java.nio.file.@org.jspecify.annotations.Nullable Path html;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (DemoScenario scenario = DemoScenario.start();
        MailDiagnostics maildx = scenario.configure(MailDiagnostics.builder()).build()) {
      if (!json) {
        out.println(
            "Brightwater Ltd moved its mail from OldHost to CloudMail. Since then, mail from");
        out.println(
            DemoScenario.SENDER
                + " (sent by CloudMail from "
                + DemoScenario.SENDING_IP
                + ") to "
                + DemoScenario.RECIPIENT);
        out.println(
            "does not arrive; hours later Alice got a \"Delayed Mail (still being retried)\" notice from CloudMail.");
        out.println(
            "maildx, given that notice, against a simulated Internet on "
                + scenario.dns().hostPort()
                + ":");
        out.println();
      }
      DeliveryDiagnosis d = maildx.diagnose(scenario.question());
      Output.print(spec, d, json);
      if (html != null) {
        DiagnoseCommand.writeHtml(spec, d, html);
      }
      return Main.OK;
    }
  }
}
