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
import dev.maildx.report.DnssecStatus;
import dev.maildx.report.MxReport;
import dev.maildx.report.TlsaRecord;
import dev.maildx.report.TlsaReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * Checks DANE for SMTP (RFC 7672): the TLSA records at {@code _25._tcp.<host>} of each MX host (at
 * most {@value #MAX_HOSTS}), their parameters (RFC 6698 §2.1, RFC 7672 §3.1) and their DNSSEC
 * status, by the configured {@link DnssecMode}. Only DNSSEC-secure TLSA records count; DANE senders
 * (Postfix, Exim, many providers in Europe) then require a certificate matching them. Whether the
 * host's certificate matches is the SMTP probe's part. The CNAME expansion of the TLSA base domain
 * (RFC 7672 §2.2.2) is not followed; the address records of the host must be secure too, which the
 * {@code dnssec} check reports.
 *
 * <p>Findings (check {@code tlsa}): {@link TlsaReport.Code}.
 *
 * <p>Thread-safe; share one instance.
 */
public final class TlsaResolver implements AutoCloseable {
  /** The most MX hosts looked at. */
  public static final int MAX_HOSTS = 10;

  static final String CHECK = TlsaReport.CHECK;
  private static final int MAX_RECORDS = 20;

  private final DnsClient dns;
  private final Dnssec dnssec;

  private TlsaResolver(DnsClient dns, PolicyOptions options) {
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
  public static TlsaResolver create(MailDiagnostics maildx) {
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
  public static TlsaResolver create(MailDiagnostics maildx, PolicyOptions options) {
    requireNonNull(options, "options");
    return create(DnsClient.of(CheckEnvironment.of(maildx)), options);
  }

  static TlsaResolver create(DnsClient dns, PolicyOptions options) {
    return new TlsaResolver(dns, options);
  }

  /**
   * Checks the TLSA records of a domain's MX hosts, blocking up to the configured timeout.
   *
   * @param domain the domain
   * @return the report
   * @throws IllegalArgumentException if {@code domain} is not a valid domain name
   */
  public TlsaReport check(String domain) {
    DomainName d = DomainName.of(domain);
    Deadline deadline = Deadline.after(dns.environment().config().timeout());
    return MxResolver.create(dns)
        .resolveAsync(d, deadline.withMargin(Duration.ofMillis(300)))
        .thenCompose(mx -> checkAsync(d, mx, deadline))
        .join();
  }

  /**
   * Checks the TLSA records of the MX hosts of an MX report.
   *
   * @param domain the domain
   * @param mx its MX report
   * @param deadline when to give up
   * @return a future that always completes with a report, by the deadline
   */
  public CompletableFuture<TlsaReport> checkAsync(
      DomainName domain, MxReport mx, Deadline deadline) {
    requireNonNull(domain, "domain");
    requireNonNull(mx, "mx");
    requireNonNull(deadline, "deadline");
    Deadline inner = deadline.withMargin(Duration.ofMillis(150));
    Dnssec.Session s = dnssec.session(inner);
    List<String> hosts =
        mx.hosts().stream()
            .map(MxReport.Host::name)
            .filter(h -> InetAddresses.tryParse(h) == null)
            .distinct()
            .limit(MAX_HOSTS)
            .toList();
    List<CompletableFuture<Dnssec.Result>> lookups = new ArrayList<>();
    for (String h : hosts) {
      lookups.add(s.lookup(DnssecResolver.name("_25._tcp." + h), Type.TLSA));
    }
    CompletableFuture<TlsaReport> work =
        CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
            .thenApply(
                v -> {
                  List<TlsaReport.Host> out = new ArrayList<>();
                  List<Finding> findings = new ArrayList<>();
                  for (int i = 0; i < hosts.size(); i++) {
                    out.add(host(hosts.get(i), lookups.get(i).join(), findings));
                  }
                  summary(domain, out, findings);
                  findings.sort(Comparator.comparing(Finding::severity));
                  return new TlsaReport(CHECK, domain, s.method(), out, findings);
                });
    return dns.environment()
        .within(
            work,
            deadline,
            () ->
                new TlsaReport(
                    CHECK,
                    domain,
                    s.method(),
                    List.of(),
                    List.of(
                        Finding.inconclusive(
                                TlsaReport.Code.TLSA_LOOKUP_FAILED,
                                CHECK,
                                "The TLSA check of "
                                    + domain
                                    + " did not finish before the deadline.")
                            .evidence("domain", domain)
                            .evidence("outcome", DnsOutcome.TIMEOUT)
                            .rfc("RFC 7672 §2.2")
                            .build())));
  }

  static TlsaReport.Host host(String host, Dnssec.Result r, List<Finding> findings) {
    String name = "_25._tcp." + host;
    if (r.failed()) {
      findings.add(
          Finding.inconclusive(
                  TlsaReport.Code.TLSA_LOOKUP_FAILED,
                  CHECK,
                  "The TLSA records of "
                      + host
                      + " ("
                      + name
                      + ") could not be looked up: "
                      + r.reason()
                      + ". If its zone is signed, DANE senders defer mail to this host until the lookup works.")
              .evidence("host", host)
              .evidence("name", name)
              .evidence("outcome", r.answer().outcome())
              .rfc("RFC 7672 §2.2.1")
              .build());
      return new TlsaReport.Host(
          host, name, r.answer().outcome(), List.of(), r.status(), List.of());
    }
    if (r.status() == DnssecStatus.BOGUS) {
      findings.add(
          Finding.error(
                  TlsaReport.Code.TLSA_BOGUS,
                  CHECK,
                  "The TLSA records of "
                      + host
                      + " fail DNSSEC validation ("
                      + r.reason()
                      + "); DANE senders do not deliver to this host.")
              .evidence("host", host)
              .evidence("name", name)
              .evidence("reason", r.reason())
              .rfc("RFC 7672 §2.2.1")
              .build());
      return new TlsaReport.Host(
          host, name, r.answer().outcome(), records(r), r.status(), List.of());
    }
    List<TlsaRecord> records = records(r);
    if (records.isEmpty()) {
      return new TlsaReport.Host(host, name, r.answer().outcome(), records, r.status(), List.of());
    }
    List<TlsaRecord> usable = usable(host, records, findings);
    String list = records.stream().map(TlsaRecord::toString).collect(Collectors.joining(", "));
    switch (r.status()) {
      case INSECURE:
        findings.add(
            Finding.warning(
                    TlsaReport.Code.TLSA_INSECURE,
                    CHECK,
                    host
                        + " publishes TLSA records, but its zone is not signed with DNSSEC ("
                        + r.reason()
                        + "), so senders ignore them: DANE is not in effect.")
                .evidence("host", host)
                .evidence("records", list)
                .rfc("RFC 7672 §2.2")
                .build());
        return new TlsaReport.Host(
            host, name, r.answer().outcome(), records, r.status(), List.of());
      case INDETERMINATE:
        findings.add(
            Finding.info(
                    TlsaReport.Code.TLSA_DNSSEC_UNKNOWN,
                    CHECK,
                    host
                        + " publishes TLSA records whose DNSSEC status could not be determined ("
                        + r.reason()
                        + ").")
                .evidence("host", host)
                .evidence("records", list)
                .rfc("RFC 7672 §2.2")
                .build());
        return new TlsaReport.Host(
            host, name, r.answer().outcome(), records, r.status(), List.of());
      default:
        break;
    }
    usableFinding(host, list, usable, findings);
    return new TlsaReport.Host(host, name, r.answer().outcome(), records, r.status(), usable);
  }

  /** Of DNSSEC-secure records: none usable, or the ones a DANE sender matches (RFC 7672 §3). */
  private static void usableFinding(
      String host, String list, List<TlsaRecord> usable, List<Finding> findings) {
    if (usable.isEmpty()) {
      findings.add(
          Finding.warning(
                  TlsaReport.Code.TLSA_ALL_UNUSABLE,
                  CHECK,
                  "None of the TLSA records of "
                      + host
                      + " is usable; DANE senders still insist "
                      + "on TLS but cannot authenticate the host.")
              .evidence("host", host)
              .evidence("records", list)
              .rfc("RFC 7672 §2.2")
              .build());
    } else {
      findings.add(
          Finding.info(
                  TlsaReport.Code.TLSA_OK,
                  CHECK,
                  host
                      + " has DNSSEC-secure TLSA records ("
                      + usable.stream().map(TlsaRecord::toString).collect(Collectors.joining(", "))
                      + "): DANE senders require a certificate that matches them.")
              .evidence("host", host)
              .evidence("records", list)
              .rfc("RFC 7672 §3")
              .build());
    }
  }

  /** The records a DANE sender can use; each unusable one is a finding. */
  private static List<TlsaRecord> usable(
      String host, List<TlsaRecord> records, List<Finding> findings) {
    List<TlsaRecord> usable = new ArrayList<>();
    for (TlsaRecord t : records) {
      Unusable u = unusable(t);
      if (u == null) {
        usable.add(t);
      } else {
        TlsaReport.Code code = u.code();
        String problem = u.problem();
        findings.add(
            Finding.warning(
                    code,
                    CHECK,
                    "The TLSA record \"" + t + "\" of " + host + " is unusable: " + problem + ".")
                .evidence("host", host)
                .evidence("record", t)
                .rfc(code == TlsaReport.Code.TLSA_PKIX_USAGE ? "RFC 7672 §3.1.3" : "RFC 6698 §2.1")
                .build());
      }
    }
    return usable;
  }

  /** Why a DANE sender cannot use a TLSA record: its finding code and the reason. */
  private record Unusable(TlsaReport.Code code, String problem) {}

  /**
   * Why SMTP clients cannot use a record (RFC 7672 §3.1.3: PKIX usages; RFC 6698 §2.1: the
   * parameters and digest lengths), or null if they can.
   */
  private static @Nullable Unusable unusable(TlsaRecord t) {
    if (t.usage() == 0 || t.usage() == 1) {
      return new Unusable(
          TlsaReport.Code.TLSA_PKIX_USAGE,
          "usage "
              + t.usage()
              + (t.usage() == 0 ? " (PKIX-TA)" : " (PKIX-EE)")
              + " is not used by SMTP clients; use 3 (DANE-EE) or 2 "
              + "(DANE-TA)");
    } else if (t.usage() > 3 || t.selector() > 1 || t.matchingType() > 2) {
      return new Unusable(
          TlsaReport.Code.TLSA_UNKNOWN_PARAMETER,
          "usage "
              + t.usage()
              + ", selector "
              + t.selector()
              + " or matching type "
              + t.matchingType()
              + " is not defined");
    } else if ((t.matchingType() == 1 && t.data().length != 32)
        || (t.matchingType() == 2 && t.data().length != 64)
        || t.data().length == 0) {
      return new Unusable(
          TlsaReport.Code.TLSA_BAD_LENGTH,
          "matching type "
              + t.matchingType()
              + " needs "
              + (t.matchingType() == 1 ? "32" : t.matchingType() == 2 ? "64" : "some")
              + " bytes of data, the record has "
              + t.data().length);
    }
    return null;
  }

  private static void summary(
      DomainName domain, List<TlsaReport.Host> hosts, List<Finding> findings) {
    if (hosts.isEmpty()) {
      return;
    }
    List<String> dane =
        hosts.stream().filter(TlsaReport.Host::daneEnabled).map(TlsaReport.Host::host).toList();
    List<String> bogus =
        hosts.stream()
            .filter(h -> h.dnssec() == DnssecStatus.BOGUS)
            .map(TlsaReport.Host::host)
            .toList();
    boolean anyRecords = hosts.stream().anyMatch(h -> !h.records().isEmpty());
    if (!anyRecords && bogus.isEmpty() && hosts.stream().allMatch(h -> h.lookup().isDefinite())) {
      findings.add(
          Finding.info(
                  TlsaReport.Code.TLSA_NONE,
                  CHECK,
                  "No MX host of " + domain + " publishes TLSA records: DANE is not used.")
              .evidence(
                  "hosts", String.join(", ", hosts.stream().map(TlsaReport.Host::host).toList()))
              .rfc("RFC 7672 §2.2")
              .build());
    }
    if (!dane.isEmpty() && dane.size() < hosts.size()) {
      List<String> without =
          hosts.stream().filter(h -> !h.daneEnabled()).map(TlsaReport.Host::host).toList();
      findings.add(
          Finding.warning(
                  TlsaReport.Code.TLSA_PARTIAL,
                  CHECK,
                  "Only some MX hosts of "
                      + domain
                      + " use DANE ("
                      + String.join(", ", dane)
                      + "); mail to "
                      + String.join(", ", without)
                      + " is not protected by it.")
              .evidence("dane", String.join(", ", dane))
              .evidence("without", String.join(", ", without))
              .rfc("RFC 7672 §2.2")
              .build());
    }
    if (!bogus.isEmpty()) {
      Verdict v = bogus.size() == hosts.size() ? Verdict.UNDELIVERABLE : Verdict.AT_RISK;
      for (int i = 0; i < findings.size(); i++) {
        Finding f = findings.get(i);
        if (f.is(TlsaReport.Code.TLSA_BOGUS)) {
          Finding.Builder b =
              Finding.error(
                      f.findingCode(),
                      f.check(),
                      f.message()
                          + (v == Verdict.UNDELIVERABLE
                              ? " No MX host is left for them: they cannot deliver to "
                                  + domain
                                  + "."
                              : ""))
                  .effect(v);
          f.evidence().forEach(b::evidence);
          java.util.Optional.ofNullable(f.reference()).ifPresent(b::rfc);
          findings.set(i, b.build());
        }
      }
    }
  }

  private static List<TlsaRecord> records(Dnssec.Result r) {
    List<TlsaRecord> out = new ArrayList<>();
    for (TLSARecord t : r.answer().records(TLSARecord.class)) {
      if (out.size() >= MAX_RECORDS) {
        break;
      }
      out.add(
          new TlsaRecord(
              t.getCertificateUsage(),
              t.getSelector(),
              t.getMatchingType(),
              t.getCertificateAssociationData()));
    }
    return out;
  }

  /**
   * Does nothing: a resolver owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
