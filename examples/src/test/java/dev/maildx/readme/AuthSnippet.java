package dev.maildx.readme;

import dev.maildx.MailDiagnostics;
import dev.maildx.auth.MessageAuthenticator;
import dev.maildx.report.AuthReport;
import dev.maildx.report.SmtpEnvelope;
import java.nio.file.Path;

/** README, "Authenticating a received message". */
final class AuthSnippet {
  private AuthSnippet() {}

  // region readme
  static AuthReport authenticate(MailDiagnostics maildx, Path received) { // e.g. "received.eml"
    SmtpEnvelope envelope =
        SmtpEnvelope.of("203.0.113.5", "mail.corp.example", "bounce@corp.example");
    AuthReport r = MessageAuthenticator.create(maildx).authenticate(received, envelope);
    r.dkim().forEach(s -> System.out.println(s.failure())); // BODY_HASH_MISMATCH, WRONG_KEY, ...
    System.out.println(r.dmarcResult()); // PASS, FAIL, NONE, TEMPERROR, PERMERROR
    System.out.println(
        r.authenticationResults()); // "maildx; dkim=...; spf=...; dmarc=...; arc=..."
    return r;
  }
  // endregion
}
