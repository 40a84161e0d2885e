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
import dev.maildx.smtp.internal.ProbeSettings;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.security.KeyStore;
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
 * reserved are not connected to unless {@link Builder#allowNonPublicAddresses(boolean) allowed}
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
  private final Builder options;
  private final @Nullable MxResolver mx;

  private SmtpProber(ProbeEngine engine, DiagnosticsConfig config, Builder options, @Nullable MxResolver mx) {
    this.engine = engine;
    this.config = config;
    this.options = options;
    this.mx = mx;
  }

  /**
   * A prober with the default options on the runtime of a {@code MailDiagnostics}: its DNS
   * client, executor, deadline and routes. The prober starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the prober is used,
   *     and closing the prober leaves it open
   * @return a new prober
   */
  public static SmtpProber create(MailDiagnostics maildx) {
    return builder().build(maildx);
  }

  /**
   * Starts a prober with options.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A prober running on a diagnosis's environment (the {@code smtp} check). */
  static SmtpProber forEnvironment(CheckEnvironment env, Builder options) {
    ProbeEngine engine = new ProbeEngine(env, DnsClient.of(env), options.settings());
    return new SmtpProber(engine, env.config(), options.copy(), null);
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
    DomainName catchAll = rcpt != null && options.catchAll ? rcpt.domain() : null;
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

  /**
   * Does nothing: a prober owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "SmtpProber[" + options.settings() + "]";
  }

  /**
   * The prober's options; each setter checks its argument at once and documents its default. Not
   * thread-safe.
   */
  public static final class Builder {
    private @Nullable DomainName heloName;
    private @Nullable EmailAddress mailFrom;
    private int maxHosts = Integer.MAX_VALUE;
    private boolean ipv4 = true;
    private boolean ipv6 = true;
    private boolean startTls = true;
    private boolean dane = true;
    private boolean catchAll = true;
    private boolean allowNonPublic;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration greetingTimeout = Duration.ofSeconds(15);
    private Duration commandTimeout = Duration.ofSeconds(10);
    private Duration tlsTimeout = Duration.ofSeconds(10);
    private Duration quitTimeout = Duration.ofSeconds(2);
    private Duration stallTimeout = Duration.ofSeconds(2);
    private Duration slowGreeting = Duration.ofSeconds(1);
    private Duration expiryWarning = Duration.ofDays(14);
    private int maxReplyLines = 100;
    private int maxConnections = 8;
    private @Nullable KeyStore trustStore;

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.heloName = heloName;
      b.mailFrom = mailFrom;
      b.maxHosts = maxHosts;
      b.ipv4 = ipv4;
      b.ipv6 = ipv6;
      b.startTls = startTls;
      b.dane = dane;
      b.catchAll = catchAll;
      b.allowNonPublic = allowNonPublic;
      b.connectTimeout = connectTimeout;
      b.greetingTimeout = greetingTimeout;
      b.commandTimeout = commandTimeout;
      b.tlsTimeout = tlsTimeout;
      b.quitTimeout = quitTimeout;
      b.stallTimeout = stallTimeout;
      b.slowGreeting = slowGreeting;
      b.expiryWarning = expiryWarning;
      b.maxReplyLines = maxReplyLines;
      b.maxConnections = maxConnections;
      b.trustStore = trustStore;
      return b;
    }

    /**
     * Sets the name sent with EHLO (default: the address literal of the local end of the
     * connection, such as {@code [192.0.2.7]}, RFC 5321 §4.1.4).
     *
     * @param name a host name
     * @return this builder
     * @throws IllegalArgumentException if it is not a valid host name
     */
    public Builder heloName(String name) {
      this.heloName = DomainName.of(ProbeRequest.clean(name, "EHLO name"));
      return this;
    }

    /**
     * Sets the reverse-path of {@code MAIL FROM} (default the null reverse-path {@code <>}, which
     * every server must accept, RFC 5321 §4.5.5). A real sender's address may be refused by SPF,
     * since the probe does not come from the sender's servers.
     *
     * @param address the sender address
     * @return this builder
     */
    public Builder mailFrom(String address) {
      this.mailFrom = ProbeRequest.checkAddress(EmailAddress.parse(ProbeRequest.clean(address, "sender address")), "sender address");
      return this;
    }

    /**
     * Probes only the first {@code n} MX hosts in preference order (default: all).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxHosts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxHosts must be at least 1, was " + n);
      }
      this.maxHosts = n;
      return this;
    }

    /**
     * Whether to probe IPv4 addresses (default {@code true}).
     *
     * @param enabled {@code false} to skip them
     * @return this builder
     */
    public Builder ipv4(boolean enabled) {
      this.ipv4 = enabled;
      return this;
    }

    /**
     * Whether to probe IPv6 addresses (default {@code true}).
     *
     * @param enabled {@code false} to skip them
     * @return this builder
     */
    public Builder ipv6(boolean enabled) {
      this.ipv6 = enabled;
      return this;
    }

    /**
     * Whether to use STARTTLS when offered (default {@code true}).
     *
     * @param enabled {@code false} to stay in plaintext
     * @return this builder
     */
    public Builder startTls(boolean enabled) {
      this.startTls = enabled;
      return this;
    }

    /**
     * Whether to look up TLSA records and match the certificate chain against them (default
     * {@code true}).
     *
     * @param enabled {@code false} to skip DANE
     * @return this builder
     */
    public Builder dane(boolean enabled) {
      this.dane = enabled;
      return this;
    }

    /**
     * Whether to send a second {@code RCPT TO} with a random local part after the recipient was
     * accepted, to tell a catch-all server (default {@code true}).
     *
     * @param enabled {@code false} to skip the test
     * @return this builder
     */
    public Builder catchAllTest(boolean enabled) {
      this.catchAll = enabled;
      return this;
    }

    /**
     * Whether to connect to loopback, private and reserved addresses that MX or address records
     * name (default {@code false}: such an address is reported, not probed, so that a domain's DNS
     * cannot point the prober at internal services). IP addresses given directly and routed
     * addresses are always probed.
     *
     * @param allowed {@code true} to probe them
     * @return this builder
     */
    public Builder allowNonPublicAddresses(boolean allowed) {
      this.allowNonPublic = allowed;
      return this;
    }

    /**
     * Limits the TCP connect (default 10 s).
     *
     * @param limit positive
     * @return this builder
     */
    public Builder connectTimeout(Duration limit) {
      this.connectTimeout = positive(limit, "connectTimeout");
      return this;
    }

    /**
     * Limits the wait for the greeting (default 15 s; RFC 5321 §4.5.3.2.1 lets senders wait 5
     * minutes, but a server that needs more than seconds loses mail).
     *
     * @param limit positive
     * @return this builder
     */
    public Builder greetingTimeout(Duration limit) {
      this.greetingTimeout = positive(limit, "greetingTimeout");
      return this;
    }

    /**
     * Limits the wait for the reply to each command (default 10 s).
     *
     * @param limit positive
     * @return this builder
     */
    public Builder commandTimeout(Duration limit) {
      this.commandTimeout = positive(limit, "commandTimeout");
      return this;
    }

    /**
     * Limits STARTTLS with its handshake (default 10 s).
     *
     * @param limit positive
     * @return this builder
     */
    public Builder tlsTimeout(Duration limit) {
      this.tlsTimeout = positive(limit, "tlsTimeout");
      return this;
    }

    /**
     * The longest a reply line may take from its first byte to its CRLF (default 2 s); a server
     * that trickles slower is a tarpit.
     *
     * @param limit positive
     * @return this builder
     */
    public Builder stallTimeout(Duration limit) {
      this.stallTimeout = positive(limit, "stallTimeout");
      return this;
    }

    /**
     * A greeting slower than this is reported as {@code SMTP_SLOW_GREETING} (default 1 s).
     *
     * @param threshold positive
     * @return this builder
     */
    public Builder slowGreeting(Duration threshold) {
      this.slowGreeting = positive(threshold, "slowGreeting");
      return this;
    }

    /**
     * A certificate that expires within this is reported (default 14 days).
     *
     * @param window positive
     * @return this builder
     */
    public Builder certificateExpiryWarning(Duration window) {
      this.expiryWarning = positive(window, "certificateExpiryWarning");
      return this;
    }

    /**
     * The most lines one reply may have (default 100; an EHLO reply rarely has 20).
     *
     * @param n 1 to 10,000
     * @return this builder
     */
    public Builder maxReplyLines(int n) {
      if (n < 1 || n > 10_000) {
        throw new IllegalArgumentException("maxReplyLines must be between 1 and 10000, was " + n);
      }
      this.maxReplyLines = n;
      return this;
    }

    /**
     * The most connections open at once across every probe of the prober (default 8). Each takes
     * a thread of the executor while it runs.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxConnections(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1, was " + n);
      }
      this.maxConnections = n;
      return this;
    }

    /**
     * The trust anchors certificates are judged against (default: the JDK's).
     *
     * @param trustStore a key store of trusted certificates
     * @return this builder
     */
    public Builder trustStore(KeyStore trustStore) {
      this.trustStore = requireNonNull(trustStore, "trustStore");
      return this;
    }

    ProbeSettings settings() {
      return new ProbeSettings(heloName, mailFrom, maxHosts, ipv4, ipv6, startTls, dane, catchAll, allowNonPublic, connectTimeout,
          greetingTimeout, commandTimeout, tlsTimeout, quitTimeout, stallTimeout, slowGreeting, expiryWarning, maxReplyLines, MAX_LINE_BYTES,
          maxConnections, trustStore);
    }

    /**
     * Builds a prober on the runtime of a {@code MailDiagnostics}: its DNS client, executor,
     * deadline and routes. The prober starts no threads of its own.
     *
     * @param maildx the instance whose runtime to borrow; it must stay open while the prober is
     *     used, and closing the prober leaves it open
     * @return the prober
     */
    public SmtpProber build(MailDiagnostics maildx) {
      CheckEnvironment env = CheckEnvironment.of(maildx);
      ProbeEngine engine = new ProbeEngine(env, DnsClient.of(env), settings());
      return new SmtpProber(engine, env.config(), copy(), MxResolver.create(maildx));
    }

    private static Duration positive(Duration d, String what) {
      requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }
  }
}
