package dev.maildx.report;

import dev.maildx.Finding;
import java.util.List;
import org.jspecify.annotations.Nullable;
import static java.util.Objects.requireNonNull;


/**
 * The sending IP and the sender domain checked against DNS blocklists (RFC 5782): each list's
 * answer, with its return codes decoded.
 *
 * @param check the check name ({@code dnsbl})
 * @param results one entry per list and subject, in the order of the configured lists
 * @param findings what the check found
 */
public record DnsblReport(String check, List<Result> results, List<Finding> findings) implements CheckReport {
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
  public List<Result> listings() {
    return results.stream().filter(Result::listed).toList();
  }

  /**
   * The answer of one DNS blocklist about one IP address or domain (RFC 5782 §2): listed or not,
   * the return codes and what the list says they mean, and the list's TXT reason.
   *
   * @param list the blocklist's name, for example {@code Spamhaus ZEN}
   * @param zone the DNS zone queried, for example {@code zen.spamhaus.org}
   * @param kind whether the list holds IP addresses or domains
   * @param subject the IP literal or domain looked up
   * @param lookup how the lookup ended ({@link DnsOutcome#NXDOMAIN} means not listed)
   * @param codes the A records of the answer, as literals ({@code 127.0.0.2}), in DNS order
   * @param meanings what each code means by the list's documentation, in the order of {@code codes}
   * @param reason the list's TXT record for the entry, if it has one
   * @param listed whether the subject is listed (a valid listing code, not an error code or an
   *     answer outside 127.0.0.0/8)
   */
  public record Result(
      String list,
      String zone,
      Kind kind,
      String subject,
      DnsOutcome lookup,
      List<String> codes,
      List<String> meanings,
      @Nullable String reason,
      boolean listed) {

    /** Validates and copies. */
    public Result {
      requireNonNull(list, "list");
      requireNonNull(zone, "zone");
      requireNonNull(kind, "kind");
      requireNonNull(subject, "subject");
      requireNonNull(lookup, "lookup");
      codes = List.copyOf(codes);
      meanings = List.copyOf(meanings);
    }

    /** What a blocklist lists (RFC 5782 §2 and §3). */
    public enum Kind {
      /** IP addresses, looked up by their reversed octets or nibbles. */
      IP,
      /** Domain names, looked up by the name itself. */
      DOMAIN
    }
  }
}
