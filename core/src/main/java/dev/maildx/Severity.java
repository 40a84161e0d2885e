package dev.maildx;

/**
 * How serious a {@link Finding} is for the person reading the report.
 *
 * <p>Severity is about attention; what a finding means for delivery is its {@linkplain
 * Finding#effect() effect}.
 */
public enum Severity {
  /** Something is broken and is, or will be, the reason mail does not arrive. */
  ERROR,
  /** Something is wrong or fragile, or could not be checked; mail may still arrive. */
  WARNING,
  /** A fact worth showing; nothing to fix. */
  INFO
}
