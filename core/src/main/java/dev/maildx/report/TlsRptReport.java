package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A domain's SMTP TLS Reporting record (RFC 8460 §3): {@code _smtp._tls.<domain>} TXT, naming
 * where senders send reports about failed TLS connections (for MTA-STS and DANE).
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
    List<Finding> findings) implements CheckReport {

  /** Validates and copies. */
  public TlsRptReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(lookup, "lookup");
    records = List.copyOf(records);
    rua = List.copyOf(rua);
    findings = List.copyOf(findings);
  }
}
