package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Whether the DNS answers a sender needs to reach a domain validate with DNSSEC (RFC 4033,
 * RFC 4035): the domain's MX RRset and the address RRsets of each mail exchanger. A bogus answer
 * is fatal for senders whose resolvers validate; a secure MX host is a precondition of DANE
 * (RFC 7672 §2.2).
 *
 * @param check the check name ({@code dnssec})
 * @param domain the domain
 * @param method how the statuses were determined
 * @param status the status of the domain's MX RRset (or of its implicit MX address)
 * @param results the status of each RRset looked at: the MX RRset first, then each MX host's A
 *     and AAAA RRsets
 * @param findings what the check found
 */
public record DnssecReport(
    String check,
    DomainName domain,
    DnssecMethod method,
    DnssecStatus status,
    List<DnssecResult> results,
    List<Finding> findings) implements CheckReport {

  /** Validates and copies. */
  public DnssecReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(method, "method");
    requireNonNull(status, "status");
    results = List.copyOf(results);
    findings = List.copyOf(findings);
  }
}
