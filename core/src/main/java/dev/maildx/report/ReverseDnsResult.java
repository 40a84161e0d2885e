package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The reverse DNS of one IP address and whether it is forward-confirmed (FCrDNS, the "iprev"
 * check of RFC 8601 §3): the PTR names of the address, and those of them whose A or AAAA records
 * lead back to it.
 *
 * @param address the IP address
 * @param host the MX host the address belongs to, or {@code null} for the sending IP
 * @param lookup how the PTR lookup ended
 * @param names the PTR names, ASCII, lower case, no trailing dot, in DNS order
 * @param confirmed the names whose forward lookup contains the address
 */
public record ReverseDnsResult(InetAddress address, @Nullable String host, DnsOutcome lookup, List<String> names, List<String> confirmed) {
  /** Validates and copies. */
  public ReverseDnsResult {
    requireNonNull(address, "address");
    requireNonNull(lookup, "lookup");
    names = List.copyOf(names);
    confirmed = List.copyOf(confirmed);
  }

  /**
   * Whether a PTR name resolves back to the address.
   *
   * @return {@code true} if forward-confirmed
   */
  public boolean forwardConfirmed() {
    return !confirmed.isEmpty();
  }
}
