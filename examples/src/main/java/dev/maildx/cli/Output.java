package dev.maildx.cli;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.render.Render;
import dev.maildx.report.CheckReport;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a subcommand prints for its diagnosis or report: one JSON object on one line with {@code
 * --json}, else the text for people, coloured on a terminal that wants colour. The renderings
 * themselves are maildx-render's ({@link Render}).
 */
final class Output {
  private Output() {}

  static void print(CommandSpec spec, DeliveryDiagnosis d, boolean json) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Render.json(d));
    } else {
      out.print(colourWanted() ? Render.ansi(d) : Render.text(d));
    }
    out.flush();
  }

  static void print(CommandSpec spec, CheckReport r, boolean json) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Render.json(r));
    } else {
      out.print(colourWanted() ? Render.ansi(r) : Render.text(r));
    }
    out.flush();
  }

  /**
   * Whether standard output should get colour: a terminal, and neither NO_COLOR
   * (https://no-color.org) nor TERM=dumb.
   */
  @SuppressWarnings(
      "SystemConsoleNull") // --release 17 has no Console.isTerminal(); see the CHANGELOG
  static boolean colourWanted() {
    return colourWanted(System.console() != null, System.getenv());
  }

  /**
   * The colour rule: only on a terminal; off when {@code NO_COLOR} is set to anything but the empty
   * string, or {@code TERM} is {@code dumb}.
   */
  static boolean colourWanted(boolean terminal, Map<String, String> env) {
    String noColor = env.get("NO_COLOR");
    return terminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
  }
}
