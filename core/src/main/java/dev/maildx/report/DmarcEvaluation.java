package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The DMARC verdict on one message (RFC 9989 §5.3): whether an authenticated identifier aligns with
 * the Author Domain, the policy that applies, what the receiver is asked to do with the message,
 * and why.
 *
 * <p>Organizational Domains are found by the RFC 9989 DNS tree walk. {@link #rfc7489Result()} gives
 * the result a receiver still using the Public Suffix List (RFC 7489) reaches, which can differ.
 * The historic {@code pct} tag never changes the outcome (RFC 9989 Appendix A.6); where it is below
 * 100 a {@linkplain #reasons() reason} says what RFC 7489 receivers do with it.
 *
 * @param authorDomain the RFC5322.From domain
 * @param result pass, fail, none, temperror or permerror
 * @param record the DMARC Policy Record applied, or {@code null} if none applies
 * @param policyDomain where the record was found, or {@code null}
 * @param organizationalDomain the Author Domain's Organizational Domain by the tree walk, or {@code
 *     null} if it could not be determined
 * @param publishedPolicy the policy the record states for the Author Domain ({@code p}, {@code sp}
 *     or {@code np}), or {@code null} if no record applies
 * @param policy the policy to apply: {@code publishedPolicy}, one level lower when the record has
 *     {@code t=y}; {@code null} if no record applies
 * @param spf the SPF side of the alignment check
 * @param dkim the DKIM side of the alignment check
 * @param rfc7489Result the result by RFC 7489 (Public Suffix List, {@code pct} ignored here)
 * @param reasons why, in order, one sentence each
 * @param detail the DNS failure behind a {@link Result#TEMPERROR}, empty otherwise
 */
public record DmarcEvaluation(
    DomainName authorDomain,
    Result result,
    @Nullable DmarcRecord record,
    @Nullable DomainName policyDomain,
    @Nullable DomainName organizationalDomain,
    DmarcRecord.@Nullable Policy publishedPolicy,
    DmarcRecord.@Nullable Policy policy,
    IdentifierAlignment spf,
    IdentifierAlignment dkim,
    Result rfc7489Result,
    List<String> reasons,
    String detail) {

  /** Validates and copies. */
  public DmarcEvaluation {
    requireNonNull(authorDomain, "authorDomain");
    requireNonNull(result, "result");
    requireNonNull(spf, "spf");
    requireNonNull(dkim, "dkim");
    requireNonNull(rfc7489Result, "rfc7489Result");
    reasons = List.copyOf(reasons);
    requireNonNull(detail, "detail");
  }

  /**
   * What the receiver is asked to do with this message: nothing if it passed or no policy applies,
   * else {@link #policy()}.
   *
   * @return the disposition
   */
  public DmarcRecord.Policy disposition() {
    return result == Result.FAIL && policy != null ? policy : DmarcRecord.Policy.NONE;
  }

  /**
   * Whether the record asks for the policy to be applied one level lower ({@code t=y}).
   *
   * @return {@code true} in testing mode
   */
  public boolean testing() {
    return record != null && record.testing();
  }

  /**
   * The result as an Authentication-Results method result (RFC 8601 §2.7, RFC 9989 §9.2).
   *
   * @return for example {@code dmarc=pass (p=reject dis=none) header.from=example.com}
   */
  public String authenticationResult() {
    StringBuilder b = new StringBuilder("dmarc=").append(result.name().toLowerCase(Locale.ROOT));
    if (policy != null) {
      b.append(" (p=")
          .append(policy.tagValue())
          .append(" dis=")
          .append(disposition().tagValue())
          .append(')');
    }
    b.append(" header.from=").append(authorDomain.ascii());
    return b.toString();
  }

  /** A DMARC result (RFC 9989 §9.2, RFC 8601 §2.7.x). */
  public enum Result {
    /** An authenticated identifier aligns with the Author Domain. */
    PASS,
    /** A policy applies and no authenticated identifier aligns. */
    FAIL,
    /** No DMARC Policy Record applies: DMARC is not applied to the message. */
    NONE,
    /** A DNS failure prevented the evaluation; a later retry may succeed. */
    TEMPERROR,
    /** The input cannot be evaluated (for example several different Author Domains). */
    PERMERROR
  }

  /**
   * One side (SPF or DKIM) of the alignment check (RFC 9989 §4.4, §4.10.2).
   *
   * @param mode the record's {@code aspf} or {@code adkim}; relaxed when no record applies
   * @param aligned the first passing identifier that aligns, or {@code null}
   * @param alignedOrganizationalDomain the Organizational Domain of {@code aligned}, or {@code
   *     null}
   * @param considered every identifier given, with pass/fail, in input order
   */
  public record IdentifierAlignment(
      DmarcRecord.Alignment mode,
      @Nullable DomainName aligned,
      @Nullable DomainName alignedOrganizationalDomain,
      List<DmarcInput.Identifier> considered) {
    /** Validates and copies. */
    public IdentifierAlignment {
      requireNonNull(mode, "mode");
      considered = List.copyOf(considered);
    }

    /**
     * @return whether an identifier aligned
     */
    public boolean pass() {
      return aligned != null;
    }

    /**
     * @return whether the mode is strict
     */
    public boolean strict() {
      return mode == DmarcRecord.Alignment.STRICT;
    }
  }
}
