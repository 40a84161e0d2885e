package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where a domain's mail goes: its MX hosts in preference order with their addresses (RFC 5321
 * §5.1), or the fact that it accepts no mail (null MX, RFC 7505), or that its MX could not be
 * determined.
 *
 * @param check the check name ({@code mx} for the recipient, {@code sender-mx} for the sender's
 *     own domain)
 * @param domain the domain whose MX was looked up
 * @param lookup how the MX query itself ended
 * @param hosts the mail exchangers, lowest preference first; for an implicit MX the domain itself
 * @param nullMx {@code true} if the domain publishes the null MX {@code 0 .}
 * @param implicit {@code true} if the domain has no MX records and its own address is used
 * @param findings what the check found
 */
public record MxReport(
    String check,
    DomainName domain,
    DnsOutcome lookup,
    List<MxHost> hosts,
    boolean nullMx,
    boolean implicit,
    List<Finding> findings) implements CheckReport {

  /** Validates and copies. */
  public MxReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(lookup, "lookup");
    hosts = List.copyOf(hosts);
    findings = List.copyOf(findings);
  }

  /**
   * Whether at least one host has an address mail could be sent to.
   *
   * @return {@code true} if any host resolved
   */
  public boolean hasReachableHost() {
    return hosts.stream().anyMatch(h -> !h.addresses().isEmpty());
  }
}
