package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;
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
    Optional<MtaStsPolicy> policy,
    List<String> mxNotMatching,
    List<Finding> findings) implements MtaStsPolicyReport {

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
    return policy.map(p -> p.mode() != MtaStsPolicy.Mode.NONE).orElse(false);
  }
}
