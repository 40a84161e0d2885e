package dev.maildx.report;

import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
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
 * A sender domain's BIMI assertion record ({@code <selector>._bimi.<domain>} TXT, Brand Indicators
 * for Message Identification, draft-brand-indicators-for-message-identification §4): where the
 * brand logo ({@code l=}, an SVG over HTTPS) and its mark certificate ({@code a=}, a VMC/CMC in PEM
 * over HTTPS) are.
 *
 * <p>BIMI never decides delivery; mailbox providers show the logo only for mail that passes DMARC
 * with an enforcing policy.
 *
 * @param check the check name ({@code bimi})
 * @param domain the domain
 * @param selector the selector ({@code default} unless a message names another)
 * @param lookup how the TXT lookup ended
 * @param records the TXT records that begin with {@code v=BIMI1} (character-strings joined)
 * @param location the {@code l=} URI of the one valid record, or {@code null}
 * @param authority the {@code a=} URI of the one valid record, or {@code null}
 * @param declined whether the record declines to publish a logo ({@code l=} empty and no {@code
 *     a=})
 * @param findings what the check found
 */
public record BimiReport(
    String check,
    DomainName domain,
    String selector,
    DnsOutcome lookup,
    List<String> records,
    @Nullable String location,
    @Nullable String authority,
    boolean declined,
    List<Finding> findings)
    implements CheckReport {
  /** The name of the check that makes this report: {@value}. */
  public static final String CHECK = "bimi";

  /** Validates and copies. */
  public BimiReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(selector, "selector");
    requireNonNull(lookup, "lookup");
    records = List.copyOf(records);
    findings = List.copyOf(findings);
  }

  /**
   * The codes of the findings of the {@code bimi} check
   * (draft-brand-indicators-for-message-identification).
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    BIMI_OK(
        INFO,
        DELIVERABLE,
        "draft-brand-indicators-for-message-identification §4",
        "One valid BIMI record, with its logo and certificate URIs."),
    BIMI_NONE(
        INFO,
        DELIVERABLE,
        "draft-brand-indicators-for-message-identification §4",
        "No BIMI record."),
    BIMI_DECLINED(
        INFO,
        DELIVERABLE,
        "draft-brand-indicators-for-message-identification §4",
        "The record declines to publish a logo (empty l=)."),
    BIMI_NO_AUTHORITY(
        INFO,
        DELIVERABLE,
        "draft-brand-indicators-for-message-identification §4",
        "No mark certificate (a=): Gmail and Apple Mail show BIMI logos only with a VMC or CMC."),
    BIMI_MULTIPLE(
        WARNING,
        DELIVERABLE,
        "draft-brand-indicators-for-message-identification §4",
        "More than one v=BIMI1 record: none is used."),
    BIMI_SYNTAX(
        WARNING,
        DELIVERABLE,
        "draft-brand-indicators-for-message-identification §4",
        "The record is malformed (v=BIMI1 not first, fields without =, duplicate tags, a bad avp value)."),
    BIMI_LOCATION_MISSING(
        WARNING,
        DELIVERABLE,
        "draft-brand-indicators-for-message-identification §4",
        "The record has no l= tag."),
    BIMI_LOCATION_NOT_HTTPS(
        WARNING,
        DELIVERABLE,
        "draft-brand-indicators-for-message-identification §4",
        "The logo location (l=) is not an https URI."),
    BIMI_AUTHORITY_NOT_HTTPS(
        WARNING,
        DELIVERABLE,
        "draft-brand-indicators-for-message-identification §4",
        "The certificate location (a=) is not an https URI."),
    BIMI_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        "draft-brand-indicators-for-message-identification §4",
        "The BIMI TXT lookup failed.");

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
