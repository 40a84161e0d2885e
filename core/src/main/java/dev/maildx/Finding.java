package dev.maildx;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One observation a check made, in words and with evidence.
 *
 * <p>A finding has a stable machine-readable {@linkplain #code() code} (for example {@code
 * MX_NULL}), declared once with its meaning as a {@link FindingCode} constant ({@link
 * dev.maildx.report.MxReport.Code#MX_NULL}), the {@code check} that produced it (for example {@code
 * mx}), a {@link Severity}, the {@linkplain #effect() effect} it has on the verdict on its own, a
 * human {@code message}, structured {@code evidence} (ordered key/value pairs such as the record
 * text or the server reply), and, where one applies, the reference to the standard it rests on (for
 * example {@code RFC 7505 §3}). Findings whose effect is {@link Verdict#INCONCLUSIVE} say that
 * something could not be checked, never that it failed.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param findingCode what was found: a declared code (its {@linkplain FindingCode#name() name},
 *     upper snake case, is {@link #code()}); the list of codes is part of the API
 * @param check the name of the check that made the finding (for example {@code mx}, {@code spf})
 * @param severity how much attention it needs
 * @param effect what it implies for delivery on its own
 * @param message one or two sentences a person can act on
 * @param evidence ordered, immutable key/value pairs supporting the message
 * @param reference the standard and section it rests on, if any
 */
public record Finding(
    FindingCode findingCode,
    String check,
    Severity severity,
    Verdict effect,
    String message,
    Map<String, String> evidence,
    @Nullable String reference) {

  /** Validates and makes {@code evidence} an immutable, order-preserving copy. */
  public Finding {
    requireNonNull(findingCode, "findingCode");
    requireNonNull(check, "check");
    requireNonNull(severity, "severity");
    requireNonNull(effect, "effect");
    requireNonNull(message, "message");
    requireNonNull(evidence, "evidence");
    String code = findingCode.name();
    if (code.isEmpty()
        || !code.chars()
            .allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      throw new IllegalArgumentException("finding code must be upper snake case, was: " + code);
    }
    evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
  }

  /**
   * The finding's code as findings, the JSON output and scripts spell it: the {@linkplain
   * FindingCode#name() name} of {@link #findingCode()}.
   *
   * @return for example {@code MX_NULL}
   */
  public String code() {
    return findingCode.name();
  }

  /**
   * Whether this finding has the given code.
   *
   * @param code a declared code, for example {@link dev.maildx.report.MxReport.Code#MX_NULL}
   * @return {@code true} if it is this finding's code
   */
  public boolean is(FindingCode code) {
    return findingCode.equals(code);
  }

  /**
   * Whether this finding says something could not be checked.
   *
   * @return {@code true} if its effect is {@link Verdict#INCONCLUSIVE}
   */
  public boolean inconclusive() {
    return effect == Verdict.INCONCLUSIVE;
  }

  /**
   * Starts a finding with the given code, made by the given check. The default severity is {@link
   * Severity#INFO} and the default effect {@link Verdict#DELIVERABLE}.
   *
   * @param code the declared code
   * @param check name of the check
   * @return a new builder
   */
  public static Builder builder(FindingCode code, String check) {
    return new Builder(code, check);
  }

  /**
   * An {@link Severity#ERROR} finding whose effect is {@link Verdict#AT_RISK} unless changed.
   *
   * @param code the declared code
   * @param check name of the check
   * @param message the human message
   * @return a builder to add evidence and reference to
   */
  public static Builder error(FindingCode code, String check, String message) {
    return builder(code, check).severity(Severity.ERROR).effect(Verdict.AT_RISK).message(message);
  }

  /**
   * A {@link Severity#WARNING} finding with no effect on the verdict unless changed.
   *
   * @param code the declared code
   * @param check name of the check
   * @param message the human message
   * @return a builder
   */
  public static Builder warning(FindingCode code, String check, String message) {
    return builder(code, check).severity(Severity.WARNING).message(message);
  }

  /**
   * An {@link Severity#INFO} finding.
   *
   * @param code the declared code
   * @param check name of the check
   * @param message the human message
   * @return a builder
   */
  public static Builder info(FindingCode code, String check, String message) {
    return builder(code, check).message(message);
  }

  /**
   * A finding that something could not be checked: severity {@link Severity#WARNING}, effect {@link
   * Verdict#INCONCLUSIVE}.
   *
   * @param code the declared code
   * @param check name of the check
   * @param message the human message, naming the cause (timeout, SERVFAIL, refused, ...)
   * @return a builder
   */
  public static Builder inconclusive(FindingCode code, String check, String message) {
    return builder(code, check)
        .severity(Severity.WARNING)
        .effect(Verdict.INCONCLUSIVE)
        .message(message);
  }

  /** Builds a {@link Finding}; not thread-safe. */
  public static final class Builder {
    private final FindingCode code;
    private final String check;
    private Severity severity = Severity.INFO;
    private Verdict effect = Verdict.DELIVERABLE;
    private String message = "";
    private final Map<String, String> evidence = new LinkedHashMap<>();
    private @Nullable String reference;

    private Builder(FindingCode code, String check) {
      this.code = requireNonNull(code, "code");
      this.check = requireNonNull(check, "check");
    }

    /**
     * Sets the severity.
     *
     * @param severity the severity
     * @return this builder
     */
    public Builder severity(Severity severity) {
      this.severity = requireNonNull(severity, "severity");
      return this;
    }

    /**
     * Sets the effect on the verdict.
     *
     * @param effect the effect
     * @return this builder
     */
    public Builder effect(Verdict effect) {
      this.effect = requireNonNull(effect, "effect");
      return this;
    }

    /**
     * Sets the message.
     *
     * @param message the human message
     * @return this builder
     */
    public Builder message(String message) {
      this.message = requireNonNull(message, "message");
      return this;
    }

    /**
     * Adds one piece of evidence; a {@code null} value is recorded as the empty string.
     *
     * @param key what it is (for example {@code record}, {@code reply})
     * @param value its text
     * @return this builder
     */
    public Builder evidence(String key, @Nullable Object value) {
      evidence.put(requireNonNull(key, "key"), value == null ? "" : value.toString());
      return this;
    }

    /**
     * Sets the reference to the standard.
     *
     * @param reference for example {@code RFC 5321 §5.1}
     * @return this builder
     */
    public Builder rfc(String reference) {
      this.reference = requireNonNull(reference, "reference");
      return this;
    }

    /**
     * Builds the finding.
     *
     * @return a new immutable finding
     */
    public Finding build() {
      return new Finding(code, check, severity, effect, message, evidence, reference);
    }
  }
}
