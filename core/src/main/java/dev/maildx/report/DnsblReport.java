package dev.maildx.report;

import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The sending IP and the sender domain checked against DNS blocklists (RFC 5782): each list's
 * answer, with its return codes decoded.
 *
 * @param check the check name ({@code dnsbl})
 * @param results one entry per list and subject, in the order of the configured lists
 * @param findings what the check found
 */
public record DnsblReport(String check, List<DnsblResult> results, List<Finding> findings) implements CheckReport {
  /** Validates and copies. */
  public DnsblReport {
    requireNonNull(check, "check");
    results = List.copyOf(results);
    findings = List.copyOf(findings);
  }

  /**
   * The entries that list the subject.
   *
   * @return the listings, possibly empty
   */
  public List<DnsblResult> listings() {
    return results.stream().filter(DnsblResult::listed).toList();
  }
}
