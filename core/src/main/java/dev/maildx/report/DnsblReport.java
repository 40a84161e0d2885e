package dev.maildx.report;

import static dev.maildx.Severity.ERROR;
import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
import static dev.maildx.Verdict.AT_RISK;
import static dev.maildx.Verdict.DELIVERABLE;
import static dev.maildx.Verdict.INCONCLUSIVE;
import static java.util.Objects.requireNonNull;

import dev.maildx.Finding;
import dev.maildx.FindingCode;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The sending IP and the sender domain checked against DNS blocklists (RFC 5782): each list's
 * answer, with its return codes decoded.
 *
 * @param check the check name ({@code dnsbl})
 * @param results one entry per list and subject, in the order of the configured lists
 * @param findings what the check found
 */
public record DnsblReport(String check, List<Result> results, List<Finding> findings)
    implements CheckReport {
  /** The name of the check that makes this report: {@value}. */
  public static final String CHECK = "dnsbl";

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

  /**
   * Keys of the evidence the findings of this check carry, declared for those who read it (the
   * correlation of a diagnosis does).
   */
  public static final class Evidence {
    /** The name of the blocklist: {@value}. */
    public static final String LIST = "list";

    /** The answers of the list (for example {@code 127.0.0.2}), comma-separated: {@value}. */
    public static final String CODES = "codes";

    private Evidence() {}
  }

  /**
   * The codes of the findings of the {@code dnsbl} check (RFC 5782).
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    DNSBL_LISTED(
        ERROR,
        AT_RISK,
        "RFC 5782 §2",
        "The sending IP or the domain is listed on a blocklist: with the list, the code, its meaning and the list's reason."),
    DNSBL_NOT_LISTED(
        INFO, DELIVERABLE, "RFC 5782 §2", "The blocklists that do not list the subject."),
    DNSBL_QUERY_REFUSED(
        WARNING,
        INCONCLUSIVE,
        null,
        "A blocklist answered with an error code (a query through a public resolver, a rate limit, a wrong query type): it was not checked."),
    DNSBL_BROKEN_ANSWER(
        WARNING,
        DELIVERABLE,
        "RFC 5782 §2.1",
        "A blocklist answered outside 127.0.0.0/8: the list is broken or its domain has lapsed, and the answer is ignored."),
    DNSBL_SKIPPED(
        INFO,
        DELIVERABLE,
        null,
        "A blocklist not asked: a private or special address that no list holds, or an IPv6 address and a list of IPv4 addresses only."),
    DNSBL_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        "RFC 5782 §2",
        "A blocklist query failed (timeout, SERVFAIL, REFUSED; Barracuda gives no answer to unregistered DNS servers).");

    private final Severity severity;
    private final Verdict effect;
    private final @Nullable String reference;
    private final String meaning;

    Code(Severity severity, Verdict effect, @Nullable String reference, String meaning) {
      this.severity = severity;
      this.effect = effect;
      this.reference = reference;
      this.meaning = meaning;
    }

    @Override
    public List<String> checks() {
      return List.of(CHECK);
    }

    @Override
    public Severity severity() {
      return severity;
    }

    @Override
    public Verdict effect() {
      return effect;
    }

    @Override
    public String meaning() {
      return meaning;
    }

    @Override
    public Optional<String> reference() {
      return Optional.ofNullable(reference);
    }
  }
}
