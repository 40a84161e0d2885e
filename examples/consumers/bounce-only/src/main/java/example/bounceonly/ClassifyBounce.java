package example.bounceonly;

import dev.maildx.bounce.BounceParser;
import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import java.nio.charset.StandardCharsets;

/** Classifies one delivery status notification with nothing but maildx-bounce on the class path. */
public final class ClassifyBounce {
  private static final String DSN = """
      From: MAILER-DAEMON@mx.sender.example
      To: alice@sender.example
      Subject: Undelivered Mail Returned to Sender
      MIME-Version: 1.0
      Content-Type: multipart/report; report-type=delivery-status; boundary="B"

      --B
      Content-Type: text/plain

      Your message could not be delivered.

      --B
      Content-Type: message/delivery-status

      Reporting-MTA: dns; mx.sender.example

      Final-Recipient: rfc822; bob@agency.example
      Action: failed
      Status: 5.2.2
      Remote-MTA: dns; mx.agency.example
      Diagnostic-Code: smtp; 552 5.2.2 Mailbox full: quota exceeded

      --B--
      """.replace("\n", "\r\n");

  private ClassifyBounce() {}

  public static void main(String[] args) {
    try (BounceParser parser = BounceParser.create()) {
      BounceReport report = parser.parse(DSN.getBytes(StandardCharsets.US_ASCII), "consumer");
      for (BounceReport.Recipient r : report.recipients()) {
        System.out.println(r.recipient() + " " + r.status() + " " + r.reason());
      }
      if (report.recipients().isEmpty() || report.recipients().get(0).reason() != BounceReason.MAILBOX_FULL) {
        System.err.println("unexpected classification: " + report);
        System.exit(1);
      }
    }
  }
}
