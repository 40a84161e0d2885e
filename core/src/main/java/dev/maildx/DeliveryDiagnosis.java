package dev.maildx;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to a {@link DeliveryQuestion}: a verdict, the likely causes ranked with who has to
 * act, every finding, and a typed report for each check that ran.
 *
 * <p>Immutable and thread-safe. Reports of checks that did not apply or did not finish before the
 * deadline are absent; a check that missed the deadline leaves an
 * {@linkplain Finding#inconclusive() inconclusive} finding instead.
 *
 * @param question what was asked
 * @param verdict the one-word answer
 * @param likelyCauses ranked explanations, most likely first; empty when nothing is wrong
 * @param findings every finding of every check, most severe first
 * @param reports the typed report of each check that completed, in the order the checks are
 *     declared
 * @param startedAt when the diagnosis started, by the configured clock
 * @param elapsed how long it took
 */
public record DeliveryDiagnosis(
    DeliveryQuestion question,
    Verdict verdict,
    List<LikelyCause> likelyCauses,
    List<Finding> findings,
    List<CheckReport> reports,
    Instant startedAt,
    Duration elapsed) {

  /** Validates and copies. */
  public DeliveryDiagnosis {
    requireNonNull(question, "question");
    requireNonNull(verdict, "verdict");
    likelyCauses = List.copyOf(likelyCauses);
    findings = List.copyOf(findings);
    reports = List.copyOf(reports);
    requireNonNull(startedAt, "startedAt");
    requireNonNull(elapsed, "elapsed");
  }

  /**
   * The recipient domain's MX report.
   *
   * @return the report of the {@code mx} check, if it ran
   */
  public Optional<MxReport> mx() {
    return report("mx", MxReport.class);
  }

  /**
   * The sender domain's own MX report (where replies and bounces to the sender go).
   *
   * @return the report of the {@code sender-mx} check, if it ran
   */
  public Optional<MxReport> senderMx() {
    return report("sender-mx", MxReport.class);
  }

  /**
   * The bounce or delay notice the sender received, parsed and classified.
   *
   * @return the report of the {@code bounce} check, if the question had a bounce
   */
  public Optional<BounceReport> bounce() {
    return report("bounce", BounceReport.class);
  }

  /**
   * The report of the named check, if it ran and is of the given type.
   *
   * @param check the check name
   * @param type the report type
   * @param <T> the report type
   * @return the report, or empty
   */
  public <T extends CheckReport> Optional<T> report(String check, Class<T> type) {
    for (CheckReport r : reports) {
      if (r.check().equals(check) && type.isInstance(r)) {
        return Optional.of(type.cast(r));
      }
    }
    return Optional.empty();
  }

  /**
   * The findings with the given code.
   *
   * @param code a finding code such as {@code MX_NULL}
   * @return the matching findings, possibly empty
   */
  public List<Finding> findings(String code) {
    return findings.stream().filter(f -> f.code().equals(code)).toList();
  }
}
