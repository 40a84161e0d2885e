package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.dns.internal.SpfEngine;
import dev.maildx.dns.internal.SpfLinter;
import dev.maildx.dns.internal.SpfResolver;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.SpfReport;
import dev.maildx.report.SpfResult;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates SPF as a receiving MTA does (RFC 7208 {@code check_host()}) and lints the sender
 * domain's record tree: for a client IP and a sender it says pass, fail, softfail, neutral, none,
 * temperror or permerror, which mechanism decided, the explanation, the lookup counts, and the
 * trace of every record and term; and it lists what is wrong with the published records.
 *
 * <pre>{@code
 * try (MailDiagnostics maildx = MailDiagnostics.create()) {  // share one; components borrow its threads
 *   SpfEvaluator spf = SpfEvaluator.create(maildx);
 *   SpfReport r = spf.check("203.0.113.5", "alice@corp.example", "mail.corp.example");
 *   r.result();            // Optional[FAIL]
 *   r.matchedMechanism();  // "-all"
 * }
 * }</pre>
 *
 * <p>The identity is the MAIL FROM address; when it is empty, {@code postmaster@<helo>} (RFC 7208
 * §2.4). IPv4-mapped IPv6 addresses are evaluated as IPv4. Every lookup honours the deadline; a
 * lookup that times out or fails gives {@code temperror}, never an exception. The lint resolves the
 * whole include/redirect tree (every branch, at most 40 records). The result and lint findings:
 * {@link SpfReport.Code}.
 *
 * <p>One choice where the RFC and practice part: a single-label identity domain (a HELO name such
 * as {@code OEMCOMPUTER}) is looked up rather than answered {@code none} without a query (RFC 7208
 * §4.3). On the public DNS the lookup finds no SPF record and the result is the same {@code none};
 * the blitiris test suite relies on the lookup. Single-label targets <em>inside</em> a record
 * ({@code a:museum}) are syntax errors, as RFC 7208 §7.1 and its test suite require.
 *
 * <p>Thread-safe; share one instance.
 */
public final class SpfEvaluator implements AutoCloseable {
  static final String CHECK = SpfReport.CHECK;

  private final DnsClient dns;
  private final SpfEngine engine;
  private final SpfLinter linter;

  private SpfEvaluator(DnsClient dns) {
    this.dns = dns;
    SpfResolver resolver = SpfResolver.of(dns);
    this.engine = new SpfEngine(resolver, "unknown", dns.environment().clock());
    this.linter = new SpfLinter(resolver);
  }

  /**
   * Creates a evaluator on the runtime of a {@code MailDiagnostics}: its DNS client, threads and
   * configuration (the deadline of a blocking call is its {@link DiagnosticsConfig#timeout()}). The
   * evaluator starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the evaluator is
   *     used, and closing the evaluator leaves it open
   * @return a new evaluator
   */
  public static SpfEvaluator create(MailDiagnostics maildx) {
    return create(DnsClient.of(CheckEnvironment.of(maildx)));
  }

  /**
   * For maildx's own modules (the auth module's message authentication): an evaluator on a DNS
   * client that the caller owns and may share. Not an API ({@code DnsClient} is internal).
   *
   * @param dns the client
   * @return an evaluator without threads of its own
   * @hidden
   */
  @SuppressWarnings({
    "exports",
    "InvalidBlockTag"
  }) // @hidden is a javadoc tag (JDK 9+) Error Prone does not know
  public static SpfEvaluator create(DnsClient dns) {
    return new SpfEvaluator(dns);
  }

  /**
   * Evaluates SPF for a client IP and sender, blocking up to the configured timeout.
   *
   * @param ip the client IP address, IPv4 or IPv6 literal
   * @param sender the MAIL FROM address; empty for a bounce (then the HELO name is checked)
   * @param helo the HELO/EHLO name, or {@code null}
   * @return the report
   * @throws IllegalArgumentException if {@code ip} is not an IP literal, {@code sender} holds
   *     control characters, or both sender and HELO are empty
   */
  public SpfReport check(String ip, String sender, @Nullable String helo) {
    InetAddress a = InetAddresses.parse(requireNonNull(ip, "ip"));
    return checkAsync(a, sender, helo, Deadline.after(dns.environment().config().timeout())).join();
  }

  /**
   * Evaluates SPF for a client IP and sender.
   *
   * @param ip the client address
   * @param sender the MAIL FROM address, or empty
   * @param helo the HELO/EHLO name, or {@code null}
   * @param deadline when to give up; a report is returned by then
   * @return a future that always completes with a report
   * @throws IllegalArgumentException as for {@link #check}
   */
  public CompletableFuture<SpfReport> checkAsync(
      InetAddress ip, String sender, @Nullable String helo, Deadline deadline) {
    requireNonNull(ip, "ip");
    requireNonNull(deadline, "deadline");
    Identity id = Identity.of(requireNonNull(sender, "sender"), helo);
    Deadline inner = deadline.withMargin(Duration.ofMillis(100));
    CompletableFuture<SpfEngine.Outcome> eval =
        engine.checkHost(ip, id.domain, id.sender, id.heloMacro(), inner);
    CompletableFuture<SpfLinter.Lint> lint =
        id.validDomain()
            ? linter.lint(id.domain, null, inner, false)
            : CompletableFuture.completedFuture(SpfLinter.Lint.EMPTY);
    CompletableFuture<SpfReport> work =
        eval.thenCombine(lint, (o, l) -> report(id, ip, helo, o, l));
    return dns.environment().within(work, deadline, () -> timedOut(id, ip, helo));
  }

  /**
   * Fetches, resolves and lints a domain's SPF record tree without evaluating it for an IP,
   * blocking up to the configured timeout.
   *
   * @param domain the domain
   * @return a report without result
   * @throws IllegalArgumentException if {@code domain} is not a valid domain name
   */
  public SpfReport lint(String domain) {
    return lintAsync(DomainName.of(domain), Deadline.after(dns.environment().config().timeout()))
        .join();
  }

  /**
   * Fetches, resolves and lints a domain's SPF record tree.
   *
   * @param domain the domain
   * @param deadline when to give up
   * @return a future that always completes with a report without result
   */
  public CompletableFuture<SpfReport> lintAsync(DomainName domain, Deadline deadline) {
    return lintAsync(domain, null, deadline);
  }

  /**
   * Lints an SPF record as if it were published at {@code domain} (for example before publishing
   * it): its syntax, and the include/redirect tree it refers to, resolved from the DNS.
   *
   * @param domain the domain it would be published at
   * @param record the record text, starting with {@code v=spf1}; a record written as several quoted
   *     strings ({@code "v=spf1 ..." "..."}) is joined first
   * @param deadline when to give up
   * @return a future that always completes with a report without result
   */
  public CompletableFuture<SpfReport> lintRecordAsync(
      DomainName domain, String record, Deadline deadline) {
    return lintAsync(domain, requireNonNull(record, "record"), deadline);
  }

  private CompletableFuture<SpfReport> lintAsync(
      DomainName domain, @Nullable String record, Deadline deadline) {
    requireNonNull(domain, "domain");
    requireNonNull(deadline, "deadline");
    Identity id =
        new Identity(
            "postmaster@" + domain.ascii(), domain.ascii(), SpfReport.Scope.MAIL_FROM, null);
    Deadline inner = deadline.withMargin(Duration.ofMillis(100));
    CompletableFuture<SpfReport> work =
        linter
            .lint(domain.ascii(), record, inner, true)
            .thenApply(
                l -> {
                  List<Finding> findings = new ArrayList<>(l.findings());
                  findings.add(
                      Finding.info(
                              SpfReport.Code.SPF_NOT_EVALUATED,
                              CHECK,
                              "No sending IP was given, so check_host() was not run: the SPF record of "
                                  + domain.ascii()
                                  + " was fetched and checked"
                                  + (l.lookups() >= 0
                                      ? " (" + l.lookups() + " DNS-querying terms in its tree)"
                                      : "")
                                  + ".")
                          .evidence("domain", domain.ascii())
                          .rfc("RFC 7208 §4")
                          .build());
                  return new SpfReport(
                      CHECK,
                      id.sender,
                      id.scope,
                      id.domain,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      Math.max(0, l.lookups()),
                      l.voids(),
                      l.trace(),
                      sorted(findings));
                });
    return dns.environment()
        .within(
            work,
            deadline,
            () ->
                new SpfReport(
                    CHECK,
                    id.sender,
                    id.scope,
                    id.domain,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    0,
                    0,
                    null,
                    List.of(
                        Finding.inconclusive(
                                SpfReport.Code.SPF_TEMPERROR,
                                CHECK,
                                "The SPF record of "
                                    + domain.ascii()
                                    + " could not be fetched before the deadline.")
                            .evidence("domain", domain.ascii())
                            .rfc("RFC 7208 §8.6")
                            .build())));
  }

  /**
   * The identity checked: MAIL FROM, or postmaster@helo when MAIL FROM is empty (RFC 7208 §2.4).
   */
  static final class Identity {
    final String sender;
    final String domain;
    final SpfReport.Scope scope;
    final @Nullable String helo;

    Identity(String sender, String domain, SpfReport.Scope scope, @Nullable String helo) {
      this.sender = sender;
      this.domain = domain;
      this.scope = scope;
      this.helo = helo;
    }

    static Identity of(String sender, @Nullable String helo) {
      String s = sender.strip();
      if (s.startsWith("<") && s.endsWith(">")) {
        s = s.substring(1, s.length() - 1);
      }
      check("sender", s);
      String h = helo == null ? null : helo.strip();
      if (h != null) {
        check("HELO name", h);
        if (h.isEmpty()) {
          h = null;
        }
      }
      h = h == null ? null : aLabels(h);
      if (s.isEmpty()) {
        if (h == null) {
          throw new IllegalArgumentException(
              "an empty sender (a bounce) is checked by its HELO name: give --helo / a HELO name");
        }
        return new Identity("postmaster@" + h, h, SpfReport.Scope.HELO, h);
      }
      int at = s.lastIndexOf('@');
      String domain = aLabels(at < 0 ? s : s.substring(at + 1));
      String local = at <= 0 ? "postmaster" : s.substring(0, at);
      return new Identity(local + "@" + domain, domain, SpfReport.Scope.MAIL_FROM, h);
    }

    /**
     * A domain with its Unicode labels as A-labels (RFC 7208 §4.3: internationalized domain names
     * MUST be encoded as A-labels, RFC 5890 §2.3); left as it is when it cannot be converted, so
     * that check_host() then finds it malformed (none).
     */
    private static String aLabels(String domain) {
      if (domain.chars().allMatch(c -> c < 0x80)) {
        return domain;
      }
      try {
        return DomainName.of(domain).ascii() + (domain.endsWith(".") ? "." : "");
      } catch (IllegalArgumentException e) {
        return domain;
      }
    }

    private static void check(String what, String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c == 0x7f) {
          throw new IllegalArgumentException(
              "invalid "
                  + what
                  + " \""
                  + printable(s)
                  + "\": control character U+"
                  + String.format("%04X", (int) c)
                  + " at position "
                  + i);
        }
      }
      if (s.length() > 512) {
        throw new IllegalArgumentException("invalid " + what + ": longer than 512 characters");
      }
    }

    String heloMacro() {
      return helo == null ? "unknown" : helo;
    }

    /** Multi-label and well formed (RFC 7208 §4.3); a final dot does not make a second label. */
    boolean validDomain() {
      String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
      return SpfEngine.toName(d) != null && d.indexOf('.') > 0;
    }
  }

  private SpfReport report(
      Identity id,
      InetAddress ip,
      @Nullable String helo,
      SpfEngine.Outcome o,
      SpfLinter.Lint lint) {
    List<Finding> findings = new ArrayList<>();
    findings.add(resultFinding(id, ip, o));
    findings.addAll(lint.findings());
    return new SpfReport(
        CHECK,
        id.sender,
        id.scope,
        id.domain,
        ip,
        helo,
        o.result,
        o.explanation,
        o.matchedMechanism,
        o.matchedDomain,
        o.lookups,
        o.voidLookups,
        o.trace,
        sorted(findings));
  }

  private static List<Finding> sorted(List<Finding> findings) {
    List<Finding> out = new ArrayList<>(findings);
    out.sort(Comparator.comparing(Finding::severity));
    return out;
  }

  private SpfReport timedOut(Identity id, InetAddress ip, @Nullable String helo) {
    Finding f =
        Finding.inconclusive(
                SpfReport.Code.SPF_TEMPERROR,
                CHECK,
                "SPF for " + id.domain + " could not be evaluated before the deadline.")
            .evidence("domain", id.domain)
            .evidence("ip", InetAddresses.toLiteral(ip))
            .rfc("RFC 7208 §8.6")
            .build();
    return new SpfReport(
        CHECK,
        id.sender,
        id.scope,
        id.domain,
        ip,
        helo,
        SpfResult.TEMPERROR,
        null,
        null,
        null,
        0,
        0,
        null,
        List.of(f));
  }

  private static Finding resultFinding(Identity id, InetAddress ip, SpfEngine.Outcome o) {
    String addr = InetAddresses.toLiteral(SpfEngine.normalize(ip));
    Finding.Builder b = resultStatement(id, addr, o);
    b.evidence("result", o.result.name().toLowerCase(Locale.ROOT))
        .evidence("identity", id.sender)
        .evidence("ip", addr);
    if (o.matchedMechanism != null) {
      b.evidence("mechanism", o.matchedMechanism).evidence("recordOf", o.matchedDomain);
    }
    if (o.explanation != null) {
      b.evidence("explanation", o.explanation);
    }
    b.evidence("dnsLookups", o.lookups).evidence("voidLookups", o.voidLookups);
    if (o.trace.record() != null) {
      b.evidence("record", o.trace.record());
    }
    return b.rfc(resultSection(o.result)).build();
  }

  /**
   * What the result means for the mail, in the words of RFC 7208 §8: which host the domain
   * authorizes or not, and what receivers do with such a result.
   */
  private static Finding.Builder resultStatement(Identity id, String addr, SpfEngine.Outcome o) {
    String who = id.scope == SpfReport.Scope.HELO ? "the HELO name " + id.domain : id.domain;
    Finding.Builder b;
    switch (o.result) {
      case PASS:
        b =
            Finding.info(
                SpfReport.Code.SPF_PASS,
                CHECK,
                "SPF pass: "
                    + who
                    + " authorizes "
                    + addr
                    + " ("
                    + o.matchedMechanism
                    + (o.matchedDomain != null && !o.matchedDomain.equalsIgnoreCase(id.domain)
                        ? " in the record of " + o.matchedDomain
                        : "")
                    + ").");
        break;
      case FAIL:
        b =
            Finding.error(
                    SpfReport.Code.SPF_FAIL,
                    CHECK,
                    "SPF fail: "
                        + who
                        + " does not authorize "
                        + addr
                        + ". "
                        + story(o, addr)
                        + " Receivers that enforce SPF (or DMARC) reject or quarantine this mail.")
                .effect(Verdict.AT_RISK);
        break;
      case SOFTFAIL:
        b =
            Finding.warning(
                    SpfReport.Code.SPF_SOFTFAIL,
                    CHECK,
                    "SPF softfail: "
                        + who
                        + " says "
                        + addr
                        + " is probably not authorized. "
                        + story(o, addr)
                        + " Many receivers put such mail in spam.")
                .effect(Verdict.AT_RISK);
        break;
      case NEUTRAL:
        b =
            Finding.warning(
                    SpfReport.Code.SPF_NEUTRAL,
                    CHECK,
                    "SPF neutral: "
                        + who
                        + " makes no assertion about "
                        + addr
                        + ". "
                        + story(o, addr))
                .effect(Verdict.AT_RISK);
        break;
      case NONE:
        b =
            Finding.warning(
                    SpfReport.Code.SPF_NONE,
                    CHECK,
                    "SPF none: "
                        + o.detail
                        + ". Without SPF (or DKIM) large receivers reject or junk the mail.")
                .effect(Verdict.AT_RISK);
        break;
      case PERMERROR:
        b =
            Finding.error(
                    SpfReport.Code.SPF_PERMERROR,
                    CHECK,
                    "SPF permerror: "
                        + o.detail
                        + ". Receivers treat this like a failed SPF check (DMARC "
                        + "counts it as fail).")
                .effect(Verdict.AT_RISK);
        break;
      case TEMPERROR:
      default:
        b =
            Finding.inconclusive(
                SpfReport.Code.SPF_TEMPERROR,
                CHECK,
                "SPF could not be evaluated: "
                    + o.detail
                    + ". Receivers that see the same "
                    + "defer the mail (4xx) and retry.");
        break;
    }
    return b;
  }

  /** The section of RFC 7208 §8 that defines the result. */
  private static String resultSection(SpfResult result) {
    return result == SpfResult.PASS
        ? "RFC 7208 §8.3"
        : result == SpfResult.FAIL
            ? "RFC 7208 §8.4"
            : result == SpfResult.SOFTFAIL
                ? "RFC 7208 §8.5"
                : result == SpfResult.NEUTRAL
                    ? "RFC 7208 §8.2"
                    : result == SpfResult.NONE
                        ? "RFC 7208 §8.1"
                        : result == SpfResult.PERMERROR ? "RFC 7208 §8.7" : "RFC 7208 §8.6";
  }

  /**
   * What the evaluation went through before the result: the mechanism that decided and the includes
   * that did not cover the IP.
   */
  private static String story(SpfEngine.Outcome o, String addr) {
    StringBuilder b = new StringBuilder();
    List<String> includes = new ArrayList<>();
    collectIncludes(o.trace, includes);
    if (o.matchedMechanism != null && o.matchedMechanism.matches("[-+~?]?(?i:all)")) {
      b.append("Nothing in the record")
          .append(o.matchedDomain == null ? "" : " of " + o.matchedDomain)
          .append(" matched ")
          .append(addr)
          .append(", so its final \"")
          .append(o.matchedMechanism)
          .append("\" applies.");
    } else if (o.matchedMechanism != null) {
      b.append("It matched \"").append(o.matchedMechanism).append('"');
      if (o.matchedDomain != null) {
        b.append(" in the record of ").append(o.matchedDomain);
      }
      b.append('.');
    } else {
      b.append(o.detail).append('.');
    }
    if (!includes.isEmpty()) {
      b.append(" The record includes ")
          .append(String.join("; ", includes))
          .append(", which ")
          .append(includes.size() == 1 ? "does" : "do")
          .append(" not cover ")
          .append(addr)
          .append('.');
    }
    return b.toString();
  }

  private static void collectIncludes(SpfReport.Trace t, List<String> out) {
    for (SpfReport.Term term : t.terms()) {
      SpfReport.Trace c = term.child();
      if (c != null && term.outcome() == SpfReport.Term.Outcome.NO_MATCH && out.size() < 6) {
        List<String> ranges = new ArrayList<>();
        for (SpfReport.Term x : c.terms()) {
          if (x.term().matches("(?i)[+]?ip[46]:.*") && ranges.size() < 4) {
            ranges.add(x.term().replaceFirst("^\\+", ""));
          }
        }
        out.add(
            c.domain()
                + (ranges.isEmpty()
                    ? ""
                    : " ("
                        + String.join(", ", ranges)
                        + (c.terms().size() > ranges.size() + 1 ? ", ..." : "")
                        + ")"));
      }
      if (c != null && term.outcome() != SpfReport.Term.Outcome.NO_MATCH) {
        collectIncludes(c, out);
      }
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 300; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c != 0x7f ? String.valueOf(c) : String.format("\\u%04X", (int) c));
    }
    return b.toString();
  }

  /**
   * Does nothing: a evaluator owns no threads, and the runtime it borrows stays open with its
   * {@code MailDiagnostics}.
   */
  @Override
  public void close() {}
}
