package dev.maildx.smtp;

import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.smtp.internal.ProbeSettings;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckOptions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of the SMTP probe ({@link SmtpProber} and the {@code smtp} check of a diagnosis): the
 * EHLO name and reverse-path, which hosts and addresses are probed, which steps run, the limit of
 * each step, and the politeness limit.
 *
 * <p>For a whole diagnosis, set them with {@code MailDiagnostics.builder().options(probeOptions)};
 * for a standalone prober, {@link SmtpProber#create(dev.maildx.MailDiagnostics, ProbeOptions)}.
 *
 * <p>Immutable and thread-safe; {@link #toBuilder()} derives variants. Unset values read as the
 * documented defaults or as {@link Optional#empty()}.
 */
public final class ProbeOptions implements CheckOptions {
  /** The default limit of the TCP connect: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The default limit of the wait for the greeting: 15 seconds. */
  public static final Duration DEFAULT_GREETING_TIMEOUT = Duration.ofSeconds(15);

  /** The default limit of the wait for the reply to each command: 10 seconds. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

  /** The default limit of STARTTLS with its handshake: 10 seconds. */
  public static final Duration DEFAULT_TLS_TIMEOUT = Duration.ofSeconds(10);

  /** The default longest a started reply line may take to complete: 2 seconds. */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(2);

  /** The default threshold of a slow greeting: 1 second. */
  public static final Duration DEFAULT_SLOW_GREETING = Duration.ofSeconds(1);

  /** The default window in which an expiring certificate is reported: 14 days. */
  public static final Duration DEFAULT_CERTIFICATE_EXPIRY_WARNING = Duration.ofDays(14);

  /** The default most lines of one reply: 100. */
  public static final int DEFAULT_MAX_REPLY_LINES = 100;

  /** The default most connections open at once across every probe of a prober: 8. */
  public static final int DEFAULT_MAX_CONNECTIONS = 8;

  /** The limit of {@code RSET} and {@code QUIT} when leaving. */
  private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);

  private static final ProbeOptions DEFAULTS = new Builder().build();

  private final @Nullable DomainName heloName;
  private final @Nullable EmailAddress mailFrom;
  private final int maxHosts;
  private final boolean ipv4;
  private final boolean ipv6;
  private final boolean startTls;
  private final boolean dane;
  private final boolean catchAllTest;
  private final boolean allowNonPublicAddresses;
  private final Duration connectTimeout;
  private final Duration greetingTimeout;
  private final Duration commandTimeout;
  private final Duration tlsTimeout;
  private final Duration stallTimeout;
  private final Duration slowGreeting;
  private final Duration certificateExpiryWarning;
  private final int maxReplyLines;
  private final int maxConnections;
  private final @Nullable KeyStore trustStore;

  private ProbeOptions(Builder b) {
    this.heloName = b.heloName;
    this.mailFrom = b.mailFrom;
    this.maxHosts = b.maxHosts;
    this.ipv4 = b.ipv4;
    this.ipv6 = b.ipv6;
    this.startTls = b.startTls;
    this.dane = b.dane;
    this.catchAllTest = b.catchAllTest;
    this.allowNonPublicAddresses = b.allowNonPublicAddresses;
    this.connectTimeout = b.connectTimeout;
    this.greetingTimeout = b.greetingTimeout;
    this.commandTimeout = b.commandTimeout;
    this.tlsTimeout = b.tlsTimeout;
    this.stallTimeout = b.stallTimeout;
    this.slowGreeting = b.slowGreeting;
    this.certificateExpiryWarning = b.certificateExpiryWarning;
    this.maxReplyLines = b.maxReplyLines;
    this.maxConnections = b.maxConnections;
    this.trustStore = b.trustStore;
  }

  /**
   * The defaults: EHLO with the address literal of the local end, {@code MAIL FROM:<>}, every MX
   * host over IPv4 and IPv6, STARTTLS, DANE and the catch-all test on, public addresses only, the
   * limits of the {@code DEFAULT_*} constants, the JDK's trust anchors.
   *
   * @return the default options
   */
  public static ProbeOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder holding these options
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.heloName = heloName;
    b.mailFrom = mailFrom;
    b.maxHosts = maxHosts;
    b.ipv4 = ipv4;
    b.ipv6 = ipv6;
    b.startTls = startTls;
    b.dane = dane;
    b.catchAllTest = catchAllTest;
    b.allowNonPublicAddresses = allowNonPublicAddresses;
    b.connectTimeout = connectTimeout;
    b.greetingTimeout = greetingTimeout;
    b.commandTimeout = commandTimeout;
    b.tlsTimeout = tlsTimeout;
    b.stallTimeout = stallTimeout;
    b.slowGreeting = slowGreeting;
    b.certificateExpiryWarning = certificateExpiryWarning;
    b.maxReplyLines = maxReplyLines;
    b.maxConnections = maxConnections;
    b.trustStore = trustStore;
    return b;
  }

  /** The options a {@code MailDiagnostics} was built with, or the defaults. */
  static ProbeOptions of(CheckEnvironment env) {
    return env.config().options(ProbeOptions.class).orElse(DEFAULTS);
  }

  /**
   * @return the EHLO name, or empty for the address literal of the local end of each connection
   */
  public Optional<DomainName> heloName() {
    return Optional.ofNullable(heloName);
  }

  /**
   * @return the reverse-path of {@code MAIL FROM}, or empty for the null reverse-path {@code <>}
   */
  public Optional<EmailAddress> mailFrom() {
    return Optional.ofNullable(mailFrom);
  }

  /**
   * @return the most MX hosts probed, in preference order (default: all, {@link Integer#MAX_VALUE})
   */
  public int maxHosts() {
    return maxHosts;
  }

  /**
   * @return whether IPv4 addresses are probed (default {@code true})
   */
  public boolean ipv4() {
    return ipv4;
  }

  /**
   * @return whether IPv6 addresses are probed (default {@code true})
   */
  public boolean ipv6() {
    return ipv6;
  }

  /**
   * @return whether STARTTLS is used when offered (default {@code true})
   */
  public boolean startTls() {
    return startTls;
  }

  /**
   * @return whether TLSA records are looked up and matched (default {@code true})
   */
  public boolean dane() {
    return dane;
  }

  /**
   * @return whether a random address is tried after an accepted recipient (default {@code true})
   */
  public boolean catchAllTest() {
    return catchAllTest;
  }

  /**
   * @return whether loopback, private and reserved addresses found in the DNS are probed (default
   *     {@code false})
   */
  public boolean allowNonPublicAddresses() {
    return allowNonPublicAddresses;
  }

  /**
   * @return the limit of the TCP connect (default {@link #DEFAULT_CONNECT_TIMEOUT})
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * @return the limit of the wait for the greeting (default {@link #DEFAULT_GREETING_TIMEOUT})
   */
  public Duration greetingTimeout() {
    return greetingTimeout;
  }

  /**
   * @return the limit of the wait for the reply to each command (default {@link
   *     #DEFAULT_COMMAND_TIMEOUT})
   */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /**
   * @return the limit of STARTTLS with its handshake (default {@link #DEFAULT_TLS_TIMEOUT})
   */
  public Duration tlsTimeout() {
    return tlsTimeout;
  }

  /**
   * @return the longest a started reply line may take to complete (default {@link
   *     #DEFAULT_STALL_TIMEOUT})
   */
  public Duration stallTimeout() {
    return stallTimeout;
  }

  /**
   * @return the greeting time above which {@code SMTP_SLOW_GREETING} is reported (default {@link
   *     #DEFAULT_SLOW_GREETING})
   */
  public Duration slowGreeting() {
    return slowGreeting;
  }

  /**
   * @return the window in which an expiring certificate is reported (default {@link
   *     #DEFAULT_CERTIFICATE_EXPIRY_WARNING})
   */
  public Duration certificateExpiryWarning() {
    return certificateExpiryWarning;
  }

  /**
   * @return the most lines one reply may have (default {@value #DEFAULT_MAX_REPLY_LINES})
   */
  public int maxReplyLines() {
    return maxReplyLines;
  }

  /**
   * @return the most connections open at once across every probe of a prober (default {@value
   *     #DEFAULT_MAX_CONNECTIONS})
   */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * @return the trust anchors certificates are judged against, or empty for the JDK's
   */
  public Optional<KeyStore> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  ProbeSettings settings() {
    return new ProbeSettings(
        heloName,
        mailFrom,
        maxHosts,
        ipv4,
        ipv6,
        startTls,
        dane,
        catchAllTest,
        allowNonPublicAddresses,
        connectTimeout,
        greetingTimeout,
        commandTimeout,
        tlsTimeout,
        QUIT_TIMEOUT,
        stallTimeout,
        slowGreeting,
        certificateExpiryWarning,
        maxReplyLines,
        SmtpProber.MAX_LINE_BYTES,
        maxConnections,
        trustStore);
  }

  @Override
  public String toString() {
    return "ProbeOptions[heloName="
        + (heloName == null ? "address literal" : heloName)
        + ", mailFrom="
        + (mailFrom == null ? "<>" : mailFrom)
        + ", maxHosts="
        + maxHosts
        + ", ipv4="
        + ipv4
        + ", ipv6="
        + ipv6
        + ", startTls="
        + startTls
        + ", dane="
        + dane
        + ", catchAllTest="
        + catchAllTest
        + ", allowNonPublicAddresses="
        + allowNonPublicAddresses
        + ", connectTimeout="
        + connectTimeout
        + ", greetingTimeout="
        + greetingTimeout
        + ", commandTimeout="
        + commandTimeout
        + ", tlsTimeout="
        + tlsTimeout
        + ", stallTimeout="
        + stallTimeout
        + ", slowGreeting="
        + slowGreeting
        + ", certificateExpiryWarning="
        + certificateExpiryWarning
        + ", maxReplyLines="
        + maxReplyLines
        + ", maxConnections="
        + maxConnections
        + ", trustStore="
        + (trustStore == null ? "jdk" : "custom")
        + "]";
  }

  /** Builds {@link ProbeOptions}; each setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private @Nullable DomainName heloName;
    private @Nullable EmailAddress mailFrom;
    private int maxHosts = Integer.MAX_VALUE;
    private boolean ipv4 = true;
    private boolean ipv6 = true;
    private boolean startTls = true;
    private boolean dane = true;
    private boolean catchAllTest = true;
    private boolean allowNonPublicAddresses;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration greetingTimeout = DEFAULT_GREETING_TIMEOUT;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration tlsTimeout = DEFAULT_TLS_TIMEOUT;
    private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
    private Duration slowGreeting = DEFAULT_SLOW_GREETING;
    private Duration certificateExpiryWarning = DEFAULT_CERTIFICATE_EXPIRY_WARNING;
    private int maxReplyLines = DEFAULT_MAX_REPLY_LINES;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private @Nullable KeyStore trustStore;

    private Builder() {}

    /**
     * Sets the name sent with EHLO (default: the address literal of the local end of the
     * connection, such as {@code [192.0.2.7]}, RFC 5321 §4.1.4).
     *
     * @param name a host name
     * @return this builder
     * @throws IllegalArgumentException if it is not a valid host name, or holds CR, LF, NUL or
     *     other characters illegal on the wire
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
     * @throws IllegalArgumentException if it is not a valid address, or holds CR, LF, NUL or other
     *     characters illegal on the wire
     */
    public Builder mailFrom(String address) {
      this.mailFrom =
          ProbeRequest.checkAddress(
              EmailAddress.parse(ProbeRequest.clean(address, "sender address")), "sender address");
      return this;
    }

    /**
     * Probes only the first {@code n} MX hosts in preference order (default: all).
     *
     * @param n at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is less than 1
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
     * Whether to look up TLSA records and match the certificate chain against them (default {@code
     * true}).
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
      this.catchAllTest = enabled;
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
      this.allowNonPublicAddresses = allowed;
      return this;
    }

    /**
     * Limits the TCP connect (default 10 s).
     *
     * @param limit positive
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
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
     * @throws IllegalArgumentException if zero or negative
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
     * @throws IllegalArgumentException if zero or negative
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
     * @throws IllegalArgumentException if zero or negative
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
     * @throws IllegalArgumentException if zero or negative
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
     * @throws IllegalArgumentException if zero or negative
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
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder certificateExpiryWarning(Duration window) {
      this.certificateExpiryWarning = positive(window, "certificateExpiryWarning");
      return this;
    }

    /**
     * The most lines one reply may have (default 100; an EHLO reply rarely has 20).
     *
     * @param n 1 to 10,000
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is outside 1 to 10,000
     */
    public Builder maxReplyLines(int n) {
      if (n < 1 || n > 10_000) {
        throw new IllegalArgumentException("maxReplyLines must be between 1 and 10000, was " + n);
      }
      this.maxReplyLines = n;
      return this;
    }

    /**
     * The most connections open at once across every probe of the prober (default 8). Each takes a
     * thread of the executor while it runs.
     *
     * @param n at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is less than 1
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

    /**
     * @return the immutable options
     */
    public ProbeOptions build() {
      return new ProbeOptions(this);
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
