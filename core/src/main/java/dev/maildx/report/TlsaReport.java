package dev.maildx.report;

import static dev.maildx.Severity.ERROR;
import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
import static dev.maildx.Verdict.AT_RISK;
import static dev.maildx.Verdict.DELIVERABLE;
import static dev.maildx.Verdict.INCONCLUSIVE;
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
 * DANE for SMTP (RFC 7672): the TLSA records of each MX host of a domain, their parameters
 * (certificate usage, selector, matching type; RFC 6698 §2.1, RFC 7672 §3.1) and whether they are
 * DNSSEC-secure and therefore usable. Whether a host's certificate matches its records is the SMTP
 * probe's part.
 *
 * @param check the check name ({@code tlsa})
 * @param domain the domain whose MX hosts were looked at
 * @param method how the DNSSEC status of the TLSA records was determined
 * @param hosts one entry per MX host, in MX order
 * @param findings what the check found
 */
public record TlsaReport(
    String check, DomainName domain, DnssecMethod method, List<Host> hosts, List<Finding> findings)
    implements CheckReport {
  /** The name of the check that makes this report: {@value}. */
  public static final String CHECK = "tlsa";

  /** Validates and copies. */
  public TlsaReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(method, "method");
    hosts = List.copyOf(hosts);
    findings = List.copyOf(findings);
  }

  /**
   * The entry of one MX host.
   *
   * @param host the host name
   * @return its TLSA entry, if it was looked at
   */
  public java.util.Optional<Host> host(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    String n = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    return hosts.stream().filter(x -> x.host().equals(n)).findFirst();
  }

  /**
   * The TLSA records of one MX host, at {@code _25._tcp.<host>} (RFC 7672 §2.2.3), with their
   * DNSSEC status: TLSA records count only if they are DNSSEC-secure (RFC 7672 §2.2).
   *
   * @param host the MX host name, ASCII, lower case, no trailing dot
   * @param tlsaName the name queried, for example {@code _25._tcp.mx1.example.com}
   * @param lookup how the TLSA lookup ended
   * @param records every TLSA record found, in DNS order
   * @param dnssec the DNSSEC status of the TLSA RRset (or of its denial)
   * @param usable the records a DANE sender uses: DANE-TA(2) or DANE-EE(3) with a known selector
   *     and matching type and data of the right length; empty if the RRset is not secure
   */
  public record Host(
      String host,
      String tlsaName,
      DnsOutcome lookup,
      List<TlsaRecord> records,
      DnssecStatus dnssec,
      List<TlsaRecord> usable) {
    /** Validates and copies. */
    public Host {
      requireNonNull(host, "host");
      requireNonNull(tlsaName, "tlsaName");
      requireNonNull(lookup, "lookup");
      records = List.copyOf(records);
      requireNonNull(dnssec, "dnssec");
      usable = List.copyOf(usable);
    }

    /**
     * Whether DANE applies to this host: secure TLSA records, at least one usable.
     *
     * @return {@code true} if DANE senders must authenticate this host by its TLSA records
     */
    public boolean daneEnabled() {
      return dnssec == DnssecStatus.SECURE && !usable.isEmpty();
    }
  }

  /**
   * The codes of the findings of the {@code tlsa} check: the TLSA records of the MX hosts (RFC 7672
   * §2.2, RFC 6698).
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    TLSA_OK(
        INFO,
        DELIVERABLE,
        "RFC 7672 §3",
        "An MX host has usable, DNSSEC-secure TLSA records: DANE applies to it."),
    TLSA_NONE(INFO, DELIVERABLE, "RFC 7672 §2.2", "No MX host has TLSA records: DANE is not used."),
    TLSA_PARTIAL(
        WARNING, DELIVERABLE, "RFC 7672 §2.2", "Some MX hosts use DANE and others do not."),
    TLSA_BOGUS(
        ERROR,
        AT_RISK,
        "RFC 7672 §2.2.1",
        "A TLSA RRset fails DNSSEC validation: DANE senders do not deliver to the host (undeliverable if every host is affected)."),
    TLSA_INSECURE(
        WARNING,
        DELIVERABLE,
        "RFC 7672 §2.2",
        "TLSA records in an unsigned zone: senders ignore them."),
    TLSA_DNSSEC_UNKNOWN(
        INFO,
        DELIVERABLE,
        "RFC 7672 §2.2",
        "TLSA records whose DNSSEC status could not be determined."),
    TLSA_ALL_UNUSABLE(
        WARNING,
        DELIVERABLE,
        "RFC 7672 §2.2",
        "Secure TLSA records, none usable: DANE senders still insist on TLS but cannot authenticate the host."),
    TLSA_PKIX_USAGE(
        WARNING,
        DELIVERABLE,
        "RFC 7672 §3.1.3",
        "A TLSA record with usage PKIX-TA(0) or PKIX-EE(1), which SMTP clients do not use."),
    TLSA_UNKNOWN_PARAMETER(
        WARNING,
        DELIVERABLE,
        "RFC 6698 §2.1",
        "A TLSA record with a usage, selector or matching type that is not defined: it is unusable."),
    TLSA_BAD_LENGTH(
        WARNING,
        DELIVERABLE,
        "RFC 6698 §2.1",
        "A TLSA record whose association data has the wrong length for its matching type (32 bytes for SHA-256, 64 for SHA-512): it is unusable."),
    TLSA_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        "RFC 7672 §2.2.1",
        "A TLSA lookup failed: DANE senders defer mail to a host in a signed zone whose TLSA lookup fails.");

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
