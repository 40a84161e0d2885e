package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A parsed DMARC Policy Record (RFC 9989 §4.7, RFC 7489 §6.3): every tag with its value, or the
 * default where the tag is absent or its value is invalid (RFC 9989 §4.8: syntax errors are
 * discarded in favour of defaults).
 *
 * <p>The tags removed by RFC 9989 ({@code pct}, {@code rf}, {@code ri}) are still parsed, since
 * receivers that implement RFC 7489 honour them.
 *
 * @param text the record as published (the TXT character-strings joined)
 * @param tags every well-formed tag as published, names lower case, in order of appearance (the
 *     first occurrence of a duplicated tag), values verbatim
 * @param policy {@code p}: the Domain Owner Assessment Policy for the domain itself; {@link
 *     Policy#NONE} when absent (RFC 9989 §4.7) or invalid
 * @param subdomainPolicy {@code sp} as published, or {@code null} when absent or invalid
 * @param nonExistentPolicy {@code np} as published, or {@code null} when absent or invalid
 * @param dkimAlignment {@code adkim}, default relaxed
 * @param spfAlignment {@code aspf}, default relaxed
 * @param percent {@code pct} (RFC 7489 only; historic in RFC 9989), default 100
 * @param aggregateReportUris {@code rua}: the syntactically valid reporting URIs, in order, as
 *     published (without an obsolete {@code !size} suffix)
 * @param failureReportUris {@code ruf}: likewise
 * @param failureReportOptions {@code fo}: the options, default {@code [0]}
 * @param reportFormat {@code rf} (RFC 7489 only), default {@code afrf}
 * @param reportInterval {@code ri} (RFC 7489 only), default one day
 * @param testing {@code t=y}: the policy is to be applied one level lower (RFC 9989 §4.7)
 * @param psd {@code psd}: whether the domain is a public suffix domain, default {@link Psd#U}
 * @param usable {@code false} when the record states no valid policy ({@code p}, {@code sp} or
 *     {@code np} missing or invalid) and has no valid {@code rua} either: receivers then apply no
 *     DMARC processing (RFC 9989 §4.10.1). With a valid {@code rua} such a record is usable and
 *     reads as {@code p=none}.
 */
public record DmarcRecord(
    String text,
    Map<String, String> tags,
    Policy policy,
    @Nullable Policy subdomainPolicy,
    @Nullable Policy nonExistentPolicy,
    Alignment dkimAlignment,
    Alignment spfAlignment,
    int percent,
    List<String> aggregateReportUris,
    List<String> failureReportUris,
    List<String> failureReportOptions,
    String reportFormat,
    Duration reportInterval,
    boolean testing,
    Psd psd,
    boolean usable) {

  /** Validates and copies. */
  public DmarcRecord {
    requireNonNull(text, "text");
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(tags, "tags")));
    requireNonNull(policy, "policy");
    requireNonNull(dkimAlignment, "dkimAlignment");
    requireNonNull(spfAlignment, "spfAlignment");
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("pct must be 0..100, was " + percent);
    }
    aggregateReportUris = List.copyOf(aggregateReportUris);
    failureReportUris = List.copyOf(failureReportUris);
    failureReportOptions = List.copyOf(failureReportOptions);
    requireNonNull(reportFormat, "reportFormat");
    requireNonNull(reportInterval, "reportInterval");
    requireNonNull(psd, "psd");
  }

  /**
   * The policy for existing subdomains: {@code sp}, else {@code p} (RFC 9989 §4.7).
   *
   * @return the effective subdomain policy
   */
  public Policy effectiveSubdomainPolicy() {
    return subdomainPolicy != null ? subdomainPolicy : policy;
  }

  /**
   * The policy for non-existent subdomains: {@code np}, else {@code sp}, else {@code p} (RFC 9989
   * §4.7).
   *
   * @return the effective non-existent-subdomain policy
   */
  public Policy effectiveNonExistentPolicy() {
    return nonExistentPolicy != null ? nonExistentPolicy : effectiveSubdomainPolicy();
  }

  /**
   * The value of a tag as published.
   *
   * @param name the tag name, lower case
   * @return its value, or empty if the tag is absent
   */
  public Optional<String> tag(String name) {
    return Optional.ofNullable(tags.get(name));
  }

  /**
   * Whether a tag was published (even with an invalid value).
   *
   * @param name the tag name, lower case
   * @return {@code true} if present
   */
  public boolean has(String name) {
    return tags.containsKey(name);
  }

  /** A Domain Owner Assessment Policy ({@code p}, {@code sp}, {@code np}; RFC 9989 §4.7). */
  public enum Policy {
    /** No expression of preference: monitoring only. */
    NONE,
    /** Failing mail is suspicious: deliver it to spam or hold it. */
    QUARANTINE,
    /** Failing mail should be rejected during the SMTP transaction. */
    REJECT;

    /**
     * One level lower, as {@code t=y} asks (RFC 9989 §4.7): reject becomes quarantine, quarantine
     * becomes none.
     *
     * @return the policy one level down
     */
    public Policy downgraded() {
      return this == REJECT ? QUARANTINE : NONE;
    }

    /**
     * @return the value as written in a record: {@code none}, {@code quarantine}, {@code reject}
     */
    public String tagValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** An identifier alignment mode ({@code adkim}, {@code aspf}; RFC 9989 §4.4). */
  public enum Alignment {
    /** Same Organizational Domain suffices. */
    RELAXED,
    /** The domains must be identical. */
    STRICT
  }

  /** The {@code psd} flag (RFC 9989 §4.7). */
  public enum Psd {
    /** The domain is a public suffix domain. */
    Y,
    /** The domain is an Organizational Domain for itself and its subdomains. */
    N,
    /** Unspecified (the default): determined by the DNS tree walk. */
    U
  }
}
