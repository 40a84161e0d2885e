package dev.maildx.report;

import static dev.maildx.Severity.ERROR;
import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
import static dev.maildx.Verdict.DELIVERABLE;
import static dev.maildx.Verdict.INCONCLUSIVE;
import static dev.maildx.Verdict.UNDELIVERABLE;
import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.FindingCode;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether the DNS answers a sender needs to reach a domain validate with DNSSEC (RFC 4033, RFC
 * 4035): the domain's MX RRset and the address RRsets of each mail exchanger. A bogus answer is
 * fatal for senders whose resolvers validate; a secure MX host is a precondition of DANE (RFC 7672
 * §2.2).
 *
 * @param check the check name ({@code dnssec})
 * @param domain the domain
 * @param method how the statuses were determined
 * @param status the status of the domain's MX RRset (or of its implicit MX address)
 * @param results the status of each RRset looked at: the MX RRset first, then each MX host's A and
 *     AAAA RRsets
 * @param findings what the check found
 */
public record DnssecReport(
    String check,
    DomainName domain,
    DnssecMethod method,
    DnssecStatus status,
    List<Result> results,
    List<Finding> findings)
    implements CheckReport {
  /** The name of the check that makes this report: {@value}. */
  public static final String CHECK = "dnssec";

  /** Validates and copies. */
  public DnssecReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(method, "method");
    requireNonNull(status, "status");
    results = List.copyOf(results);
    findings = List.copyOf(findings);
  }

  /**
   * The DNSSEC status of one RRset (RFC 4035 §5): for example the MX records of a domain or the
   * addresses of one of its mail exchangers.
   *
   * @param name the owner name, ASCII, lower case, no trailing dot
   * @param type the record type, for example {@code MX}
   * @param lookup how the lookup ended ({@link DnsOutcome#NO_DATA} and {@link DnsOutcome#NXDOMAIN}
   *     are validated like positive answers)
   * @param status the security status
   * @param reason why, in words (the validator's reason for {@link DnssecStatus#BOGUS}); empty if
   *     there is nothing to add
   */
  public record Result(
      String name, String type, DnsOutcome lookup, DnssecStatus status, String reason) {
    /** Validates. */
    public Result {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
      requireNonNull(lookup, "lookup");
      requireNonNull(status, "status");
      requireNonNull(reason, "reason");
    }
  }

  /**
   * The codes of the findings of the {@code dnssec} check: whether the MX RRset and the MX hosts'
   * addresses validate (RFC 4035 §5).
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    DNSSEC_SECURE(
        INFO, DELIVERABLE, "RFC 4035 §5", "The MX RRset validates, and which hosts' addresses do."),
    DNSSEC_INSECURE(
        INFO, DELIVERABLE, "RFC 4035 §5", "The domain is not signed: no DNSSEC, so no DANE."),
    DNSSEC_BOGUS(
        ERROR,
        UNDELIVERABLE,
        "RFC 4035 §5",
        "An answer fails DNSSEC validation: undeliverable for the MX RRset or when every host's addresses are bogus, at risk for some hosts only."),
    DNSSEC_INDETERMINATE(
        INFO,
        DELIVERABLE,
        "RFC 4035 §5",
        "The DNSSEC status could not be determined: no configured trust anchor covers the name, or the resolver did not vouch for a signed answer."),
    DNSSEC_HOST_INSECURE(
        INFO,
        DELIVERABLE,
        "RFC 7672 §2.2.1",
        "A signed domain's MX host is in an unsigned zone: DANE cannot apply to it."),
    DNSSEC_RESOLVER_AD_BIT(
        INFO,
        DELIVERABLE,
        null,
        "The DNS server does not serve the trust anchors' signed keys (it is not a recursive resolver), so the statuses come from its AD bit instead of maildx's own validation."),
    DNSSEC_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        "RFC 4035 §5",
        "A lookup failed (timeout, SERVFAIL that persists with checking disabled, REFUSED).");

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
