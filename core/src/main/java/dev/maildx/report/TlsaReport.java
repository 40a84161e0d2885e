package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import java.util.List;
import static java.util.Objects.requireNonNull;


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
public record TlsaReport(String check, DomainName domain, DnssecMethod method, List<Host> hosts, List<Finding> findings)
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
  public java.util.Optional<Host> host(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    String n = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    return hosts.stream().filter(x -> x.host().equals(n)).findFirst();
  }

  /**
   * The TLSA records of one MX host, at {@code _25._tcp.<host>} (RFC 7672 §2.2.3), with their
   * DNSSEC status: TLSA records count only if they are DNSSEC-secure (RFC 7672 §2.2).
   *
   * @param host the MX host name, ASCII, lower case, no trailing dot
   * @param tlsaName the name queried, for example {@code _25._tcp.mx1.example.com}
   * @param lookup how the TLSA lookup ended
   * @param records every TLSA record found, in DNS order
   * @param dnssec the DNSSEC status of the TLSA RRset (or of its denial)
   * @param usable the records a DANE sender uses: DANE-TA(2) or DANE-EE(3) with a known selector
   *     and matching type and data of the right length; empty if the RRset is not secure
   */
  public record Host(String host, String tlsaName, DnsOutcome lookup, List<TlsaRecord> records, DnssecStatus dnssec,
      List<TlsaRecord> usable) {
    /** Validates and copies. */
    public Host {
      requireNonNull(host, "host");
      requireNonNull(tlsaName, "tlsaName");
      requireNonNull(lookup, "lookup");
      records = List.copyOf(records);
      requireNonNull(dnssec, "dnssec");
      usable = List.copyOf(usable);
    }

    /**
     * Whether DANE applies to this host: secure TLSA records, at least one usable.
     *
     * @return {@code true} if DANE senders must authenticate this host by its TLSA records
     */
    public boolean daneEnabled() {
      return dnssec == DnssecStatus.SECURE && !usable.isEmpty();
    }
  }
}
