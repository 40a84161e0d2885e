package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import java.util.List;
import static java.util.Objects.requireNonNull;


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
    List<Result> results,
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

  /**
   * The DNSSEC status of one RRset (RFC 4035 §5): for example the MX records of a domain or the
   * addresses of one of its mail exchangers.
   *
   * @param name the owner name, ASCII, lower case, no trailing dot
   * @param type the record type, for example {@code MX}
   * @param lookup how the lookup ended ({@link DnsOutcome#NO_DATA} and {@link DnsOutcome#NXDOMAIN}
   *     are validated like positive answers)
   * @param status the security status
   * @param reason why, in words (the validator's reason for {@link DnssecStatus#BOGUS}); empty if
   *     there is nothing to add
   */
  public record Result(String name, String type, DnsOutcome lookup, DnssecStatus status, String reason) {
    /** Validates. */
    public Result {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
      requireNonNull(lookup, "lookup");
      requireNonNull(status, "status");
      requireNonNull(reason, "reason");
    }
  }
}
