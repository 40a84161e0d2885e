package dev.maildx;

import java.util.List;
import java.util.Optional;

/**
 * The code of a {@link Finding}: one word of the vocabulary the checks speak, declared once with
 * what it means.
 *
 * <p>maildx declares its codes as enums nested in the report of the check that makes them, the way
 * OkHttp declares each cipher suite once: {@link dev.maildx.report.MxReport.Code#MX_NULL}, {@link
 * dev.maildx.report.SpfReport.Code#SPF_FAIL}, {@link dev.maildx.report.ProbeReport.Code}, {@link
 * dev.maildx.report.BounceReport.Code}, ...; the few that core makes about the diagnosis itself (a
 * check that failed or missed the deadline) are in {@link DeliveryDiagnosis.Code}. Every one of
 * them is listed in {@code docs/FINDINGS.md}, which is generated from these declarations. A {@link
 * dev.maildx.spi.Check} of your own declares its codes the same way, as an enum implementing this
 * interface.
 *
 * <p>The {@linkplain #name() name} is what {@link Finding#code()} returns and what the JSON output
 * carries; it is stable. {@link #severity()} and {@link #effect()} are the ones a finding with this
 * code usually has; a check may grade one finding differently (a TLS failure under an MTA-STS
 * policy in testing mode is a warning, under an enforced one an error), and the finding's own
 * {@link Finding#severity()} and {@link Finding#effect()} say what applies to it.
 *
 * <p>Implementations must be immutable and are compared by identity: enums.
 */
public interface FindingCode {
  /**
   * The code as findings, the JSON output and scripts spell it.
   *
   * @return upper snake case, for example {@code MX_NULL}
   */
  String name();

  /**
   * The checks whose findings may carry this code.
   *
   * @return check names such as {@code mx} and {@code sender-mx}; empty if any check may (for
   *     example {@code CHECK_FAILED}, about the check that failed)
   */
  List<String> checks();

  /**
   * The severity a finding with this code usually has.
   *
   * @return the default severity
   */
  Severity severity();

  /**
   * The effect on the verdict a finding with this code usually has on its own.
   *
   * @return the default effect
   */
  Verdict effect();

  /**
   * What a finding with this code means, in one sentence.
   *
   * @return never empty
   */
  String meaning();

  /**
   * The standard the finding rests on.
   *
   * @return for example {@code RFC 7505 §3}, or empty
   */
  Optional<String> reference();
}
