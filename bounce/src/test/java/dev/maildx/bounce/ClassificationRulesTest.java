package dev.maildx.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One test per classification rule, each on a message written for it (none is taken from a corpus):
 * provider error-code schemes, the SMTP stage read from Sendmail, qmail and Messaging Server
 * notices, X.2.1 with "user unknown" wording, vendor bounce categories, local mailer exit statuses,
 * abandoned-mailbox auto-replies, the cause behind an expiry.
 */
class ClassificationRulesTest {
  final BounceParser parser = BounceParser.create();

  /** A DSN with a free human-readable part and free per-recipient fields. */
  static String dsn(String humanPart, String recipientFields) {
    return "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.sender.test>\n"
        + "To: alice@sender.test\nSubject: Returned mail: see transcript for details\n"
        + "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"R9\"\n\n"
        + "--R9\nContent-Type: text/plain\n\n"
        + humanPart
        + "\n\n"
        + "--R9\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.sender.test\n\n"
        + recipientFields
        + "\n\n"
        + "--R9\nContent-Type: text/rfc822-headers\n\nMessage-ID: <q7@sender.test>\nFrom: alice@sender.test\nTo: bob@agency.test\n"
        + "Subject: quarterly figures\n\n--R9--\n";
  }

  static String failed(String status, String diagnostic) {
    return "Final-Recipient: rfc822; bob@agency.test\nAction: failed\nStatus: "
        + status
        + "\nRemote-MTA: dns; mx1.agency.test\n"
        + "Diagnostic-Code: smtp; "
        + diagnostic;
  }

  BounceReport.Recipient only(String message) {
    BounceReport r = parser.parse(message.getBytes(StandardCharsets.UTF_8), "test");
    assertThat(r.recipients()).hasSize(1);
    return r.recipients().get(0);
  }

  BounceReport.Recipient dsnWith(String status, String diagnostic) {
    return only(dsn("The message could not be delivered.", failed(status, diagnostic)));
  }

  @Nested
  class ProviderCodeSchemes {
    @Test
    void orangeCode_namesTheCause_overTheGenericStatus() {
      BounceReport.Recipient d =
          dsnWith(
              "5.0.0",
              "552 5.0.0 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]");

      assertThat(d.reason()).isEqualTo(BounceReason.MAILBOX_FULL);
      assertThat(d.decision()).contains("Orange code OFR_417");
    }

    @Test
    void orangeCodeWithAServerNumber_isReadFromItsLastThreeDigits() {
      BounceReport.Recipient d =
          dsnWith(
              "4.0.0",
              "421 mwinf0042 ME Trop de connexions, veuillez verifier votre configuration. "
                  + "Too many connections, slow down. OFR005_104 [104]");

      assertThat(d.reason()).isEqualTo(BounceReason.TOO_MANY_CONN);
    }

    @Test
    void orangeCodeWithoutACause_leavesTheDecisionToTheWording() {
      BounceReport.Recipient d =
          dsnWith(
              "4.0.0", "421 mwinf0042 ME Service refuse. Veuillez essayer plus tard. LPN003_109");

      assertThat(d.decision()).doesNotContain("Orange code");
      assertThat(d.reason()).isEqualTo(BounceReason.BLOCKED); // "service refuse" wording
    }

    @Test
    void aWordStartingLikeAnOrangePrefix_isNotACode() {
      BounceReport.Recipient d =
          dsnWith(
              "5.1.1",
              "550 5.1.1 <bob@agency.test>: lpnetwork said: recipient unknown, ofrecemos ayuda 123");

      assertThat(d.reason()).isEqualTo(BounceReason.USER_UNKNOWN);
      assertThat(d.decision()).doesNotContain("Orange");
    }

    @Test
    void coxLabel_reverseDnsFailure_isRequirePtr() {
      BounceReport.Recipient d =
          dsnWith(
              "5.7.1",
              "554 5.7.1 203.0.113.9 rejected. Refer to Error Codes section at "
                  + "https://www.cox.com/residential/support/email-error-codes.html for more information. AUP#CXDNS");

      assertThat(d.reason()).isEqualTo(BounceReason.REQUIRE_PTR);
      assertThat(d.decision()).contains("Cox code AUP#CXDNS");
    }

    @Test
    void coxBlocklistLabel_isBlocked() {
      assertThat(dsnWith("5.7.1", "554 5.7.1 IP rejected. AUP#IPBL0010").reason())
          .isEqualTo(BounceReason.BLOCKED);
    }

    @Test
    void spectrumConnectionLimitCode_isTooManyConnections_andSizeCode_isMesgTooBig() {
      assertThat(dsnWith("4.7.0", "421 4.7.0 203.0.113.9 throttled. AUP#I-1320").reason())
          .isEqualTo(BounceReason.TOO_MANY_CONN);
      assertThat(dsnWith("5.3.4", "552 5.3.4 message refused. AUP#O-1530").reason())
          .isEqualTo(BounceReason.MESG_TOO_BIG);
    }

    @Test
    void mimecastGeographicalRestriction_isAPolicyViolation() {
      BounceReport.Recipient d =
          dsnWith(
              "5.0.0",
              "554 Host network not allowed - https://community.mimecast.com/s/article/smtp-codes [AbCdEf.eu1]");

      assertThat(d.reason()).isEqualTo(BounceReason.POLICY_VIOLATION);
    }

    @Test
    void mimecastSpamSignature_isSpam() {
      BounceReport.Recipient d =
          dsnWith("5.0.0", "554 email rejected due to security policies - MCSpamSignature.hx.7.1");

      assertThat(d.reason()).isEqualTo(BounceReason.SPAM_DETECTED);
    }
  }

  @Nested
  class MailboxDisabledWithUnknownUserWording {
    @Test
    void withoutTheStage_theCodeWins_theExistingMailboxRefused() {
      BounceReport.Recipient d = dsnWith("5.2.1", "550 5.2.1 <bob@agency.test>... User unknown");

      assertThat(d.reason()).isEqualTo(BounceReason.FILTERED);
      assertThat(d.decision()).contains("5.2.1");
    }

    @Test
    void atRcptTo_theAddressWasRefused() {
      BounceReport.Recipient d =
          only(
              dsn(
                  "<bob@agency.test>: host mx1.agency.test said: 550 5.2.1 <bob@agency.test>... User unknown "
                      + "(in reply to RCPT TO command)",
                  failed("5.2.1", "550 5.2.1 <bob@agency.test>... User unknown")));

      assertThat(d.reason()).isEqualTo(BounceReason.USER_UNKNOWN);
    }

    @Test
    void disabledWording_isSuspend() {
      assertThat(dsnWith("5.2.1", "550 5.2.1 This mailbox has been disabled by its owner").reason())
          .isEqualTo(BounceReason.SUSPEND);
    }
  }

  @Test
  void aMailboxNamedLikeACause_isNotReadAsTheServersWords() {
    BounceReport.Recipient d =
        only(
            dsn(
                "Delivery failed.",
                "Final-Recipient: rfc822; filtered.spam@agency.test\nAction: failed\nStatus: 5.1.1\n"
                    + "Diagnostic-Code: smtp; 550 5.1.1 <filtered.spam@agency.test>: Recipient address rejected: User unknown"));

    assertThat(d.reason()).isEqualTo(BounceReason.USER_UNKNOWN);
  }

  @Nested
  class SendmailTranscript {
    String transcript(String lines) {
      return "   ----- The following addresses had permanent fatal errors -----\n<bob@agency.test>\n\n"
          + "   ----- Transcript of session follows -----\n... while talking to mx1.agency.test.:\n"
          + lines;
    }

    @Test
    void refusalAfterData_isTheDataStage_soUnknownUserWordingIsAFilter() {
      BounceReport.Recipient d =
          only(
              dsn(
                  transcript(
                      ">>> DATA\n<<< 550 5.0.0 <bob@agency.test>... Unknown user\n554 5.0.0 Service unavailable"),
                  failed("5.0.0", "550 5.0.0 <bob@agency.test>... Unknown user")));

      assertThat(d.reason()).isEqualTo(BounceReason.FILTERED);
      assertThat(d.decision()).contains("after DATA");
    }

    @Test
    void pipelinedRefusalPrintedAfterData_answeredRcptTo() {
      BounceReport.Recipient d =
          only(
              dsn(
                  transcript(
                      ">>> DATA\n<<< 550 5.0.0 <bob@agency.test>... Unknown user\n"
                          + "550 5.1.1 <bob@agency.test>... User unknown\n<<< 503 5.0.0 Need RCPT (recipient)"),
                  failed("5.0.0", "550 5.0.0 <bob@agency.test>... Unknown user")));

      assertThat(d.reason()).isEqualTo(BounceReason.USER_UNKNOWN);
      assertThat(d.decision()).contains("at RCPT TO");
    }

    @Test
    void aBlankLineRightAfterWhileTalkingTo_isAnEmptyTranscript_notAFailure() {
      // Found by fuzzing: the block between the host line and a blank line right after it is empty.
      BounceReport r =
          parser.parse(
              dsn(
                      transcript("\n>>> RCPT To:<bob@agency.test>\n<<< 550 5.1.1 User unknown"),
                      failed("5.1.1", "550 5.1.1 <bob@agency.test>... User unknown"))
                  .getBytes(StandardCharsets.UTF_8),
              "test");

      assertThat(r.findings())
          .extracting(dev.maildx.Finding::code)
          .doesNotContain("BOUNCE_READ_FAILED");
      assertThat(r.recipients())
          .singleElement()
          .satisfies(d -> assertThat(d.reason()).isEqualTo(BounceReason.USER_UNKNOWN));
    }

    @Test
    void refusalBeforeAnyCommand_isTheGreeting_soTheSendingHostIsBlocked() {
      BounceReport.Recipient d =
          only(
              dsn(
                  transcript(
                      "<<< 554 mx1.agency.test no SMTP service for you\n554 5.0.0 Service unavailable"),
                  failed("5.5.0", "554 mx1.agency.test no SMTP service for you")));

      assertThat(d.reason()).isEqualTo(BounceReason.BLOCKED);
      assertThat(d.decision()).contains("greeting");
    }

    @Test
    void aTransientGreetingRefusal_inADelay_namesNoBlock_andGivesTheReplyCode() {
      String fields =
          "Final-Recipient: rfc822; bob@agency.test\nAction: delayed\nStatus: 4.5.0\nDiagnostic-Code: smtp; ";
      BounceReport.Recipient d =
          only(
              dsn(
                  "WARNING MESSAGE ONLY\n"
                      + transcript("<<< 421\n<bob@agency.test>... Deferred: 421"),
                  fields));

      assertThat(d.action()).isEqualTo(BounceReport.Action.DELAYED);
      assertThat(d.reason()).isNotEqualTo(BounceReason.BLOCKED);
      assertThat(d.replyCode()).isEqualTo(421);
    }

    @Test
    void remoteProtocolError_takesTheRemoteReplyFromTheTranscriptAbove() {
      String notice =
          "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.sender.test>\nTo: alice@sender.test\n"
              + "Subject: Returned mail: Remote protocol error\n\n"
              + "   ----- Transcript of session follows -----\nWhile talking to mx1.agency.test:\n>>> MAIL From:<alice@sender.test>\n"
              + "<<< 553 <alice@sender.test>... Sender address rejected: domain has no MX record\n"
              + "554 <bob@agency.test>... Remote protocol error\n"
              + "421 other.test (smtp)... Deferred: Connection timed out during user open with other.test\n"
              + "   ----- Unsent message follows -----\nFrom: alice@sender.test\nTo: bob@agency.test\nSubject: hi\n\nhello\n";
      BounceReport.Recipient d = only(notice);

      assertThat(d.recipient()).isEqualTo("bob@agency.test");
      assertThat(d.replyCode()).isEqualTo(553);
      assertThat(d.reason()).isEqualTo(BounceReason.REJECTED);
      assertThat(d.diagnosticCode()).contains("Sender address rejected");
    }
  }

  @Test
  void sendingHostListedAsAnOpenRelay_isBlocked_butARefusalToRelay_isNoRelaying() {
    assertThat(
            dsnWith(
                    "5.7.1",
                    "550 5.7.1 Mail from 192.0.2.7 refused: your server is listed as an open relay")
                .reason())
        .isEqualTo(BounceReason.BLOCKED);
    assertThat(dsnWith("5.7.1", "550 5.7.1 Relaying denied").reason())
        .isEqualTo(BounceReason.NO_RELAYING);
  }

  @Test
  void yahooStyleUnknownAccount_afterData_isStillAnUnknownUser() {
    BounceReport.Recipient d =
        only(
            dsn(
                "<bob@agency.test>: host mta1.agency.test said: 554 delivery error: dd This user doesn't have an "
                    + "agency.test account (bob@agency.test) [0] (in reply to end of DATA command)",
                failed(
                    "5.0.0",
                    "554 delivery error: dd This user doesn't have an agency.test account (bob@agency.test) [0]")));

    assertThat(d.reason()).isEqualTo(BounceReason.USER_UNKNOWN);
  }

  @Test
  void qmailDoesNotLikeRecipient_isTheRcptStage() {
    String notice =
        "From: MAILER-DAEMON@relay.sender.test\nTo: alice@sender.test\nSubject: failure notice\n\n"
            + "Hi. This is the qmail-send program at relay.sender.test.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n"
            + "This is a permanent error; I've given up. Sorry it didn't work out.\n\n<bob@agency.test>:\n"
            + "192.0.2.20 does not like recipient.\nRemote host said: 550 5.2.1 <bob@agency.test>: User unknown\nGiving up on 192.0.2.20.\n\n"
            + "--- Below this line is a copy of the message.\n\nFrom: alice@sender.test\nTo: bob@agency.test\n\nhi\n";

    assertThat(only(notice).reason())
        .isEqualTo(BounceReason.USER_UNKNOWN); // X.2.1, but refused at RCPT TO
  }

  @Test
  void messagingServerRejectedAddress_isTheRcptStage() {
    String human =
        "Your message cannot be delivered to the following recipients:\n\n  Recipient address: bob@agency.test\n"
            + "  Reason: Remote SMTP server has rejected address\n  Diagnostic code: smtp;550 5.2.1 <bob@agency.test>... User unknown";

    assertThat(
            only(dsn(human, failed("5.2.1", "550 5.2.1 <bob@agency.test>... User unknown")))
                .reason())
        .isEqualTo(BounceReason.USER_UNKNOWN);
  }

  @Test
  void powerMtaBounceCategory_isTheReportingMtasOwnVerdict() {
    BounceReport.Recipient d =
        only(
            dsn(
                "delivery failed",
                failed("5.0.0", "550 5.0.0 <bob@agency.test>... Rejected")
                    + "\nX-PowerMTA-BounceCategory: inactive-mailbox"));

    assertThat(d.reason()).isEqualTo(BounceReason.SUSPEND);
    assertThat(d.decision()).contains("inactive-mailbox");
  }

  @Test
  void xUnixExitStatus_isAMailerError() {
    String fields =
        "Final-Recipient: rfc822; bob@agency.test\nAction: failed\nStatus: 5.3.0\nDiagnostic-Code: X-Unix; 75";
    BounceReport.Recipient d =
        only(
            dsn(
                "   ----- Transcript of session follows -----\n554 5.3.0 temporary system error: procmail exited",
                fields));

    assertThat(d.reason()).isEqualTo(BounceReason.MAILER_ERROR);
    assertThat(d.decision()).contains("exit status");
  }

  @Test
  void expiryThatNamesADnsFailure_reportsTheDnsFailure_butConnectionTimeoutsStayExpired() {
    String dns =
        "   ----- Transcript of session follows -----\n<bob@agency.test>... Deferred: Name server: agency.test.: "
            + "host name lookup failure\nMessage could not be delivered for 5 days";
    String fields = "Final-Recipient: rfc822; bob@agency.test\nAction: failed\nStatus: 4.4.7";
    assertThat(only(dsn(dns, fields)).reason()).isEqualTo(BounceReason.NETWORK_ERROR);

    String timeouts =
        "   ----- Transcript of session follows -----\n<bob@agency.test>... Deferred: Connection timed out with mx1.agency.test\n"
            + "Message could not be delivered for 5 days";
    assertThat(only(dsn(timeouts, fields)).reason()).isEqualTo(BounceReason.EXPIRED);
  }

  @Test
  void autoReplySayingTheAddressIsNoLongerInUse_isSuspend_otherAutoRepliesAreVacation() {
    String gone =
        "From: carol@agency.test\nTo: alice@sender.test\nSubject: Automatic reply: quarterly figures\nAuto-Submitted: auto-replied\n\n"
            + "Thank you for your message. This address is no longer monitored; please write to office@agency.test.\n";
    BounceReport r = parser.parse(gone.getBytes(StandardCharsets.UTF_8), "t");
    assertThat(r.kind()).isEqualTo(BounceReport.Kind.AUTOREPLY);
    assertThat(r.recipients().get(0).reason()).isEqualTo(BounceReason.SUSPEND);

    String away =
        gone.replace(
            "This address is no longer monitored; please write to office@agency.test.",
            "I am away until Monday.");
    assertThat(
            parser.parse(away.getBytes(StandardCharsets.UTF_8), "t").recipients().get(0).reason())
        .isEqualTo(BounceReason.VACATION);
  }

  @Test
  void reasonWrittenAboveTheAddress_isTheDiagnostic() {
    String notice =
        "From: postmaster@notes.agency.test\nTo: alice@sender.test\nSubject: Undeliverable message\n\n"
            + "------- Failure Reasons  --------\n\nDelivery refused by the local router\nbob@agency.test\n\n"
            + "------- Returned Message --------\nFrom: alice@sender.test\nTo: bob@agency.test\nSubject: hi\n\nhello\n";
    BounceReport.Recipient d = only(notice);

    assertThat(d.diagnosticCode()).isEqualTo("Delivery refused by the local router");
    assertThat(d.reason())
        .isEqualTo(BounceReason.ON_HOLD); // a diagnostic that names no known cause
  }

  @Test
  void noticeThatNeverNamesTheRecipientNorAReply_hasNoDiagnostic() {
    String notice =
        "From: MAILER-DAEMON@relay.sender.test (Mail Delivery System)\nTo: alice@sender.test\n"
            + "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"Q\"\n\n"
            + "--Q\nContent-Type: text/plain\n\nThis is the mail system at host relay.sender.test.\n\n--- Delivery report unavailable ---\n\n"
            + "--Q\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.sender.test\n\n"
            + "--Q\nContent-Type: message/rfc822\n\nFrom: alice@sender.test\nTo: bob@agency.test\nSubject: hi\n\nhello\n--Q--\n";
    BounceReport.Recipient d = only(notice);

    assertThat(d.recipient()).isEqualTo("bob@agency.test");
    assertThat(d.diagnosticCode()).isNull();
    assertThat(d.reason()).isEqualTo(BounceReason.UNDEFINED);
  }
}
