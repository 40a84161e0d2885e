package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import static java.util.Objects.requireNonNull;


/**
 * The DMARC policy of a domain (RFC 9989, RFC 7489): the record that applies to it, where it was
 * found, the Organizational Domain by both methods receivers use — the RFC 9989 DNS tree walk and
 * the RFC 7489 Public Suffix List — and whether they agree, the report destinations and whether
 * they accept the reports, and every problem as a finding.
 *
 * @param check the check name ({@code dmarc})
 * @param domain the domain asked about (the RFC5322.From domain of the sender's mail)
 * @param lookup how the query for {@code _dmarc.<domain>} ended
 * @param record the DMARC Policy Record that applies to {@code domain} (its own, its
 *     Organizational Domain's or its public suffix domain's), or {@code null} if none does
 * @param policyDomain where {@code record} was found, or {@code null}
 * @param policy the policy that applies to {@code domain}: {@code p} of its own record, else
 *     {@code sp} or {@code np} of the inherited one (RFC 9989 §4.10.1), before {@code t=y}; or
 *     {@code null} when no record applies
 * @param organizationalDomain the Organizational Domain by the RFC 9989 DNS tree walk, or
 *     {@code null} if the walk could not complete
 * @param pslOrganizationalDomain the Organizational Domain by the Public Suffix List (RFC 7489
 *     §3.2): the registrable domain, or {@code domain} itself when it is a public suffix
 * @param pslPolicyDomain where an RFC 7489 receiver finds the record ({@code domain} or {@code
 *     pslOrganizationalDomain}), or {@code null} if it finds none
 * @param methodsAgree whether both methods find the same Organizational Domain and the same record
 * @param treeWalk every {@code _dmarc} lookup made, in the order of RFC 9989 §4.10 (the author
 *     domain first, then its parents; the lookups are sent concurrently)
 * @param reportDestinations the {@code rua} and {@code ruf} destinations of {@code record}
 * @param domainExists whether {@code domain} exists in the DNS (RFC 9989 Appendix A.4), or
 *     {@code null} if unknown
 * @param publicSuffixListVersion the version line of the Public Suffix List used
 * @param findings what the check found
 */
public record DmarcReport(
    String check,
    DomainName domain,
    DnsOutcome lookup,
    @Nullable DmarcRecord record,
    @Nullable DomainName policyDomain,
    DmarcRecord.@Nullable Policy policy,
    @Nullable DomainName organizationalDomain,
    DomainName pslOrganizationalDomain,
    @Nullable DomainName pslPolicyDomain,
    boolean methodsAgree,
    List<Lookup> treeWalk,
    List<Destination> reportDestinations,
    @Nullable Boolean domainExists,
    String publicSuffixListVersion,
    List<Finding> findings) implements CheckReport {

  /** Validates and copies. */
  public DmarcReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(lookup, "lookup");
    requireNonNull(pslOrganizationalDomain, "pslOrganizationalDomain");
    treeWalk = List.copyOf(treeWalk);
    reportDestinations = List.copyOf(reportDestinations);
    requireNonNull(publicSuffixListVersion, "publicSuffixListVersion");
    findings = List.copyOf(findings);
  }


  /**
   * Whether the domain's own {@code _dmarc} name holds the record (rather than a parent's).
   *
   * @return {@code true} if the record is the domain's own
   */
  public boolean ownRecord() {
    return record != null && domain.equals(policyDomain);
  }

  /**
   * The policy after {@code t=y} (RFC 9989 §4.7): what a receiver applies to failing mail.
   *
   * @return the effective policy, or empty if no record applies
   */
  public Optional<DmarcRecord.Policy> effectivePolicy() {
    if (policy == null || record == null) {
      return Optional.empty();
    }
    return Optional.of(record.testing() ? policy.downgraded() : policy);
  }

  /**
   * One DMARC Policy Record lookup: the TXT query for {@code _dmarc.<domain>} and what it returned
   * (RFC 9989 §4.10 steps 1–2 and 5–6).
   *
   * @param domain the domain whose record was looked up (without {@code _dmarc.})
   * @param outcome how the TXT query ended
   * @param texts every TXT record at the name, character-strings joined, in DNS order
   * @param record the one valid DMARC Policy Record there, or {@code null} if there was none, or
   *     more than one (which are then all discarded)
   * @param dmarcRecords how many TXT records started with {@code v=DMARC1}
   * @param detail a short description of a failed lookup, empty otherwise
   */
  public record Lookup(DomainName domain, DnsOutcome outcome, List<String> texts, @Nullable DmarcRecord record, int dmarcRecords,
      String detail) {

    /** Validates and copies. */
    public Lookup {
      requireNonNull(domain, "domain");
      requireNonNull(outcome, "outcome");
      texts = List.copyOf(texts);
      requireNonNull(detail, "detail");
    }

    /** @return the name queried: {@code _dmarc.<domain>} */
    public String name() {
      return "_dmarc." + domain.ascii();
    }

    /** @return whether the query got a definite answer (records, NODATA or NXDOMAIN) */
    public boolean definite() {
      return outcome.isDefinite();
    }
  }

  /**
   * A reporting URI of a DMARC record ({@code rua} or {@code ruf}) and whether its destination has
   * agreed to receive the domain's reports (RFC 7489 §7.1, RFC 9990 §4: an external destination
   * publishes {@code <domain>._report._dmarc.<destination>}).
   *
   * @param tag {@code rua} or {@code ruf}
   * @param uri the URI as published
   * @param destination the domain of a {@code mailto:} address, or {@code null} for other schemes
   * @param external whether the destination lies outside the policy's Organizational Domain
   * @param authorization whether the destination authorizes the reports
   * @param authorizationName the name queried for the authorization record, or {@code null} if none
   *     was needed
   */
  public record Destination(String tag, String uri, @Nullable DomainName destination, boolean external,
      Authorization authorization, @Nullable String authorizationName) {

    /** Validates. */
    public Destination {
      requireNonNull(tag, "tag");
      requireNonNull(uri, "uri");
      requireNonNull(authorization, "authorization");
    }

    /** Whether an external report destination accepts a domain's reports. */
    public enum Authorization {
      /** The destination is within the domain's own Organizational Domain: no authorization needed. */
      NOT_REQUIRED,
      /** The destination publishes a {@code v=DMARC1} record at the authorization name. */
      AUTHORIZED,
      /** It does not: receivers will not send reports there. */
      NOT_AUTHORIZED,
      /** The authorization lookup failed or was not made (non-{@code mailto} URI, limit reached). */
      UNKNOWN
    }
  }
}
