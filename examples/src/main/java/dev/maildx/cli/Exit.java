package dev.maildx.cli;

import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import java.util.List;

/** Maps results to the CLI's exit codes. */
final class Exit {
  private Exit() {}

  /** 3 if inconclusive, 1 if at risk, undeliverable or any error finding, else 0. */
  static int of(Verdict verdict, List<Finding> findings) {
    if (verdict == Verdict.INCONCLUSIVE) {
      return Main.INCONCLUSIVE;
    }
    if (verdict != Verdict.DELIVERABLE
        || findings.stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
      return Main.PROBLEMS;
    }
    return Main.OK;
  }

  /** The verdict implied by findings alone. */
  static Verdict verdict(List<Finding> findings) {
    Verdict v = Verdict.DELIVERABLE;
    for (Finding f : findings) {
      v = v.and(f.effect());
    }
    return v;
  }
}
