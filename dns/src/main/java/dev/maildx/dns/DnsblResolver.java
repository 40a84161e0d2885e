package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.DnsblReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * Checks the sending IP against DNS blocklists of IP addresses, and the sender domain against
 * blocklists of domains (RFC 5782 §2): one A query per list, all lists at once; for a listing the
 * list's TXT record gives the reason. Return codes are decoded with each {@link Blocklist}'s
 * documented meanings; codes that say the query was refused (Spamhaus answers 127.255.255.254 to
 * queries that come through public resolvers) are reported as such, and an answer outside
 * 127.0.0.0/8 is not a listing but a broken or parked list.
 *
 * <p>Which lists are asked is configured in {@link PolicyOptions#blocklists()}; mind their terms of
 * use ({@link Blocklist}).
 *
 * <p>Findings (check {@code dnsbl}): {@link DnsblReport.Code}.
 *
 * <p>Thread-safe; share one instance.
 */
public final class DnsblResolver implements AutoCloseable {
  static final String CHECK = DnsblReport.CHECK;
  private static final String RFC = "RFC 5782 §2";
  private static final int MAX_REASON = 300;

  private final DnsClient dns;
  private final List<Blocklist> lists;

  private DnsblResolver(DnsClient dns, List<Blocklist> lists) {
    this.dns = dns;
    this.lists = List.copyOf(lists);
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
  public static DnsblResolver create(MailDiagnostics maildx) {
    CheckEnvironment env = CheckEnvironment.of(maildx);
    return create(DnsClient.of(env), PolicyOptions.of(env));
  }

  /**
   * Creates a resolver on the runtime of a {@code MailDiagnostics} with other options; it starts no
   * threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the resolver is
   *     used, and closing the resolver leaves it open
   * @param options which blocklists to ask
   * @return a new resolver
   */
  public static DnsblResolver create(MailDiagnostics maildx, PolicyOptions options) {
    requireNonNull(options, "options");
    return create(DnsClient.of(CheckEnvironment.of(maildx)), options);
  }

  static DnsblResolver create(DnsClient dns, PolicyOptions options) {
    return new DnsblResolver(dns, options.blocklists());
  }

  /**
   * @return the lists this resolver asks, in order
   */
  public List<Blocklist> blocklists() {
    return lists;
  }

  /**
   * Checks an IP address against the IP lists, blocking up to the configured timeout.
   *
   * @param ip an IPv4 or IPv6 literal
   * @return the report
   * @throws IllegalArgumentException if {@code ip} is not an IP literal
   */
  public DnsblReport check(String ip) {
    return checkAsync(
            InetAddresses.parse(ip), null, Deadline.after(dns.environment().config().timeout()))
        .join();
  }

  /**
   * Checks an IP address against the IP lists and a domain against the domain lists.
   *
   * @param ip the sending IP, or null to check only the domain
   * @param domain the sender domain, or null to check only the IP
   * @param deadline when to give up
   * @return a future that always completes with a report, by the deadline
   */
  public CompletableFuture<DnsblReport> checkAsync(
      @Nullable InetAddress ip, @Nullable DomainName domain, Deadline deadline) {
    requireNonNull(deadline, "deadline");
    Deadline inner = deadline.withMargin(Duration.ofMillis(100));
    List<Finding> findings = new ArrayList<>();
    List<CompletableFuture<Entry>> entries = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    String ipRange =
        ip == null || dns.environment().config().routes().containsKey(ip)
            ? null
            : InetAddresses.specialRange(ip);
    for (Blocklist list : lists) {
      if (list.kind() == DnsblReport.Result.Kind.IP) {
        if (ip == null) {
          continue;
        }
        if (ipRange != null) {
          skipped.add(list.name());
        } else if (!(ip instanceof Inet4Address) && !list.ipv6()) {
          skipped.add(list.name() + " (IPv4 only)");
        } else {
          entries.add(
              query(list, InetAddresses.toLiteral(ip), reversed(ip) + "." + list.zone(), inner));
        }
      } else if (domain != null) {
        entries.add(query(list, domain.ascii(), domain.ascii() + "." + list.zone(), inner));
      }
    }
    if (ip != null && !skipped.isEmpty()) {
      String why =
          ipRange != null
              ? InetAddresses.toLiteral(ip)
                  + " is a "
                  + ipRange
                  + " address, which no blocklist holds"
              : InetAddresses.toLiteral(ip) + " is an IPv6 address";
      findings.add(
          Finding.info(
                  DnsblReport.Code.DNSBL_SKIPPED,
                  CHECK,
                  "Not asked: " + String.join(", ", skipped) + "; " + why + ".")
              .evidence("lists", String.join(", ", skipped))
              .evidence("address", ip == null ? "" : InetAddresses.toLiteral(ip))
              .build());
    }
    CompletableFuture<DnsblReport> work =
        CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new))
            .thenApply(
                v -> {
                  List<DnsblReport.Result> results = new ArrayList<>();
                  List<String> clean = new ArrayList<>();
                  for (CompletableFuture<Entry> f : entries) {
                    Entry e = f.join();
                    results.add(e.result);
                    findings.addAll(e.findings);
                    if (e.findings.isEmpty()) {
                      clean.add(e.result.list() + " (" + e.result.subject() + ")");
                    }
                  }
                  if (!clean.isEmpty()) {
                    findings.add(
                        Finding.info(
                                DnsblReport.Code.DNSBL_NOT_LISTED,
                                CHECK,
                                "Not listed on " + String.join(", ", clean) + ".")
                            .evidence("lists", String.join(", ", clean))
                            .rfc(RFC)
                            .build());
                  }
                  findings.sort(Comparator.comparing(Finding::severity));
                  return new DnsblReport(CHECK, results, findings);
                });
    return dns.environment()
        .within(
            work,
            deadline,
            () -> {
              List<Finding> out = new ArrayList<>(findings);
              out.add(
                  Finding.inconclusive(
                          DnsblReport.Code.DNSBL_LOOKUP_FAILED,
                          CHECK,
                          "The blocklists did not all answer before the deadline.")
                      .evidence("outcome", DnsOutcome.TIMEOUT)
                      .rfc(RFC)
                      .build());
              return new DnsblReport(CHECK, List.of(), out);
            });
  }

  /** One list's answer for one subject, with its findings (none if simply not listed). */
  private static final class Entry {
    final DnsblReport.Result result;
    final List<Finding> findings;

    Entry(DnsblReport.Result result, List<Finding> findings) {
      this.result = result;
      this.findings = findings;
    }
  }

  private CompletableFuture<Entry> query(
      Blocklist list, String subject, String name, Deadline deadline) {
    Lookup q = new Lookup(list, subject, name, deadline);
    return dns.query(name, Type.A, deadline).thenCompose(q::answered);
  }

  /**
   * One question to one list (RFC 5782 §2.1): the A answer's return codes, sorted into listings,
   * the list's own error codes and answers no list gives; for a listing, the TXT reason.
   */
  private final class Lookup {
    final Blocklist list;
    final String subject;
    final String name;
    final Deadline deadline;

    Lookup(Blocklist list, String subject, String name, Deadline deadline) {
      this.list = list;
      this.subject = subject;
      this.name = name;
      this.deadline = deadline;
    }

    CompletableFuture<Entry> answered(DnsAnswer a) {

      if (!a.outcome().isDefinite()) {
        return done(
            list,
            subject,
            a,
            List.of(),
            List.of(),
            null,
            false,
            List.of(
                Finding.inconclusive(
                        DnsblReport.Code.DNSBL_LOOKUP_FAILED,
                        CHECK,
                        list + " could not be asked about " + subject + ": " + a.describe() + ".")
                    .evidence(DnsblReport.Evidence.LIST, list.name())
                    .evidence("zone", list.zone())
                    .evidence("query", name)
                    .evidence("outcome", a.outcome())
                    .rfc(RFC)
                    .build()));
      }
      List<String> codes =
          a.records(ARecord.class).stream()
              .map(r -> InetAddresses.toLiteral(r.getAddress()))
              .distinct()
              .toList();
      if (codes.isEmpty()) {
        return done(list, subject, a, List.of(), List.of(), null, false, List.of());
      }
      List<String> listing = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      List<String> broken = new ArrayList<>();
      for (String c : codes) {
        if (!c.startsWith("127.") || c.indexOf(':') >= 0) {
          broken.add(c);
        } else if (list.errorCodes().containsKey(c)) {
          errors.add(c);
        } else {
          listing.add(c);
        }
      }
      List<String> meanings =
          codes.stream()
              .map(
                  c ->
                      broken.contains(c)
                          ? "not a blocklist answer (outside 127.0.0.0/8)"
                          : list.meaning(c))
              .toList();
      List<Finding> findings = new ArrayList<>();
      oddCodes(broken, errors, listing, findings);
      if (listing.isEmpty()) {
        return done(list, subject, a, codes, meanings, null, false, findings);
      }
      return dns.query(name, Type.TXT, deadline)
          .thenApply(txt -> listed(a, codes, meanings, listing, findings, txt));
    }

    /** Answers outside 127.0.0.0/8 (no list gives them) and the list's own error codes. */
    private void oddCodes(
        List<String> broken, List<String> errors, List<String> listing, List<Finding> findings) {
      if (!broken.isEmpty()) {
        findings.add(
            Finding.warning(
                    DnsblReport.Code.DNSBL_BROKEN_ANSWER,
                    CHECK,
                    list
                        + " answered "
                        + String.join(", ", broken)
                        + " for "
                        + subject
                        + ", an address outside 127.0.0.0/8: the list is broken, or its domain has lapsed and is parked (then it \"lists\" "
                        + "everything). The answer is ignored; remove the list from your configuration.")
                .evidence(DnsblReport.Evidence.LIST, list.name())
                .evidence("zone", list.zone())
                .evidence("query", name)
                .evidence(DnsblReport.Evidence.CODES, String.join(", ", broken))
                .rfc("RFC 5782 §2.1")
                .build());
      }
      if (!errors.isEmpty() && listing.isEmpty()) {
        findings.add(
            Finding.inconclusive(
                    DnsblReport.Code.DNSBL_QUERY_REFUSED,
                    CHECK,
                    list
                        + " refused the query about "
                        + subject
                        + ": "
                        + errors.stream()
                            .map(c -> c + " " + list.meaning(c))
                            .collect(Collectors.joining("; "))
                        + ". Query it through your own resolver, not a public one, or with a key for its paid service.")
                .evidence(DnsblReport.Evidence.LIST, list.name())
                .evidence("zone", list.zone())
                .evidence("query", name)
                .evidence(DnsblReport.Evidence.CODES, String.join(", ", errors))
                .evidence("usage", list.usage())
                .build());
      }
    }

    /** A listing, with the reason the list gives in its TXT record (RFC 5782 §2.1). */
    private Entry listed(
        DnsAnswer a,
        List<String> codes,
        List<String> meanings,
        List<String> listing,
        List<Finding> findings,
        DnsAnswer txt) {
      String reason =
          txt.outcome() == DnsOutcome.ANSWER
              ? Text.txt(txt).stream().map(Text::printable).collect(Collectors.joining(" | "))
              : null;
      if (reason != null && reason.length() > MAX_REASON) {
        reason = reason.substring(0, MAX_REASON) + "...";
      }
      String what =
          listing.stream().map(c -> c + " " + list.meaning(c)).collect(Collectors.joining("; "));
      boolean ipList = list.kind() == DnsblReport.Result.Kind.IP;
      findings.add(
          Finding.error(
                  DnsblReport.Code.DNSBL_LISTED,
                  CHECK,
                  subject
                      + " is listed on "
                      + list
                      + ": "
                      + what
                      + "."
                      + (reason == null || reason.isEmpty()
                          ? ""
                          : " The list says: " + reason + ".")
                      + (ipList
                          ? " Receivers that use this list reject or junk mail from it; the operator of the address (the mail provider) "
                              + "must stop the cause and request removal."
                          : " Receivers that use this list reject or junk mail naming this domain."))
              .evidence(DnsblReport.Evidence.LIST, list.name())
              .evidence("zone", list.zone())
              .evidence("query", name)
              .evidence(DnsblReport.Evidence.CODES, String.join(", ", listing))
              .evidence("meaning", what)
              .evidence("reason", reason)
              .evidence("kind", list.kind())
              .rfc(RFC)
              .build());
      return new Entry(
          new DnsblReport.Result(
              list.name(),
              list.zone(),
              list.kind(),
              subject,
              a.outcome(),
              codes,
              meanings,
              reason,
              true),
          findings);
    }
  }

  private static CompletableFuture<Entry> done(
      Blocklist list,
      String subject,
      DnsAnswer a,
      List<String> codes,
      List<String> meanings,
      @Nullable String reason,
      boolean listed,
      List<Finding> findings) {
    return CompletableFuture.completedFuture(
        new Entry(
            new DnsblReport.Result(
                list.name(),
                list.zone(),
                list.kind(),
                subject,
                a.outcome(),
                codes,
                meanings,
                reason,
                listed),
            findings));
  }

  /**
   * The reversed octets (IPv4) or nibbles (IPv6) of an address, without a zone (RFC 5782 §2.1,
   * §2.4).
   */
  static String reversed(InetAddress ip) {
    byte[] b = ip.getAddress();
    StringBuilder s = new StringBuilder();
    if (ip instanceof Inet4Address) {
      for (int i = b.length - 1; i >= 0; i--) {
        s.append(b[i] & 0xff);
        if (i > 0) {
          s.append('.');
        }
      }
      return s.toString();
    }
    for (int i = b.length - 1; i >= 0; i--) {
      s.append(Character.forDigit(b[i] & 0xf, 16))
          .append('.')
          .append(Character.forDigit((b[i] >> 4) & 0xf, 16));
      if (i > 0) {
        s.append('.');
      }
    }
    return s.toString();
  }

  /**
   * Does nothing: a resolver owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
