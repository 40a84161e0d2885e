package dev.maildx.render;

import dev.maildx.internal.InetAddresses;
import dev.maildx.report.BimiReport;
import dev.maildx.report.DnsblReport;
import dev.maildx.report.DnssecReport;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.ReverseDnsReport;
import dev.maildx.report.TlsRptReport;
import dev.maildx.report.TlsaRecord;
import dev.maildx.report.TlsaReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Human-readable sections of the domain-policy reports; registered in {@link HumanReport}. */
final class PolicyHuman {
  private PolicyHuman() {}

  private static String word(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  static void mtaSts(HumanReport h, MtaStsReport r) {
    PrintWriter out = h.out();
    out.println(h.bold("MTA-STS of " + r.domain().unicode()));
    if (r.records().isEmpty()) {
      out.println("  no _mta-sts record (" + word(r.lookup()) + ")");
      return;
    }
    r.records().forEach(x -> out.println("  record  " + x));
    out.println(
        "  policy  "
            + r.policyUrl()
            + (r.httpStatus() > 0 ? h.dim("  (HTTP " + r.httpStatus() + ")") : ""));
    r.policy()
        .ifPresent(
            p -> {
              out.println(
                  "  mode    " + word(p.mode()) + ", max_age " + p.maxAge().toSeconds() + " s");
              out.println("  mx      " + String.join(", ", p.mx()));
            });
    if (!r.mxNotMatching().isEmpty()) {
      out.println("  not covered: " + String.join(", ", r.mxNotMatching()));
    }
  }

  static void tlsRpt(HumanReport h, TlsRptReport r) {
    h.out().println(h.bold("TLS-RPT of " + r.domain().unicode()));
    if (r.records().isEmpty()) {
      h.out().println("  no _smtp._tls record (" + word(r.lookup()) + ")");
    }
    r.records().forEach(x -> h.out().println("  record  " + x));
  }

  static void bimi(HumanReport h, BimiReport r) {
    h.out()
        .println(
            h.bold("BIMI of " + r.domain().unicode()) + h.dim(" (selector " + r.selector() + ")"));
    if (r.records().isEmpty()) {
      h.out().println("  no record (" + word(r.lookup()) + ")");
    }
    r.records().forEach(x -> h.out().println("  record  " + x));
  }

  static void dnssec(HumanReport h, DnssecReport r) {
    h.out()
        .println(
            h.bold("DNSSEC of " + r.domain().unicode()) + h.dim("  (" + word(r.method()) + ")"));
    for (DnssecReport.Result x : r.results()) {
      h.out()
          .println(
              String.format(
                  "  %-8s %-5s %-40s %s",
                  word(x.status()),
                  x.type(),
                  x.name(),
                  x.status() == dev.maildx.report.DnssecStatus.SECURE ? "" : h.dim(x.reason())));
    }
  }

  static void tlsa(HumanReport h, TlsaReport r) {
    h.out()
        .println(
            h.bold("TLSA (DANE) of the MX hosts of " + r.domain().unicode())
                + h.dim("  (" + word(r.method()) + ")"));
    for (TlsaReport.Host t : r.hosts()) {
      String recs =
          t.records().isEmpty()
              ? "no TLSA records (" + word(t.lookup()) + ")"
              : t.records().stream()
                  .map(TlsaRecord::toString)
                  .map(s -> s.length() > 40 ? s.substring(0, 40) + "..." : s)
                  .collect(Collectors.joining(", "));
      h.out()
          .println(
              String.format("  %-36s %-13s %s", t.host(), word(t.dnssec()), recs)
                  + (t.daneEnabled() ? h.dim("  DANE") : ""));
    }
  }

  static void reverseDns(HumanReport h, ReverseDnsReport r) {
    h.out()
        .println(
            h.bold(
                r.check().equals("ptr")
                    ? "Reverse DNS of the sending IP"
                    : "Reverse DNS of the MX addresses"));
    for (ReverseDnsReport.Result x : r.results()) {
      String names =
          x.names().isEmpty() ? "no PTR (" + word(x.lookup()) + ")" : String.join(", ", x.names());
      h.out()
          .println(
              String.format("  %-40s %s", InetAddresses.toLiteral(x.address()), names)
                  + (x.forwardConfirmed()
                      ? h.dim("  forward-confirmed")
                      : x.names().isEmpty() ? "" : h.dim("  not confirmed")));
    }
  }

  static void dnsbl(HumanReport h, DnsblReport r) {
    h.out().println(h.bold("Blocklists"));
    for (DnsblReport.Result x : r.results()) {
      String what =
          x.listed()
              ? "LISTED " + String.join(", ", x.codes()) + ": " + String.join("; ", x.meanings())
              : x.lookup().isDefinite() ? "not listed" : word(x.lookup());
      h.out().println(String.format("  %-22s %-28s %s", x.list(), x.subject(), what));
    }
  }
}
