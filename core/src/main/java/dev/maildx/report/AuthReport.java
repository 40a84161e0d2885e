package dev.maildx.report;

import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a receiving MTA computes when it authenticates a message (check {@code auth}): every DKIM
 * signature verified (RFC 6376, RFC 8301, RFC 8463), SPF for the envelope when the client IP is
 * known (RFC 7208), the RFC5322.From and the DMARC outcome (RFC 9989, RFC 7489), the ARC chain
 * (RFC 8617), and the {@code Authentication-Results} header field value it would add (RFC 8601).
 *
 * @param check the check name, {@code auth}
 * @param source where the message was read from (a file name, or a description)
 * @param messageBytes the size of the message as read, in octets
 * @param messageId the Message-ID header field's value, empty if there is none
 * @param envelope the SMTP envelope used for SPF (the MAIL FROM may come from the
 *     {@code Return-Path} header field when none was given; a finding then says so)
 * @param from the RFC5322.From as DMARC reads it
 * @param dkim one result per {@code DKIM-Signature} header field, top to bottom
 * @param spf the SPF evaluation, or {@code null} if no client IP was given
 * @param dmarc the DMARC evaluation that decides (for several Author Domains the strictest
 *     failing one), or {@code null} if none could be made
 * @param dmarcResult the DMARC result for the message: that of {@code dmarc}, or {@code
 *     permerror} when the From is unusable (none, several fields, no domain), or {@code
 *     temperror} when it could not be evaluated in time
 * @param arc the ARC chain validation
 * @param authenticationResults the Authentication-Results header field value, one line
 * @param findings what the check found, most severe first
 */
public record AuthReport(
    String check,
    String source,
    long messageBytes,
    String messageId,
    SmtpEnvelope envelope,
    FromHeader from,
    List<DkimSignatureResult> dkim,
    @Nullable SpfReport spf,
    @Nullable DmarcEvaluation dmarc,
    DmarcEvaluation.Result dmarcResult,
    ArcResult arc,
    String authenticationResults,
    List<Finding> findings) implements DmarcOutcomeReport {

  /** Validates and copies. */
  public AuthReport {
    requireNonNull(check, "check");
    requireNonNull(source, "source");
    requireNonNull(messageId, "messageId");
    requireNonNull(envelope, "envelope");
    requireNonNull(from, "from");
    dkim = List.copyOf(dkim);
    requireNonNull(dmarcResult, "dmarcResult");
    requireNonNull(arc, "arc");
    requireNonNull(authenticationResults, "authenticationResults");
    findings = List.copyOf(findings);
  }

  /** @return the SPF evaluation, if a client IP was given */
  public Optional<SpfReport> spfReport() {
    return Optional.ofNullable(spf);
  }

  /** @return the deciding DMARC evaluation, if one was made */
  @Override
  public Optional<DmarcEvaluation> dmarcEvaluation() {
    return Optional.ofNullable(dmarc);
  }

  /**
   * The signatures that verified.
   *
   * @return the passing DKIM results, in order
   */
  public List<DkimSignatureResult> passingSignatures() {
    return dkim.stream().filter(DkimSignatureResult::pass).toList();
  }

  /**
   * The Authentication-Results header field as a receiving MTA adds it, folded before each
   * method result (RFC 8601 §2.2, RFC 5322 §2.2.3).
   *
   * @return {@code Authentication-Results: authserv-id;} and the results, lines joined by CRLF
   */
  public String authenticationResultsHeader() {
    String[] parts = authenticationResults.split("; ");
    StringBuilder b = new StringBuilder("Authentication-Results: ").append(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      b.append(";\r\n\t").append(parts[i]);
    }
    return b.toString();
  }
}
