package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.util.List;

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
public record TlsaHost(String host, String tlsaName, DnsOutcome lookup, List<TlsaRecord> records, DnssecStatus dnssec,
    List<TlsaRecord> usable) {
  /** Validates and copies. */
  public TlsaHost {
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
