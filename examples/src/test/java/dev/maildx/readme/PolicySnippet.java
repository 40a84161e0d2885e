package dev.maildx.readme;

import dev.maildx.MailDiagnostics;
import dev.maildx.dns.MtaStsResolver;
import dev.maildx.report.MtaStsReport;

/** README, "Domain policies". */
final class PolicySnippet {
  private PolicySnippet() {}

  // region readme
  static MtaStsReport mtaSts(MailDiagnostics maildx, String domain) { // share one MailDiagnostics
    MtaStsReport r = MtaStsResolver.create(maildx).check(domain); // borrows its threads
    r.policy().ifPresent(p -> System.out.println(p.mode() + " " + p.mx()));
    return r;
  }
  // endregion
}
