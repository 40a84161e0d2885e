package dev.maildx;

import java.util.List;
import java.util.Optional;

/**
 * Finding codes of the checks that core's tests declare, as a check of a user's own declares its
 * codes.
 */
enum TestCode implements FindingCode {
  A,
  B,
  F,
  X,
  SEEN,
  FINE,
  FAST_OK,
  A_WARN,
  B_ERR,
  C_INFO,
  /** Not upper snake case: a finding must refuse it. */
  mx_null;

  @Override
  public List<String> checks() {
    return List.of();
  }

  @Override
  public Severity severity() {
    return Severity.INFO;
  }

  @Override
  public Verdict effect() {
    return Verdict.DELIVERABLE;
  }

  @Override
  public String meaning() {
    return "A finding of a check that a test declares.";
  }

  @Override
  public Optional<String> reference() {
    return Optional.empty();
  }
}
