package dev.maildx.smtp;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.MxResolver;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.smtp.internal.ProbeEngine;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Probes the SMTP servers of a domain (or one host) and shows, per server address, exactly where
 * the conversation stops and what that means: TCP connect, the {@code 220} greeting, EHLO (HELO as
 * a fallback), STARTTLS with the whole certificate chain judged, EHLO again, optionally {@code MAIL
 * FROM:<>} and {@code RCPT TO} with a catch-all test, then {@code RSET} and {@code QUIT} (RFC 5321
 * §3, §4.3.2; RFC 3207; RFC 7672 for DANE). <b>It never sends DATA.</b>
 *
 * <pre>{@code
 * try (MailDiagnostics maildx = MailDiagnostics.create()) {
 *   SmtpProber prober = SmtpProber.create(maildx);
 *   ProbeReport r = prober.probe(ProbeRequest.builder("example.com").recipient("bob@example.com").build());
 *   for (ProbeReport.Host h : r.hosts()) {
 *     System.out.println(h.label() + " " + h.outcome() + " " + h.detail());
 *   }
 * }
 * }</pre>
 *
 * <p><b>Bounded.</b> Every step has its own limit under the overall deadline ({@link
 * DiagnosticsConfig#timeout()}), and every read is bounded in time and size: reply lines of at most
 * {@value #MAX_LINE_BYTES} bytes ended by CRLF, at most {@code maxReplyLines} lines per reply, one
 * reply code per reply; a reply line that starts but does not complete within the stall limit is a
 * tarpit. A hostile server ends as {@code protocol_error}, {@code no_banner} or {@code
 * disconnected}, never as a hang or an out-of-memory.
 *
 * <p><b>Polite.</b> MX hosts are probed concurrently, but never more than one connection at a time
 * to the same address and never more than {@code maxConnections} at once across every probe of one
 * prober (share it for batches). Addresses found in the DNS that are loopback, private or reserved
 * are not connected to unless {@link ProbeOptions.Builder#allowNonPublicAddresses(boolean) allowed}
 * or {@linkplain DiagnosticsConfig#routes() routed}. Names and addresses are validated before any
 * socket opens.
 *
 * <p><b>Threads.</b> Blocking I/O runs on the configuration's executor (maildx's own pool unless
 * one is supplied), one thread per connection; every socket is closed on every path.
 *
 * <p>Findings (check {@code smtp}): {@link ProbeReport.Code}.
 *
 * <p>Immutable and thread-safe; share one instance.
 */
public final class SmtpProber implements AutoCloseable {
  /**
   * The longest reply line accepted, CRLF excluded (RFC 5321 §4.5.3.1.5 allows 512; real servers
   * send more).
   */
  public static final int MAX_LINE_BYTES = 2048;

  private final ProbeEngine engine;
  private final DiagnosticsConfig config;
  private final ProbeOptions options;
  private final @Nullable MxResolver mx;

  private SmtpProber(
      ProbeEngine engine, DiagnosticsConfig config, ProbeOptions options, @Nullable MxResolver mx) {
    this.engine = engine;
    this.config = config;
    this.options = options;
    this.mx = mx;
  }

  /**
   * A prober on the runtime of a {@code MailDiagnostics}: its DNS client, executor, deadline,
   * routes and {@link ProbeOptions} (the defaults unless set with {@code
   * MailDiagnostics.Builder#options}). The prober starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the prober is used,
   *     and closing the prober leaves it open
   * @return a new prober
   */
  public static SmtpProber create(MailDiagnostics maildx) {
    return create(maildx, ProbeOptions.of(CheckEnvironment.of(maildx)));
  }

  /**
   * A prober with other options on the runtime of a {@code MailDiagnostics}; it starts no threads
   * of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the prober is used,
   *     and closing the prober leaves it open
   * @param options the EHLO name, limits and steps of the probe
   * @return a new prober
   */
  public static SmtpProber create(MailDiagnostics maildx, ProbeOptions options) {
    requireNonNull(options, "options");
    CheckEnvironment env = CheckEnvironment.of(maildx);
    ProbeEngine engine = new ProbeEngine(env, DnsClient.of(env), options.settings());
    return new SmtpProber(engine, env.config(), options, MxResolver.create(maildx));
  }

  /** A prober running on a diagnosis's environment (the {@code smtp} check). */
  static SmtpProber forEnvironment(CheckEnvironment env) {
    ProbeOptions options = ProbeOptions.of(env);
    ProbeEngine engine = new ProbeEngine(env, DnsClient.of(env), options.settings());
    return new SmtpProber(engine, env.config(), options, null);
  }

  /**
   * Probes a target read as {@link ProbeRequest#of(String)} reads it, on port 25, blocking up to
   * the configured timeout.
   *
   * @param target a domain, an email address (its domain, asking about the address) or an IP
   * @return the report
   * @throws IllegalArgumentException if the target is malformed
   */
  public ProbeReport probe(String target) {
    return probe(ProbeRequest.of(target));
  }

  /**
   * Probes, blocking up to the configured timeout.
   *
   * @param request what to probe
   * @return the report; never {@code null}
   */
  public ProbeReport probe(ProbeRequest request) {
    return probeAsync(request, Deadline.after(config.timeout())).join();
  }

  /**
   * Probes asynchronously. The future always completes with a report, by the deadline; it never
   * completes exceptionally.
   *
   * @param request what to probe
   * @param deadline when the report must be ready; steps still running then are cut short and
   *     reported
   * @return the future report
   */
  public CompletableFuture<ProbeReport> probeAsync(ProbeRequest request, Deadline deadline) {
    requireNonNull(request, "request");
    requireNonNull(deadline, "deadline");
    ProbeEngine.Request r = engineRequest(request, request.domain().orElse(null));
    switch (request.kind()) {
      case ADDRESS:
        return engine.probe(
            r,
            List.of(
                new ProbeEngine.Host(
                    request.target(), 0, List.of(request.address().orElseThrow()), false, false)),
            List.of(),
            deadline);
      case HOST:
        return engine.probeHostName(r, request.hostName().orElseThrow(), deadline);
      default:
        DomainName d = request.domain().orElseThrow();
        MxResolver resolver = mx;
        if (resolver == null) {
          throw new IllegalStateException(
              "this prober belongs to a diagnosis; probe domains with SmtpProber.create(maildx)");
        }
        return resolver
            .resolveAsync(d, deadline.withMargin(Duration.ofMillis(500)))
            .thenCompose(report -> engine.probeMx(r, report, true, deadline));
    }
  }

  /** Probes the hosts of an MX report that another check produced. */
  CompletableFuture<ProbeReport> probeMx(ProbeRequest request, MxReport report, Deadline deadline) {
    return engine.probeMx(engineRequest(request, report.domain()), report, false, deadline);
  }

  /**
   * Probes the hosts of an MX report that another check produced, judging them against an MTA-STS
   * policy that may arrive while the conversations run.
   */
  CompletableFuture<ProbeReport> probeMx(
      ProbeRequest request,
      MxReport report,
      Deadline deadline,
      CompletableFuture<java.util.Optional<dev.maildx.report.MtaStsReport.Policy>> policyLater) {
    ProbeEngine.Request r = engineRequest(request, report.domain());
    if (r.mtaSts() == null) {
      r =
          new ProbeEngine.Request(
              r.target(),
              r.domain(),
              r.port(),
              r.recipient(),
              r.catchAllDomain(),
              null,
              policyLater);
    }
    return engine.probeMx(r, report, false, deadline);
  }

  private ProbeEngine.Request engineRequest(ProbeRequest request, @Nullable DomainName domain) {
    EmailAddress rcpt = request.recipient().orElse(null);
    DomainName catchAll = rcpt != null && options.catchAllTest() ? rcpt.domain() : null;
    return new ProbeEngine.Request(
        request.target(),
        domain,
        request.port(),
        rcpt,
        catchAll,
        request.mtaStsPolicy().orElse(null));
  }

  /**
   * @return connections open right now; zero when no probe runs (for tests)
   */
  int openConnections() {
    return engine.openConnections();
  }

  /**
   * @return the configuration
   */
  public DiagnosticsConfig config() {
    return config;
  }

  /**
   * @return the options
   */
  public ProbeOptions options() {
    return options;
  }

  /**
   * Does nothing: a prober owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "SmtpProber[" + options + "]";
  }
}
