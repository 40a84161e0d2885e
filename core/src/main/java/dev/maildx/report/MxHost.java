package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;

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
public record MxHost(int preference, String name, List<InetAddress> addresses, DnsOutcome addressLookup) {
  /** Validates and copies. */
  public MxHost {
    requireNonNull(name, "name");
    requireNonNull(addressLookup, "addressLookup");
    if (preference < 0 || preference > 65535) {
      throw new IllegalArgumentException("MX preference must be 0..65535, was " + preference);
    }
    addresses = List.copyOf(addresses);
  }
}
