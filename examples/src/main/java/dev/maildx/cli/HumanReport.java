package dev.maildx.cli;

import dev.maildx.BounceReport;
import dev.maildx.CheckReport;
import dev.maildx.DsnRecipient;
import dev.maildx.DeliveryDiagnosis;
import dev.maildx.Finding;
import dev.maildx.LikelyCause;
import dev.maildx.MxHost;
import dev.maildx.MxReport;
import dev.maildx.Party;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.internal.InetAddresses;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The human-readable report: verdict first, then likely causes, then findings by severity, then
 * the details of each check. Colour (ANSI) only when asked for.
 */
final class HumanReport {
  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String GREEN = "\u001b[32m";
  private static final String DIM = "\u001b[2m";

  /** Report type → details section. Add one entry per new report type. */
  private final Map<Class<? extends CheckReport>, BiConsumer<HumanReport, CheckReport>> details = new LinkedHashMap<>();

  private final PrintWriter out;
  private final boolean colour;

  HumanReport(PrintWriter out, boolean colour) {
    this.out = out;
    this.colour = colour;
    details.put(MxReport.class, (h, r) -> h.mx((MxReport) r));
    details.put(BounceReport.class, (h, r) -> h.bounce((BounceReport) r));
  }

  /** Whether standard output should get colour: a terminal, and NO_COLOR unset. */
  static boolean colourWanted() {
    return System.console() != null && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
  }

  void diagnosis(DeliveryDiagnosis d) {
    out.println(bold("maildx diagnosis") + "  " + d.question());
    out.println("Verdict: " + verdict(d.verdict()) + dim("   (" + d.elapsed().toMillis() + " ms)"));
    out.println();
    if (!d.likelyCauses().isEmpty()) {
      out.println(bold("Likely causes"));
      int i = 1;
      for (LikelyCause c : d.likelyCauses()) {
        out.println("  " + i++ + ". " + c.summary() + dim("  [" + c.confidence().name().toLowerCase(Locale.ROOT) + " confidence]"));
        out.println("     Who must act: " + party(c.party()));
        out.println("     What to do:   " + c.action());
        out.println("     Evidence:     " + c.evidence().stream().map(f -> f.code() + " (" + f.check() + ")").distinct()
            .collect(Collectors.joining(", ")));
      }
      out.println();
    }
    findings(d.findings());
    for (CheckReport r : d.reports()) {
      report(r);
    }
    out.flush();
  }

  void findings(List<Finding> findings) {
    out.println(bold("Findings"));
    if (findings.isEmpty()) {
      out.println("  none");
    }
    for (Finding f : findings) {
      String sev = f.inconclusive() ? "UNKNOWN" : f.severity().name();
      out.println("  " + severity(f, String.format("%-8s", sev)) + " " + dim(String.format("%-10s", f.check())) + " " + f.code());
      out.println("           " + f.message() + f.rfc().map(x -> dim(" [" + x + "]")).orElse(""));
    }
    out.println();
  }

  void report(CheckReport r) {
    for (Map.Entry<Class<? extends CheckReport>, BiConsumer<HumanReport, CheckReport>> e : details.entrySet()) {
      if (e.getKey().isInstance(r)) {
        e.getValue().accept(this, r);
        out.println();
        return;
      }
    }
  }

  void mx(MxReport r) {
    out.println(bold("MX of " + r.domain().unicode()) + (r.check().equals("sender-mx") ? dim(" (sender's domain: where replies and bounces go)") : ""));
    if (r.nullMx()) {
      out.println("  0 .   (null MX: accepts no mail)");
    } else if (r.hosts().isEmpty()) {
      out.println("  no mail servers (" + r.lookup().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
    }
    for (MxHost h : r.hosts()) {
      String addrs = h.addresses().isEmpty() ? "(" + h.addressLookup().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")"
          : h.addresses().stream().map(InetAddresses::toLiteral).collect(Collectors.joining(", "));
      out.println(String.format("  %5d  %-40s %s", h.preference(), h.name(), addrs) + (r.implicit() ? dim("  (implicit MX)") : ""));
    }
  }

  void bounce(BounceReport r) {
    out.println(bold("Bounce " + r.source()) + dim("  (" + r.kind().name().toLowerCase(Locale.ROOT) + ", " + r.format()
        + (r.reportingMta() == null ? "" : ", from " + r.reportingMta()) + ")"));
    if (r.originalMessageId() != null) {
      out.println("  original message: " + r.originalMessageId());
    }
    for (DsnRecipient d : r.recipients()) {
      out.println("  " + d.recipient() + "  " + d.action().name().toLowerCase(Locale.ROOT) + "  " + (d.status() == null ? "-" : d.status())
          + "  " + (d.replyCode() == null ? "-" : d.replyCode()) + "  " + d.reason().id() + (d.hardBounce() ? "  (hard bounce)" : ""));
      out.println("     " + d.explanation());
      if (d.party() != null) {
        out.println("     Who must act: " + party(d.party()));
      }
      if (d.diagnosticCode() != null) {
        out.println(dim("     " + d.diagnosticCode()));
      }
    }
  }

  /** One line per recipient (or per message without recipients) of the {@code bounce} summary table. */
  void bounceRow(BounceReport r) {
    String src = r.source().length() > 40 ? "..." + r.source().substring(r.source().length() - 37) : r.source();
    String kind = r.kind().name().toLowerCase(Locale.ROOT);
    if (r.recipients().isEmpty()) {
      out.println(String.format("%-40s %-10s %-36s %-8s %-5s %-16s %s", src, kind, "-", "-", "-", "-", "-"));
    }
    for (DsnRecipient d : r.recipients()) {
      String rc = d.recipient().length() > 36 ? d.recipient().substring(0, 33) + "..." : d.recipient();
      out.println(String.format("%-40s %-10s %-36s %-8s %-5s %-16s %s", src, kind, rc, d.status() == null ? "-" : d.status(),
          d.replyCode() == null ? "-" : d.replyCode(), d.reason().id(), d.hardBounce() ? "yes" : "no"));
    }
  }

  String verdict(Verdict v) {
    String text = v.name().replace('_', ' ');
    switch (v) {
      case DELIVERABLE:
        return paint(GREEN + BOLD, text);
      case AT_RISK:
        return paint(YELLOW + BOLD, text);
      case UNDELIVERABLE:
        return paint(RED + BOLD, text);
      default:
        return paint(BOLD, text);
    }
  }

  static String party(Party p) {
    switch (p) {
      case SENDER_DNS_ADMIN:
        return "the sender's DNS administrator";
      case SENDER_MAIL_PROVIDER:
        return "the sender's mail provider";
      case SENDER:
        return "the sender";
      case RECIPIENT_DNS_ADMIN:
        return "the recipient's DNS administrator";
      case RECIPIENT_POSTMASTER:
        return "the recipient's postmaster";
      default:
        return "nobody: it should resolve by waiting";
    }
  }

  private String severity(Finding f, String text) {
    if (f.inconclusive()) {
      return paint(BOLD, text);
    }
    return f.severity() == Severity.ERROR ? paint(RED, text) : f.severity() == Severity.WARNING ? paint(YELLOW, text) : dim(text);
  }

  String bold(String s) {
    return paint(BOLD, s);
  }

  String dim(String s) {
    return paint(DIM, s);
  }

  private String paint(String code, String s) {
    return colour ? code + s + RESET : s;
  }

  PrintWriter out() {
    return out;
  }
}
