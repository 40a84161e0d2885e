package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import java.net.InetAddress;
import java.util.List;
import static java.util.Objects.requireNonNull;


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
    List<Host> hosts,
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

  /**
   * One mail exchanger of a domain: an MX record's target with the addresses it resolved to
   * (RFC 5321 §5.1).
   *
   * @param preference the MX preference, lower is tried first (0 for an implicit MX)
   * @param name the target host name, ASCII, lower case, no trailing dot
   * @param addresses its IPv4 and IPv6 addresses, IPv4 first, each list in DNS order; empty if it
   *     has none or they could not be resolved
   * @param addressLookup how the address lookups ended: {@link DnsOutcome#ANSWER} if any address
   *     was found, else the most telling failure
   */
  public record Host(int preference, String name, List<InetAddress> addresses, DnsOutcome addressLookup) {
    /** Validates and copies. */
    public Host {
      requireNonNull(name, "name");
      requireNonNull(addressLookup, "addressLookup");
      if (preference < 0 || preference > 65535) {
        throw new IllegalArgumentException("MX preference must be 0..65535, was " + preference);
      }
      addresses = List.copyOf(addresses);
    }
  }
}
