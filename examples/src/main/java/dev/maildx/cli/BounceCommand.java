package dev.maildx.cli;

import dev.maildx.bounce.BounceParser;
import dev.maildx.render.Render;
import dev.maildx.report.BounceReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maildx bounce <file|maildir|mbox>...}: parses and classifies delivery notices, one JSON
 * object per message per line with {@code --json}, or a summary table. A batch never stops on one
 * bad message.
 */
@Command(
    name = "bounce",
    mixinStandardHelpOptions = true,
    description =
        "Parse and classify bounce, delay and feedback notices: message files, Maildirs, directories or mbox files.")
final class BounceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE|MAILDIR|MBOX", description = "Messages to read.")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--json", description = "Print one JSON object per message, one per line.")
  boolean json;

  @Override
  public Integer call() {
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("no such file or directory: " + p);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    Map<BounceReport.Kind, Integer> counts = new EnumMap<>(BounceReport.Kind.class);
    int[] unreadable = {0};
    if (!json) {
      out.print(Render.bounceTableHeader());
    }
    BounceParser parser = BounceParser.create();
    for (Path p : paths) {
      parser.parseAll(
          p,
          r -> {
            counts.merge(r.kind(), 1, Integer::sum);
            if (r.findings().stream().anyMatch(f -> f.is(BounceReport.Code.BOUNCE_READ_FAILED))) {
              unreadable[0]++;
            }
            if (json) {
              out.println(Render.json(r));
            } else {
              out.print(Render.bounceTableRows(r));
            }
            out.flush();
          });
    }
    if (!json) {
      out.print(Render.bounceTableTotals(counts, unreadable[0]));
      out.flush();
    }
    if (counts.getOrDefault(BounceReport.Kind.BOUNCE, 0)
            + counts.getOrDefault(BounceReport.Kind.DELAY, 0)
        > 0) {
      return Main.PROBLEMS;
    }
    return unreadable[0] > 0 ? Main.INCONCLUSIVE : Main.OK;
  }
}
