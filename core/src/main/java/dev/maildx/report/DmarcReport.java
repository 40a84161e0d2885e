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
 * The DMARC policy of a domain (RFC 9989, RFC 7489): the record that applies to it, where it was
 * found, the Organizational Domain by both methods receivers use — the RFC 9989 DNS tree walk and
 * the RFC 7489 Public Suffix List — and whether they agree, the report destinations and whether
 * they accept the reports, and every problem as a finding.
 *
 * @param check the check name ({@code dmarc})
 * @param domain the domain asked about (the RFC5322.From domain of the sender's mail)
 * @param lookup how the query for {@code _dmarc.<domain>} ended
 * @param record the DMARC Policy Record that applies to {@code domain} (its own, its Organizational
 *     Domain's or its public suffix domain's), or {@code null} if none does
 * @param policyDomain where {@code record} was found, or {@code null}
 * @param policy the policy that applies to {@code domain}: {@code p} of its own record, else {@code
 *     sp} or {@code np} of the inherited one (RFC 9989 §4.10.1), before {@code t=y}; or {@code
 *     null} when no record applies
 * @param organizationalDomain the Organizational Domain by the RFC 9989 DNS tree walk, or {@code
 *     null} if the walk could not complete
 * @param pslOrganizationalDomain the Organizational Domain by the Public Suffix List (RFC 7489
 *     §3.2): the registrable domain, or {@code domain} itself when it is a public suffix
 * @param pslPolicyDomain where an RFC 7489 receiver finds the record ({@code domain} or {@code
 *     pslOrganizationalDomain}), or {@code null} if it finds none
 * @param methodsAgree whether both methods find the same Organizational Domain and the same record
 * @param treeWalk every {@code _dmarc} lookup made, in the order of RFC 9989 §4.10 (the author
 *     domain first, then its parents; the lookups are sent concurrently)
 * @param reportDestinations the {@code rua} and {@code ruf} destinations of {@code record}
 * @param domainExists whether {@code domain} exists in the DNS (RFC 9989 Appendix A.4), or {@code
 *     null} if unknown
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
    List<Finding> findings)
    implements CheckReport {
  /** The name of the check that makes this report: {@value}. */
  public static final String CHECK = "dmarc";

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
  public record Lookup(
      DomainName domain,
      DnsOutcome outcome,
      List<String> texts,
      @Nullable DmarcRecord record,
      int dmarcRecords,
      String detail) {

    /** Validates and copies. */
    public Lookup {
      requireNonNull(domain, "domain");
      requireNonNull(outcome, "outcome");
      texts = List.copyOf(texts);
      requireNonNull(detail, "detail");
    }

    /**
     * @return the name queried: {@code _dmarc.<domain>}
     */
    public String name() {
      return "_dmarc." + domain.ascii();
    }

    /**
     * @return whether the query got a definite answer (records, NODATA or NXDOMAIN)
     */
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
  public record Destination(
      String tag,
      String uri,
      @Nullable DomainName destination,
      boolean external,
      Authorization authorization,
      @Nullable String authorizationName) {

    /** Validates. */
    public Destination {
      requireNonNull(tag, "tag");
      requireNonNull(uri, "uri");
      requireNonNull(authorization, "authorization");
    }

    /** Whether an external report destination accepts a domain's reports. */
    public enum Authorization {
      /**
       * The destination is within the domain's own Organizational Domain: no authorization needed.
       */
      NOT_REQUIRED,
      /** The destination publishes a {@code v=DMARC1} record at the authorization name. */
      AUTHORIZED,
      /** It does not: receivers will not send reports there. */
      NOT_AUTHORIZED,
      /**
       * The authorization lookup failed or was not made (non-{@code mailto} URI, limit reached).
       */
      UNKNOWN
    }
  }

  /**
   * The codes of the findings of the {@code dmarc} check: the policy that applies to the domain,
   * how it was discovered, and the lint of the record (RFC 9989, RFC 7489).
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    DMARC_OK(
        INFO,
        DELIVERABLE,
        "RFC 9989 §4.10.1",
        "A DMARC policy applies: which one, and where it comes from."),
    DMARC_INHERITED(
        INFO,
        DELIVERABLE,
        "RFC 9989 §4.10.1",
        "The domain has no DMARC record of its own; its Organizational Domain's applies."),
    DMARC_PSD_POLICY(
        INFO,
        DELIVERABLE,
        "RFC 9989 §4.10.1",
        "The policy comes from a public suffix domain (psd=y)."),
    DMARC_MISSING(
        WARNING,
        AT_RISK,
        "RFC 9989 §4.10.1",
        "No DMARC record for the domain or its Organizational Domain: mailbox providers that require DMARC (Gmail, Yahoo, Microsoft for bulk senders) filter or reject the mail."),
    DMARC_NO_POLICY(
        ERROR,
        AT_RISK,
        "RFC 9989 §4.10.1",
        "The record has no valid p, sp or np and no valid rua: receivers apply no DMARC processing."),
    DMARC_P_MISSING(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §4.10.1",
        "The record has no p tag: read as p=none because rua is valid."),
    DMARC_P_NOT_SECOND(
        WARNING,
        DELIVERABLE,
        "RFC 7489 §6.4",
        "The p tag does not follow v, as RFC 7489 required."),
    DMARC_POLICY_NONE(
        INFO,
        DELIVERABLE,
        "RFC 9989 §3.2.12",
        "The policy is p=none: monitoring only, spoofed mail is delivered."),
    DMARC_POLICY_NONE_NO_RUA(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §5.1.4",
        "The policy is p=none without rua: the record does nothing at all."),
    DMARC_NO_RUA(
        INFO,
        DELIVERABLE,
        "RFC 9989 §5.1.3",
        "An enforcing policy without aggregate reports (rua): failures go unnoticed."),
    DMARC_SUBDOMAIN_POLICY_WEAKER(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §4.7",
        "The subdomain policy (sp) is weaker than the domain's policy (p)."),
    DMARC_NP_WEAKER(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §4.7",
        "The policy for non-existent subdomains (np) is weaker than p."),
    DMARC_PCT_PARTIAL(
        WARNING,
        DELIVERABLE,
        "RFC 9989 Appendix A.6",
        "pct is below 100: RFC 7489 receivers apply the policy to part of the failing mail only."),
    DMARC_TESTING(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §4.7",
        "t=y: receivers apply the policy one level lower (testing)."),
    DMARC_STRICT_ALIGNMENT(
        INFO,
        DELIVERABLE,
        "RFC 9989 §4.4",
        "adkim=s or aspf=s: only an exact domain match aligns."),
    DMARC_TAG_REMOVED(
        INFO,
        DELIVERABLE,
        "RFC 9989 Appendix C.5.2",
        "pct, rf or ri: removed by RFC 9989 but honoured by RFC 7489 receivers."),
    DMARC_FO_CONFLICT(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §4.7",
        "fo holds both 0 and 1, which contradict each other."),
    DMARC_FO_WITHOUT_RUF(
        INFO, DELIVERABLE, "RFC 9989 §4.7", "fo is given without ruf, so it is ignored."),
    DMARC_UNKNOWN_TAG(
        WARNING, DELIVERABLE, "RFC 9989 §4.7", "A tag DMARC does not define; receivers ignore it."),
    DMARC_INVALID_TAG_VALUE(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §4.7",
        "A tag has a value it does not allow; the default applies."),
    DMARC_DUPLICATE_TAG(
        ERROR,
        AT_RISK,
        "RFC 9989 §4.7",
        "A tag is given twice; receivers differ on which counts, or discard the record."),
    DMARC_SYNTAX_ERROR(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §4.8",
        "A part of the record is not tag=value, or has characters outside printable ASCII; receivers ignore that part."),
    DMARC_VERSION_INVALID(
        ERROR,
        AT_RISK,
        "RFC 9989 §4.7",
        "The record starts with a v=DMARC value that is not exactly v=DMARC1: receivers ignore it."),
    DMARC_RECORD_LEADING_WHITESPACE(
        ERROR,
        AT_RISK,
        "RFC 9989 §4.7",
        "The record starts with white space: receivers ignore it."),
    DMARC_MULTIPLE_RECORDS(
        ERROR,
        AT_RISK,
        "RFC 9989 §4.10",
        "Several v=DMARC1 records at one name: receivers discard them all."),
    DMARC_RECORD_AT_APEX(
        ERROR,
        AT_RISK,
        "RFC 9989 §4.5",
        "A DMARC record is published at the domain itself instead of at _dmarc.<domain>, where nobody looks."),
    DMARC_SPF_RECORD_AT_DMARC(
        ERROR,
        AT_RISK,
        "RFC 9989 §4.5",
        "An SPF record is published at the _dmarc name instead of a DMARC record."),
    DMARC_UNRELATED_TXT(
        INFO,
        DELIVERABLE,
        "RFC 9989 §4.10",
        "Other TXT records are published at the _dmarc name; receivers ignore them."),
    DMARC_ORG_DOMAIN_MISMATCH(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §4.10, RFC 7489 §3.2",
        "The DNS tree walk and the Public Suffix List give different Organizational Domains or policies, so RFC 9989 and RFC 7489 receivers judge the mail differently."),
    DMARC_INVALID_REPORT_URI(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §4.8",
        "A rua or ruf entry is not a URI (or a mailto: without a valid address)."),
    DMARC_REPORT_URI_UNSUPPORTED(
        WARNING,
        DELIVERABLE,
        "RFC 9989 §4.7",
        "A report URI scheme receivers need not support (only mailto: is required)."),
    DMARC_REPORT_URI_SIZE_OBSOLETE(
        INFO,
        DELIVERABLE,
        "RFC 9989 §4.8",
        "A report URI has a !size suffix, obsolete in RFC 9989."),
    DMARC_REPORT_DESTINATION_UNAUTHORIZED(
        WARNING,
        DELIVERABLE,
        "RFC 7489 §7.1",
        "An external report destination lacks the authorization record: no reports are sent there."),
    DMARC_REPORT_DESTINATION_NO_MX(
        WARNING,
        DELIVERABLE,
        "RFC 5321 §5.1",
        "A report destination domain cannot receive mail (no such domain, null MX, or neither MX nor address)."),
    DMARC_REPORT_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        null,
        "Whether a report destination can receive reports could not be checked (a lookup failed)."),
    DMARC_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        "RFC 9989 §4.10",
        "A lookup the DMARC policy discovery depends on failed.");

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
