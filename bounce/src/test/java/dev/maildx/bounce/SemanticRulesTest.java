package dev.maildx.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.Party;
import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The decision procedure's precedence (issue 14): explicit words name the cause over the generic
 * status subject; a delay keeps what delayed it and is never a refusal. Each message is written for
 * the rule, in the shape of the notices that state it (Exim's delay warning, a Postfix DSN).
 */
class SemanticRulesTest {
  final BounceParser parser = BounceParser.create();

  BounceReport.Recipient failedWith(String status, String diagnostic) {
    String fields =
        "Final-Recipient: rfc822; bob@agency.test\nAction: failed\nStatus: "
            + status
            + "\nRemote-MTA: dns; mx1.agency.test\nDiagnostic-Code: smtp; "
            + diagnostic;
    BounceReport r =
        parser.parse(
            ClassificationRulesTest.dsn("The message could not be delivered.", fields)
                .getBytes(StandardCharsets.UTF_8),
            "test");
    assertThat(r.recipients()).hasSize(1);
    return r.recipients().get(0);
  }

  @Test
  void spamWordsUnder571_areSpamDetected_notASecurityError() {
    assertThat(failedWith("5.7.1", "554 5.7.1 Message rejected: spam rejection").reason())
        .isEqualTo(BounceReason.SPAM_DETECTED);
    assertThat(failedWith("5.0.0", "550 Probable Spam").reason())
        .isEqualTo(BounceReason.SPAM_DETECTED);
  }

  @Test
  void aBlocklistNamedSpamhaus_isBlocked_notSpam() {
    assertThat(
            failedWith(
                    "5.7.1",
                    "554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using"
                        + " zen.spamhaus.org")
                .reason())
        .isEqualTo(BounceReason.BLOCKED);
  }

  @Test
  void relayRefusals_areNoRelaying() {
    assertThat(
            failedWith("5.7.1", "553 sorry, that domain isn't in my list of allowed rcpthosts")
                .reason())
        .isEqualTo(BounceReason.NO_RELAYING);
    assertThat(failedWith("5.7.1", "550 5.7.1 you are trying to use me as a relay").reason())
        .isEqualTo(BounceReason.NO_RELAYING);
  }

  @Test
  void sizeWordsUnder571_areMesgTooBig() {
    assertThat(failedWith("5.7.1", "552 5.7.1 Message size limit exceeded").reason())
        .isEqualTo(BounceReason.MESG_TOO_BIG);
  }

  @Test
  void virusWords_areVirusDetected_evenWhereSpamIsMentionedToo() {
    assertThat(
            failedWith("5.7.1", "550 5.7.1 Virus found in message; see our spam policy").reason())
        .isEqualTo(BounceReason.VIRUS_DETECTED);
  }

  @Test
  void spfAndDmarcRejections_areAuthFailure_includingMicrosoft515() {
    assertThat(failedWith("5.7.1", "550 5.7.1 Bad SPF records for [example.org]").reason())
        .isEqualTo(BounceReason.AUTH_FAILURE);
    assertThat(
            failedWith(
                    "5.7.515",
                    "550 5.7.515 Access denied, sending domain example.org doesn't meet the"
                        + " required authentication level")
                .reason())
        .isEqualTo(BounceReason.AUTH_FAILURE);
  }

  @Test
  void aDkimSignatureHeaderName_isNotAnAuthenticationFailure() {
    assertThat(
            failedWith("5.0.0", "554 Transaction failed: Duplicate header 'DKIM-Signature'.")
                .reason())
        .isEqualTo(BounceReason.NOT_COMPLIANT_RFC);
  }

  @Test
  void aMissingPtrRecord_isRequirePtr_notBlocked() {
    assertThat(
            failedWith(
                    "5.7.1",
                    "550 5.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.9]")
                .reason())
        .isEqualTo(BounceReason.REQUIRE_PTR);
  }

  @Test
  void aDomainThatCouldNotBeFound_isHostUnknown_notUserUnknown() {
    assertThat(
            failedWith(
                    "5.1.2",
                    "Address not found. The domain agency.test couldn't be found. DNS Error:"
                        + " DNS type 'mx' lookup of agency.test responded with code NXDOMAIN")
                .reason())
        .isEqualTo(BounceReason.HOST_UNKNOWN);
  }

  /** Exim's delay warning: the cause of the delay is a timeout, not a refusal. */
  static String eximDelay(String reason) {
    return "From: Mail Delivery System <Mailer-Daemon@mx.sender.test>\n"
        + "To: alice@sender.test\n"
        + "Subject: Warning: message 1tAbCd-000123-Xy delayed 24 hours\n"
        + "Auto-Submitted: auto-replied\n"
        + "MIME-Version: 1.0\n"
        + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"\n\n"
        + "--B1\nContent-Type: text/plain; charset=us-ascii\n\n"
        + "This message was created automatically by mail delivery software.\n"
        + "A message that you sent has not yet been delivered to one or more of its\n"
        + "recipients after more than 24 hours on the queue on mx.sender.test.\n\n"
        + "The message identifier is:     1tAbCd-000123-Xy\n\n"
        + "The address to which the message has not yet been delivered is:\n\n"
        + "  bob@agency.test\n"
        + "    Delay reason: "
        + reason
        + "\n\nNo action is required on your part. Delivery attempts will continue for\n"
        + "some time, and this warning may be repeated at intervals if the message\n"
        + "remains undelivered.\n\n"
        + "--B1\nContent-Type: message/delivery-status\n\n"
        + "Reporting-MTA: dns; mx.sender.test\n\n"
        + "Action: delayed\nFinal-Recipient: rfc822;bob@agency.test\nStatus: 4.0.0\n"
        + "Remote-MTA: dns; mx1.agency.test\n\n"
        + "--B1\nContent-Type: text/rfc822-headers\n\n"
        + "From: alice@sender.test\nTo: bob@agency.test\nSubject: figures\n\n--B1--\n";
  }

  @Test
  void anEximDelayAfterAConnectionTimeout_isANetworkError_neverBlocked() {
    BounceReport r =
        parser.parse(
            eximDelay("SMTP timeout after initial connection: Connection timed out")
                .getBytes(StandardCharsets.UTF_8),
            "test");
    BounceReport.Recipient d = r.recipients().get(0);
    assertThat(d.action()).isEqualTo(BounceReport.Action.DELAYED);
    assertThat(d.reason()).isEqualTo(BounceReason.NETWORK_ERROR);
    assertThat(d.hardBounce()).isFalse();
    assertThat(d.party()).isEqualTo(Party.RECIPIENT_POSTMASTER);
    assertThat(d.diagnosticCode())
        .as("the delay reason alone, not glued to the notice's next paragraph")
        .isEqualTo("SMTP timeout after initial connection: Connection timed out");
    assertThat(d.replyCode()).as("no reply came: a timeout has no remote reply code").isNull();
  }

  @Test
  void anEximDelayWhoseRetryTimeIsNotReached_isNotBlocked() {
    BounceReport r =
        parser.parse(
            eximDelay("retry time not reached for any host after a long failure period")
                .getBytes(StandardCharsets.UTF_8),
            "test");
    BounceReport.Recipient d = r.recipients().get(0);
    assertThat(d.action()).isEqualTo(BounceReport.Action.DELAYED);
    assertThat(d.reason()).isNotEqualTo(BounceReason.BLOCKED);
    assertThat(d.hardBounce()).isFalse();
  }

  @Test
  void aTimeoutCodeOfTheReportingMta_isKeptButMarkedAsNotTheRemoteHostsReply() {
    BounceReport.Recipient own =
        failedWith(
            "4.4.7",
            "554 4.4.7 Message expired: unable to deliver <421 4.4.2 Connection timed out>");
    assertThat(own.replyCode()).isEqualTo(421);
    assertThat(own.replySource()).isEqualTo(BounceReport.ReplySource.REPORTING_MTA);
    assertThat(own.decision()).contains("the remote host sent no reply");
    assertThat(own.explanation()).contains("the remote host sent no reply");
    BounceReport.Recipient remote =
        failedWith("4.7.1", "host mx1.agency.test said: 451 4.7.1 Greylisted, try again later");
    assertThat(remote.replyCode()).isEqualTo(451);
    assertThat(remote.replySource()).isEqualTo(BounceReport.ReplySource.REMOTE_HOST);
  }

  @Test
  void aLongDiagnostic_isCutBetweenWords() {
    String word = "unavailable ";
    String diag = "550 5.7.1 " + word.repeat(120);
    String shown = failedWith("5.7.1", diag).diagnosticCode();
    assertThat(shown).hasSizeLessThanOrEqualTo(1000).endsWith("unavailable…");
  }

  @Test
  void aDnsLookupThatFailedForNow_isANetworkError_notAnUnknownHost() {
    assertThat(
            failedWith(
                    "5.4.4",
                    "Host or domain name not found. Name service error for name=agency.test"
                        + " type=MX: Host not found, try again")
                .reason())
        .isEqualTo(BounceReason.NETWORK_ERROR);
    assertThat(
            failedWith(
                    "5.1.2",
                    "Host or domain name not found. Name service error for name=agency.test"
                        + " type=MX: Host not found")
                .reason())
        .isEqualTo(BounceReason.HOST_UNKNOWN);
  }

  @Test
  void phrasesFromSisimaisPublishedLists_nameTheirReason() {
    assertThat(failedWith("5.0.0", "550 Insecure Mail Relay").reason())
        .isEqualTo(BounceReason.NO_RELAYING);
    assertThat(failedWith("5.0.0", "550 Unauthenticated senders not allowed").reason())
        .isEqualTo(BounceReason.SECURITY_ERROR);
    assertThat(
            failedWith(
                    "5.7.1",
                    "550 5.7.1 <bob@agency.test>: Recipient address rejected: User bob@agency.test"
                        + " temporary locked")
                .reason())
        .isEqualTo(BounceReason.SUSPEND);
  }

  @Test
  void aRefusalByTheRecipientsPreferences_isFiltered_evenUnder511() {
    assertThat(
            failedWith("5.1.1", "550 5.1.1 RCP-P2 Refused due to recipient preferences").reason())
        .isEqualTo(BounceReason.FILTERED);
  }

  @Test
  void aRefusalOverThePurportedResponsibleAddress_isAboutTheSender() {
    // RFC 4407 §2: the PRA is taken from the message header; it names the sender, not the
    // recipient.
    assertThat(
            failedWith("5.7.1", "550 5.7.1 can't determine Purported Responsible Address").reason())
        .isEqualTo(BounceReason.REJECTED);
  }

  @Test
  void a451AtRcptTo_isALocalProcessingError_notAnUnknownUser() {
    BounceReport.Recipient d =
        failedWith(
            "4.0.0",
            "451 Could not load DRD for domain (agency.test) (in reply to RCPT TO command)");
    assertThat(d.reason()).isEqualTo(BounceReason.SYSTEM_ERROR);
    assertThat(d.hardBounce()).isFalse();
  }

  @Test
  void qqsPublishedFrequencyLimits_areConnectionAndRateLimits() {
    assertThat(failedWith("5.0.0", "550 Ip frequency limited [cut]").reason())
        .isEqualTo(BounceReason.TOO_MANY_CONN);
    assertThat(failedWith("5.0.0", "550 Sender frequency limited").reason())
        .isEqualTo(BounceReason.RATE_LIMITED);
  }

  @Test
  void aReplyCodeWithoutAQuotedRemoteHost_hasNoKnownSource_andNoCodeHasNone() {
    BounceReport.Recipient none = failedWith("5.0.0", "Recipient address rejected");
    assertThat(none.replyCode()).isNull();
    assertThat(none.replySource()).isEqualTo(BounceReport.ReplySource.UNKNOWN);
    // Diagnostic-Code of type smtp with a Remote-MTA: the remote host's reply (RFC 3464 §2.3.6).
    assertThat(failedWith("5.1.1", "550 5.1.1 no such user").replySource())
        .isEqualTo(BounceReport.ReplySource.REMOTE_HOST);
  }
}
