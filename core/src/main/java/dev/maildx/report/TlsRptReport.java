package dev.maildx.report;

import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
import static dev.maildx.Verdict.DELIVERABLE;
import static dev.maildx.Verdict.INCONCLUSIVE;
import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.FindingCode;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A domain's SMTP TLS Reporting record (RFC 8460 §3): {@code _smtp._tls.<domain>} TXT, naming where
 * senders send reports about failed TLS connections (for MTA-STS and DANE).
 *
 * @param check the check name ({@code tls-rpt})
 * @param domain the domain
 * @param lookup how the TXT lookup ended
 * @param records the TXT records that begin with {@code v=TLSRPTv1} (character-strings joined)
 * @param rua the reporting URIs of the one valid record ({@code mailto:} or {@code https:})
 * @param findings what the check found
 */
public record TlsRptReport(
    String check,
    DomainName domain,
    DnsOutcome lookup,
    List<String> records,
    List<String> rua,
    List<Finding> findings)
    implements CheckReport {
  /** The name of the check that makes this report: {@value}. */
  public static final String CHECK = "tls-rpt";

  /** Validates and copies. */
  public TlsRptReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(lookup, "lookup");
    records = List.copyOf(records);
    rua = List.copyOf(rua);
    findings = List.copyOf(findings);
  }

  /**
   * The codes of the findings of the {@code tls-rpt} check (RFC 8460 §3).
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    TLSRPT_OK(
        INFO, DELIVERABLE, "RFC 8460 §3", "One valid TLS-RPT record, with its reporting URIs."),
    TLSRPT_NONE(
        INFO,
        DELIVERABLE,
        "RFC 8460 §3",
        "No TLS-RPT record: failures of MTA-STS or DANE go unreported."),
    TLSRPT_MULTIPLE(
        WARNING,
        DELIVERABLE,
        "RFC 8460 §3",
        "More than one v=TLSRPTv1 record: senders ignore them all."),
    TLSRPT_SYNTAX(
        WARNING,
        DELIVERABLE,
        "RFC 8460 §3",
        "The record does not follow the grammar: senders ignore it."),
    TLSRPT_NO_RUA(WARNING, DELIVERABLE, "RFC 8460 §3", "The record has no rua field."),
    TLSRPT_BAD_URI(
        WARNING,
        DELIVERABLE,
        "RFC 8460 §3",
        "A rua URI is neither a valid mailto: nor a valid https: URI."),
    TLSRPT_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        "RFC 8460 §3",
        "The _smtp._tls TXT lookup failed (timeout, SERVFAIL, REFUSED).");

    private final Severity severity;
    private final Verdict effect;
    private final @Nullable String reference;
    private final String meaning;

    Code(Severity severity, Verdict effect, @Nullable String reference, String meaning) {
      this.severity = severity;
      this.effect = effect;
      this.reference = reference;
      this.meaning = meaning;
    }

    @Override
    public List<String> checks() {
      return List.of(CHECK);
    }

    @Override
    public Severity severity() {
      return severity;
    }

    @Override
    public Verdict effect() {
      return effect;
    }

    @Override
    public String meaning() {
      return meaning;
    }

    @Override
    public Optional<String> reference() {
      return Optional.ofNullable(reference);
    }
  }
}
