package dev.maildx.render;

import dev.maildx.report.BounceReport;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The summary table of {@code maildx bounce}: a header line, one row per recipient of each notice
 * (one row of dashes for a notice without recipients), then the totals. Columns are fixed-width and
 * a cell is never empty: a value that is absent or blank is shown as {@code -}, so every row has
 * the same seven columns for a reader and for a script that splits on white space.
 */
final class BounceTable {
  private static final int SOURCE = 40;
  private static final int RECIPIENT = 36;
  private static final String NL = System.lineSeparator();

  private BounceTable() {}

  static String header() {
    return row("SOURCE", "KIND", "RECIPIENT", "STATUS", "REPLY", "REASON", "HARD");
  }

  static String rows(BounceReport r) {
    String src = cell(r.source());
    if (src.length() > SOURCE) {
      src = "..." + src.substring(src.length() - (SOURCE - 3));
    }
    String kind = r.kind().name().toLowerCase(Locale.ROOT);
    if (r.recipients().isEmpty()) {
      return row(src, kind, "-", "-", "-", "-", "-");
    }
    StringBuilder b = new StringBuilder();
    for (BounceReport.Recipient d : r.recipients()) {
      String rcpt = cell(d.recipient());
      if (rcpt.length() > RECIPIENT) {
        rcpt = rcpt.substring(0, RECIPIENT - 3) + "...";
      }
      b.append(
          row(
              src,
              kind,
              rcpt,
              cell(d.status()),
              cell(d.replyCode()),
              cell(d.reason().id()),
              d.hardBounce() ? "yes" : "no"));
    }
    return b.toString();
  }

  static String totals(Map<BounceReport.Kind, Integer> messages, int unreadable) {
    int total = 0;
    StringBuilder kinds = new StringBuilder();
    for (BounceReport.Kind k : BounceReport.Kind.values()) {
      Integer n = messages.get(k);
      if (n == null || n <= 0) {
        continue;
      }
      total += n;
      kinds
          .append(kinds.length() == 0 ? "" : ", ")
          .append(n)
          .append(' ')
          .append(k.name().toLowerCase(Locale.ROOT));
    }
    return NL
        + "Messages: "
        + total
        + (kinds.length() == 0 ? "" : " (" + kinds + ")") // no empty "()" when nothing was read
        + (unreadable > 0 ? ", " + unreadable + " could not be read" : "")
        + NL;
  }

  private static String row(Object... cells) {
    return String.format(Locale.ROOT, "%-40s %-10s %-36s %-8s %-5s %-16s %s", cells) + NL;
  }

  private static String cell(@Nullable Object value) {
    String s = value == null ? "" : value.toString();
    return s.isBlank() ? "-" : s;
  }
}
