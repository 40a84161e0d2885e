package dev.maildx.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * The {@code maildx} command: {@code java -jar maildx-cli.jar <subcommand> ...}.
 *
 * <p>Exit codes: {@value #OK} no problem found; {@value #PROBLEMS} problems found; {@value #USAGE}
 * usage error or bad input; {@value #INCONCLUSIVE} could not complete. Errors go to stderr in one
 * line.
 */
public final class Main {
  /** No problem found. */
  public static final int OK = 0;

  /** Problems found. */
  public static final int PROBLEMS = 1;

  /** Usage error or bad input. */
  public static final int USAGE = 2;

  /** Could not complete (inconclusive). */
  public static final int INCONCLUSIVE = 3;

  private Main() {}

  /**
   * Runs the command and exits with its code.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command with the given streams (for tests and embedding).
   *
   * @param args command-line arguments
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter o =
        new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e =
        new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cli = new CommandLine(new MaildxCommand());
    cli.setOut(o);
    cli.setErr(e);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof IllegalArgumentException) {
            commandLine.getErr().println("maildx: " + oneLine(ex.getMessage()));
            return USAGE;
          }
          commandLine
              .getErr()
              .println("maildx: could not complete: " + oneLine(String.valueOf(ex)));
          return INCONCLUSIVE;
        });
    cli.setParameterExceptionHandler(
        (ex, args1) -> {
          ex.getCommandLine().getErr().println("maildx: " + oneLine(ex.getMessage()));
          ex.getCommandLine()
              .getErr()
              .println("Try 'maildx " + commandPath(ex.getCommandLine()) + "--help' for usage.");
          return USAGE;
        });
    int code = cli.execute(args);
    o.flush();
    e.flush();
    return code;
  }

  private static String commandPath(CommandLine c) {
    StringBuilder b = new StringBuilder();
    for (CommandLine x = c; x.getParent() != null; x = x.getParent()) {
      b.insert(0, x.getCommandName() + " ");
    }
    return b.toString();
  }

  static String oneLine(@Nullable String s) {
    return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
  }
}
