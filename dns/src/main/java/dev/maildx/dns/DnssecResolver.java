package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.DnssecMethod;
import dev.maildx.report.DnssecReport;
import dev.maildx.report.DnssecStatus;
import dev.maildx.report.MxReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Checks whether the answers a sender needs to reach a domain validate with DNSSEC (RFC 4033 §5,
 * RFC 4035 §5): the domain's MX RRset and the A and AAAA RRsets of each MX host (at most {@value
 * #MAX_HOSTS}), by the configured {@link DnssecMode}. A bogus answer is fatal for every sender
 * whose resolver validates (most large providers': they get SERVFAIL and queue the mail until it
 * bounces); a secure MX host is a precondition of DANE (RFC 7672 §2.2).
 *
 * <p>Findings (check {@code dnssec}): {@link DnssecReport.Code}.
 *
 * <p>Thread-safe; share one instance.
 */
public final class DnssecResolver implements AutoCloseable {
  /** The most MX hosts whose addresses are validated. */
  public static final int MAX_HOSTS = 10;

  static final String CHECK = DnssecReport.CHECK;
  private static final String RFC = "RFC 4035 §5";

  private final DnsClient dns;
  private final Dnssec dnssec;

  private DnssecResolver(DnsClient dns, PolicyOptions options) {
    this.dns = dns;
    this.dnssec = new Dnssec(dns, options);
  }

  /**
   * Creates a resolver on the runtime of a {@code MailDiagnostics}: its DNS client, threads and
   * configuration (the deadline of a blocking call is its {@link DiagnosticsConfig#timeout()}). The
   * resolver starts no threads of its own. Its {@link PolicyOptions} are those of the {@code
   * MailDiagnostics}.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the resolver is
   *     used, and closing the resolver leaves it open
   * @return a new resolver
   */
  public static DnssecResolver create(MailDiagnostics maildx) {
    CheckEnvironment env = CheckEnvironment.of(maildx);
    return create(DnsClient.of(env), PolicyOptions.of(env));
  }

  /**
   * Creates a resolver on the runtime of a {@code MailDiagnostics} with other options; it starts no
   * threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the resolver is
   *     used, and closing the resolver leaves it open
   * @param options the DNSSEC mode and trust anchors
   * @return a new resolver
   */
  public static DnssecResolver create(MailDiagnostics maildx, PolicyOptions options) {
    requireNonNull(options, "options");
    return create(DnsClient.of(CheckEnvironment.of(maildx)), options);
  }

  static DnssecResolver create(DnsClient dns, PolicyOptions options) {
    return new DnssecResolver(dns, options);
  }

  /**
   * Checks a domain, blocking up to the configured timeout; its MX hosts are taken from the
   * validated MX answer.
   *
   * @param domain the domain
   * @return the report
   * @throws IllegalArgumentException if {@code domain} is not a valid domain name
   */
  public DnssecReport check(String domain) {
    return checkAsync(
            DomainName.of(domain), null, Deadline.after(dns.environment().config().timeout()))
        .join();
  }

  /**
   * Checks a domain's MX RRset and its MX hosts' addresses.
   *
   * @param domain the domain
   * @param mx the domain's MX report, whose hosts are checked; or null to take them from the MX
   *     answer
   * @param deadline when to give up
   * @return a future that always completes with a report, by the deadline
   */
  public CompletableFuture<DnssecReport> checkAsync(
      DomainName domain, @Nullable MxReport mx, Deadline deadline) {
    requireNonNull(domain, "domain");
    requireNonNull(deadline, "deadline");
    Deadline inner = deadline.withMargin(Duration.ofMillis(150));
    Dnssec.Session s = dnssec.session(inner);
    Name apex = name(domain.ascii());
    CompletableFuture<Dnssec.Result> mxRrset = s.lookup(apex, Type.MX);
    CompletableFuture<List<String>> hosts;
    boolean[] implicit = {mx != null && mx.implicit()};
    if (mx != null) {
      hosts =
          CompletableFuture.completedFuture(
              mx.hosts().stream()
                  .map(MxReport.Host::name)
                  .filter(h -> InetAddresses.tryParse(h) == null)
                  .distinct()
                  .limit(MAX_HOSTS)
                  .toList());
    } else {
      hosts =
          mxRrset.thenApply(
              r -> {
                if (r.answer().outcome() == DnsOutcome.NO_DATA) {
                  implicit[0] = true;
                  return List.of(domain.ascii());
                }
                Set<String> names = new LinkedHashSet<>();
                r.answer().records(MXRecord.class).stream()
                    .sorted(Comparator.comparingInt(MXRecord::getPriority))
                    .map(x -> Text.host(x.getTarget()))
                    .filter(h -> !h.isEmpty())
                    .forEach(names::add);
                return names.stream().limit(MAX_HOSTS).toList();
              });
    }
    CompletableFuture<List<HostResults>> perHost =
        hosts.thenCompose(
            list -> {
              List<CompletableFuture<HostResults>> all = new ArrayList<>();
              for (String h : list) {
                Name n = name(h);
                CompletableFuture<Dnssec.Result> a = s.lookup(n, Type.A);
                CompletableFuture<Dnssec.Result> aaaa = s.lookup(n, Type.AAAA);
                all.add(a.thenCombine(aaaa, (x, y) -> new HostResults(h, x, y)));
              }
              return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                  .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
            });
    CompletableFuture<DnssecReport> work =
        mxRrset.thenCombine(perHost, (m, hs) -> assemble(domain, s, m, hs, implicit[0]));
    return dns.environment()
        .within(
            work,
            deadline,
            () ->
                new DnssecReport(
                    CHECK,
                    domain,
                    s.method(),
                    DnssecStatus.INDETERMINATE,
                    List.of(),
                    List.of(
                        Finding.inconclusive(
                                DnssecReport.Code.DNSSEC_LOOKUP_FAILED,
                                CHECK,
                                "The DNSSEC check of "
                                    + domain
                                    + " did not finish before the deadline.")
                            .evidence("domain", domain)
                            .evidence("outcome", DnsOutcome.TIMEOUT)
                            .rfc(RFC)
                            .build())));
  }

  private record HostResults(String host, Dnssec.Result a, Dnssec.Result aaaa) {}

  private static DnssecReport.Result result(String name, String type, Dnssec.Result r) {
    return new DnssecReport.Result(name, type, r.answer().outcome(), r.status(), r.reason());
  }

  private static DnssecReport assemble(
      DomainName domain,
      Dnssec.Session s,
      Dnssec.Result mx,
      List<HostResults> hosts,
      boolean implicit) {
    List<DnssecReport.Result> results = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    DnssecMethod method = s.method();
    results.add(result(domain.ascii(), "MX", mx));
    mxFindings(domain, s, mx, findings);
    List<String> secureHosts = new ArrayList<>();
    List<String> bogusHosts = new ArrayList<>();
    for (HostResults h : hosts) {
      results.add(result(h.host, "A", h.a));
      results.add(result(h.host, "AAAA", h.aaaa));
      DnssecStatus st = combine(h.a, h.aaaa);
      if (st == DnssecStatus.BOGUS) {
        bogusHosts.add(h.host);
      } else if (st == DnssecStatus.SECURE) {
        secureHosts.add(h.host);
      }
      hostFinding(domain, method, mx, h, st, implicit, findings);
    }
    if (!hosts.isEmpty()
        && bogusHosts.size() == hosts.size()
        && mx.status() != DnssecStatus.BOGUS) {
      findings.add(
          Finding.error(
                  DnssecReport.Code.DNSSEC_BOGUS,
                  CHECK,
                  "The addresses of every MX host of "
                      + domain
                      + " fail DNSSEC validation ("
                      + String.join(", ", bogusHosts)
                      + "): senders whose resolvers validate cannot deliver to the domain at all.")
              .effect(Verdict.UNDELIVERABLE)
              .evidence("hosts", String.join(", ", bogusHosts))
              .evidence("method", method)
              .rfc(RFC)
              .build());
    }
    if (mx.status() == DnssecStatus.SECURE) {
      findings.add(
          Finding.info(
                  DnssecReport.Code.DNSSEC_SECURE,
                  CHECK,
                  "The MX records of "
                      + domain
                      + " validate with DNSSEC"
                      + (secureHosts.isEmpty()
                          ? "."
                          : "; so do the addresses of " + String.join(", ", secureHosts) + ".")
                      + (method == DnssecMethod.RESOLVER_AD_BIT
                          ? " (as the resolver reports with its AD bit)"
                          : ""))
              .evidence("name", domain.ascii())
              .evidence("secureHosts", String.join(", ", secureHosts))
              .evidence("method", method)
              .rfc(RFC)
              .build());
    }
    findings.sort(Comparator.comparing(Finding::severity));
    return new DnssecReport(CHECK, domain, method, mx.status(), results, findings);
  }

  /** What the MX RRset's validation says: a fallback method, a failed lookup, its status. */
  private static void mxFindings(
      DomainName domain, Dnssec.Session s, Dnssec.Result mx, List<Finding> findings) {
    DnssecMethod method = s.method();
    if (s.fellBack()) {
      findings.add(
          Finding.info(
                  DnssecReport.Code.DNSSEC_RESOLVER_AD_BIT,
                  CHECK,
                  "The DNS server does not serve the trust anchors' signed keys (it is not a "
                      + "recursive resolver), so maildx could not validate DNSSEC itself; the statuses below are the server's AD bit.")
              .evidence("method", method)
              .build());
    }
    if (mx.failed()) {
      findings.add(
          Finding.inconclusive(
                  DnssecReport.Code.DNSSEC_LOOKUP_FAILED,
                  CHECK,
                  "The DNSSEC status of the MX records of "
                      + domain
                      + " could not be determined: "
                      + mx.reason()
                      + ".")
              .evidence("name", domain.ascii())
              .evidence("type", "MX")
              .evidence("outcome", mx.answer().outcome())
              .rfc(RFC)
              .build());
    }
    mxStatus(domain, method, mx, findings);
  }

  private static void mxStatus(
      DomainName domain, DnssecMethod method, Dnssec.Result mx, List<Finding> findings) {
    switch (mx.status()) {
      case BOGUS:
        findings.add(
            Finding.error(
                    DnssecReport.Code.DNSSEC_BOGUS,
                    CHECK,
                    "The MX records of "
                        + domain
                        + " fail DNSSEC validation ("
                        + mx.reason()
                        + "). Resolvers that validate answer SERVFAIL, so senders that use them cannot find the mail servers: mail is queued and "
                        + "eventually bounced. The domain's DNS administrator must fix the signatures or the DS record at the parent.")
                .effect(Verdict.UNDELIVERABLE)
                .evidence("name", domain.ascii())
                .evidence("type", "MX")
                .evidence("reason", mx.reason())
                .evidence("method", method)
                .rfc(RFC)
                .build());
        break;
      case INSECURE:
        findings.add(
            Finding.info(
                    DnssecReport.Code.DNSSEC_INSECURE,
                    CHECK,
                    domain
                        + " is not signed with DNSSEC ("
                        + mx.reason()
                        + "): its answers cannot be authenticated, and DANE cannot protect mail to it.")
                .evidence("name", domain.ascii())
                .evidence("reason", mx.reason())
                .evidence("method", method)
                .rfc(RFC)
                .build());
        break;
      case INDETERMINATE:
        if (!mx.failed()) {
          findings.add(
              Finding.info(
                      DnssecReport.Code.DNSSEC_INDETERMINATE,
                      CHECK,
                      "The DNSSEC status of the MX records of "
                          + domain
                          + " could not be determined: "
                          + mx.reason()
                          + ".")
                  .evidence("name", domain.ascii())
                  .evidence("type", "MX")
                  .evidence("reason", mx.reason())
                  .evidence("method", method)
                  .rfc(RFC)
                  .build());
        }
        break;
      default:
        break;
    }
  }

  /** What the validation of one MX host's addresses says (RFC 7672 §2.2.1 for an unsigned host). */
  private static void hostFinding(
      DomainName domain,
      DnssecMethod method,
      Dnssec.Result mx,
      HostResults h,
      DnssecStatus st,
      boolean implicit,
      List<Finding> findings) {
    if (st == DnssecStatus.BOGUS) {
      Dnssec.Result bad = h.a.status() == DnssecStatus.BOGUS ? h.a : h.aaaa;
      findings.add(
          Finding.error(
                  DnssecReport.Code.DNSSEC_BOGUS,
                  CHECK,
                  "The addresses of the MX host "
                      + h.host
                      + " fail DNSSEC validation ("
                      + bad.reason()
                      + "); senders whose resolvers validate cannot reach it.")
              .effect(Verdict.AT_RISK)
              .evidence("name", h.host)
              .evidence("type", h.a.status() == DnssecStatus.BOGUS ? "A" : "AAAA")
              .evidence("reason", bad.reason())
              .evidence("method", method)
              .rfc(RFC)
              .build());
    } else if (st != DnssecStatus.SECURE && h.a.failed() && h.aaaa.failed()) {
      findings.add(
          Finding.inconclusive(
                  DnssecReport.Code.DNSSEC_LOOKUP_FAILED,
                  CHECK,
                  "The DNSSEC status of the MX host "
                      + h.host
                      + " could not be determined: "
                      + h.a.reason()
                      + ".")
              .evidence("name", h.host)
              .evidence("outcome", h.a.answer().outcome())
              .rfc(RFC)
              .build());
    } else if (mx.status() == DnssecStatus.SECURE && st == DnssecStatus.INSECURE && !implicit) {
      findings.add(
          Finding.info(
                  DnssecReport.Code.DNSSEC_HOST_INSECURE,
                  CHECK,
                  "The MX host "
                      + h.host
                      + " of the signed domain "
                      + domain
                      + " is in an unsigned zone: DANE cannot protect mail to it.")
              .evidence("name", h.host)
              .evidence("method", method)
              .rfc("RFC 7672 §2.2.1")
              .build());
    }
  }

  /**
   * The status of a host from its A and AAAA answers: bogus wins, then secure, insecure,
   * indeterminate.
   */
  private static DnssecStatus combine(Dnssec.Result a, Dnssec.Result aaaa) {
    List<DnssecStatus> s = List.of(a.status(), aaaa.status());
    if (s.contains(DnssecStatus.BOGUS)) {
      return DnssecStatus.BOGUS;
    }
    if (s.contains(DnssecStatus.SECURE)) {
      return DnssecStatus.SECURE;
    }
    if (s.contains(DnssecStatus.INSECURE)) {
      return DnssecStatus.INSECURE;
    }
    return DnssecStatus.INDETERMINATE;
  }

  static Name name(String host) {
    try {
      return Name.fromString(host.endsWith(".") ? host : host + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid name \"" + host + "\"", e);
    }
  }

  /**
   * Does nothing: a resolver owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
