package dev.maildx.report;

import static dev.maildx.Severity.ERROR;
import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
import static dev.maildx.Verdict.AT_RISK;
import static dev.maildx.Verdict.DELIVERABLE;
import static dev.maildx.Verdict.INCONCLUSIVE;
import static dev.maildx.Verdict.UNDELIVERABLE;
import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.FindingCode;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a domain's mail goes: its MX hosts in preference order with their addresses (RFC 5321
 * §5.1), or the fact that it accepts no mail (null MX, RFC 7505), or that its MX could not be
 * determined.
 *
 * @param check the check name ({@code mx} for the recipient, {@code sender-mx} for the sender's own
 *     domain)
 * @param domain the domain whose MX was looked up
 * @param lookup how the MX query itself ended
 * @param hosts the mail exchangers, lowest preference first; for an implicit MX the domain itself
 * @param nullMx {@code true} if the domain publishes the null MX {@code 0 .}
 * @param implicit {@code true} if the domain has no MX records and its own address is used
 * @param findings what the check found
 */
public record MxReport(
    String check,
    DomainName domain,
    DnsOutcome lookup,
    List<Host> hosts,
    boolean nullMx,
    boolean implicit,
    List<Finding> findings)
    implements CheckReport {
  /** The name of the check of the recipient domain's MX: {@value}. */
  public static final String CHECK = "mx";

  /** The name of the check of the sender's own domain's MX: {@value}. */
  public static final String SENDER_CHECK = "sender-mx";

  /** Validates and copies. */
  public MxReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(lookup, "lookup");
    hosts = List.copyOf(hosts);
    findings = List.copyOf(findings);
  }

  /**
   * Whether at least one host has an address mail could be sent to.
   *
   * @return {@code true} if any host resolved
   */
  public boolean hasReachableHost() {
    return hosts.stream().anyMatch(h -> !h.addresses().isEmpty());
  }

  /**
   * One mail exchanger of a domain: an MX record's target with the addresses it resolved to (RFC
   * 5321 §5.1).
   *
   * @param preference the MX preference, lower is tried first (0 for an implicit MX)
   * @param name the target host name, ASCII, lower case, no trailing dot
   * @param addresses its IPv4 and IPv6 addresses, IPv4 first, each list in DNS order; empty if it
   *     has none or they could not be resolved
   * @param addressLookup how the address lookups ended: {@link DnsOutcome#ANSWER} if any address
   *     was found, else the most telling failure
   */
  public record Host(
      int preference, String name, List<InetAddress> addresses, DnsOutcome addressLookup) {
    /** Validates and copies. */
    public Host {
      requireNonNull(name, "name");
      requireNonNull(addressLookup, "addressLookup");
      if (preference < 0 || preference > 65535) {
        throw new IllegalArgumentException("MX preference must be 0..65535, was " + preference);
      }
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * Keys of the evidence the findings of this check carry, declared for those who read it (the
   * correlation of a diagnosis does).
   */
  public static final class Evidence {
    /**
     * How a failed lookup ended ({@link DnsOutcome}, for example {@code TIMEOUT}), on {@link
     * Code#MX_LOOKUP_FAILED} and the MX target findings: {@value}.
     */
    public static final String OUTCOME = "outcome";

    private Evidence() {}
  }

  /**
   * The codes of the findings of the {@code mx} and {@code sender-mx} checks (RFC 5321 §5.1, RFC
   * 7505). For the sender's own domain ({@code sender-mx}) nothing is undeliverable: the effects
   * become {@link Verdict#AT_RISK}, since replies and bounces are what is lost.
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    MX_OK(INFO, DELIVERABLE, null, "The domain's mail servers, in the order senders try them."),
    MX_NXDOMAIN(
        ERROR,
        UNDELIVERABLE,
        "RFC 5321 §5.1",
        "The domain does not exist (NXDOMAIN): no mail can be delivered to it."),
    MX_NULL(
        ERROR,
        UNDELIVERABLE,
        "RFC 7505 §3",
        "The domain publishes a null MX (0 .): it declares that it accepts no mail at all."),
    MX_NULL_MIXED(
        ERROR,
        AT_RISK,
        "RFC 7505 §3",
        "A null MX is published beside other MX records, which RFC 7505 forbids: senders differ on whether they deliver."),
    MX_IMPLICIT(
        WARNING,
        DELIVERABLE,
        "RFC 5321 §5.1",
        "The domain has no MX records: senders deliver to the domain's own address (the implicit MX)."),
    MX_NONE(
        ERROR,
        UNDELIVERABLE,
        "RFC 5321 §5.1",
        "The domain has neither MX records nor an address: no mail can be delivered to it."),
    MX_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        "RFC 5321 §5.1",
        "The MX lookup (or the implicit MX's address lookup) failed: timeout, SERVFAIL or REFUSED, with the cause."),
    MX_TARGET_IP_LITERAL(
        ERROR,
        AT_RISK,
        "RFC 5321 §5.1",
        "An MX target is written as an IP address instead of a host name: most senders find nothing to deliver to."),
    MX_TARGET_CNAME(
        WARNING,
        DELIVERABLE,
        "RFC 2181 §10.3",
        "An MX target is an alias (CNAME); an MX must name a host directly, and some senders refuse aliases."),
    MX_TARGET_NO_ADDRESS(
        ERROR,
        AT_RISK,
        "RFC 5321 §5.1",
        "An MX host has no A or AAAA record: senders cannot connect to it."),
    MX_TARGET_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        null,
        "The address lookup of an MX host failed (timeout, SERVFAIL, REFUSED)."),
    MX_TARGET_NOT_PUBLIC(
        ERROR,
        AT_RISK,
        "RFC 6890",
        "An MX host resolves to a loopback, private or reserved address that senders on the Internet cannot reach."),
    MX_TARGET_IPV6_ONLY(
        WARNING,
        DELIVERABLE,
        null,
        "An MX host has only IPv6 addresses: senders without IPv6 cannot deliver to it."),
    MX_DUPLICATE(
        WARNING, DELIVERABLE, null, "The same host is listed more than once in the MX records."),
    MX_TOO_MANY(
        WARNING,
        DELIVERABLE,
        "RFC 5321 §5.1",
        "More than 10 MX hosts: senders try only a few of them, so the last ones never receive mail."),
    MX_NO_USABLE_HOST(
        ERROR,
        UNDELIVERABLE,
        "RFC 5321 §5.1",
        "None of the MX hosts has a public address a sender could connect to.");

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
      return List.of(CHECK, SENDER_CHECK);
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
