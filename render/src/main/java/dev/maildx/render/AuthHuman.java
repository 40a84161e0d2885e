package dev.maildx.render;

import dev.maildx.internal.InetAddresses;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.DkimSignature.Failure;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.SpfReport;
import java.io.PrintWriter;
import java.util.Locale;

/** The human-readable {@code auth} section; registered in {@link HumanReport}. */
final class AuthHuman {
  private AuthHuman() {}

  private static String word(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  static void report(HumanReport h, AuthReport r) {
    PrintWriter out = h.out();
    out.println(
        h.bold("Authentication of " + r.source())
            + h.dim(
                "  ("
                    + r.messageBytes()
                    + " octets"
                    + (r.messageId().isEmpty() ? "" : ", " + r.messageId())
                    + ")"));
    String author =
        r.from().domains().isEmpty()
            ? "no author domain"
            : "author domain "
                + String.join(", ", r.from().domains().stream().map(d -> d.unicode()).toList());
    out.println(
        "  From   "
            + (r.from().fields() == 0 ? "(none)" : r.from().value())
            + h.dim(
                "   "
                    + author
                    + (r.from().fields() > 1 ? ", " + r.from().fields() + " From fields" : "")));
    if (r.dkim().isEmpty()) {
      out.println("  DKIM   none (no DKIM-Signature)");
    }
    for (AuthReport.DkimSignature s : r.dkim()) {
      signature(h, "DKIM " + s.index(), s);
    }
    SpfReport spf = r.spf();
    if (spf != null && spf.spfResult() != null) {
      out.println(
          "  SPF    "
              + pad(word(spf.spfResult()))
              + (spf.ip() == null ? "" : InetAddresses.toLiteral(spf.ip()) + " ")
              + (spf.scope() == SpfReport.Scope.HELO
                  ? "helo " + spf.helo()
                  : "mail from <" + spf.identity() + ">")
              + (spf.matchedMechanism() == null
                  ? ""
                  : h.dim("   (" + spf.matchedMechanism() + " in " + spf.matchedDomain() + ")")));
    } else {
      out.println(
          "  SPF    "
              + h.dim(
                  "not evaluated ("
                      + (r.envelope().clientIp() == null
                          ? "no client IP: --ip"
                          : "no MAIL FROM or HELO: " + "--mail-from, --helo")
                      + ")"));
    }
    DmarcEvaluation d = r.dmarc();
    StringBuilder dm = new StringBuilder("  DMARC  ").append(pad(word(r.dmarcResult())));
    if (d != null) {
      dm.append(d.authorDomain().unicode());
      if (d.policy() != null) {
        dm.append(" p=").append(d.policy().tagValue());
        if (r.dmarcResult() == DmarcEvaluation.Result.FAIL) {
          dm.append(", disposition ").append(d.disposition().tagValue());
        }
      }
      if (d.dkim().pass()) {
        dm.append(h.dim("   (DKIM " + d.dkim().aligned() + " aligned)"));
      } else if (d.spf().pass()) {
        dm.append(h.dim("   (SPF " + d.spf().aligned() + " aligned)"));
      }
    }
    out.println(dm);
    AuthReport.Arc arc = r.arc();
    out.println(
        "  ARC    "
            + pad(word(arc.status()))
            + (arc.status() == AuthReport.Arc.ChainStatus.NONE
                ? ""
                : arc.instances()
                    + " set"
                    + (arc.instances() == 1 ? "" : "s")
                    + h.dim("   " + arc.reason())));
    for (AuthReport.Arc.ArcSet s : arc.sets()) {
      out.println(
          h.dim(
              "         i="
                  + s.instance()
                  + " "
                  + s.sealDomain()
                  + " cv="
                  + s.sealCv()
                  + " seal "
                  + (s.sealResult() == null ? "not checked" : word(s.sealResult()))
                  + ", message signature "
                  + (s.messageSignature() == null
                      ? "not checked"
                      : word(s.messageSignature().result()))
                  + "; "
                  + s.authservId()
                  + ": "
                  + s.authResults()));
    }
    out.println();
    out.println("  " + r.authenticationResultsHeader().replace("\r\n\t", "\n      "));
  }

  static void signature(HumanReport h, String label, AuthReport.DkimSignature s) {
    PrintWriter out = h.out();
    out.println(
        "  "
            + String.format("%-7s", label.length() > 7 ? label.substring(0, 7) : label)
            + pad(word(s.result()))
            + "d="
            + s.domain()
            + " s="
            + s.selector()
            + " "
            + s.algorithm()
            + " "
            + s.headerCanonicalization()
            + "/"
            + s.bodyCanonicalization()
            + (s.keyBits() > 0 ? " " + s.keyBits() + "-bit key" : ""));
    if (!s.pass()) {
      out.println("         " + s.reason());
    }
    if (s.failure() == Failure.BODY_HASH_MISMATCH || s.failure() == Failure.BODY_TRUNCATED) {
      out.println(
          "         body hash computed "
              + s.bodyHashComputed()
              + h.dim("  (" + s.canonicalBodyBytes() + " octets)"));
      out.println("         body hash claimed  " + s.bodyHashClaimed());
    }
    if (s.failure() == Failure.SIGNATURE_MISMATCH) {
      if (!s.changedHeaders().isEmpty()) {
        out.println("         changed header: " + String.join(", ", s.changedHeaders()));
      }
      out.println("         header hash computed " + s.headerHashComputed());
      if (!s.headerHashSigned().isEmpty()) {
        out.println("         header hash signed   " + s.headerHashSigned());
      }
      if (s.changedHeaders().isEmpty()) {
        out.println("         signed header block, as hashed (compare with the sender's copy):");
        String[] lines = s.signedHeaderBlock().split("\r\n", -1);
        for (int i = 0; i < lines.length && i < 40; i++) {
          out.println(h.dim("           | " + lines[i]));
        }
      }
    }
  }

  private static String pad(String s) {
    return String.format("%-10s", s);
  }
}
