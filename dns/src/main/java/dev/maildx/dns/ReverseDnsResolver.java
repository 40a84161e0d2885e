package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.MxReport;
import dev.maildx.report.ReverseDnsReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/**
 * Checks reverse DNS: the PTR records of an IP address and whether they are forward-confirmed
 * (FCrDNS: a PTR name whose A or AAAA records contain the address again; the "iprev" method of RFC
 * 8601 §3, RFC 1912 §2.1). Receivers widely refuse or junk mail from a sending IP without
 * forward-confirmed reverse DNS (Gmail's sender guidelines require it).
 *
 * <p>For the sending IP (check {@code ptr}) problems put delivery at risk; for the recipient's MX
 * addresses (check {@code mx-ptr}) they are warnings only, since they do not stop mail to the
 * domain (but usually mean its outgoing mail has the same problem). At most {@value #MAX_NAMES} PTR
 * names per address are followed, and at most {@value #MAX_MX_ADDRESSES} MX addresses looked at.
 *
 * <p>Findings (checks {@code ptr} and {@code mx-ptr}): {@link ReverseDnsReport.Code}.
 *
 * <p>Thread-safe; share one instance.
 */
public final class ReverseDnsResolver implements AutoCloseable {
  /** The most PTR names of one address that are followed. */
  public static final int MAX_NAMES = 10;

  /** The most MX addresses looked at. */
  public static final int MAX_MX_ADDRESSES = 20;

  static final String SENDER_CHECK = ReverseDnsReport.CHECK;
  static final String MX_CHECK = ReverseDnsReport.MX_CHECK;
  private static final String RFC = "RFC 8601 §3";
  private static final Pattern GENERIC_WORDS =
      Pattern.compile(
          "(^|[.\\-_])(dyn|dynamic|dhcp|dsl|adsl|vdsl|xdsl|cable|pool|ppp|pppoe|dialup|dial-?in|broadband|residential|unassigned)([.\\-_0-9]|$)");

  private final DnsClient dns;

  private ReverseDnsResolver(DnsClient dns) {
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
  public static ReverseDnsResolver create(MailDiagnostics maildx) {
    return create(DnsClient.of(CheckEnvironment.of(maildx)));
  }

  static ReverseDnsResolver create(DnsClient dns) {
    return new ReverseDnsResolver(dns);
  }

  /**
   * Checks the reverse DNS of a sending IP, blocking up to the configured timeout.
   *
   * @param ip an IPv4 or IPv6 literal
   * @return the report (check {@code ptr})
   * @throws IllegalArgumentException if {@code ip} is not an IP literal
   */
  public ReverseDnsReport check(String ip) {
    return checkAsync(
            InetAddresses.parse(ip), null, Deadline.after(dns.environment().config().timeout()))
        .join();
  }

  /**
   * Checks the reverse DNS of a sending IP.
   *
   * @param ip the address mail leaves from
   * @param helo the HELO name the sending server uses, to compare with the PTR names, or null
   * @param deadline when to give up
   * @return a future that always completes with a report (check {@code ptr}), by the deadline
   */
  public CompletableFuture<ReverseDnsReport> checkAsync(
      InetAddress ip, @Nullable DomainName helo, Deadline deadline) {
    requireNonNull(ip, "ip");
    requireNonNull(deadline, "deadline");
    Deadline inner = deadline.withMargin(Duration.ofMillis(100));
    CompletableFuture<ReverseDnsReport> work =
        one(ip, null, helo, SENDER_CHECK, inner)
            .thenApply(
                r -> new ReverseDnsReport(SENDER_CHECK, List.of(r.result), sorted(r.findings)));
    return dns.environment().within(work, deadline, () -> timedOut(SENDER_CHECK, List.of(ip)));
  }

  /**
   * Checks the reverse DNS of every address of a domain's MX hosts.
   *
   * @param mx the domain's MX report
   * @param deadline when to give up
   * @return a future that always completes with a report (check {@code mx-ptr}), by the deadline
   */
  public CompletableFuture<ReverseDnsReport> checkMxAsync(MxReport mx, Deadline deadline) {
    requireNonNull(mx, "mx");
    requireNonNull(deadline, "deadline");
    Deadline inner = deadline.withMargin(Duration.ofMillis(100));
    Map<InetAddress, String> addresses = new LinkedHashMap<>();
    int skipped = 0;
    for (MxReport.Host h : mx.hosts()) {
      for (InetAddress a : h.addresses()) {
        if (addresses.containsKey(a)) {
          continue;
        }
        if (addresses.size() >= MAX_MX_ADDRESSES) {
          skipped++;
        } else {
          addresses.put(a, h.name());
        }
      }
    }
    List<CompletableFuture<One>> all = new ArrayList<>();
    addresses.forEach((a, host) -> all.add(one(a, host, null, MX_CHECK, inner)));
    int skippedCount = skipped;
    CompletableFuture<ReverseDnsReport> work =
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
            .thenApply(
                v -> {
                  List<ReverseDnsReport.Result> results = new ArrayList<>();
                  List<Finding> findings = new ArrayList<>();
                  for (CompletableFuture<One> f : all) {
                    results.add(f.join().result);
                    findings.addAll(f.join().findings);
                  }
                  if (skippedCount > 0) {
                    findings.add(
                        Finding.info(
                                ReverseDnsReport.Code.PTR_LIMIT,
                                MX_CHECK,
                                skippedCount
                                    + " more MX addresses were not looked at (limit "
                                    + MAX_MX_ADDRESSES
                                    + ").")
                            .evidence("skipped", skippedCount)
                            .build());
                  }
                  return new ReverseDnsReport(MX_CHECK, results, sorted(findings));
                });
    return dns.environment()
        .within(work, deadline, () -> timedOut(MX_CHECK, List.copyOf(addresses.keySet())));
  }

  private ReverseDnsReport timedOut(String check, List<InetAddress> ips) {
    List<ReverseDnsReport.Result> results = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (InetAddress ip : ips) {
      results.add(new ReverseDnsReport.Result(ip, null, DnsOutcome.TIMEOUT, List.of(), List.of()));
      findings.add(
          Finding.inconclusive(
                  ReverseDnsReport.Code.PTR_LOOKUP_FAILED,
                  check,
                  "The reverse DNS of "
                      + InetAddresses.toLiteral(ip)
                      + " could not be checked before the deadline.")
              .evidence("address", InetAddresses.toLiteral(ip))
              .evidence("outcome", DnsOutcome.TIMEOUT)
              .rfc(RFC)
              .build());
    }
    return new ReverseDnsReport(check, results, findings);
  }

  private static List<Finding> sorted(List<Finding> findings) {
    List<Finding> out = new ArrayList<>(findings);
    out.sort(java.util.Comparator.comparing(Finding::severity));
    return out;
  }

  /** The result of one address with its findings. */
  private static final class One {
    final ReverseDnsReport.Result result;
    final List<Finding> findings;

    One(ReverseDnsReport.Result result, List<Finding> findings) {
      this.result = result;
      this.findings = findings;
    }
  }

  private CompletableFuture<One> one(
      InetAddress ip,
      @Nullable String host,
      @Nullable DomainName helo,
      String check,
      Deadline deadline) {
    return new AddressCheck(ip, host, helo, check, deadline).run();
  }

  /**
   * The reverse DNS check of one address (RFC 1912 §2.1): its PTR names, each resolved forward to
   * confirm it, then what the confirmed names say (a generic name, a HELO that disagrees).
   */
  private final class AddressCheck {
    final InetAddress ip;
    final @Nullable String host;
    final @Nullable DomainName helo;
    final String check;
    final Deadline deadline;
    final boolean sender;
    final String literal;
    final String who;
    final String reverse;
    final List<Finding> findings = new ArrayList<>();

    AddressCheck(
        InetAddress ip,
        @Nullable String host,
        @Nullable DomainName helo,
        String check,
        Deadline deadline) {
      this.ip = ip;
      this.host = host;
      this.helo = helo;
      this.check = check;
      this.deadline = deadline;
      this.sender = check.equals(SENDER_CHECK);
      this.literal = InetAddresses.toLiteral(ip);
      this.who =
          host == null
              ? "The sending IP " + literal
              : "The address " + literal + " of the MX host " + host;
      this.reverse = ReverseMap.fromAddress(ip).toString(true);
    }

    CompletableFuture<One> run() {
      String range =
          dns.environment().config().routes().containsKey(ip)
              ? null
              : InetAddresses.specialRange(ip);
      if (range != null) {
        Finding f =
            Finding.info(
                    ReverseDnsReport.Code.PTR_NOT_PUBLIC,
                    check,
                    who
                        + " is a "
                        + range
                        + " address, which receivers on the Internet never see; "
                        + (sender
                            ? "give the public address your mail leaves from (the one receivers log)."
                            : "its reverse DNS was not looked up."))
                .evidence("address", literal)
                .evidence("range", range)
                .build();
        return CompletableFuture.completedFuture(
            new One(
                new ReverseDnsReport.Result(ip, host, DnsOutcome.NO_DATA, List.of(), List.of()),
                List.of(f)));
      }
      return dns.query(ReverseMap.fromAddress(ip), Type.PTR, deadline).thenCompose(this::ptr);
    }

    /** The PTR answer: failed, empty, or names to confirm forward. */
    private CompletableFuture<One> ptr(DnsAnswer ptr) {
      if (!ptr.outcome().isDefinite()) {
        findings.add(
            Finding.inconclusive(
                    ReverseDnsReport.Code.PTR_LOOKUP_FAILED,
                    check,
                    "The reverse DNS (PTR) of "
                        + literal
                        + " could not be looked up: "
                        + ptr.describe()
                        + ".")
                .evidence("address", literal)
                .evidence("name", reverse)
                .evidence("outcome", ptr.outcome())
                .rfc(RFC)
                .build());
        return CompletableFuture.completedFuture(
            new One(
                new ReverseDnsReport.Result(ip, host, ptr.outcome(), List.of(), List.of()),
                findings));
      }
      List<String> names = new ArrayList<>();
      for (PTRRecord r : ptr.records(PTRRecord.class)) {
        String n = Text.host(r.getTarget());
        if (!names.contains(n)) {
          names.add(n);
        }
      }
      if (names.isEmpty()) {
        findings.add(
            problem(
                    ReverseDnsReport.Code.PTR_MISSING,
                    check,
                    sender,
                    who
                        + " has no reverse DNS (no PTR record at "
                        + reverse
                        + ")"
                        + (sender
                            ? "; many receivers, Gmail among them, reject or junk mail from such addresses. The owner of the address (the "
                                + "mail provider or ISP) must publish a PTR record naming the sending server."
                            : "."))
                .evidence("address", literal)
                .evidence("name", reverse)
                .evidence("outcome", ptr.outcome())
                .build());
        return CompletableFuture.completedFuture(
            new One(
                new ReverseDnsReport.Result(ip, host, ptr.outcome(), List.of(), List.of()),
                findings));
      }
      if (names.size() > 1) {
        findings.add(
            Finding.warning(
                    ReverseDnsReport.Code.PTR_MULTIPLE,
                    check,
                    literal
                        + " has "
                        + names.size()
                        + " PTR records ("
                        + String.join(", ", names)
                        + "); receivers usually check one of them, chosen at random, so every name must resolve back to the address.")
                .evidence("address", literal)
                .evidence("names", String.join(", ", names))
                .rfc(RFC)
                .build());
      }
      List<String> followed = names.size() > MAX_NAMES ? names.subList(0, MAX_NAMES) : names;
      int type = ip instanceof Inet4Address ? Type.A : Type.AAAA;
      List<CompletableFuture<DnsAnswer>> forward = new ArrayList<>();
      for (String n : followed) {
        forward.add(
            DomainName.isValid(n)
                ? dns.query(n, type, deadline)
                : CompletableFuture.completedFuture(
                    new DnsAnswer(
                        org.xbill.DNS.Name.root,
                        type,
                        DnsOutcome.NXDOMAIN,
                        List.of(),
                        List.of(),
                        false,
                        null,
                        null,
                        "not a valid host name",
                        Duration.ZERO)));
      }
      return CompletableFuture.allOf(forward.toArray(CompletableFuture[]::new))
          .thenApply(v -> confirmed(ptr, names, followed, forward, type));
    }

    /** The forward lookups of the PTR names: which lead back to the address (RFC 1912 §2.1). */
    private One confirmed(
        DnsAnswer ptr,
        List<String> names,
        List<String> followed,
        List<CompletableFuture<DnsAnswer>> forward,
        int type) {
      List<String> confirmed = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < followed.size(); i++) {
        DnsAnswer fa = forward.get(i).join();
        if (!fa.outcome().isDefinite()) {
          failed.add(followed.get(i) + ": " + fa.describe());
        }
        boolean back =
            fa.records(ARecord.class).stream().anyMatch(r -> r.getAddress().equals(ip))
                || fa.records(AAAARecord.class).stream().anyMatch(r -> r.getAddress().equals(ip));
        if (back) {
          confirmed.add(followed.get(i));
        }
      }
      confirmation(names, confirmed, failed, type);
      genericName(confirmed.isEmpty() ? names : confirmed);
      heloMismatch(confirmed);
      return new One(
          new ReverseDnsReport.Result(ip, host, ptr.outcome(), names, confirmed), findings);
    }

    private void confirmation(
        List<String> names, List<String> confirmed, List<String> failed, int type) {
      if (confirmed.isEmpty() && !failed.isEmpty()) {
        findings.add(
            Finding.inconclusive(
                    ReverseDnsReport.Code.PTR_LOOKUP_FAILED,
                    check,
                    "The PTR name of "
                        + literal
                        + " could not be resolved forward: "
                        + String.join("; ", failed)
                        + ".")
                .evidence("address", literal)
                .evidence("names", String.join(", ", names))
                .rfc(RFC)
                .build());
      } else if (confirmed.isEmpty()) {
        findings.add(
            problem(
                    ReverseDnsReport.Code.PTR_NOT_CONFIRMED,
                    check,
                    sender,
                    who
                        + " has reverse DNS ("
                        + String.join(", ", names)
                        + "), but no name resolves back to it, so it is not forward-confirmed"
                        + (sender
                            ? "; receivers treat that like no reverse DNS at all. Publish an "
                                + (type == Type.A ? "A" : "AAAA")
                                + " record for the PTR name with this address."
                            : "."))
                .evidence("address", literal)
                .evidence("names", String.join(", ", names))
                .build());
      } else {
        findings.add(
            Finding.info(
                    ReverseDnsReport.Code.PTR_OK,
                    check,
                    literal
                        + " has forward-confirmed reverse DNS: "
                        + String.join(", ", confirmed)
                        + ".")
                .evidence("address", literal)
                .evidence("names", String.join(", ", confirmed))
                .rfc(RFC)
                .build());
      }
    }

    private void genericName(List<String> names) {
      for (String n : names) {
        String why = generic(n, ip);
        if (why != null) {
          findings.add(
              Finding.warning(
                      ReverseDnsReport.Code.PTR_GENERIC,
                      check,
                      "The PTR name "
                          + n
                          + " of "
                          + literal
                          + " looks like an end-user or dynamic "
                          + "address ("
                          + why
                          + "); spam filters distrust mail from such names. A mail server should have a name of its own, "
                          + "such as mail.example.com.")
                  .evidence("address", literal)
                  .evidence("name", n)
                  .evidence("reason", why)
                  .build());
          break;
        }
      }
    }

    private void heloMismatch(List<String> confirmed) {
      if (helo != null && !confirmed.isEmpty() && !confirmed.contains(helo.ascii())) {
        findings.add(
            Finding.warning(
                    ReverseDnsReport.Code.PTR_HELO_MISMATCH,
                    check,
                    "The sending server says HELO "
                        + helo.ascii()
                        + ", but the reverse DNS of "
                        + literal
                        + " is "
                        + String.join(", ", confirmed)
                        + "; some receivers require them to agree.")
                .evidence("address", literal)
                .evidence("helo", helo.ascii())
                .evidence("names", String.join(", ", confirmed))
                .rfc("RFC 5321 §4.1.4")
                .build());
      }
    }
  }

  private static Finding.Builder problem(
      ReverseDnsReport.Code code, String check, boolean sender, String message) {
    Finding.Builder b = Finding.builder(code, check).message(message).rfc(RFC);
    return sender
        ? b.severity(Severity.ERROR).effect(Verdict.AT_RISK)
        : b.severity(Severity.WARNING).effect(Verdict.DELIVERABLE);
  }

  /** Why a PTR name looks generic (dynamic, end-user), or null if it does not. */
  static @Nullable String generic(String name, InetAddress ip) {
    String n = name.toLowerCase(Locale.ROOT);
    if (ip instanceof Inet4Address) {
      byte[] b = ip.getAddress();
      int[] o = {b[0] & 0xff, b[1] & 0xff, b[2] & 0xff, b[3] & 0xff};
      String sep = "[.\\-_x]?";
      String fwd =
          "(^|[^0-9])0*"
              + o[0]
              + sep
              + "0*"
              + o[1]
              + sep
              + "0*"
              + o[2]
              + sep
              + "0*"
              + o[3]
              + "([^0-9]|$)";
      String rev =
          "(^|[^0-9])0*"
              + o[3]
              + sep
              + "0*"
              + o[2]
              + sep
              + "0*"
              + o[1]
              + sep
              + "0*"
              + o[0]
              + "([^0-9]|$)";
      if (Pattern.compile(fwd).matcher(n).find() || Pattern.compile(rev).matcher(n).find()) {
        return "it contains the address";
      }
      String hex = String.format("%02x%02x%02x%02x", o[0], o[1], o[2], o[3]);
      if (n.contains(hex)) {
        return "it contains the address in hexadecimal";
      }
    }
    var m = GENERIC_WORDS.matcher(n);
    if (m.find()) {
      return "it contains \"" + m.group(2) + "\"";
    }
    return null;
  }

  /**
   * Does nothing: a resolver owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
