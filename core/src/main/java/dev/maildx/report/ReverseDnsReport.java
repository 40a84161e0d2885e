package dev.maildx.report;

import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Reverse DNS (PTR) and forward confirmation (FCrDNS) of IP addresses (RFC 8601 §3 "iprev",
 * RFC 1912 §2.1): of the sending IP (check {@code ptr}), which receivers require before they
 * accept mail, or of the recipient's MX addresses (check {@code mx-ptr}).
 *
 * @param check {@code ptr} or {@code mx-ptr}
 * @param results one entry per address
 * @param findings what the check found
 */
public record ReverseDnsReport(String check, List<ReverseDnsResult> results, List<Finding> findings) implements CheckReport {
  /** Validates and copies. */
  public ReverseDnsReport {
    requireNonNull(check, "check");
    results = List.copyOf(results);
    findings = List.copyOf(findings);
  }
}
