package dev.maildx.report;

import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What SPF says about a sending IP and a sender (RFC 7208): the result of {@code check_host()} as
 * a receiving MTA computes it, the mechanism that decided it, the explanation, the DNS lookup
 * counts the RFC limits (§4.6.4), the trace of every record and term evaluated, and the findings
 * of the record lint.
 *
 * <p>When no sending IP is known, {@code check_host()} cannot run: the sender domain's record is
 * still fetched, its include/redirect tree resolved and linted; {@link #result()} is then empty
 * and the trace shows the tree with every term {@linkplain SpfTerm.Outcome#NOT_EVALUATED not
 * evaluated}.
 *
 * @param check the check name ({@code spf})
 * @param identity the identity checked: the MAIL FROM address, or {@code postmaster@<helo>} when
 *     MAIL FROM is empty (RFC 7208 §2.4)
 * @param scope which identity that is
 * @param domain the domain whose policy was evaluated (the identity's domain)
 * @param ip the client IP address, if one was given
 * @param helo the HELO/EHLO name, if one was given
 * @param spfResult the result of {@code check_host()}, or {@code null} if no IP was given
 * @param explanation for {@link SpfResult#FAIL}: the domain's explanation ({@code exp=}, RFC 7208
 *     §6.2) or maildx's default; otherwise {@code null}
 * @param matchedMechanism the mechanism that decided the result, as written (for example
 *     {@code ip4:192.0.2.0/24}, found in the record of {@code matchedDomain}); {@code null} if no
 *     mechanism matched
 * @param matchedDomain the domain whose record holds {@code matchedMechanism}
 * @param dnsLookups the terms that caused DNS lookups, counted against the limit of 10
 * @param voidLookups the lookups that returned no answer or NXDOMAIN, counted against the limit
 *     of 2
 * @param trace the evaluation tree, or {@code null} if the domain could not be determined
 * @param findings what the check found: the result and the lint of the record tree
 */
public record SpfReport(
    String check,
    String identity,
    Scope scope,
    String domain,
    @Nullable InetAddress ip,
    @Nullable String helo,
    @Nullable SpfResult spfResult,
    @Nullable String explanation,
    @Nullable String matchedMechanism,
    @Nullable String matchedDomain,
    int dnsLookups,
    int voidLookups,
    @Nullable SpfTrace trace,
    List<Finding> findings) implements CheckReport {

  /** The most DNS-querying terms one evaluation may use (RFC 7208 §4.6.4). */
  public static final int MAX_DNS_LOOKUPS = 10;
  /** The most void lookups one evaluation may make (RFC 7208 §4.6.4). */
  public static final int MAX_VOID_LOOKUPS = 2;

  /** Validates and copies. */
  public SpfReport {
    requireNonNull(check, "check");
    requireNonNull(identity, "identity");
    requireNonNull(scope, "scope");
    requireNonNull(domain, "domain");
    findings = List.copyOf(findings);
  }

  /**
   * The result of {@code check_host()}.
   *
   * @return the result, or empty if no IP address was given and nothing was evaluated
   */
  public Optional<SpfResult> result() {
    return Optional.ofNullable(spfResult);
  }

  /**
   * Every record evaluation of the trace, depth first.
   *
   * @return the flattened trace; empty if there is none
   */
  public List<SpfTrace> traceList() {
    return trace == null ? List.of() : trace.flatten();
  }

  /** Which identity an SPF check is about (RFC 7208 §2.3, §2.4). */
  public enum Scope {
    /** The MAIL FROM (envelope sender, RFC5321.MailFrom) identity. */
    MAIL_FROM,
    /** The HELO/EHLO identity, also used when MAIL FROM is empty. */
    HELO
  }
}
