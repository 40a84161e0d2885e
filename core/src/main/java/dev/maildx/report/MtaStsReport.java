package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import static java.util.Objects.requireNonNull;


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
    return policy.map(p -> p.mode() != Policy.Mode.NONE).orElse(false);
  }

  /**
   * An MTA-STS policy as fetched from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}
   * (RFC 8461 §3.2).
   *
   * @param mode {@link Mode#ENFORCE}, {@link Mode#TESTING} or {@link Mode#NONE}
   * @param mx the {@code mx:} patterns, lower case (a leading {@code *.} matches one label)
   * @param maxAge how long senders may cache the policy
   * @param id the {@code id} of the {@code _mta-sts} TXT record the policy was fetched for, or empty
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
}
