package dev.maildx.smtp;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.MailDiagnostics;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.dns.MxResolver;
import dev.maildx.dns.internal.DnsClient;
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
 * a fallback), STARTTLS with the whole certificate chain judged, EHLO again, optionally
 * {@code MAIL FROM:<>} and {@code RCPT TO} with a catch-all test, then {@code RSET} and
 * {@code QUIT} (RFC 5321 §3, §4.3.2; RFC 3207; RFC 7672 for DANE). <b>It never sends DATA.</b>
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
 * DiagnosticsConfig#timeout()}), and every read is bounded in time and size: reply lines of at
 * most {@value #MAX_LINE_BYTES} bytes ended by CRLF, at most {@code maxReplyLines} lines per reply,
 * one reply code per reply; a reply line that starts but does not complete within the stall limit
 * is a tarpit. A hostile server ends as {@code protocol_error}, {@code no_banner} or
 * {@code disconnected}, never as a hang or an out-of-memory.
 *
 * <p><b>Polite.</b> MX hosts are probed concurrently, but never more than one connection at a time
 * to the same address and never more than {@code maxConnections} at once across every probe of
 * one prober (share it for batches). Addresses found in the DNS that are loopback, private or
 * reserved are not connected to unless {@link ProbeOptions.Builder#allowNonPublicAddresses(boolean) allowed}
 * or {@linkplain DiagnosticsConfig#routes() routed}. Names and addresses are validated before any
 * socket opens.
 *
 * <p><b>Threads.</b> Blocking I/O runs on the configuration's executor (maildx's own pool unless
 * one is supplied), one thread per connection; every socket is closed on every path.
 *
 * <p>Findings ({@link dev.maildx.Finding#code() codes}, check {@code smtp}); effects in brackets:
 * <ul>
 *   <li>{@code SMTP_ACCEPTED} (info) — the server accepted the probe (and the recipient);
 *   <li>{@code SMTP_CATCH_ALL} (info) — it also accepted a random address at the domain;
 *   <li>{@code SMTP_CONNECT_REFUSED}, {@code SMTP_CONNECT_TIMEOUT} (warning, at risk; inconclusive
 *       when no server could be reached at all) — refused, or filtered / down;
 *   <li>{@code SMTP_CONNECT_UNREACHABLE} (inconclusive) — no route from here (for example IPv6);
 *   <li>{@code SMTP_UNREACHABLE} (inconclusive) — no server could be connected to: they are down
 *       or outbound port 25 is blocked where maildx runs;
 *   <li>{@code SMTP_NO_BANNER} (error, at risk) — connected, but no greeting: a black hole;
 *   <li>{@code SMTP_TARPIT} (error, at risk) — replies trickle in a few bytes at a time;
 *   <li>{@code SMTP_SLOW_GREETING} (warning) — the greeting took longer than {@code slowGreeting};
 *   <li>{@code SMTP_GREETING_DEFERRED} (warning, at risk) — 4xx greeting (421: temporary refusal);
 *   <li>{@code SMTP_GREETING_REJECTED} (error, at risk) — 5xx greeting (554);
 *   <li>{@code SMTP_PROBE_IP_LISTED} (inconclusive) — refused because maildx's own IP address is on
 *       a blocklist: says nothing about the sender;
 *   <li>{@code SMTP_EHLO_REJECTED} (error, at risk), {@code SMTP_NO_ESMTP} (warning) — EHLO refused;
 *   <li>{@code SMTP_NO_STARTTLS} (warning) — STARTTLS not offered;
 *   <li>{@code SMTP_STARTTLS_REJECTED}, {@code SMTP_TLS_FAILED} (error, at risk) — TLS failed;
 *   <li>{@code TLS_OK} (info) — protocol, cipher and certificate;
 *   <li>{@code TLS_CERT_SELF_SIGNED}, {@code TLS_CERT_UNTRUSTED}, {@code TLS_CERT_EXPIRED},
 *       {@code TLS_CERT_EXPIRES_SOON}, {@code TLS_CERT_NAME_MISMATCH}, {@code TLS_WEAK_KEY}
 *       (warning) — certificate problems (opportunistic TLS still delivers);
 *   <li>{@code SMTP_MTA_STS_TLS_FAILED}, {@code SMTP_MTA_STS_CERT_INVALID} (error, at risk, under an
 *       enforce policy; warning under testing) — MTA-STS senders will not deliver (RFC 8461 §4.2);
 *   <li>{@code DANE_OK} (info), {@code DANE_MISMATCH}, {@code DANE_NO_TLS} (error, at risk),
 *       {@code DANE_UNUSABLE} (warning), {@code DANE_LOOKUP_FAILED} (inconclusive) — RFC 7672;
 *   <li>{@code SMTP_DISCONNECTED}, {@code SMTP_TIMEOUT} (error, at risk) — closed, or stopped
 *       answering, mid-conversation; {@code SMTP_PROBE_INCOMPLETE} (inconclusive) — maildx's own
 *       deadline ran out first;
 *   <li>{@code SMTP_PROTOCOL_ERROR} (error, at risk) — malformed, oversized, endless or
 *       inconsistent replies;
 *   <li>{@code SMTP_MAIL_REJECTED} (error, at risk), {@code SMTP_MAIL_DEFERRED} (warning, at risk);
 *   <li>{@code SMTP_RCPT_USER_UNKNOWN} (error, undeliverable) — 550 5.1.1: no such mailbox;
 *   <li>{@code SMTP_RCPT_NULL_MX} (error, undeliverable) — 5.1.10;
 *   <li>{@code SMTP_RCPT_REJECTED} (error, at risk) — other permanent refusals;
 *   <li>{@code SMTP_RCPT_GREYLISTED} (warning, at risk) — 450/451 4.7.1: probably greylisting;
 *   <li>{@code SMTP_RCPT_DEFERRED} (warning, at risk) — other temporary refusals;
 *   <li>{@code SMTP_UTF8_UNSUPPORTED} (error, undeliverable) — an internationalized address and a
 *       server without SMTPUTF8;
 *   <li>{@code SMTP_NO_HOST_ACCEPTS} (error, at risk) — no server completed a conversation;
 *   <li>{@code SMTP_NO_MX}, {@code SMTP_HOSTS_NOT_PROBED}, {@code SMTP_ADDRESS_NOT_PROBED},
 *       {@code SMTP_NOTHING_TO_PROBE} (info); {@code SMTP_HOST_NO_ADDRESS} (error, undeliverable);
 *       {@code SMTP_NOT_PROBED} (inconclusive) — what was not probed, and why.
 * </ul>
 *
 * <p>Immutable and thread-safe; share one instance.
 */
public final class SmtpProber implements AutoCloseable {
  /** The longest reply line accepted, CRLF excluded (RFC 5321 §4.5.3.1.5 allows 512; real servers send more). */
  public static final int MAX_LINE_BYTES = 2048;

  private final ProbeEngine engine;
  private final DiagnosticsConfig config;
  private final ProbeOptions options;
  private final @Nullable MxResolver mx;

  private SmtpProber(ProbeEngine engine, DiagnosticsConfig config, ProbeOptions options, @Nullable MxResolver mx) {
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
        return engine.probe(r, List.of(new ProbeEngine.Host(request.target(), 0, List.of(request.address().orElseThrow()), false, false)),
            List.of(), deadline);
      case HOST:
        return engine.probeHostName(r, request.hostName().orElseThrow(), deadline);
      default:
        DomainName d = request.domain().orElseThrow();
        MxResolver resolver = mx;
        if (resolver == null) {
          throw new IllegalStateException("this prober belongs to a diagnosis; probe domains with SmtpProber.create(maildx)");
        }
        return resolver.resolveAsync(d, deadline.withMargin(Duration.ofMillis(500)))
            .thenCompose(report -> engine.probeMx(r, report, true, deadline));
    }
  }

  /** Probes the hosts of an MX report that another check produced. */
  CompletableFuture<ProbeReport> probeMx(ProbeRequest request, MxReport report, Deadline deadline) {
    return engine.probeMx(engineRequest(request, report.domain()), report, false, deadline);
  }

  /**
   * Probes the hosts of an MX report that another check produced, judging them against an
   * MTA-STS policy that may arrive while the conversations run.
   */
  CompletableFuture<ProbeReport> probeMx(ProbeRequest request, MxReport report, Deadline deadline,
      CompletableFuture<java.util.Optional<dev.maildx.report.MtaStsReport.Policy>> policyLater) {
    ProbeEngine.Request r = engineRequest(request, report.domain());
    if (r.mtaSts() == null) {
      r = new ProbeEngine.Request(r.target(), r.domain(), r.port(), r.recipient(), r.catchAllDomain(), null, policyLater);
    }
    return engine.probeMx(r, report, false, deadline);
  }

  private ProbeEngine.Request engineRequest(ProbeRequest request, @Nullable DomainName domain) {
    EmailAddress rcpt = request.recipient().orElse(null);
    DomainName catchAll = rcpt != null && options.catchAllTest() ? rcpt.domain() : null;
    return new ProbeEngine.Request(request.target(), domain, request.port(), rcpt, catchAll, request.mtaStsPolicy().orElse(null));
  }

  /** @return connections open right now; zero when no probe runs (for tests) */
  int openConnections() {
    return engine.openConnections();
  }

  /** @return the configuration */
  public DiagnosticsConfig config() {
    return config;
  }

  /** @return the options */
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
