package dev.maildx;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One ranked explanation of why mail is not arriving, with the findings it rests on and who has
 * to act.
 *
 * @param code stable identifier of the correlation rule that produced it (for example
 *     {@code RECIPIENT_ACCEPTS_NO_MAIL})
 * @param summary what is wrong, in one sentence
 * @param party who must act
 * @param action what to do
 * @param confidence how sure the rule is
 * @param evidence the findings it rests on, never empty
 */
public record LikelyCause(
    String code, String summary, Party party, String action, Confidence confidence, List<Finding> evidence) {

  /** Validates and copies. */
  public LikelyCause {
    requireNonNull(code, "code");
    requireNonNull(summary, "summary");
    requireNonNull(party, "party");
    requireNonNull(action, "action");
    requireNonNull(confidence, "confidence");
    evidence = List.copyOf(evidence);
    if (evidence.isEmpty()) {
      throw new IllegalArgumentException("a likely cause needs at least one finding as evidence");
    }
  }

  /** How sure a correlation rule is of its cause. */
  public enum Confidence {
    /** The evidence says so directly (for example a null MX record). */
    HIGH,
    /** Several findings point the same way. */
    MEDIUM,
    /** A plausible reading of weak evidence. */
    LOW
  }
}
