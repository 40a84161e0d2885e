package dev.maildx.smtp.internal;

import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.Finding;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.TlsaRecord;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * Runs probes: turns MX hosts or a host into connection targets, runs one {@link Conversation} per
 * address on the environment's executor — concurrently across addresses, never more than one
 * connection at a time to the same address and never more than {@code maxConnections} at once,
 * across every probe of this engine — looks up TLSA records meanwhile, and assembles the report by
 * the deadline, with whatever finished.
 *
 * <p>Thread-safe; one per prober.
 */
public final class ProbeEngine {
  private static final Object GLOBAL = new Object();

  private final CheckEnvironment env;
  private final DnsClient dns;
  private final ProbeSettings settings;
  private final TlsInspector tls;
  private final KeyedLimiter perAddress = new KeyedLimiter(1);
  private final KeyedLimiter global;
  private final AtomicInteger open = new AtomicInteger();

  /**
   * What to probe and how. The MTA-STS policy judges the hosts after the conversations; in a
   * diagnosis it may arrive while they run ({@code mtaStsLater}, waited for until the report's
   * deadline), so the probe need not wait for the policy fetch before it connects.
   */
  public record Request(
      String target,
      @Nullable DomainName domain,
      int port,
      @Nullable EmailAddress recipient,
      @Nullable DomainName catchAllDomain,
      MtaStsReport.@Nullable Policy mtaSts,
      @Nullable CompletableFuture<java.util.Optional<MtaStsReport.Policy>> mtaStsLater) {
    /**
     * A request whose policy, if any, is known now.
     *
     * @param target what was asked
     * @param domain the domain, if any
     * @param port the port
     * @param recipient the RCPT address, if any
     * @param catchAllDomain the domain of the catch-all test, if any
     * @param mtaSts the policy, if any
     */
    public Request(
        String target,
        @Nullable DomainName domain,
        int port,
        @Nullable EmailAddress recipient,
        @Nullable DomainName catchAllDomain,
        MtaStsReport.@Nullable Policy mtaSts) {
      this(target, domain, port, recipient, catchAllDomain, mtaSts, null);
    }
  }

  /** One host to probe: its name (or IP literal) and addresses. */
  public record Host(
      String name,
      int preference,
      List<InetAddress> addresses,
      boolean hostName,
      boolean fromDns) {}

  /** One address's attempt: a conversation, or the reason there was none. */
  private record Attempt(
      Conversation.@Nullable Result result, ProbeFindings.@Nullable Skipped skipped) {}

  /**
   * Creates an engine.
   *
   * @param env the environment whose executor and timer it uses
   * @param dns the DNS client for addresses and TLSA records
   * @param settings the prober's settings
   */
  public ProbeEngine(CheckEnvironment env, DnsClient dns, ProbeSettings settings) {
    this.env = requireNonNull(env, "env");
    this.dns = requireNonNull(dns, "dns");
    this.settings = requireNonNull(settings, "settings");
    this.tls = new TlsInspector(settings.trustStore());
    this.global = new KeyedLimiter(settings.maxConnections());
  }

  /**
   * @return the environment
   */
  public CheckEnvironment environment() {
    return env;
  }

  /**
   * @return connections open right now (for tests: zero once every probe has finished)
   */
  public int openConnections() {
    return open.get();
  }

  /**
   * Probes the hosts of an MX report.
   *
   * @param request what to probe
   * @param mx the MX report
   * @param withMxFindings whether to include the MX report's own findings (for a standalone probe)
   * @param deadline when the report must be ready
   * @return the report, by the deadline
   */
  public CompletableFuture<ProbeReport> probeMx(
      Request request, MxReport mx, boolean withMxFindings, Deadline deadline) {
    List<Finding> before = new ArrayList<>();
    if (withMxFindings) {
      for (Finding f : mx.findings()) {
        if (mx.implicit() && f.is(MxReport.Code.MX_IMPLICIT)) {
          before.add(
              Finding.info(
                      ProbeReport.Code.SMTP_NO_MX,
                      ProbeFindings.CHECK,
                      mx.domain() + " has no MX records; probing the host itself.")
                  .evidence("domain", mx.domain())
                  .rfc("RFC 5321 §5.1")
                  .build());
        } else {
          before.add(f);
        }
      }
    }
    if (mx.hosts().isEmpty()) {
      if (!mx.lookup().isDefinite() && !withMxFindings) {
        before.add(
            Finding.inconclusive(
                    ProbeReport.Code.SMTP_NOT_PROBED,
                    ProbeFindings.CHECK,
                    "The mail servers of "
                        + mx.domain()
                        + " could not be probed because their MX lookup failed ("
                        + mx.lookup().name().toLowerCase(java.util.Locale.ROOT)
                        + ").")
                .evidence("domain", mx.domain())
                .build());
      }
      return probe(request, List.of(), before, deadline);
    }
    List<Host> hosts = new ArrayList<>();
    int n = 0;
    for (MxReport.Host h : mx.hosts()) {
      if (n++ >= settings.maxHosts()) {
        before.add(
            Finding.info(
                    ProbeReport.Code.SMTP_HOSTS_NOT_PROBED,
                    ProbeFindings.CHECK,
                    "Only the first "
                        + settings.maxHosts()
                        + " of the "
                        + mx.hosts().size()
                        + " MX hosts of "
                        + mx.domain()
                        + " were probed.")
                .evidence("maxHosts", settings.maxHosts())
                .build());
        break;
      }
      hosts.add(
          new Host(
              h.name(),
              h.preference(),
              h.addresses(),
              InetAddresses.tryParse(h.name()) == null,
              true));
    }
    return probe(request, hosts, before, deadline);
  }

  /**
   * Probes one host by name: its A and AAAA records, no MX.
   *
   * @param request what to probe
   * @param host the host name
   * @param deadline when the report must be ready
   * @return the report, by the deadline
   */
  public CompletableFuture<ProbeReport> probeHostName(
      Request request, DomainName host, Deadline deadline) {
    Deadline lookups = deadline.withMargin(Duration.ofMillis(300));
    CompletableFuture<DnsAnswer> a = dns.query(host.ascii(), Type.A, lookups);
    CompletableFuture<DnsAnswer> aaaa = dns.query(host.ascii(), Type.AAAA, lookups);
    return a.thenCombine(
            aaaa,
            (r4, r6) -> {
              List<InetAddress> addresses = new ArrayList<>();
              r4.records(ARecord.class).forEach(r -> addresses.add(r.getAddress()));
              r6.records(AAAARecord.class).forEach(r -> addresses.add(r.getAddress()));
              List<Finding> before = new ArrayList<>();
              if (addresses.isEmpty()) {
                boolean definite = r4.outcome().isDefinite() && r6.outcome().isDefinite();
                before.add(
                    definite
                        ? Finding.error(
                                ProbeReport.Code.SMTP_HOST_NO_ADDRESS,
                                ProbeFindings.CHECK,
                                host + " has no address (A or AAAA record).")
                            .effect(dev.maildx.Verdict.UNDELIVERABLE)
                            .evidence("host", host)
                            .build()
                        : Finding.inconclusive(
                                ProbeReport.Code.SMTP_NOT_PROBED,
                                ProbeFindings.CHECK,
                                "The address of "
                                    + host
                                    + " could not be looked up ("
                                    + (r4.outcome().isDefinite() ? r6.describe() : r4.describe())
                                    + ").")
                            .evidence("host", host)
                            .build());
                return new Resolved(List.of(), before);
              }
              return new Resolved(
                  List.of(new Host(host.ascii(), 0, addresses, true, true)), before);
            })
        .thenCompose(x -> probe(request, x.hosts(), x.before(), deadline));
  }

  private record Resolved(List<Host> hosts, List<Finding> before) {}

  /**
   * Probes the given hosts.
   *
   * @param request what to probe
   * @param hosts the hosts, in preference order
   * @param before findings to put first
   * @param deadline when the report must be ready
   * @return the report, by the deadline
   */
  public CompletableFuture<ProbeReport> probe(
      Request request, List<Host> hosts, List<Finding> before, Deadline deadline) {
    long start = System.nanoTime();
    Deadline hard = deadline.withMargin(Duration.ofMillis(150));
    Deadline finish = deadline.withMargin(Duration.ofMillis(40));
    List<CompletableFuture<Attempt>> attempts = new ArrayList<>();
    List<ProbeFindings.Skipped> skipped = new ArrayList<>();
    Map<String, CompletableFuture<DnsAnswer>> tlsa = new HashMap<>();
    for (Host h : hosts) {
      for (InetAddress a : h.addresses()) {
        if ((a instanceof Inet4Address && !settings.ipv4())
            || (a instanceof Inet6Address && !settings.ipv6())) {
          continue;
        }
        InetSocketAddress route = env.config().routes().get(a);
        if (route == null && h.hostName()) {
          route = env.config().route(h.name()).orElse(null); // the user's test server, by name
        }
        String range = route == null ? InetAddresses.specialRange(a) : null;
        if (h.fromDns() && range != null && !settings.allowNonPublic()) {
          skipped.add(
              new ProbeFindings.Skipped(
                  h.name(),
                  a,
                  "it is a "
                      + range
                      + " address that senders on the Internet cannot reach, "
                      + "and maildx does not connect to such addresses taken from the DNS",
                  false));
          continue;
        }
        if (h.hostName() && settings.dane() && !tlsa.containsKey(h.name())) {
          tlsa.put(
              h.name(), dns.query("_" + request.port() + "._tcp." + h.name(), Type.TLSA, hard));
        }
        InetSocketAddress actual = route != null ? route : new InetSocketAddress(a, request.port());
        Conversation.Target t =
            new Conversation.Target(
                h.name(), h.preference(), a, request.port(), actual, h.hostName());
        CompletableFuture<DnsAnswer> tl = tlsa.get(h.name());
        CompletableFuture<Attempt> attempt = attempt(request, t, hard);
        attempts.add(
            tl == null ? attempt : attempt.thenCombine(tl, (at, answer) -> withDane(at, answer)));
      }
    }
    ProbeFindings.Context ctx =
        new ProbeFindings.Context(
            request.target(),
            request.domain(),
            request.port(),
            request.recipient(),
            request.mtaSts(),
            settings);
    CompletableFuture<Void> conversations =
        CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new));
    CompletableFuture<ProbeReport> all;
    if (request.mtaSts() == null && request.mtaStsLater() != null) {
      // The policy arrives from another check: judge the hosts with it once both are there.
      CompletableFuture<java.util.Optional<MtaStsReport.Policy>> policy =
          request.mtaStsLater().exceptionally(e -> java.util.Optional.empty());
      all =
          conversations.thenCombine(
              policy,
              (v, p) ->
                  assemble(
                      request, withPolicy(ctx, p.orElse(null)), attempts, skipped, before, start));
    } else {
      all = conversations.thenApply(v -> assemble(request, ctx, attempts, skipped, before, start));
    }
    return env.within(
        all,
        finish,
        () ->
            assemble(
                request, withPolicy(ctx, policyNow(request)), attempts, skipped, before, start));
  }

  /** The policy known now: the request's, or the late one if it has arrived. */
  private static MtaStsReport.@Nullable Policy policyNow(Request request) {
    if (request.mtaSts() != null || request.mtaStsLater() == null) {
      return request.mtaSts();
    }
    CompletableFuture<java.util.Optional<MtaStsReport.Policy>> f = request.mtaStsLater();
    return f.isDone() && !f.isCompletedExceptionally()
        ? f.getNow(java.util.Optional.empty()).orElse(null)
        : null;
  }

  private static ProbeFindings.Context withPolicy(
      ProbeFindings.Context c, MtaStsReport.@Nullable Policy p) {
    return new ProbeFindings.Context(
        c.target(), c.domain(), c.port(), c.recipient(), p, c.settings());
  }

  private ProbeReport assemble(
      Request request,
      ProbeFindings.Context ctx,
      List<CompletableFuture<Attempt>> attempts,
      List<ProbeFindings.Skipped> skippedEarly,
      List<Finding> before,
      long start) {
    List<Conversation.Result> results = new ArrayList<>();
    List<ProbeFindings.Skipped> skipped = new ArrayList<>(skippedEarly);
    for (CompletableFuture<Attempt> f : attempts) {
      Attempt a = f.isDone() && !f.isCompletedExceptionally() ? f.getNow(null) : null;
      if (a == null) {
        continue; // not finished by the deadline: reported below
      }
      if (a.result() != null) {
        results.add(a.result());
      } else if (a.skipped() != null) {
        skipped.add(a.skipped());
      }
    }
    int unfinished =
        (int) attempts.stream().filter(f -> !f.isDone() || f.isCompletedExceptionally()).count();
    List<Finding> extra = new ArrayList<>(before);
    if (unfinished > 0) {
      extra.add(
          Finding.inconclusive(
                  ProbeReport.Code.SMTP_NOT_PROBED,
                  ProbeFindings.CHECK,
                  unfinished
                      + " address"
                      + (unfinished == 1 ? " was" : "es were")
                      + " not probed before the deadline; their behaviour is unknown.")
              .evidence("count", unfinished)
              .build());
    }
    List<Finding> findings = ProbeFindings.of(ctx, results, skipped, extra);
    List<ProbeReport.Host> hosts = results.stream().map(Conversation.Result::host).toList();
    return new ProbeReport(
        ProbeFindings.CHECK,
        request.target(),
        request.domain(),
        request.port(),
        request.recipient(),
        hosts,
        findings,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private CompletableFuture<Attempt> attempt(
      Request request, Conversation.Target t, Deadline hard) {
    Object key = t.actual();
    return perAddress
        .acquire(key, hard, env.scheduler())
        .thenCompose(
            ok -> {
              if (!ok) {
                return CompletableFuture.completedFuture(
                    notProbed(
                        t, "another probe of the same address was still running at the deadline"));
              }
              return global
                  .acquire(GLOBAL, hard, env.scheduler())
                  .thenCompose(
                      g -> {
                        if (!g) {
                          perAddress.release(key);
                          return CompletableFuture.completedFuture(
                              notProbed(
                                  t,
                                  "all "
                                      + settings.maxConnections()
                                      + " connections of the prober were busy until the deadline"));
                        }
                        CompletableFuture<Attempt> run = new CompletableFuture<>();
                        try {
                          env.executor()
                              .execute(
                                  () -> {
                                    Attempt result;
                                    try {
                                      if (hard.expired()) {
                                        result =
                                            notProbed(
                                                t, "no time was left when a thread became free");
                                      } else {
                                        open.incrementAndGet();
                                        try {
                                          result =
                                              new Attempt(
                                                  new Conversation(
                                                          t,
                                                          request.recipient(),
                                                          request.catchAllDomain(),
                                                          settings,
                                                          tls,
                                                          env.clock(),
                                                          env.scheduler(),
                                                          hard)
                                                      .run(),
                                                  null);
                                        } finally {
                                          open.decrementAndGet();
                                        }
                                      }
                                    } catch (RuntimeException e) {
                                      result =
                                          notProbed(
                                              t,
                                              "the probe failed unexpectedly ("
                                                  + e
                                                  + "); this is a bug in maildx");
                                    } finally {
                                      global.release(GLOBAL);
                                      perAddress.release(key);
                                    }
                                    run.complete(
                                        result); // after the socket is closed and the permits are
                                    // back
                                  });
                        } catch (RejectedExecutionException e) {
                          global.release(GLOBAL);
                          perAddress.release(key);
                          run.complete(notProbed(t, "the prober was closed"));
                        }
                        return run;
                      });
            });
  }

  private static Attempt notProbed(Conversation.Target t, String reason) {
    return new Attempt(null, new ProbeFindings.Skipped(t.name(), t.address(), reason, true));
  }

  private static Attempt withDane(Attempt at, DnsAnswer answer) {
    Conversation.Result r = at.result();
    if (r == null) {
      return at;
    }
    ProbeReport.@Nullable Dane d;
    switch (answer.outcome()) {
      case ANSWER:
        {
          List<TlsaRecord> records = new ArrayList<>();
          for (TLSARecord x : answer.records(TLSARecord.class)) {
            records.add(
                new TlsaRecord(
                    x.getCertificateUsage(),
                    x.getSelector(),
                    x.getMatchingType(),
                    x.getCertificateAssociationData()));
          }
          ProbeReport.Host h = r.host();
          if (h.ehlo() == null
              || h.outcome() == dev.maildx.report.ProbeReport.Outcome.EHLO_REJECTED) {
            d = null; // never got as far as TLS: the outcome's own finding says why
            break;
          }
          boolean tlsUp = h.tls() != null;
          d =
              Dane.match(
                  records,
                  answer.authenticated(),
                  r.chain(),
                  tlsUp,
                  tlsUp && h.tls() != null && h.tls().hostnameMatches());
          break;
        }
      case NO_DATA:
      case NXDOMAIN:
        d =
            new ProbeReport.Dane(
                ProbeReport.Dane.Status.NO_RECORDS,
                List.of(),
                answer.authenticated(),
                null,
                "no TLSA records");
        break;
      default:
        d =
            new ProbeReport.Dane(
                ProbeReport.Dane.Status.LOOKUP_FAILED, List.of(), false, null, answer.describe());
        break;
    }
    return new Attempt(
        new Conversation.Result(
            r.host().withDane(d),
            r.chain(),
            r.failure(),
            r.phaseLimitHit(),
            r.unreachable(),
            r.partial()),
        null);
  }

  @Override
  public String toString() {
    return "ProbeEngine[" + settings + "]";
  }
}
