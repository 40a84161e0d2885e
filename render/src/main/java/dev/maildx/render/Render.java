package dev.maildx.render;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.report.BounceReport;
import dev.maildx.report.CheckReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * Renderings of a {@link DeliveryDiagnosis}, or of one check's {@link CheckReport}, for people
 * (text, ANSI-coloured text, HTML) and for programs (JSON).
 *
 * <p>The JSON is the contract of the {@code maildx} command line's {@code --json}: field names in
 * camelCase, enum values in lower snake case, one object per check report keyed by the check's name
 * in camelCase ({@code mx}, {@code spf}, {@code senderMx}, ...), durations in milliseconds,
 * instants in ISO-8601. The text is what {@code maildx} prints: the verdict first, then the likely
 * causes, the findings and each check's details. The HTML is one self-contained page: inline CSS
 * and SVG, no script, nothing loaded from anywhere, every text from the network or the question
 * escaped.
 *
 * <p>Every method is a pure function of its argument: thread-safe, no state, nothing cached. A
 * report type this module has no rendering for (a check a third party contributes) is rendered with
 * its check name and findings.
 *
 * <pre>{@code
 * DeliveryDiagnosis d = maildx.diagnose(question);
 * System.out.print(Render.text(d));
 * Files.writeString(Path.of("diagnosis.json"), Render.json(d));
 * Files.writeString(Path.of("diagnosis.html"), Render.html(d));
 * }</pre>
 */
public final class Render {
  private Render() {}

  /**
   * Renders a diagnosis as plain text: the verdict and the question, the likely causes with who
   * must act and their evidence, every finding, then the details of each check.
   *
   * @param diagnosis the diagnosis
   * @return lines ending in the platform's line separator; no escape sequences
   */
  public static String text(DeliveryDiagnosis diagnosis) {
    return text(diagnosis, false);
  }

  /**
   * Renders one check's report as plain text, as the {@code maildx} subcommand for that check
   * prints it: the verdict its findings imply, the details (of an SMTP probe, the transcript of
   * every conversation), then the findings. A received message's authentication report has no
   * verdict line: its own lines say what passed and what failed.
   *
   * @param report the report, for example an {@code MxReport}
   * @return lines ending in the platform's line separator; no escape sequences
   */
  public static String text(CheckReport report) {
    return text(report, false);
  }

  /**
   * Renders a diagnosis as {@link #text(DeliveryDiagnosis)} does, with ANSI colour and bold for a
   * terminal: the verdict, severities, SMTP outcomes. Whether a terminal wants colour (for example
   * {@code NO_COLOR}) is the caller's decision.
   *
   * @param diagnosis the diagnosis
   * @return the text with ANSI SGR escape sequences
   */
  public static String ansi(DeliveryDiagnosis diagnosis) {
    return text(diagnosis, true);
  }

  /**
   * Renders one check's report as {@link #text(CheckReport)} does, with ANSI colour and bold for a
   * terminal.
   *
   * @param report the report
   * @return the text with ANSI SGR escape sequences
   */
  public static String ansi(CheckReport report) {
    return text(report, true);
  }

  /**
   * Renders a diagnosis as one JSON object: {@code verdict}, {@code question}, {@code
   * likelyCauses[]} (ranked, each with {@code party}, {@code action} and its evidence as finding
   * objects), {@code findings[]} ({@code code}, {@code severity}, {@code effect}, {@code check},
   * {@code message}, {@code evidence}, {@code rfc}), {@code startedAt}, {@code elapsedMs}, and one
   * object per check report, keyed by the check's name in camelCase.
   *
   * @param diagnosis the diagnosis
   * @return compact JSON on one line, without a line end
   */
  public static String json(DeliveryDiagnosis diagnosis) {
    return JsonReport.write(new JsonReport().diagnosis(diagnosis));
  }

  /**
   * Renders one check's report as one JSON object, the same object {@link #json(DeliveryDiagnosis)}
   * holds under the check's name (for example {@code hosts[]}, {@code nullMx}, {@code implicit} and
   * {@code findings[]} of an {@code MxReport}).
   *
   * @param report the report
   * @return compact JSON on one line, without a line end
   */
  public static String json(CheckReport report) {
    return JsonReport.write(new JsonReport().report(report));
  }

  /**
   * Renders a diagnosis as one self-contained HTML page: the verdict, the likely causes with their
   * evidence, the SPF record tree, the MX hosts with the phases of each SMTP conversation on a
   * timeline, the notice the sender received, every finding, and each check's details. A Content
   * Security Policy forbids loading anything; every text is escaped.
   *
   * @param diagnosis the diagnosis
   * @return the whole HTML document, UTF-8 characters (the page declares {@code charset=utf-8})
   */
  public static String html(DeliveryDiagnosis diagnosis) {
    return HtmlReport.render(diagnosis);
  }

  /**
   * The header line of the bounce summary table, as {@code maildx bounce} prints it: the columns
   * {@code SOURCE}, {@code KIND}, {@code RECIPIENT}, {@code STATUS} (RFC 3463 enhanced status
   * code), {@code REPLY} (RFC 5321 reply code), {@code REASON} (the bounce-reason taxonomy) and
   * {@code HARD}. Print it once, then {@link #bounceTableRows(BounceReport)} for each notice as it
   * is read, then {@link #bounceTableTotals(Map, int)}; a batch of any size is printed as it goes.
   *
   * @return the line, ending in the platform's line separator
   */
  public static String bounceTableHeader() {
    return BounceTable.header();
  }

  /**
   * The rows of the bounce summary table for one notice (RFC 3464, or an MTA's own format): one per
   * recipient, or one for a notice without recipients (a feedback report, an auto-reply, a message
   * that is not a notice). Columns are fixed-width: a longer source keeps its end, a longer
   * recipient its start. No cell is empty: a value that is absent or blank reads {@code -}, so
   * every row splits on white space into the same seven columns.
   *
   * @param report the notice as read
   * @return the rows, each ending in the platform's line separator
   */
  public static String bounceTableRows(BounceReport report) {
    return BounceTable.rows(report);
  }

  /**
   * The end of the bounce summary table: an empty line, then how many messages were read, by kind
   * in the order of {@link BounceReport.Kind} (for example {@code Messages: 3 (2 bounce, 1 delay)};
   * {@code Messages: 0} when there were none), and how many could not be read.
   *
   * @param messages how many messages of each kind were read; kinds absent or counted 0 are left
   *     out
   * @param unreadable how many of them could not be read (their reports carry {@link
   *     BounceReport.Code#BOUNCE_READ_FAILED}); not shown when 0
   * @return the empty line and the totals line, each ending in the platform's line separator
   */
  public static String bounceTableTotals(Map<BounceReport.Kind, Integer> messages, int unreadable) {
    return BounceTable.totals(messages, unreadable);
  }

  private static String text(DeliveryDiagnosis diagnosis, boolean colour) {
    StringWriter w = new StringWriter();
    new HumanReport(new PrintWriter(w), colour).diagnosis(diagnosis);
    return w.toString();
  }

  private static String text(CheckReport report, boolean colour) {
    StringWriter w = new StringWriter();
    new HumanReport(new PrintWriter(w), colour).alone(report);
    return w.toString();
  }
}
