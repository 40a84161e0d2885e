package dev.maildx.report;

import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The validation of a message's Authenticated Received Chain (RFC 8617 §5.2): the chain validation
 * status ({@code cv}) a receiver would seal with, the ARC sets found, which one broke and why, and
 * what each intermediary recorded in its {@code ARC-Authentication-Results} — so that a message
 * that failed DMARC after passing through a mailing list or forwarder shows what the first hop saw.
 *
 * @param status none (no ARC header fields), pass or fail
 * @param instances the highest instance number found ({@code i=}), 0 if none
 * @param failedInstance the instance whose set broke the chain, 0 if none did or the chain's
 *     structure broke as a whole
 * @param oldestPass the lowest instance {@code i} such that every ARC-Message-Signature from
 *     {@code i} to the newest verifies (RFC 8617 §5.2 "oldest-pass"); 0 if the newest does not
 * @param reason one sentence: why this status
 * @param sets the ARC sets, oldest ({@code i=1}) first
 * @param findings what the validation found
 */
public record ArcResult(
    ChainStatus status,
    int instances,
    int failedInstance,
    int oldestPass,
    String reason,
    List<ArcSet> sets,
    List<Finding> findings) {

  /** Validates and copies. */
  public ArcResult {
    requireNonNull(status, "status");
    requireNonNull(reason, "reason");
    sets = List.copyOf(sets);
    findings = List.copyOf(findings);
  }

  /**
   * The result when the message has no ARC header fields.
   *
   * @return status none, no sets
   */
  public static ArcResult none() {
    return new ArcResult(ChainStatus.NONE, 0, 0, 0, "The message has no ARC header fields.", List.of(), List.of());
  }

  /**
   * This result as an {@code arc} method result of an Authentication-Results header field (RFC
   * 8617 §7.2).
   *
   * @return for example {@code arc=pass (i=2) header.oldest-pass=1}
   */
  public String authenticationResult() {
    StringBuilder b = new StringBuilder("arc=").append(status.name().toLowerCase(Locale.ROOT));
    if (status != ChainStatus.NONE) {
      b.append(" (i=").append(instances);
      if (status == ChainStatus.FAIL && failedInstance > 0) {
        b.append(", broken at i=").append(failedInstance);
      }
      b.append(')');
    }
    if (status == ChainStatus.PASS && oldestPass > 0) {
      b.append(" header.oldest-pass=").append(oldestPass);
    }
    return b.toString();
  }

  /** The chain validation status (RFC 8617 §4.4). */
  public enum ChainStatus {
    /** No ARC sets. */
    NONE,
    /** Every seal and the newest message signature verify, and the chain is well formed. */
    PASS,
    /** The chain is malformed or a seal or the newest message signature does not verify. */
    FAIL
  }

  /**
   * One ARC set: the three header fields of one instance.
   *
   * @param instance {@code i=}
   * @param sealDomain the {@code ARC-Seal}'s {@code d=}; empty if absent
   * @param sealSelector its {@code s=}; empty if absent
   * @param sealCv its {@code cv=} as written (none, pass, fail); empty if absent
   * @param sealResult whether the seal verified: PASS, FAIL, or the error; {@code null} if it was
   *     not checked (the chain broke before it)
   * @param sealReason why, one sentence
   * @param messageSignature the verification of this set's {@code ARC-Message-Signature};
   *     {@code null} if it was not checked
   * @param authservId the authserv-id of its {@code ARC-Authentication-Results}; empty if absent
   * @param authResults the results recorded there (after {@code i=N; authserv-id;}), unfolded
   */
  public record ArcSet(
      int instance,
      String sealDomain,
      String sealSelector,
      String sealCv,
      DkimSignatureResult.@Nullable Result sealResult,
      String sealReason,
      @Nullable DkimSignatureResult messageSignature,
      String authservId,
      String authResults) {
    /** Validates. */
    public ArcSet {
      requireNonNull(sealDomain, "sealDomain");
      requireNonNull(sealSelector, "sealSelector");
      requireNonNull(sealCv, "sealCv");
      requireNonNull(sealReason, "sealReason");
      requireNonNull(authservId, "authservId");
      requireNonNull(authResults, "authResults");
    }
  }
}
