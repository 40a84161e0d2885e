package dev.maildx.render;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.Finding;
import dev.maildx.LikelyCause;
import dev.maildx.Party;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.BounceReport;
import dev.maildx.report.CheckReport;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.SpfReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The human-readable report: verdict first, then likely causes, then findings by severity, then the
 * details of each check. Colour (ANSI) only when asked for.
 */
final class HumanReport {
  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String GREEN = "\u001b[32m";
  private static final String DIM = "\u001b[2m";

  /** Report type → details section. Add one entry per new report type. */
  private final Map<Class<? extends CheckReport>, BiConsumer<HumanReport, CheckReport>> details =
      new LinkedHashMap<>();

  private final PrintWriter out;
  private final boolean colour;

  /** The likely causes of the diagnosis being rendered, for the bounce block's "who must act". */
  private List<LikelyCause> causes = List.of();

  HumanReport(PrintWriter out, boolean colour) {
    this.out = out;
    this.colour = colour;
    details.put(MxReport.class, (h, r) -> h.mx((MxReport) r));
    details.put(BounceReport.class, (h, r) -> h.bounce((BounceReport) r));
    details.put(ProbeReport.class, (h, r) -> h.smtp((ProbeReport) r, false));
    details.put(SpfReport.class, (h, r) -> h.spf((SpfReport) r));
    details.put(DmarcReport.class, (h, r) -> h.dmarc((DmarcReport) r));
    details.put(DkimKeysReport.class, (h, r) -> h.dkim((DkimKeysReport) r));
    details.put(
        dev.maildx.report.MtaStsReport.class,
        (h, r) -> PolicyHuman.mtaSts(h, (dev.maildx.report.MtaStsReport) r));
    details.put(
        dev.maildx.report.TlsRptReport.class,
        (h, r) -> PolicyHuman.tlsRpt(h, (dev.maildx.report.TlsRptReport) r));
    details.put(
        dev.maildx.report.BimiReport.class,
        (h, r) -> PolicyHuman.bimi(h, (dev.maildx.report.BimiReport) r));
    details.put(
        dev.maildx.report.DnssecReport.class,
        (h, r) -> PolicyHuman.dnssec(h, (dev.maildx.report.DnssecReport) r));
    details.put(
        dev.maildx.report.TlsaReport.class,
        (h, r) -> PolicyHuman.tlsa(h, (dev.maildx.report.TlsaReport) r));
    details.put(
        dev.maildx.report.ReverseDnsReport.class,
        (h, r) -> PolicyHuman.reverseDns(h, (dev.maildx.report.ReverseDnsReport) r));
    details.put(
        dev.maildx.report.DnsblReport.class,
        (h, r) -> PolicyHuman.dnsbl(h, (dev.maildx.report.DnsblReport) r));
    details.put(
        dev.maildx.report.AuthReport.class,
        (h, r) -> AuthHuman.report(h, (dev.maildx.report.AuthReport) r));
  }

  /**
   * Verdict first, then the likely causes with their evidence, then every finding, then each
   * check's details.
   */
  void diagnosis(DeliveryDiagnosis d) {
    causes = d.likelyCauses();
    out.println(
        "Verdict: "
            + verdict(d.verdict())
            + "   "
            + describe(d.question())
            + dim("   (" + d.elapsed().toMillis() + " ms)"));
    out.println();
    if (!d.likelyCauses().isEmpty()) {
      out.println(bold("Likely causes"));
      int i = 1;
      for (LikelyCause c : d.likelyCauses()) {
        out.println(
            "  "
                + i++
                + ". "
                + c.summary()
                + dim(
                    "  ["
                        + c.confidence().name().toLowerCase(Locale.ROOT)
                        + " confidence, "
                        + c.effect().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + "]"));
        out.println("     Who must act: " + party(c.party()));
        out.println("     What to do:   " + c.action());
        String label = "     Evidence:     ";
        for (Finding f : c.evidence()) {
          out.println(label + f.code() + " (" + f.check() + ")" + dim(evidenceData(f)));
          label = "                   ";
        }
      }
      out.println();
    }
    findings(d.findings());
    for (CheckReport r : d.reports()) {
      report(r);
    }
    out.flush();
  }

  /** The first line of a one-check command's report: the verdict its findings imply. */
  void verdictLine(List<Finding> findings) {
    out.println("Verdict: " + verdict(implied(findings)));
    out.println();
  }

  /** The verdict findings alone imply: the worst of their effects. */
  static Verdict implied(List<Finding> findings) {
    Verdict v = Verdict.DELIVERABLE;
    for (Finding f : findings) {
      v = v.and(f.effect());
    }
    return v;
  }

  /**
   * One check's report on its own, as its subcommand prints it: the verdict its findings imply (not
   * for a received message's authentication, whose own lines say what passed and failed), the
   * details (of an SMTP probe with every transcript, not only those of failed conversations), then
   * the findings.
   */
  void alone(CheckReport r) {
    if (!(r instanceof dev.maildx.report.AuthReport)) {
      verdictLine(r.findings());
    }
    if (r instanceof ProbeReport) {
      smtp((ProbeReport) r, true);
      out.println();
    } else {
      report(r);
    }
    findings(r.findings());
    out.flush();
  }

  /** "mail from A (IP) to B", from the question. */
  static String describe(dev.maildx.DeliveryQuestion q) {
    StringBuilder b = new StringBuilder("mail");
    q.from().ifPresent(a -> b.append(" from ").append(a));
    q.sendingIp().ifPresent(ip -> b.append(" (").append(InetAddresses.toLiteral(ip)).append(')'));
    if (q.recipient().isPresent()) {
      b.append(" to ").append(q.recipient().get());
    } else {
      q.recipientDomain().ifPresent(x -> b.append(" to ").append(x.unicode()));
    }
    q.bounce().ifPresent(p -> b.append(", notice ").append(p.getFileName()));
    return b.toString();
  }

  /** A few pieces of a finding's raw evidence, for one line. */
  static String evidenceData(Finding f) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (Map.Entry<String, String> e : f.evidence().entrySet()) {
      if (e.getValue().isEmpty()
          || List.of("decision", "explanation", "party").contains(e.getKey())) {
        continue;
      }
      String v = e.getValue().replaceAll("\\s+", " ");
      b.append(n == 0 ? "  " : ", ")
          .append(e.getKey())
          .append('=')
          .append(v.length() > 90 ? v.substring(0, 87) + "..." : v);
      if (++n == 3) {
        break;
      }
    }
    return b.toString();
  }

  void findings(List<Finding> findings) {
    out.println(bold("Findings"));
    if (findings.isEmpty()) {
      out.println("  none");
    }
    for (Finding f : findings) {
      String sev = f.inconclusive() ? "UNKNOWN" : f.severity().name();
      out.println(
          "  "
              + severity(f, String.format("%-8s", sev))
              + " "
              + dim(String.format("%-10s", f.check()))
              + " "
              + f.code());
      out.println(
          "           "
              + f.message()
              + java.util.Optional.ofNullable(f.reference())
                  .map(x -> dim(" [" + x + "]"))
                  .orElse(""));
    }
    out.println();
  }

  void report(CheckReport r) {
    for (Map.Entry<Class<? extends CheckReport>, BiConsumer<HumanReport, CheckReport>> e :
        details.entrySet()) {
      if (e.getKey().isInstance(r)) {
        e.getValue().accept(this, r);
        out.println();
        return;
      }
    }
  }

  void mx(MxReport r) {
    out.println(
        bold("MX of " + r.domain().unicode())
            + (r.check().equals("sender-mx")
                ? dim(" (sender's domain: where replies and bounces go)")
                : ""));
    if (r.nullMx()) {
      out.println("  0 .   (null MX: accepts no mail)");
    } else if (r.hosts().isEmpty()) {
      out.println(
          "  no mail servers ("
              + r.lookup().name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + ")");
    }
    for (MxReport.Host h : r.hosts()) {
      String addrs =
          h.addresses().isEmpty()
              ? "(" + h.addressLookup().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")"
              : h.addresses().stream()
                  .map(InetAddresses::toLiteral)
                  .collect(Collectors.joining(", "));
      out.println(
          String.format("  %5d  %-40s %s", h.preference(), h.name(), addrs)
              + (r.implicit() ? dim("  (implicit MX)") : ""));
    }
  }

  void dmarc(DmarcReport r) {
    out.println(bold("DMARC of " + r.domain().unicode()));
    DmarcRecord d = r.record();
    if (d == null) {
      out.println(
          "  no DMARC policy applies ("
              + r.lookup().name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + " at _dmarc."
              + r.domain()
              + ")");
    } else {
      out.println(
          "  record    "
              + d.text()
              + dim("  (at _dmarc." + r.policyDomain() + (r.ownRecord() ? ")" : ", inherited)")));
      String policy = r.policy() == null ? "none" : r.policy().tagValue();
      String eff = r.effectivePolicy().map(DmarcRecord.Policy::tagValue).orElse(policy);
      out.println(
          "  policy    "
              + policy
              + (eff.equals(policy) ? "" : " (t=y: applied as " + eff + ")")
              + dim(
                  "   sp="
                      + d.effectiveSubdomainPolicy().tagValue()
                      + " np="
                      + d.effectiveNonExistentPolicy().tagValue()
                      + " adkim="
                      + (d.dkimAlignment() == DmarcRecord.Alignment.STRICT ? "s" : "r")
                      + " aspf="
                      + (d.spfAlignment() == DmarcRecord.Alignment.STRICT ? "s" : "r")
                      + (d.percent() < 100 ? " pct=" + d.percent() : "")));
    }
    out.println(
        "  org domain  tree walk (RFC 9989): "
            + (r.organizationalDomain() == null ? "unknown" : r.organizationalDomain())
            + "   public suffix list (RFC 7489): "
            + r.pslOrganizationalDomain()
            + (r.methodsAgree() ? "" : "   " + bold("(they disagree)")));
    StringBuilder walk = new StringBuilder();
    for (DmarcReport.Lookup l : r.treeWalk()) {
      walk.append(walk.length() == 0 ? "" : ", ")
          .append(l.name())
          .append(' ')
          .append(
              l.record() != null
                  ? "record"
                  : l.dmarcRecords() > 1
                      ? l.dmarcRecords() + " records"
                      : l.outcome().name().toLowerCase(Locale.ROOT));
    }
    out.println(dim("  walked    " + walk));
    for (DmarcReport.Destination x : r.reportDestinations()) {
      out.println(
          "  "
              + x.tag()
              + "       "
              + x.uri()
              + dim(
                  "  ("
                      + x.authorization().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                      + ")"));
    }
  }

  void dkim(DkimKeysReport r) {
    out.println(bold("DKIM keys of " + r.domain().unicode()));
    int shown = 0;
    for (DkimKeysReport.Selector s : r.selectors()) {
      boolean interesting =
          s.key() != null
              || s.source() == DkimKeysReport.Selector.Source.GIVEN
              || !s.cnameChain().isEmpty();
      if (!interesting) {
        continue;
      }
      shown++;
      DkimKeysReport.Key k = s.key();
      String what;
      if (k == null) {
        what = s.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      } else if (k.revoked()) {
        what = "revoked";
      } else if (k.publicKey() == null) {
        what = "unusable " + k.keyTypeName() + " key";
      } else {
        what =
            k.keyType().name().toLowerCase(Locale.ROOT)
                + (k.keyType() == DkimKeysReport.Key.KeyType.RSA ? " " + k.keyBits() + " bits" : "")
                + (k.testing() ? ", testing" : "");
      }
      out.println(
          String.format("  %-14s %s", s.selector(), what)
              + (s.cnameChain().isEmpty()
                  ? ""
                  : dim("  via CNAME " + String.join(" -> ", s.cnameChain())))
              + (s.source() == DkimKeysReport.Selector.Source.GIVEN ? dim("  (given)") : ""));
    }
    if (shown == 0) {
      out.println("  no key under the " + r.selectors().size() + " selectors tried");
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
    return f.severity() == Severity.ERROR
        ? paint(RED, text)
        : f.severity() == Severity.WARNING ? paint(YELLOW, text) : dim(text);
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

  /** SPF: the result line, then the record tree with every term and what it gave. */
  void spf(SpfReport r) {
    String ip = r.ip() == null ? "no sending IP" : InetAddresses.toLiteral(r.ip());
    out.println(
        bold("SPF for " + r.identity())
            + dim(
                " ("
                    + (r.scope() == SpfReport.Scope.HELO ? "HELO identity" : "MAIL FROM")
                    + ", "
                    + ip
                    + ")"));
    if (r.spfResult() != null) {
      String res = r.spfResult().name().toLowerCase(Locale.ROOT);
      out.println(
          "  Result: "
              + bold(res)
              + (r.matchedMechanism() != null
                  ? "  (" + r.matchedMechanism() + " in " + r.matchedDomain() + ")"
                  : "")
              + dim(
                  "   DNS lookups "
                      + r.dnsLookups()
                      + "/"
                      + SpfReport.MAX_DNS_LOOKUPS
                      + ", void "
                      + r.voidLookups()
                      + "/"
                      + SpfReport.MAX_VOID_LOOKUPS));
      if (r.explanation() != null) {
        out.println("  Explanation: " + r.explanation());
      }
    } else {
      out.println(
          "  Not evaluated (no sending IP): the record tree as published"
              + dim("   DNS-querying terms " + r.dnsLookups() + "/" + SpfReport.MAX_DNS_LOOKUPS));
    }
    if (r.trace() != null) {
      spfTree(r.trace(), "  ", "");
    }
  }

  private void spfTree(SpfReport.Trace t, String indent, String via) {
    String res = t.result() == null ? "" : "  → " + t.result().name().toLowerCase(Locale.ROOT);
    out.println(
        indent
            + via
            + bold(t.domain())
            + (t.record() != null ? "  \"" + t.record() + "\"" : dim("  (" + t.detail() + ")"))
            + res);
    if (t.records().size() > 1) {
      for (String rec : t.records()) {
        out.println(indent + "    " + dim("record: \"" + rec + "\""));
      }
    }
    List<SpfReport.Term> terms = t.terms();
    for (int i = 0; i < terms.size(); i++) {
      SpfReport.Term term = terms.get(i);
      boolean last = i == terms.size() - 1;
      String branch = last ? "└─ " : "├─ ";
      String mark;
      switch (term.outcome()) {
        case MATCH:
          mark = paint(GREEN, "match   ");
          break;
        case NO_MATCH:
          mark = "no match";
          break;
        case ERROR:
          mark = paint(RED, "error   ");
          break;
        case APPLIED:
          mark = "applied ";
          break;
        default:
          mark = dim("-       ");
          break;
      }
      String line =
          indent + branch + String.format("%-34s", term.term()) + " " + mark + "  " + term.detail();
      out.println(
          term.outcome() == SpfReport.Term.Outcome.NOT_EVALUATED && term.child() == null
              ? dim(line)
              : line);
      if (term.child() != null) {
        spfTree(term.child(), indent + (last ? "   " : "│  "), "");
      }
    }
  }

  /**
   * The SMTP probe, one block per address; the transcript of every host ({@code transcripts}) or
   * only of those that did not accept.
   */
  void smtp(ProbeReport r, boolean transcripts) {
    out.println(
        bold("SMTP probe of " + r.target())
            + dim(
                " (port "
                    + r.port()
                    + (r.recipient() != null ? ", RCPT TO:<" + r.recipient() + ">" : "")
                    + ", "
                    + r.elapsed().toMillis()
                    + " ms)"));
    if (r.hosts().isEmpty()) {
      out.println("  no server probed");
    }
    for (ProbeReport.Host h : r.hosts()) {
      String outcome = h.outcome().name().toLowerCase(Locale.ROOT);
      outcome =
          h.outcome() == ProbeReport.Outcome.ACCEPTED ? paint(GREEN, outcome) : paint(RED, outcome);
      out.println(
          "  " + h.label() + "  " + outcome + (h.detail().isEmpty() ? "" : dim("  " + h.detail())));
      if (h.banner() != null) {
        out.println("    banner      " + h.banner().toString().replace("\n", "\n                "));
      }
      if (!h.extensions().lines().isEmpty()) {
        out.println("    extensions  " + String.join(" ", h.effectiveExtensions().lines()));
      }
      if (h.tls() != null) {
        dev.maildx.report.ProbeReport.Tls t = h.tls();
        out.println("    tls         " + t.protocol() + " " + t.cipherSuite());
        if (t.leaf() != null) {
          out.println(
              "    certificate "
                  + t.leaf().subject()
                  + ", issued by "
                  + t.leaf().issuer()
                  + ", until "
                  + t.leaf().notAfter());
          out.println(
              "                "
                  + (t.trusted() ? "trusted" : "untrusted (" + t.trustProblem() + ")")
                  + "; "
                  + (t.hostnameMatches() ? "names " + h.name() : "does not name " + h.name())
                  + (t.expired() ? "; expired" : ""));
        }
      }
      if (h.dane() != null
          && h.dane().status() != dev.maildx.report.ProbeReport.Dane.Status.NO_RECORDS) {
        out.println(
            "    dane        "
                + h.dane().status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + ": "
                + h.dane().detail());
      }
      if (h.mailFrom() != null) {
        out.println("    mail from   " + h.mailFrom());
      }
      if (h.rcpt() != null) {
        out.println("    rcpt to     " + h.rcpt());
      }
      if (h.catchAll() != null) {
        out.println("    catch-all   " + h.catchAll());
      }
      out.println(
          "    timings     "
              + h.timings().entrySet().stream()
                  .map(
                      e ->
                          e.getKey().name().toLowerCase(Locale.ROOT)
                              + " "
                              + e.getValue().toMillis()
                              + " ms")
                  .collect(Collectors.joining(", "))
              + (h.greetingFirstByte() != null
                  ? dim(" (first greeting byte after " + h.greetingFirstByte().toMillis() + " ms)")
                  : ""));
      if (transcripts || h.outcome() != ProbeReport.Outcome.ACCEPTED) {
        int n = 0;
        for (dev.maildx.report.ProbeReport.TranscriptLine l : h.transcript()) {
          if (n++ == 40) {
            out.println(
                dim("      ... " + (h.transcript().size() - 40) + " more lines (see --json)"));
            break;
          }
          out.println(dim("      " + l));
        }
      }
    }
  }

  /** The number (1-based) of the first likely cause citing a recipient's notice, or 0. */
  private int explainedBy(BounceReport.Recipient d) {
    for (int i = 0; i < causes.size(); i++) {
      boolean cites =
          causes.get(i).evidence().stream()
              .anyMatch(
                  x ->
                      x.check().equals(BounceReport.CHECK)
                          && d.recipient()
                              .equals(x.evidence().get(BounceReport.Evidence.RECIPIENT)));
      if (cites) {
        return i + 1;
      }
    }
    return 0;
  }

  void bounce(BounceReport r) {
    out.println(
        bold("Bounce " + r.source())
            + dim(
                "  ("
                    + r.kind().name().toLowerCase(Locale.ROOT)
                    + ", "
                    + r.format()
                    + (r.reportingMta() == null ? "" : ", from " + r.reportingMta())
                    + ")"));
    if (r.originalMessageId() != null) {
      out.println("  original message: " + r.originalMessageId());
    }
    for (BounceReport.Recipient d : r.recipients()) {
      out.println(
          "  "
              + d.recipient()
              + "  "
              + d.action().name().toLowerCase(Locale.ROOT)
              + "  "
              + (d.status() == null ? "-" : d.status())
              + "  "
              + (d.replyCode() == null ? "-" : d.replyCode())
              + (d.replyCode() != null && d.replySource() == BounceReport.ReplySource.REPORTING_MTA
                  ? " (written by the sending server)"
                  : "")
              + "  "
              + d.reason().id()
              + (d.hardBounce() ? "  (hard bounce)" : ""));
      out.println("     " + d.explanation());
      // One party across cause and notice: when a likely cause explains this recipient, it names
      // who must act (it read the probe and the DNS too); the notice alone is the fallback.
      int n = explainedBy(d);
      if (n > 0) {
        out.println(
            "     Who must act: " + party(causes.get(n - 1).party()) + " (likely cause " + n + ")");
      } else if (d.party() != null) {
        out.println("     Who must act: " + party(d.party()));
      }
      if (d.diagnosticCode() != null) {
        out.println(dim("     " + d.diagnosticCode()));
      }
    }
  }
}
