package dev.maildx;

import static java.util.Objects.requireNonNull;

import dev.maildx.spi.CheckOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link MailDiagnostics}, shared by every check and by the standalone components
 * created from it ({@code MxResolver}, {@code SpfEvaluator}, {@code SmtpProber}, ...): DNS servers,
 * the deadline, the executor, the clock, the listener, routes, and the options of each module's
 * checks ({@link #options(Class)}).
 *
 * <p>Immutable and thread-safe; {@link #toBuilder()} derives variants. Unset values read as their
 * documented defaults or as {@link Optional#empty()}.
 */
public final class DiagnosticsConfig {
  /** The default deadline of one whole diagnosis: 20 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /** The default time one DNS query attempt may take before the next attempt: 5 seconds. */
  public static final Duration DEFAULT_DNS_QUERY_TIMEOUT = Duration.ofSeconds(5);

  private static final DiagnosticsConfig DEFAULTS = new Builder().build();

  private final List<InetSocketAddress> dnsServers;
  private final Duration timeout;
  private final Duration dnsQueryTimeout;
  private final @Nullable Executor executor;
  private final Clock clock;
  private final DiagnosticsListener listener;
  private final Map<InetAddress, InetSocketAddress> routes;
  private final Map<String, InetSocketAddress> hostRoutes;
  private final Map<Class<? extends CheckOptions>, CheckOptions> options;

  private DiagnosticsConfig(Builder b) {
    this.dnsServers = List.copyOf(b.dnsServers);
    this.timeout = b.timeout;
    this.dnsQueryTimeout = b.dnsQueryTimeout;
    this.executor = b.executor;
    this.clock = b.clock;
    this.listener = b.listener;
    this.routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.routes));
    this.hostRoutes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.hostRoutes));
    this.options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
  }

  /**
   * The defaults: system resolvers, a 20 s deadline, maildx's own executor, the UTC system clock,
   * no listener.
   *
   * @return the default configuration
   */
  public static DiagnosticsConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.dnsServers.addAll(dnsServers);
    b.timeout = timeout;
    b.dnsQueryTimeout = dnsQueryTimeout;
    b.executor = executor;
    b.clock = clock;
    b.listener = listener;
    b.routes.putAll(routes);
    b.hostRoutes.putAll(hostRoutes);
    b.options.putAll(options);
    return b;
  }

  /**
   * The DNS servers every query goes to, in order of preference.
   *
   * @return the servers; empty means the system's resolvers (from {@code /etc/resolv.conf} or the
   *     platform equivalent)
   */
  public List<InetSocketAddress> dnsServers() {
    return dnsServers;
  }

  /**
   * The deadline of one whole operation: a diagnosis, or one call of a standalone component.
   *
   * @return default {@link #DEFAULT_TIMEOUT}
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * The time one DNS query attempt may take before it is retried (on the next server, if there are
   * several), always within the overall deadline.
   *
   * @return default {@link #DEFAULT_DNS_QUERY_TIMEOUT}
   */
  public Duration dnsQueryTimeout() {
    return dnsQueryTimeout;
  }

  /**
   * The executor blocking work (SMTP I/O, file parsing) runs on.
   *
   * @return the user's executor, or empty for maildx's own bounded pool of daemon threads named
   *     {@code maildx-worker-N}
   */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /**
   * The clock for timestamps, certificate expiry and signature validity.
   *
   * @return default: the system clock in UTC
   */
  public Clock clock() {
    return clock;
  }

  /**
   * The listener told about checks and DNS queries.
   *
   * @return default {@link DiagnosticsListener#NONE}
   */
  public DiagnosticsListener listener() {
    return listener;
  }

  /**
   * Connections redirected for simulations: a connection meant for a key address goes to its value
   * instead, and the key counts as a public address. Empty unless set.
   *
   * @return published address to actual socket address
   * @see Builder#route(InetAddress, InetSocketAddress)
   */
  public Map<InetAddress, InetSocketAddress> routes() {
    return routes;
  }

  /**
   * Mail servers routed by name to the user's test servers: a connection meant for a key host goes
   * to its value, whatever addresses the DNS gives the host, and the MX check counts the host as a
   * working mail server wherever its addresses lie. Empty unless set.
   *
   * @return host name (ASCII, lower case, without the final dot) to actual socket address
   * @see Builder#route(String, InetSocketAddress)
   */
  public Map<String, InetSocketAddress> hostRoutes() {
    return hostRoutes;
  }

  /**
   * The route of a mail server by name, if one is set.
   *
   * @param host a host name, in any case, with or without the final dot
   * @return where connections to {@code host} go instead
   * @see Builder#route(String, InetSocketAddress)
   */
  public Optional<InetSocketAddress> route(String host) {
    requireNonNull(host, "host");
    return Optional.ofNullable(hostRoutes.get(hostKey(host)));
  }

  private static String hostKey(String host) {
    String h = host.strip().toLowerCase(java.util.Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /**
   * The options of one module's checks, such as {@code AuthOptions}, {@code PolicyOptions} or
   * {@code ProbeOptions}: used by that module's checks in a diagnosis and by its standalone
   * components created from the {@code MailDiagnostics}.
   *
   * @param type the options class
   * @param <T> the options type
   * @return the options set with {@link Builder#options(CheckOptions)}, or empty for the module's
   *     defaults
   */
  public <T extends CheckOptions> Optional<T> options(Class<T> type) {
    requireNonNull(type, "type");
    return Optional.ofNullable(options.get(type)).map(type::cast);
  }

  @Override
  public String toString() {
    return "DiagnosticsConfig[dnsServers="
        + (dnsServers.isEmpty() ? "system" : dnsServers)
        + ", timeout="
        + timeout
        + ", dnsQueryTimeout="
        + dnsQueryTimeout
        + ", executor="
        + (executor == null ? "own" : executor)
        + (options.isEmpty() ? "" : ", options=" + options.values())
        + "]";
  }

  /** Builds a {@link DiagnosticsConfig}; checks each argument at once. Not thread-safe. */
  public static final class Builder {
    private final List<InetSocketAddress> dnsServers = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration dnsQueryTimeout = DEFAULT_DNS_QUERY_TIMEOUT;
    private @Nullable Executor executor;
    private Clock clock = Clock.systemUTC();
    private DiagnosticsListener listener = DiagnosticsListener.NONE;
    private final Map<InetAddress, InetSocketAddress> routes = new LinkedHashMap<>();
    private final Map<String, InetSocketAddress> hostRoutes = new LinkedHashMap<>();
    private final Map<Class<? extends CheckOptions>, CheckOptions> options = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the options of one module's checks (default: that module's defaults), replacing options
     * of the same class set before: {@code AuthOptions} (maildx-auth), {@code PolicyOptions}
     * (maildx-dns), {@code ProbeOptions} (maildx-smtp).
     *
     * @param options the options
     * @return this builder
     * @throws NullPointerException if {@code options} is null
     */
    public Builder options(CheckOptions options) {
      requireNonNull(options, "options");
      this.options.put(options.getClass(), options);
      return this;
    }

    /**
     * Sends every connection meant for {@code published} to {@code actual} instead, and treats
     * {@code published} as a reachable public address (like curl's {@code --connect-to}). For demos
     * and tests that simulate the Internet on loopback: the DNS publishes documentation addresses
     * (RFC 5737), the servers listen on 127.0.0.1.
     *
     * @param published the address as found in the DNS
     * @param actual where to connect instead (its port replaces the probed port)
     * @return this builder
     * @throws IllegalArgumentException if {@code actual} is unresolved (a host name, not an IP
     *     address)
     */
    public Builder route(InetAddress published, InetSocketAddress actual) {
      requireNonNull(published, "published");
      requireNonNull(actual, "actual");
      if (actual.isUnresolved()) {
        throw new IllegalArgumentException(
            "route target must be an IP address, was unresolved " + actual.getHostString());
      }
      routes.put(published, actual);
      return this;
    }

    /**
     * Sends every connection meant for the mail server {@code host} to {@code actual} instead, and
     * treats {@code host} as the user's test server: the MX check counts it as a working mail
     * server even when the DNS gives it a loopback or private address, and the SMTP probe connects
     * to {@code actual} for each address of it. For testing a mail server of one's own (the {@code
     * maildx} CLI's {@code --route HOST=IP:PORT}).
     *
     * @param host the mail server's name as the MX records give it (case and a final dot do not
     *     matter)
     * @param actual where to connect instead (its port replaces the probed port)
     * @return this builder
     * @throws IllegalArgumentException if {@code host} is not a valid domain name or {@code actual}
     *     is unresolved (a host name, not an IP address)
     */
    public Builder route(String host, InetSocketAddress actual) {
      requireNonNull(host, "host");
      requireNonNull(actual, "actual");
      if (actual.isUnresolved()) {
        throw new IllegalArgumentException(
            "route target must be an IP address, was unresolved " + actual.getHostString());
      }
      hostRoutes.put(hostKey(DomainName.of(hostKey(host)).ascii()), actual);
      return this;
    }

    /**
     * Adds a DNS server every query is sent to (instead of the system's resolvers). Call again to
     * add fallbacks, tried in order.
     *
     * @param server address and port, for example {@code 127.0.0.1:53}
     * @return this builder
     * @throws IllegalArgumentException if {@code server} is unresolved (a host name, not an IP
     *     address)
     */
    public Builder dnsServer(InetSocketAddress server) {
      requireNonNull(server, "server");
      if (server.isUnresolved()) {
        throw new IllegalArgumentException(
            "DNS server address must be an IP address, was unresolved " + server.getHostString());
      }
      dnsServers.add(server);
      return this;
    }

    /**
     * Replaces the DNS servers (default: none, meaning the system's resolvers).
     *
     * @param servers the servers; empty for the system's resolvers
     * @return this builder
     * @throws IllegalArgumentException if a server is unresolved (a host name, not an IP address)
     */
    public Builder dnsServers(List<InetSocketAddress> servers) {
      requireNonNull(servers, "servers");
      dnsServers.clear();
      servers.forEach(this::dnsServer);
      return this;
    }

    /**
     * Sets the deadline of one whole operation (default 20 s).
     *
     * @param timeout positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder timeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the time one DNS query attempt may take (default 5 s).
     *
     * @param timeout positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder dnsQueryTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("DNS query timeout must be positive, was " + timeout);
      }
      this.dnsQueryTimeout = timeout;
      return this;
    }

    /**
     * Sets the executor blocking work runs on (default: maildx's own bounded pool of daemon
     * threads). maildx does not shut it down.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the clock (default: system clock, UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the listener (default {@link DiagnosticsListener#NONE}).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(DiagnosticsListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the immutable configuration
     */
    public DiagnosticsConfig build() {
      return new DiagnosticsConfig(this);
    }
  }
}
