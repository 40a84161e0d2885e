package dev.maildx.report;

import static dev.maildx.Severity.ERROR;
import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
import static dev.maildx.Verdict.AT_RISK;
import static dev.maildx.Verdict.DELIVERABLE;
import static dev.maildx.Verdict.INCONCLUSIVE;
import static java.util.Objects.requireNonNull;

import dev.maildx.Finding;
import dev.maildx.FindingCode;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What SPF says about a sending IP and a sender (RFC 7208): the result of {@code check_host()} as a
 * receiving MTA computes it, the mechanism that decided it, the explanation, the DNS lookup counts
 * the RFC limits (§4.6.4), the trace of every record and term evaluated, and the findings of the
 * record lint.
 *
 * <p>When no sending IP is known, {@code check_host()} cannot run: the sender domain's record is
 * still fetched, its include/redirect tree resolved and linted; {@link #spfResult()} is then {@code
 * null} and the trace shows the tree with every term {@linkplain Term.Outcome#NOT_EVALUATED not
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
 * @param matchedMechanism the mechanism that decided the result, as written (for example {@code
 *     ip4:192.0.2.0/24}, found in the record of {@code matchedDomain}); {@code null} if no
 *     mechanism matched
 * @param matchedDomain the domain whose record holds {@code matchedMechanism}
 * @param dnsLookups the terms that caused DNS lookups, counted against the limit of 10
 * @param voidLookups the lookups that returned no answer or NXDOMAIN, counted against the limit of
 *     2
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
    @Nullable Trace trace,
    List<Finding> findings)
    implements CheckReport {
  /** The name of the check that makes this report: {@value}. */
  public static final String CHECK = "spf";

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
   * Every record evaluation of the trace, depth first.
   *
   * @return the flattened trace; empty if there is none
   */
  public List<Trace> traceList() {
    return trace == null ? List.of() : trace.flatten();
  }

  /** Which identity an SPF check is about (RFC 7208 §2.3, §2.4). */
  public enum Scope {
    /** The MAIL FROM (envelope sender, RFC5321.MailFrom) identity. */
    MAIL_FROM,
    /** The HELO/EHLO identity, also used when MAIL FROM is empty. */
    HELO
  }

  /**
   * One {@code check_host()} evaluation of one domain (RFC 7208 §4): the SPF record fetched for it,
   * every term with its outcome, and the result. The evaluations of {@code include} and {@code
   * redirect} targets hang below the terms that caused them, so the whole include/redirect tree is
   * one {@code Trace}.
   *
   * @param domain the domain whose record was evaluated, ASCII, without the final dot
   * @param via why it was evaluated
   * @param lookup how the TXT query for the record ended
   * @param records every {@code v=spf1} record found at the domain (more than one is a permerror)
   * @param terms the terms of the selected record, in record order
   * @param result what this evaluation returned to its caller; {@code null} if the record was only
   *     fetched (and linted), not evaluated
   * @param detail one sentence on why
   */
  public record Trace(
      String domain,
      Via via,
      @Nullable Lookup lookup,
      List<String> records,
      List<Term> terms,
      @Nullable SpfResult result,
      String detail) {

    /** Validates and copies. */
    public Trace {
      requireNonNull(domain, "domain");
      requireNonNull(via, "via");
      records = List.copyOf(records);
      terms = List.copyOf(terms);
      requireNonNull(detail, "detail");
    }

    /**
     * The record that was evaluated.
     *
     * @return the single SPF record, or {@code null} if there was none or more than one
     */
    public @Nullable String record() {
      return records.size() == 1 ? records.get(0) : null;
    }

    /**
     * This evaluation and every one below it, depth first in evaluation order.
     *
     * @return the flattened tree, this evaluation first
     */
    public List<Trace> flatten() {
      List<Trace> out = new ArrayList<>();
      flatten(this, out);
      return List.copyOf(out);
    }

    private static void flatten(Trace t, List<Trace> out) {
      out.add(t);
      for (Term term : t.terms) {
        if (term.child() != null) {
          flatten(term.child(), out);
        }
      }
    }

    /** Why a domain's record was evaluated. */
    public enum Via {
      /** The domain of the identity being checked. */
      ROOT,
      /** The target of an {@code include} mechanism (RFC 7208 §5.2). */
      INCLUDE,
      /** The target of a {@code redirect} modifier (RFC 7208 §6.1). */
      REDIRECT
    }
  }

  /**
   * One term (mechanism or modifier) of an SPF record, as evaluated by {@code check_host()} (RFC
   * 7208 §4.6, §5, §6): its text, where it stands in the record, what it matched and why, the DNS
   * queries it made, and the record it led to for {@code include} and {@code redirect}.
   *
   * @param term the term as written, for example {@code include:_spf.example.com} or {@code -all}
   * @param position 1-based column of the term in the record
   * @param outcome what evaluating it gave
   * @param target the domain it referred to after macro expansion, if any
   * @param detail one sentence on what happened, for example {@code "203.0.113.5 is not in
   *     192.0.2.128/25"}
   * @param lookups the DNS queries it made, in order
   * @param child the evaluation of the included or redirected-to domain, for {@code include} and
   *     {@code redirect}
   */
  public record Term(
      String term,
      int position,
      Outcome outcome,
      @Nullable String target,
      String detail,
      List<Lookup> lookups,
      @Nullable Trace child) {

    /** Validates and copies. */
    public Term {
      requireNonNull(term, "term");
      requireNonNull(outcome, "outcome");
      requireNonNull(detail, "detail");
      lookups = List.copyOf(lookups);
    }

    /** What evaluating a term gave. */
    public enum Outcome {
      /** The mechanism matched: its qualifier decides the result (RFC 7208 §4.6.2). */
      MATCH,
      /** The mechanism did not match; evaluation went on. */
      NO_MATCH,
      /** The term ended evaluation with {@code temperror} or {@code permerror}. */
      ERROR,
      /** A modifier that was applied ({@code redirect}, {@code exp}). */
      APPLIED,
      /** Not evaluated: an earlier term decided the result, or no IP address was given. */
      NOT_EVALUATED
    }
  }

  /**
   * One DNS query made while evaluating SPF, with what it returned: part of the trace of an {@link
   * SpfReport}.
   *
   * @param name the name queried, ASCII, without the final dot
   * @param type the record type, for example {@code TXT}, {@code A}, {@code MX}
   * @param outcome how the query ended
   * @param answers the answer data in presentation form (addresses, host names, TXT strings
   *     joined); empty unless {@code outcome} is {@link DnsOutcome#ANSWER}
   * @param voidLookup whether the query counted as a "void lookup" (RFC 7208 §4.6.4: NXDOMAIN or no
   *     records)
   */
  public record Lookup(
      String name, String type, DnsOutcome outcome, List<String> answers, boolean voidLookup) {
    /** Validates and copies. */
    public Lookup {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
      requireNonNull(outcome, "outcome");
      answers = List.copyOf(answers);
    }
  }

  /**
   * The codes of the findings of the {@code spf} check: the result for the sending IP (RFC 7208 §8)
   * and the lint of the record tree. The {@code auth} check repeats the result finding under its
   * own name.
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    SPF_PASS(
        INFO,
        DELIVERABLE,
        "RFC 7208 §8.3",
        "The domain's SPF record authorizes the sending IP (pass)."),
    SPF_FAIL(
        ERROR,
        AT_RISK,
        "RFC 7208 §8.4",
        "The domain's SPF record says the sending IP is not authorized (fail): receivers that enforce SPF or DMARC reject the mail."),
    SPF_SOFTFAIL(
        WARNING,
        AT_RISK,
        "RFC 7208 §8.5",
        "The domain's SPF record says the sending IP is probably not authorized (softfail)."),
    SPF_NEUTRAL(
        WARNING,
        AT_RISK,
        "RFC 7208 §8.2",
        "The domain's SPF record makes no assertion about the sending IP (neutral)."),
    SPF_NONE(
        WARNING,
        AT_RISK,
        "RFC 7208 §8.1",
        "There is no SPF record, or no valid domain to check (none)."),
    SPF_TEMPERROR(
        WARNING,
        INCONCLUSIVE,
        "RFC 7208 §8.6",
        "A DNS lookup SPF needs failed or timed out (temperror): receivers defer the mail."),
    SPF_PERMERROR(
        ERROR,
        AT_RISK,
        "RFC 7208 §8.7",
        "The SPF records cannot be interpreted (permerror): receivers treat it like a failed check."),
    SPF_NOT_EVALUATED(
        INFO,
        DELIVERABLE,
        "RFC 7208 §4",
        "No sending IP was given: the record was only fetched and linted, not evaluated."),
    SPF_NO_RECORD(WARNING, AT_RISK, "RFC 7208 §4.5", "The domain publishes no SPF record."),
    SPF_MULTIPLE_RECORDS(
        ERROR,
        AT_RISK,
        "RFC 7208 §4.5",
        "The domain publishes more than one v=spf1 record: permerror."),
    SPF_SYNTAX_ERROR(
        ERROR,
        AT_RISK,
        "RFC 7208 §4.6",
        "A record of the SPF tree has a syntax error (with its column): permerror."),
    SPF_TOO_MANY_LOOKUPS(
        ERROR,
        AT_RISK,
        "RFC 7208 §4.6.4",
        "The SPF tree needs more than 10 DNS-querying terms: permerror for every IP that reaches them."),
    SPF_LOOKUPS_NEAR_LIMIT(
        WARNING,
        DELIVERABLE,
        "RFC 7208 §4.6.4",
        "The SPF tree needs 9 or 10 DNS-querying terms: one more include breaks it."),
    SPF_VOID_LOOKUP(
        WARNING,
        DELIVERABLE,
        "RFC 7208 §4.6.4",
        "An a, mx or exists target of the SPF tree does not resolve (a void lookup)."),
    SPF_TOO_MANY_VOID_LOOKUPS(
        ERROR,
        AT_RISK,
        "RFC 7208 §4.6.4",
        "The SPF tree has more than 2 void lookups: permerror for every IP that reaches them."),
    SPF_MX_TOO_MANY(
        ERROR,
        AT_RISK,
        "RFC 7208 §4.6.4",
        "An mx term names a domain with more than 10 MX records: permerror."),
    SPF_INCLUDE_NO_RECORD(
        ERROR,
        AT_RISK,
        "RFC 7208 §5.2",
        "An include names a domain without an SPF record: permerror."),
    SPF_REDIRECT_NO_RECORD(
        ERROR,
        AT_RISK,
        "RFC 7208 §6.1",
        "A redirect names a domain without an SPF record: permerror."),
    SPF_INCLUDE_LOOP(
        ERROR,
        AT_RISK,
        "RFC 7208 §4.6.4",
        "An include refers back to a record already in the tree (a loop): permerror."),
    SPF_REDIRECT_LOOP(
        ERROR,
        AT_RISK,
        "RFC 7208 §4.6.4",
        "A redirect refers back to a record already in the tree (a loop): permerror."),
    SPF_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        "RFC 7208 §4.4",
        "A record of the SPF tree could not be fetched (timeout, SERVFAIL, REFUSED)."),
    SPF_PASS_ALL(
        ERROR,
        AT_RISK,
        "RFC 7208 §5.1",
        "The record ends in +all, which authorizes every host on the Internet to send as the domain."),
    SPF_TOO_PERMISSIVE(
        ERROR,
        AT_RISK,
        "RFC 7208 §5.6",
        "The record authorizes more than 2^24 IPv4 addresses (or an IPv6 prefix shorter than /24): anyone there can send as the domain."),
    SPF_NEUTRAL_ALL(
        WARNING, DELIVERABLE, "RFC 7208 §8.2", "The record ends in ?all, which protects nothing."),
    SPF_NO_ALL(
        WARNING,
        DELIVERABLE,
        "RFC 7208 §4.7",
        "The record has neither all nor a redirect: hosts it does not list get neutral."),
    SPF_TERMS_AFTER_ALL(
        WARNING, DELIVERABLE, "RFC 7208 §4.6.2", "Terms after all are never evaluated."),
    SPF_REDIRECT_WITH_ALL(
        WARNING, DELIVERABLE, "RFC 7208 §6.1", "A redirect beside all is ignored."),
    SPF_PTR_USED(
        WARNING,
        DELIVERABLE,
        "RFC 7208 §5.5",
        "The record uses the ptr mechanism, which should not be used (slow, unreliable, ignored by some receivers)."),
    SPF_P_MACRO_USED(
        WARNING,
        DELIVERABLE,
        "RFC 7208 §7.3",
        "The record uses the %{p} macro, which should not be used."),
    SPF_MACRO_NOT_FOLLOWED(
        INFO,
        DELIVERABLE,
        null,
        "A target with macros depends on the sender, so the lint did not follow it."),
    SPF_RECORD_TOO_LONG(
        WARNING,
        DELIVERABLE,
        "RFC 7208 §3.4",
        "The TXT answer is longer than 450 octets and may not fit in a DNS answer over UDP."),
    SPF_TXT_STRING_TOO_LONG(
        ERROR,
        AT_RISK,
        "RFC 7208 §3.3",
        "A character-string of the TXT record is longer than 255 octets, which DNS does not allow."),
    SPF_RR_TYPE_SPF(
        WARNING,
        DELIVERABLE,
        "RFC 7208 §3.1",
        "An SPF (type 99) record is published; the type is obsolete and only TXT records count."),
    SPF_SENDER_ID_RECORD(
        WARNING,
        DELIVERABLE,
        "RFC 7208 Appendix D",
        "An obsolete Sender ID (spf2.0/) record is published.");

    private final Severity severity;
    private final Verdict effect;
    private final @Nullable String reference;
    private final String meaning;

    Code(Severity severity, Verdict effect, @Nullable String reference, String meaning) {
      this.severity = severity;
      this.effect = effect;
      this.reference = reference;
      this.meaning = meaning;
    }

    /**
     * The code of the finding that states an SPF result.
     *
     * @param result the result of {@code check_host()}
     * @return {@link #SPF_PASS} for {@link SpfResult#PASS}, {@link #SPF_FAIL} for {@link
     *     SpfResult#FAIL}, and so on
     */
    public static Code of(SpfResult result) {
      switch (result) {
        case PASS:
          return SPF_PASS;
        case FAIL:
          return SPF_FAIL;
        case SOFTFAIL:
          return SPF_SOFTFAIL;
        case NEUTRAL:
          return SPF_NEUTRAL;
        case NONE:
          return SPF_NONE;
        case TEMPERROR:
          return SPF_TEMPERROR;
        case PERMERROR:
          return SPF_PERMERROR;
        default:
          throw new IllegalArgumentException("no finding code for the SPF result " + result);
      }
    }

    @Override
    public List<String> checks() {
      return List.of(CHECK, AuthReport.CHECK);
    }

    @Override
    public Severity severity() {
      return severity;
    }

    @Override
    public Verdict effect() {
      return effect;
    }

    @Override
    public String meaning() {
      return meaning;
    }

    @Override
    public Optional<String> reference() {
      return Optional.ofNullable(reference);
    }
  }
}
