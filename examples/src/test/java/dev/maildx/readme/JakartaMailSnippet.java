package dev.maildx.readme;

import dev.maildx.bounce.BounceParser;
import dev.maildx.bounce.JakartaMailBounces;
import dev.maildx.report.BounceReport;
import jakarta.mail.internet.MimeMessage;

/** README, a bounce held as a Jakarta Mail message. */
final class JakartaMailSnippet {
  private JakartaMailSnippet() {}

  // region readme
  static BounceReport classify(BounceParser parser, MimeMessage mimeMessage) { // share one parser
    return JakartaMailBounces.parse(parser, mimeMessage); // any jakarta.mail.Part
  }
  // endregion
}
