package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.MxReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Finds where a domain's mail goes (RFC 5321 §5.1): its MX records by preference, each target
 * resolved to its A and AAAA records concurrently; the implicit MX (the domain's own address) when
 * there is no MX; the null MX {@code 0 .} of a domain that accepts no mail (RFC 7505).
 *
 * <p>Every problem is a {@link Finding} in the returned {@link MxReport}; its codes, with what they
 * mean, are declared in {@link MxReport.Code}. For the sender's own domain (check {@code
 * sender-mx}) nothing is undeliverable: the effects become {@link Verdict#AT_RISK}, since replies
 * and bounces are what is lost.
 *
 * <p>Thread-safe; share one instance.
 */
public final class MxResolver implements AutoCloseable {
  /** More distinct MX hosts than this is a warning: senders try only a few. */
  public static final int MANY_HOSTS = 10;

  static final String RECIPIENT_CHECK = MxReport.CHECK;
  static final String SENDER_CHECK = MxReport.SENDER_CHECK;

  /** The port senders relay mail to (RFC 6409 §1). */
  private static final int SMTP_PORT = 25;

  private final DnsClient dns;

  private MxResolver(DnsClient dns) {
    this.dns = dns;
  }

  /**
   * Creates a resolver on the runtime of a {@code MailDiagnostics}: its DNS client, threads and
   * configuration (the deadline of a blocking call is its {@link DiagnosticsConfig#timeout()}). The
   * resolver starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the resolver is
   *     used, and closing the resolver leaves it open
   * @return a new resolver
   */
  public static MxResolver create(MailDiagnostics maildx) {
    return create(DnsClient.of(CheckEnvironment.of(maildx)));
  }

  static MxResolver create(DnsClient dns) {
    return new MxResolver(dns);
  }

  /**
   * Resolves a domain's mail exchangers, blocking up to the configured timeout.
   *
   * @param domain the domain, Unicode or ASCII
   * @return the report
   * @throws IllegalArgumentException if {@code domain} is not a valid domain name
   */
  public MxReport resolve(String domain) {
    DomainName d = DomainName.of(domain);
    return resolveAsync(d, Deadline.after(dns.environment().config().timeout())).join();
  }

  /**
   * Resolves a domain's mail exchangers.
   *
   * @param domain the domain
   * @param deadline when to give up; lookups still open then are reported as inconclusive
   * @return a future that always completes with a report, by the deadline
   */
  public CompletableFuture<MxReport> resolveAsync(DomainName domain, Deadline deadline) {
    return resolve(domain, RECIPIENT_CHECK, deadline);
  }

  CompletableFuture<MxReport> resolve(DomainName domain, String check, Deadline deadline) {
    return resolve(domain, check, SMTP_PORT, deadline);
  }

  /**
   * Resolves for a diagnosis that probes {@code port}. Message relay uses SMTP on port 25 (RFC 6409
   * §1); a diagnosis that probes another port tests the user's own server (the question's {@code
   * smtpPort} is "for tests against servers on other ports"), so a loopback or private address of
   * an MX host is that test server, reported as a warning, not a mail server missing.
   */
  CompletableFuture<MxReport> resolve(
      DomainName domain, String check, int port, Deadline deadline) {
    requireNonNull(domain, "domain");
    requireNonNull(deadline, "deadline");
    boolean sender = check.equals(SENDER_CHECK);
    // Lookups end a little before the deadline, so that what did answer is still reported.
    Deadline inner = deadline.withMargin(java.time.Duration.ofMillis(100));
    CompletableFuture<MxReport> work =
        dns.query(domain.ascii(), Type.MX, inner)
            .thenCompose(mx -> afterMx(domain, check, sender, port, mx, inner));
    return dns.environment()
        .within(
            work,
            deadline,
            () ->
                new MxReport(
                    check,
                    domain,
                    DnsOutcome.TIMEOUT,
                    List.of(),
                    false,
                    false,
                    List.of(
                        Finding.inconclusive(
                                MxReport.Code.MX_LOOKUP_FAILED,
                                check,
                                "The MX lookup for "
                                    + domain
                                    + " did not finish before the deadline.")
                            .evidence("domain", domain)
                            .evidence(MxReport.Evidence.OUTCOME, DnsOutcome.TIMEOUT)
                            .rfc("RFC 5321 §5.1")
                            .build())));
  }

  private CompletableFuture<MxReport> afterMx(
      DomainName domain, String check, boolean sender, int port, DnsAnswer mx, Deadline deadline) {
    List<Finding> findings = new ArrayList<>();
    switch (mx.outcome()) {
      case NXDOMAIN:
        findings.add(
            Finding.error(
                    MxReport.Code.MX_NXDOMAIN,
                    check,
                    domain + " does not exist (NXDOMAIN): no mail can be delivered to it.")
                .effect(effect(Verdict.UNDELIVERABLE, sender))
                .evidence("domain", domain)
                .evidence("server", server(mx))
                .rfc("RFC 5321 §5.1")
                .build());
        return done(check, domain, mx.outcome(), List.of(), false, false, findings);
      case ANSWER:
        return fromRecords(domain, check, sender, port, mx, deadline, findings);
      case NO_DATA:
        return implicit(domain, check, sender, port, mx, deadline, findings);
      default:
        findings.add(
            Finding.inconclusive(
                    MxReport.Code.MX_LOOKUP_FAILED,
                    check,
                    "The MX records of "
                        + domain
                        + " could not be looked up: "
                        + mx.describe()
                        + ".")
                .evidence("domain", domain)
                .evidence(MxReport.Evidence.OUTCOME, mx.outcome())
                .evidence("detail", mx.detail())
                .rfc("RFC 5321 §5.1")
                .build());
        return done(check, domain, mx.outcome(), List.of(), false, false, findings);
    }
  }

  private CompletableFuture<MxReport> fromRecords(
      DomainName domain,
      String check,
      boolean sender,
      int port,
      DnsAnswer mx,
      Deadline deadline,
      List<Finding> findings) {
    List<MXRecord> records = new ArrayList<>(mx.records(MXRecord.class));
    records.sort(
        Comparator.comparingInt(MXRecord::getPriority)
            .thenComparing(r -> r.getTarget().toString(true).toLowerCase(Locale.ROOT)));
    String recordText =
        records.stream()
            .map(r -> r.getPriority() + " " + r.getTarget())
            .collect(Collectors.joining(", "));
    List<MXRecord> nulls = records.stream().filter(r -> r.getTarget().equals(Name.root)).toList();
    if (!nulls.isEmpty()) {
      if (nulls.size() == records.size()) {
        findings.add(
            Finding.error(
                    MxReport.Code.MX_NULL,
                    check,
                    domain + " publishes a null MX (" + recordText + "): it accepts no email.")
                .effect(effect(Verdict.UNDELIVERABLE, sender))
                .evidence("domain", domain)
                .evidence("records", recordText)
                .rfc("RFC 7505 §3")
                .build());
        return done(check, domain, mx.outcome(), List.of(), true, false, findings);
      }
      findings.add(
          Finding.error(
                  MxReport.Code.MX_NULL_MIXED,
                  check,
                  domain
                      + " publishes a null MX together with other MX records ("
                      + recordText
                      + "); RFC 7505 forbids that, and senders treat it differently: some deliver, some bounce.")
              .evidence("domain", domain)
              .evidence("records", recordText)
              .rfc("RFC 7505 §3")
              .build());
      records.removeAll(nulls);
    }
    // Distinct targets in preference order; duplicates reported once.
    Map<String, MXRecord> targets = new LinkedHashMap<>();
    Set<String> duplicates = new LinkedHashSet<>();
    for (MXRecord r : records) {
      String t = r.getTarget().toString(true).toLowerCase(Locale.ROOT);
      if (targets.putIfAbsent(t, r) != null) {
        duplicates.add(t);
      }
    }
    for (String d : duplicates) {
      findings.add(
          Finding.warning(
                  MxReport.Code.MX_DUPLICATE,
                  check,
                  d + " is listed more than once in the MX records of " + domain + ".")
              .evidence("host", d)
              .evidence("records", recordText)
              .build());
    }
    if (targets.size() > MANY_HOSTS) {
      findings.add(
          Finding.warning(
                  MxReport.Code.MX_TOO_MANY,
                  check,
                  domain
                      + " has "
                      + targets.size()
                      + " MX hosts; senders try only a few of them "
                      + "(Postfix: 5 addresses), so the last ones never receive mail.")
              .evidence("count", targets.size())
              .rfc("RFC 5321 §5.1")
              .build());
    }
    List<CompletableFuture<HostResult>> hosts = new ArrayList<>();
    for (Map.Entry<String, MXRecord> e : targets.entrySet()) {
      hosts.add(resolveHost(e.getKey(), e.getValue().getPriority(), check, port, deadline));
    }
    return CompletableFuture.allOf(hosts.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<HostResult> results = hosts.stream().map(CompletableFuture::join).toList();
              return assemble(domain, check, sender, mx.outcome(), results, false, findings);
            });
  }

  private CompletableFuture<MxReport> implicit(
      DomainName domain,
      String check,
      boolean sender,
      int port,
      DnsAnswer mx,
      Deadline deadline,
      List<Finding> findings) {
    return resolveHost(domain.ascii(), 0, check, port, deadline)
        .thenApply(
            h -> {
              if (h.addresses.isEmpty() && h.outcome.isDefinite()) {
                findings.add(
                    Finding.error(
                            MxReport.Code.MX_NONE,
                            check,
                            domain
                                + " has no MX records and no address (A/AAAA): no mail can be delivered to it.")
                        .effect(effect(Verdict.UNDELIVERABLE, sender))
                        .evidence("domain", domain)
                        .rfc("RFC 5321 §5.1")
                        .build());
                return new MxReport(check, domain, mx.outcome(), List.of(), false, true, findings);
              }
              if (h.addresses.isEmpty()) {
                findings.add(
                    Finding.inconclusive(
                            MxReport.Code.MX_LOOKUP_FAILED,
                            check,
                            domain
                                + " has no MX records, and the lookup of its own address "
                                + "(the implicit MX) failed: "
                                + h.detail
                                + ".")
                        .evidence("domain", domain)
                        .evidence(MxReport.Evidence.OUTCOME, h.outcome)
                        .rfc("RFC 5321 §5.1")
                        .build());
                return new MxReport(check, domain, mx.outcome(), List.of(), false, true, findings);
              }
              findings.add(
                  Finding.warning(
                          MxReport.Code.MX_IMPLICIT,
                          check,
                          domain
                              + " has no MX records; senders deliver to the domain's own address ("
                              + literals(h.addresses)
                              + "). If that is not a mail server, publish an MX record (or a null MX if the domain takes no mail).")
                      .evidence("domain", domain)
                      .evidence("addresses", literals(h.addresses))
                      .rfc("RFC 5321 §5.1")
                      .build());
              return assemble(domain, check, sender, mx.outcome(), List.of(h), true, findings);
            });
  }

  private MxReport assemble(
      DomainName domain,
      String check,
      boolean sender,
      DnsOutcome lookup,
      List<HostResult> results,
      boolean implicit,
      List<Finding> findings) {
    List<MxReport.Host> hosts = new ArrayList<>();
    boolean anyUsable = false;
    boolean anyUnknown = false;
    for (HostResult h : results) {
      findings.addAll(h.findings);
      hosts.add(new MxReport.Host(h.preference, h.name, h.addresses, h.outcome));
      boolean usable = h.testServer || h.addresses.stream().anyMatch(a -> specialRange(a) == null);
      anyUsable |= usable;
      anyUnknown |= h.addresses.isEmpty() && !h.outcome.isDefinite() && !h.ipLiteral;
    }
    if (!anyUsable && !anyUnknown) {
      findings.add(
          Finding.error(
                  MxReport.Code.MX_NO_USABLE_HOST,
                  check,
                  "None of the mail servers of "
                      + domain
                      + " has a public address a sender "
                      + "could connect to.")
              .effect(effect(Verdict.UNDELIVERABLE, sender))
              .evidence("domain", domain)
              .evidence(
                  "hosts",
                  hosts.stream().map(MxReport.Host::name).collect(Collectors.joining(", ")))
              .rfc("RFC 5321 §5.1")
              .build());
    } else if (!implicit && anyUsable) {
      String list =
          hosts.stream()
              .map(
                  h ->
                      h.preference()
                          + " "
                          + h.name()
                          + (h.addresses().isEmpty() ? "" : " (" + literals(h.addresses()) + ")")
                          + dns.environment()
                              .config()
                              .route(h.name())
                              .map(r -> " routed to the test server " + hostPort(r))
                              .orElse(""))
              .collect(Collectors.joining(", "));
      findings.add(
          0,
          Finding.info(
                  MxReport.Code.MX_OK,
                  check,
                  domain
                      + " has "
                      + hosts.size()
                      + " mail server"
                      + (hosts.size() == 1 ? "" : "s")
                      + ": "
                      + list
                      + ".")
              .evidence("domain", domain)
              .evidence("hosts", list)
              .build());
    }
    findings.sort(Comparator.comparing(Finding::severity));
    return new MxReport(check, domain, lookup, hosts, false, implicit, findings);
  }

  /** The addresses of one MX target, with the findings about it. */
  private static final class HostResult {
    final String name;
    final int preference;
    final List<InetAddress> addresses;
    final DnsOutcome outcome;
    final String detail;
    final List<Finding> findings;
    final boolean ipLiteral;

    /** Routed by name, or probed on a test port: the user's test server (not judged as public). */
    final boolean testServer;

    HostResult(
        String name,
        int preference,
        List<InetAddress> addresses,
        DnsOutcome outcome,
        String detail,
        List<Finding> findings,
        boolean ipLiteral,
        boolean testServer) {
      this.name = name;
      this.preference = preference;
      this.addresses = addresses;
      this.outcome = outcome;
      this.detail = detail;
      this.findings = findings;
      this.ipLiteral = ipLiteral;
      this.testServer = testServer;
    }
  }

  private CompletableFuture<HostResult> resolveHost(
      String host, int preference, String check, int port, Deadline deadline) {
    List<Finding> findings = new ArrayList<>();
    boolean routed = dns.environment().config().route(host).isPresent();
    InetAddress literal = InetAddresses.tryParse(host);
    if (literal != null) {
      findings.add(
          Finding.error(
                  MxReport.Code.MX_TARGET_IP_LITERAL,
                  check,
                  "The MX target \""
                      + host
                      + "\" is an IP address, not a host name; "
                      + "senders look it up as a name and find nothing, so most will not deliver to it.")
              .evidence("host", host)
              .evidence("preference", preference)
              .rfc("RFC 5321 §5.1")
              .build());
      return CompletableFuture.completedFuture(
          new HostResult(
              host,
              preference,
              List.of(),
              DnsOutcome.NXDOMAIN,
              "an IP literal",
              findings,
              true,
              false));
    }
    CompletableFuture<DnsAnswer> a = dns.query(host, Type.A, deadline);
    CompletableFuture<DnsAnswer> aaaa = dns.query(host, Type.AAAA, deadline);
    return a.thenCombine(
        aaaa,
        (r4, r6) -> {
          List<InetAddress> addresses = new ArrayList<>();
          r4.records(ARecord.class).forEach(r -> addresses.add(r.getAddress()));
          r6.records(AAAARecord.class).forEach(r -> addresses.add(r.getAddress()));
          DnsOutcome outcome;
          String detail;
          if (!addresses.isEmpty()) {
            outcome = DnsOutcome.ANSWER;
            detail = "";
          } else if (!r4.outcome().isDefinite()) {
            outcome = r4.outcome();
            detail = r4.describe();
          } else if (!r6.outcome().isDefinite()) {
            outcome = r6.outcome();
            detail = r6.describe();
          } else {
            outcome =
                r4.outcome() == DnsOutcome.NXDOMAIN || r6.outcome() == DnsOutcome.NXDOMAIN
                    ? DnsOutcome.NXDOMAIN
                    : DnsOutcome.NO_DATA;
            detail =
                outcome == DnsOutcome.NXDOMAIN ? "the name does not exist" : "no A or AAAA record";
          }
          List<org.xbill.DNS.Name> chain =
              !r4.cnameChain().isEmpty() ? r4.cnameChain() : r6.cnameChain();
          if (!chain.isEmpty()) {
            findings.add(alias(host, chain, check));
          }
          if (addresses.isEmpty()) {
            findings.add(noAddress(host, preference, check, outcome, detail));
          } else {
            findings.addAll(notPublic(host, addresses, routed, port, check));
            if (r4.records().isEmpty() && r4.outcome().isDefinite()) {
              findings.add(
                  Finding.warning(
                          MxReport.Code.MX_TARGET_IPV6_ONLY,
                          check,
                          "The MX host "
                              + host
                              + " has only IPv6 addresses; senders "
                              + "without IPv6 cannot deliver to it.")
                      .evidence("host", host)
                      .evidence("addresses", literals(addresses))
                      .build());
            }
          }
          boolean test =
              routed
                  || (port != SMTP_PORT
                      && !check.equals(SENDER_CHECK)
                      && !addresses.isEmpty()
                      && addresses.stream().allMatch(ip -> specialRange(ip) != null));
          return new HostResult(
              host, preference, List.copyOf(addresses), outcome, detail, findings, false, test);
        });
  }

  /** An MX target that is an alias (RFC 2181 §10.3: an MX must name a host directly). */
  private static Finding alias(String host, List<org.xbill.DNS.Name> chain, String check) {
    return Finding.warning(
            MxReport.Code.MX_TARGET_CNAME,
            check,
            "The MX target "
                + host
                + " is an alias (CNAME to "
                + chain.get(chain.size() - 1).toString(true)
                + "); an MX must name a host directly, and some senders refuse aliases.")
        .evidence("host", host)
        .evidence(
            "cname", chain.stream().map(n -> n.toString(true)).collect(Collectors.joining(" -> ")))
        .rfc("RFC 2181 §10.3")
        .build();
  }

  /** Why an MX host without addresses cannot be delivered to, or that its lookup failed. */
  private static Finding noAddress(
      String host, int preference, String check, DnsOutcome outcome, String detail) {
    if (outcome.isDefinite()) {
      return Finding.error(
              MxReport.Code.MX_TARGET_NO_ADDRESS,
              check,
              "The MX host "
                  + host
                  + " has no address ("
                  + detail
                  + "); senders cannot connect to it.")
          .evidence("host", host)
          .evidence("preference", preference)
          .evidence(MxReport.Evidence.OUTCOME, outcome)
          .rfc("RFC 5321 §5.1")
          .build();
    }
    return Finding.inconclusive(
            MxReport.Code.MX_TARGET_LOOKUP_FAILED,
            check,
            "The address of the MX host " + host + " could not be looked up: " + detail + ".")
        .evidence("host", host)
        .evidence(MxReport.Evidence.OUTCOME, outcome)
        .build();
  }

  /**
   * The addresses of an MX host that senders on the Internet cannot reach (RFC 6890); none for a
   * host routed to the user's test server, and warnings for the test server of a test port.
   */
  private List<Finding> notPublic(
      String host, List<InetAddress> addresses, boolean routed, int port, String check) {
    List<Finding> findings = new ArrayList<>();
    for (InetAddress ip : addresses) {
      String range = routed ? null : specialRange(ip);
      if (range != null && port != SMTP_PORT && !check.equals(SENDER_CHECK)) {
        findings.add(testServer(host, ip, range, port, check));
      } else if (range != null) {
        findings.add(
            Finding.error(
                    MxReport.Code.MX_TARGET_NOT_PUBLIC,
                    check,
                    "The MX host "
                        + host
                        + " resolves to "
                        + InetAddresses.toLiteral(ip)
                        + ", a "
                        + range
                        + " address that senders on the Internet cannot reach.")
                .evidence("host", host)
                .evidence("address", InetAddresses.toLiteral(ip))
                .evidence("range", range)
                .rfc("RFC 6890")
                .build());
      }
    }
    return findings;
  }

  private @Nullable String specialRange(InetAddress a) {
    return dns.environment().config().routes().containsKey(a)
        ? null
        : InetAddresses.specialRange(a);
  }

  /**
   * A non-public address of an MX host probed on a test port: true for senders on the Internet (RFC
   * 6890), but the diagnosis tests the user's own server there, so it is a warning without an
   * effect on the verdict.
   */
  private static Finding testServer(
      String host, InetAddress ip, String range, int port, String check) {
    return Finding.warning(
            MxReport.Code.MX_TARGET_NOT_PUBLIC,
            check,
            "The MX host "
                + host
                + " resolves to "
                + InetAddresses.toLiteral(ip)
                + ", a "
                + range
                + " address: maildx tests it as your test server on port "
                + port
                + ", but senders on the Internet cannot reach it.")
        .effect(Verdict.DELIVERABLE)
        .evidence("host", host)
        .evidence("address", InetAddresses.toLiteral(ip))
        .evidence("range", range)
        .evidence("port", port)
        .rfc("RFC 6890")
        .build();
  }

  private static String hostPort(java.net.InetSocketAddress a) {
    String lit = InetAddresses.toLiteral(a.getAddress());
    return (lit.contains(":") ? "[" + lit + "]" : lit) + ":" + a.getPort();
  }

  private static Verdict effect(Verdict v, boolean sender) {
    return sender && v == Verdict.UNDELIVERABLE ? Verdict.AT_RISK : v;
  }

  private static CompletableFuture<MxReport> done(
      String check,
      DomainName domain,
      DnsOutcome lookup,
      List<MxReport.Host> hosts,
      boolean nullMx,
      boolean implicit,
      List<Finding> findings) {
    findings.sort(Comparator.comparing(Finding::severity));
    return CompletableFuture.completedFuture(
        new MxReport(check, domain, lookup, hosts, nullMx, implicit, findings));
  }

  private static String server(DnsAnswer a) {
    return a.server() == null ? "" : a.server().toString();
  }

  private static String literals(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddresses::toLiteral).collect(Collectors.joining(", "));
  }

  /**
   * Does nothing: a resolver owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
