package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * DANE for SMTP (RFC 7672): the TLSA records of each MX host of a domain, their parameters
 * (certificate usage, selector, matching type; RFC 6698 §2.1, RFC 7672 §3.1) and whether they are
 * DNSSEC-secure and therefore usable. Whether a host's certificate matches its records is the
 * SMTP probe's part.
 *
 * @param check the check name ({@code tlsa})
 * @param domain the domain whose MX hosts were looked at
 * @param method how the DNSSEC status of the TLSA records was determined
 * @param hosts one entry per MX host, in MX order
 * @param findings what the check found
 */
public record TlsaReport(String check, DomainName domain, DnssecMethod method, List<TlsaHost> hosts, List<Finding> findings)
    implements CheckReport {

  /** Validates and copies. */
  public TlsaReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(method, "method");
    hosts = List.copyOf(hosts);
    findings = List.copyOf(findings);
  }

  /**
   * The entry of one MX host.
   *
   * @param host the host name
   * @return its TLSA entry, if it was looked at
   */
  public java.util.Optional<TlsaHost> host(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    String n = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    return hosts.stream().filter(x -> x.host().equals(n)).findFirst();
  }
}
