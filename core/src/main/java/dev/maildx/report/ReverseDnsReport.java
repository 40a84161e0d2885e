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
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reverse DNS (PTR) and forward confirmation (FCrDNS) of IP addresses (RFC 8601 §3 "iprev", RFC
 * 1912 §2.1): of the sending IP (check {@code ptr}), which receivers require before they accept
 * mail, or of the recipient's MX addresses (check {@code mx-ptr}).
 *
 * @param check {@code ptr} or {@code mx-ptr}
 * @param results one entry per address
 * @param findings what the check found
 */
public record ReverseDnsReport(String check, List<Result> results, List<Finding> findings)
    implements CheckReport {
  /** The name of the check of the sending IP's reverse DNS: {@value}. */
  public static final String CHECK = "ptr";

  /** The name of the check of the recipient's MX hosts' reverse DNS: {@value}. */
  public static final String MX_CHECK = "mx-ptr";

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
  public record Result(
      InetAddress address,
      @Nullable String host,
      DnsOutcome lookup,
      List<String> names,
      List<String> confirmed) {
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

  /**
   * The codes of the findings of the {@code ptr} check (the sending IP) and the {@code mx-ptr}
   * check (the MX hosts' addresses): reverse DNS and its forward confirmation (RFC 8601 §3). What
   * is an error for the sending IP is a warning for an MX host.
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    PTR_OK(
        INFO,
        DELIVERABLE,
        "RFC 8601 §3",
        "The address has reverse DNS whose names resolve back to it (forward-confirmed)."),
    PTR_MISSING(
        ERROR,
        AT_RISK,
        "RFC 8601 §3",
        "The address has no PTR record: receivers distrust a sending IP without one (a warning for an MX host)."),
    PTR_NOT_CONFIRMED(
        ERROR,
        AT_RISK,
        "RFC 8601 §3",
        "No PTR name of the address resolves back to it (a warning for an MX host)."),
    PTR_MULTIPLE(
        WARNING,
        DELIVERABLE,
        "RFC 8601 §3",
        "The address has several PTR records; many receivers look at one only."),
    PTR_GENERIC(
        WARNING,
        DELIVERABLE,
        null,
        "The reverse name looks like an end-user or dynamic address (it embeds the address, or words such as dynamic, dsl, pool), which filters treat as a compromised home computer."),
    PTR_HELO_MISMATCH(
        WARNING,
        DELIVERABLE,
        "RFC 5321 §4.1.4",
        "The HELO name of the question is not one of the address's forward-confirmed names."),
    PTR_NOT_PUBLIC(
        INFO,
        DELIVERABLE,
        null,
        "A private, loopback or otherwise special address (RFC 6890) that receivers never see; nothing is looked up."),
    PTR_LIMIT(
        INFO,
        DELIVERABLE,
        null,
        "More MX addresses than maildx looks at; the rest were not looked at."),
    PTR_LOOKUP_FAILED(WARNING, INCONCLUSIVE, "RFC 8601 §3", "The PTR or forward lookup failed.");

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
      return List.of(CHECK, MX_CHECK);
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
