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
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A domain's MTA-STS deployment (RFC 8461): the {@code _mta-sts} TXT record (§3.1), the policy
 * fetched over HTTPS from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (§3.2, §3.3),
 * and whether the domain's MX hosts match the policy's {@code mx} patterns (§4.1).
 *
 * <p>The SMTP prober reads {@link #policy()} to judge the MX hosts' TLS against it.
 *
 * @param check the check name ({@code mta-sts})
 * @param domain the policy domain
 * @param lookup how the {@code _mta-sts} TXT lookup ended
 * @param records the TXT records that begin with {@code v=STSv1} (character-strings joined)
 * @param id the {@code id} of the one valid record, or {@code null}
 * @param policyUrl where the policy is (or would be) fetched from
 * @param httpStatus the HTTP status of the policy fetch; 0 if there was no HTTP response
 * @param policy the parsed policy, if it was fetched and is valid
 * @param mxNotMatching the domain's MX hosts that no {@code mx} pattern of the policy matches
 * @param findings what the check found
 */
public record MtaStsReport(
    String check,
    DomainName domain,
    DnsOutcome lookup,
    List<String> records,
    @Nullable String id,
    String policyUrl,
    int httpStatus,
    Optional<Policy> policy,
    List<String> mxNotMatching,
    List<Finding> findings)
    implements MtaStsPolicyReport {
  /** The name of the check that makes this report: {@value}. */
  public static final String CHECK = "mta-sts";

  /** Validates and copies. */
  public MtaStsReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(lookup, "lookup");
    records = List.copyOf(records);
    requireNonNull(policyUrl, "policyUrl");
    requireNonNull(policy, "policy");
    mxNotMatching = List.copyOf(mxNotMatching);
    findings = List.copyOf(findings);
  }

  /**
   * Whether the domain publishes an MTA-STS policy that senders apply: a valid record and a valid
   * policy in mode {@code enforce} or {@code testing}.
   *
   * @return {@code true} if a policy in effect was found
   */
  public boolean active() {
    return policy.map(p -> p.mode() != Policy.Mode.NONE).orElse(false);
  }

  /**
   * An MTA-STS policy as fetched from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC
   * 8461 §3.2).
   *
   * @param mode {@link Mode#ENFORCE}, {@link Mode#TESTING} or {@link Mode#NONE}
   * @param mx the {@code mx:} patterns, lower case (a leading {@code *.} matches one label)
   * @param maxAge how long senders may cache the policy
   * @param id the {@code id} of the {@code _mta-sts} TXT record the policy was fetched for, or
   *     empty
   */
  public record Policy(Mode mode, List<String> mx, Duration maxAge, String id) {
    /** Validates and copies. */
    public Policy {
      requireNonNull(mode, "mode");
      mx = mx.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
      requireNonNull(maxAge, "maxAge");
      requireNonNull(id, "id");
    }

    /**
     * Whether an MX host name matches one of the {@code mx:} patterns (RFC 8461 §4.1): exactly, or
     * by a wildcard {@code *.} standing for exactly one left-most label.
     *
     * @param host the MX host name, with or without a final dot
     * @return {@code true} if it matches a pattern
     */
    public boolean matches(String host) {
      String h = host.toLowerCase(Locale.ROOT);
      if (h.endsWith(".")) {
        h = h.substring(0, h.length() - 1);
      }
      for (String p : mx) {
        if (p.startsWith("*.")) {
          int dot = h.indexOf('.');
          if (dot > 0 && h.substring(dot + 1).equals(p.substring(2))) {
            return true;
          }
        } else if (p.equals(h)) {
          return true;
        }
      }
      return false;
    }

    /** The policy mode (RFC 8461 §5). */
    public enum Mode {
      /** Senders must not deliver to MX hosts that fail TLS or the patterns. */
      ENFORCE,
      /** Senders deliver anyway but report failures (TLS-RPT). */
      TESTING,
      /** The policy is withdrawn. */
      NONE
    }
  }

  /**
   * The codes of the findings of the {@code mta-sts} check: the {@code _mta-sts} record, the policy
   * fetched over HTTPS and how the MX hosts match it (RFC 8461).
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    MTA_STS_OK(
        INFO, DELIVERABLE, "RFC 8461 §3.2", "A valid MTA-STS policy: its mode and MX patterns."),
    MTA_STS_NONE(INFO, DELIVERABLE, "RFC 8461 §3.1", "No v=STSv1 record: MTA-STS is not used."),
    MTA_STS_TESTING(
        INFO,
        DELIVERABLE,
        "RFC 8461 §5",
        "The policy is in mode testing: failures are reported, mail is still delivered."),
    MTA_STS_MODE_NONE(
        INFO, DELIVERABLE, "RFC 8461 §5", "The policy is in mode none: it is withdrawn."),
    MTA_STS_RECORD_SYNTAX(
        ERROR,
        AT_RISK,
        "RFC 8461 §3.1",
        "The _mta-sts record breaks the grammar (for example no id, or an id that is not 1 to 32 letters and digits)."),
    MTA_STS_RECORD_MULTIPLE(
        ERROR, AT_RISK, "RFC 8461 §3.1", "Several v=STSv1 records: senders ignore them all."),
    MTA_STS_LOOKUP_FAILED(
        WARNING, INCONCLUSIVE, "RFC 8461 §3.1", "The _mta-sts TXT lookup failed."),
    MTA_STS_POLICY_HOST_MISSING(
        ERROR, AT_RISK, "RFC 8461 §3.3", "The policy host mta-sts.<domain> has no address."),
    MTA_STS_POLICY_HOST_NOT_PUBLIC(
        ERROR,
        AT_RISK,
        "RFC 8461 §3.3",
        "The policy host resolves only to private or other special addresses."),
    MTA_STS_POLICY_UNREACHABLE(
        WARNING,
        INCONCLUSIVE,
        "RFC 8461 §3.3",
        "The policy host could not be connected to (refused, or its address lookup failed)."),
    MTA_STS_POLICY_TIMEOUT(
        WARNING,
        INCONCLUSIVE,
        "RFC 8461 §3.3",
        "The policy host sent no complete response in time."),
    MTA_STS_POLICY_TLS_FAILED(
        ERROR,
        AT_RISK,
        "RFC 8461 §3.3",
        "The policy host's certificate is untrusted, expired or not valid for mta-sts.<domain>."),
    MTA_STS_POLICY_HTTP_ERROR(
        ERROR,
        AT_RISK,
        "RFC 8461 §3.3",
        "The policy host did not answer 200 (inconclusive for a server error)."),
    MTA_STS_POLICY_REDIRECT(
        ERROR,
        AT_RISK,
        "RFC 8461 §3.3",
        "The policy host answered with a redirect, which senders must not follow."),
    MTA_STS_POLICY_CONTENT_TYPE(
        ERROR, AT_RISK, "RFC 8461 §3.2", "The policy is not served as text/plain."),
    MTA_STS_POLICY_TOO_LARGE(
        ERROR, AT_RISK, "RFC 8461 §3.3", "The policy is larger than the configured limit."),
    MTA_STS_POLICY_SYNTAX(
        ERROR,
        AT_RISK,
        "RFC 8461 §3.2",
        "The policy breaks the grammar (version, mode, max_age or mx missing or bad, duplicate fields, malformed lines)."),
    MTA_STS_MAX_AGE_SHORT(
        WARNING,
        DELIVERABLE,
        "RFC 8461 §3.2",
        "The policy's max_age is under one day: it protects little between fetches."),
    MTA_STS_MAX_AGE_OUT_OF_RANGE(
        WARNING,
        DELIVERABLE,
        "RFC 8461 §3.2",
        "The policy's max_age is above 31557600 seconds (one year)."),
    MTA_STS_MX_MISMATCH(
        ERROR,
        AT_RISK,
        "RFC 8461 §4.1",
        "MX hosts no pattern of the policy matches: in mode enforce an error (undeliverable if no MX host matches), in mode testing a warning."),
    MTA_STS_MX_UNKNOWN(
        INFO,
        DELIVERABLE,
        "RFC 8461 §4.1",
        "The MX hosts are unknown (their lookup failed), so they were not matched against the policy.");

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
