package dev.maildx.report;

import dev.maildx.Finding;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;
import static java.util.Objects.requireNonNull;


/**
 * Reverse DNS (PTR) and forward confirmation (FCrDNS) of IP addresses (RFC 8601 §3 "iprev",
 * RFC 1912 §2.1): of the sending IP (check {@code ptr}), which receivers require before they
 * accept mail, or of the recipient's MX addresses (check {@code mx-ptr}).
 *
 * @param check {@code ptr} or {@code mx-ptr}
 * @param results one entry per address
 * @param findings what the check found
 */
public record ReverseDnsReport(String check, List<Result> results, List<Finding> findings) implements CheckReport {
  /** Validates and copies. */
  public ReverseDnsReport {
    requireNonNull(check, "check");
    results = List.copyOf(results);
    findings = List.copyOf(findings);
  }

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
  public record Result(InetAddress address, @Nullable String host, DnsOutcome lookup, List<String> names, List<String> confirmed) {
    /** Validates and copies. */
    public Result {
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
}
