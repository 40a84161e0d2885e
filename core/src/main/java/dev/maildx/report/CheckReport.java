package dev.maildx.report;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.Finding;
import java.util.List;

/**
 * The typed result of one check in a {@link DeliveryDiagnosis} (for example {@link MxReport}).
 *
 * <p>Implementations are immutable records.
 */
public interface CheckReport {
  /**
   * The name of the check that produced this report.
   *
   * @return for example {@code mx}
   */
  String check();

  /**
   * What the check found; never {@code null}, possibly empty.
   *
   * @return immutable list of findings
   */
  List<Finding> findings();
}
