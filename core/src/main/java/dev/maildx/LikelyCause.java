package dev.maildx;

import static java.util.Objects.requireNonNull;

import dev.maildx.report.DmarcOutcomeReport;
import java.util.List;

/**
 * One ranked explanation of why mail is not arriving, with the findings it rests on, who has to act
 * and what to do.
 *
 * <p>Causes come from correlation rules, each identified by its {@code code}. A rule reads the
 * findings and typed reports of several checks together (for example a bounce that cites SPF and
 * this sending IP's SPF result) and names one cause. The rules, with the checks they read, the
 * party they name and their confidence:
 *
 * <table>
 * <caption>Correlation rules</caption>
 * <tr><th>code</th><th>reads</th><th>who must act</th><th>confidence</th></tr>
 * <tr><td>{@code RECIPIENT_ACCEPTS_NO_MAIL}</td><td>mx (null MX, RFC 7505); smtp, bounce (5.1.10)</td>
 *     <td>{@link Party#SENDER}</td><td>high</td></tr>
 * <tr><td>{@code RECIPIENT_DOMAIN_DOES_NOT_EXIST}</td><td>mx (NXDOMAIN); bounce (host unknown)</td>
 *     <td>{@link Party#SENDER}</td><td>high</td></tr>
 * <tr><td>{@code RECIPIENT_HAS_NO_MAIL_SERVER}</td><td>mx (no MX host with a reachable address; never beside the probe's accepted conversation)</td>
 *     <td>{@link Party#RECIPIENT_DNS_ADMIN}</td><td>high</td></tr>
 * <tr><td>{@code RECIPIENT_DNS_NOT_ANSWERING}</td><td>mx (lookup failed)</td>
 *     <td>{@link Party#RECIPIENT_DNS_ADMIN}</td><td>low</td></tr>
 * <tr><td>{@code RECIPIENT_MAILBOX_UNKNOWN}</td><td>smtp (RCPT rejected: no such user), bounce (5.1.1)</td>
 *     <td>{@link Party#SENDER}</td><td>high; medium when the probe accepted the address the bounce calls unknown</td></tr>
 * <tr><td>{@code RECIPIENT_GATEWAY_UNRESPONSIVE}</td><td>smtp (no host completes a conversation:
 *     no banner, tarpit, connect timeout), bounce (delay or expiry, 4.4.x)</td>
 *     <td>{@link Party#RECIPIENT_POSTMASTER}</td><td>high with a delay notice, medium on the probe alone</td></tr>
 * <tr><td>{@code RECIPIENT_MTA_STS_TLS_BROKEN}</td><td>smtp (TLS or certificate fails an enforced
 *     policy), mta-sts</td><td>{@link Party#RECIPIENT_POSTMASTER}</td><td>high</td></tr>
 * <tr><td>{@code RECIPIENT_GREYLISTING}</td><td>smtp (RCPT deferred: greylisting)</td>
 *     <td>{@link Party#NOBODY}</td><td>low</td></tr>
 * <tr><td>{@code SENDER_SPF_REJECTED}</td><td>bounce (5.7.23, 5.7.26, 5.7.1 citing SPF or DMARC), spf
 *     (this sending IP's result), ptr</td><td>{@link Party#SENDER_DNS_ADMIN}</td>
 *     <td>high when SPF still fails for the IP; medium otherwise</td></tr>
 * <tr><td>{@code SENDER_SPF_DOES_NOT_AUTHORIZE_IP}</td><td>spf (fail for the sending IP), ptr</td>
 *     <td>{@link Party#SENDER_DNS_ADMIN}</td><td>high</td></tr>
 * <tr><td>{@code SENDER_SPF_RECORD_BROKEN}</td><td>spf (permerror, lint errors)</td>
 *     <td>{@link Party#SENDER_DNS_ADMIN}</td><td>high on permerror, else medium</td></tr>
 * <tr><td>{@code SENDER_DMARC_WILL_REJECT}</td><td>dmarc (p=reject or quarantine), dkim (no usable
 *     key), spf (not passing, so not aligned), bounce (5.7.26, DMARC); a message's DMARC outcome
 *     ({@link DmarcOutcomeReport})</td><td>{@link Party#SENDER_MAIL_PROVIDER} or
 *     {@link Party#SENDER_DNS_ADMIN}</td><td>high; medium when no key was found only among guessed selectors</td></tr>
 * <tr><td>{@code SENDER_DMARC_WITHOUT_DKIM}</td><td>dmarc (enforced), dkim (keys missing)</td>
 *     <td>{@link Party#SENDER_MAIL_PROVIDER}</td><td>medium or low</td></tr>
 * <tr><td>{@code SENDER_IP_REPUTATION}</td><td>dnsbl (the IP or domain listed), bounce or smtp
 *     (a 5xx greeting, a blocklist named or linked in a reply)</td><td>{@link Party#SENDER_MAIL_PROVIDER}</td>
 *     <td>high when a rejection and a listing agree; medium or low on one of them</td></tr>
 * <tr><td>{@code SENDER_MX_HALF_MOVED}</td><td>sender-mx (an MX host without a reachable address — none, or only loopback/private — beside working ones, or no host working)</td>
 *     <td>{@link Party#SENDER_DNS_ADMIN}</td><td>medium</td></tr>
 * <tr><td>{@code RECIPIENT_REJECTED_MESSAGE}</td><td>bounce (a failure no other rule explains)</td>
 *     <td>as the notice says</td><td>medium</td></tr>
 * <tr><td>{@code RECIPIENT_NOT_ACCEPTING_YET}</td><td>bounce (a delay no other rule explains)</td>
 *     <td>{@link Party#RECIPIENT_POSTMASTER}</td><td>low</td></tr>
 * </table>
 *
 * <p>Causes are ranked by confidence, then those that explain the delivery notice the sender got
 * (they cite the bounce) before the others, then by their {@linkplain #effect() effect}
 * (undeliverable before at risk), then by the order of the table. A rule that fires may replace a
 * weaker one that says the same with less evidence ({@code SENDER_SPF_REJECTED} replaces {@code
 * SENDER_SPF_DOES_NOT_AUTHORIZE_IP}; {@code SENDER_DMARC_WILL_REJECT} replaces {@code
 * SENDER_DMARC_WITHOUT_DKIM}).
 *
 * @param code stable identifier of the correlation rule that produced it (for example {@code
 *     RECIPIENT_ACCEPTS_NO_MAIL})
 * @param summary what is wrong, in one or two sentences, quoting the data it rests on
 * @param party who must act
 * @param action what to do
 * @param confidence how sure the rule is
 * @param effect what the cause means for delivery as things stand: {@link Verdict#UNDELIVERABLE} or
 *     {@link Verdict#AT_RISK} (a {@linkplain Confidence#HIGH high-confidence} cause raises the
 *     verdict of the diagnosis to its effect)
 * @param evidence the findings it rests on (with their raw data in {@link Finding#evidence()}),
 *     never empty
 */
public record LikelyCause(
    Code code,
    String summary,
    Party party,
    String action,
    Confidence confidence,
    Verdict effect,
    List<Finding> evidence) {

  /** Validates and copies. */
  public LikelyCause {
    requireNonNull(code, "code");
    requireNonNull(summary, "summary");
    requireNonNull(party, "party");
    requireNonNull(action, "action");
    requireNonNull(confidence, "confidence");
    requireNonNull(effect, "effect");
    evidence = List.copyOf(evidence);
    if (evidence.isEmpty()) {
      throw new IllegalArgumentException("a likely cause needs at least one finding as evidence");
    }
  }

  /**
   * A cause whose effect is {@link Verdict#AT_RISK}.
   *
   * @param code stable identifier of the rule
   * @param summary what is wrong
   * @param party who must act
   * @param action what to do
   * @param confidence how sure the rule is
   * @param evidence the findings it rests on, never empty
   */
  public LikelyCause(
      Code code,
      String summary,
      Party party,
      String action,
      Confidence confidence,
      List<Finding> evidence) {
    this(code, summary, party, action, confidence, Verdict.AT_RISK, evidence);
  }

  /**
   * The stable identifier of a likely cause: one per correlation rule, declared once here and
   * written as its {@link #name()} in the JSON output.
   */
  public enum Code {
    /**
     * The recipient domain publishes a null MX (RFC 7505 §3) or a server answers 5.1.10: it accepts
     * no mail at all.
     */
    RECIPIENT_ACCEPTS_NO_MAIL,
    /**
     * The recipient domain does not exist (NXDOMAIN, RFC 5321 §5.1) or a notice says its host is
     * unknown.
     */
    RECIPIENT_DOMAIN_DOES_NOT_EXIST,
    /**
     * No MX host of the recipient domain has an address a sender could connect to (RFC 5321 §5.1).
     */
    RECIPIENT_HAS_NO_MAIL_SERVER,
    /** The recipient domain's MX lookup failed, so senders cannot find its mail servers. */
    RECIPIENT_DNS_NOT_ANSWERING,
    /** The recipient's server says the mailbox does not exist (X.1.1, RFC 3463 §3.2). */
    RECIPIENT_MAILBOX_UNKNOWN,
    /**
     * The recipient's gateways complete no SMTP conversation (no banner, tarpit, connect timeout;
     * RFC 5321 §4.5.3.2) and the sender's server keeps retrying.
     */
    RECIPIENT_GATEWAY_UNRESPONSIVE,
    /** The recipient enforces MTA-STS (RFC 8461 §5) but its TLS or certificate fails the policy. */
    RECIPIENT_MTA_STS_TLS_BROKEN,
    /** The recipient's server defers new senders for a while (greylisting); nobody has to act. */
    RECIPIENT_GREYLISTING,
    /**
     * A notice cites SPF or DMARC (X.7.23, X.7.26) and the sending IP's SPF result explains it (RFC
     * 7208 §8).
     */
    SENDER_SPF_REJECTED,
    /** The sending IP or domain is on a blocklist and a reply or notice refuses the mail for it. */
    SENDER_IP_REPUTATION,
    /**
     * The sender's DMARC policy rejects or quarantines and neither DKIM nor SPF can pass aligned
     * (RFC 7489 §6.6).
     */
    SENDER_DMARC_WILL_REJECT,
    /** The sender's SPF record does not authorize the sending IP (result fail, RFC 7208 §8.4). */
    SENDER_SPF_DOES_NOT_AUTHORIZE_IP,
    /** The sender's SPF record is broken (permerror, RFC 7208 §8.7) or has lint errors. */
    SENDER_SPF_RECORD_BROKEN,
    /**
     * The sender enforces DMARC but publishes no usable DKIM key, so one SPF failure fails DMARC.
     */
    SENDER_DMARC_WITHOUT_DKIM,
    /**
     * The sender's MX lists hosts without a reachable address beside working ones, or none works.
     */
    SENDER_MX_HALF_MOVED,
    /** A notice reports a failure that no other rule explains; the notice's own reading stands. */
    RECIPIENT_REJECTED_MESSAGE,
    /**
     * A delay notice that no other rule explains: the recipient's side has not accepted the mail
     * yet.
     */
    RECIPIENT_NOT_ACCEPTING_YET
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
