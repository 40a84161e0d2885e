package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Options of the domain-policy checks (MTA-STS, TLS-RPT, BIMI, DNSSEC, TLSA, PTR, DNSBL) beyond the
 * shared {@link dev.maildx.DiagnosticsConfig}: whom to trust for HTTPS and DNSSEC, which blocklists
 * to ask, and the limits of the MTA-STS policy fetch.
 *
 * <p>For a whole diagnosis, set them with {@code MailDiagnostics.builder().options(policyOptions)}:
 * the checks and the standalone checkers created from that {@code MailDiagnostics} use them; or
 * pass them to one checker ({@code MtaStsResolver.create(maildx, options)}, ...).
 *
 * <p>Immutable and thread-safe; {@link #toBuilder()} derives variants.
 */
public final class PolicyOptions implements CheckOptions {
  /**
   * The root zone's trust anchors as IANA publishes them (root-anchors.xml): KSK-2017 (key tag
   * 20326) and KSK-2024 (key tag 38696), as DS records.
   */
  public static final String ROOT_TRUST_ANCHORS =
      """
      . IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
      . IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
      """;

  /**
   * The default time the MTA-STS policy fetch may take: 10 seconds (never more than the deadline).
   */
  public static final Duration DEFAULT_HTTPS_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The default largest MTA-STS policy accepted: 64 KiB, as common MTA-STS implementations cap it.
   */
  public static final int DEFAULT_MAX_POLICY_BYTES = 64 * 1024;

  private static final PolicyOptions DEFAULTS = new Builder().build();

  private final @Nullable KeyStore trustStore;
  private final DnssecMode dnssecMode;
  private final String trustAnchors;
  private final List<Record> anchorRecords;
  private final List<Blocklist> blocklists;
  private final Duration httpsTimeout;
  private final int maxPolicyBytes;

  private PolicyOptions(Builder b) {
    this.trustStore = b.trustStore;
    this.dnssecMode = b.dnssecMode;
    this.trustAnchors = b.trustAnchors;
    this.anchorRecords = parseAnchors(b.trustAnchors);
    this.blocklists = List.copyOf(b.blocklists);
    this.httpsTimeout = b.httpsTimeout;
    this.maxPolicyBytes = b.maxPolicyBytes;
  }

  /**
   * The defaults: the JDK's trusted certificate authorities, DNSSEC mode {@link DnssecMode#AUTO}
   * from the root trust anchors, {@link Blocklist#defaults()}, a 10 s policy fetch of at most 64
   * KiB.
   *
   * @return the default options
   */
  public static PolicyOptions defaults() {
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
    b.trustStore = trustStore;
    b.dnssecMode = dnssecMode;
    b.trustAnchors = trustAnchors;
    b.blocklists.clear();
    b.blocklists.addAll(blocklists);
    b.httpsTimeout = httpsTimeout;
    b.maxPolicyBytes = maxPolicyBytes;
    return b;
  }

  /**
   * The certificate authorities trusted for HTTPS (the MTA-STS policy host).
   *
   * @return the trust store, or empty for the JDK's default trusted authorities
   */
  public Optional<KeyStore> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /**
   * @return how DNSSEC status is determined (default {@link DnssecMode#AUTO})
   */
  public DnssecMode dnssecMode() {
    return dnssecMode;
  }

  /**
   * @return the DNSSEC trust anchors as zone-file text of DS or DNSKEY records (default {@link
   *     #ROOT_TRUST_ANCHORS})
   */
  public String trustAnchors() {
    return trustAnchors;
  }

  /**
   * @return the blocklists the sending IP and the sender domain are checked against (default {@link
   *     Blocklist#defaults()})
   */
  public List<Blocklist> blocklists() {
    return blocklists;
  }

  /**
   * @return the most the MTA-STS policy fetch may take (default 10 s), within the overall deadline
   */
  public Duration httpsTimeout() {
    return httpsTimeout;
  }

  /**
   * @return the largest MTA-STS policy body accepted, in bytes (default 64 KiB)
   */
  public int maxPolicyBytes() {
    return maxPolicyBytes;
  }

  /** The options a {@code MailDiagnostics} was built with, or the defaults. */
  static PolicyOptions of(CheckEnvironment env) {
    return env.config().options(PolicyOptions.class).orElse(DEFAULTS);
  }

  List<Record> anchorRecords() {
    return anchorRecords;
  }

  @Override
  public String toString() {
    return "PolicyOptions[trustStore="
        + (trustStore == null ? "jdk" : "custom")
        + ", dnssecMode="
        + dnssecMode
        + ", trustAnchors="
        + anchorRecords.size()
        + ", blocklists="
        + blocklists
        + ", httpsTimeout="
        + httpsTimeout
        + ", maxPolicyBytes="
        + maxPolicyBytes
        + "]";
  }

  private static List<Record> parseAnchors(String text) {
    List<Record> out = new ArrayList<>();
    try (Master m =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root, 0)) {
      Record r;
      while ((r = m.nextRecord()) != null) {
        if (r.getType() != Type.DS && r.getType() != Type.DNSKEY) {
          throw new IllegalArgumentException(
              "trust anchors must be DS or DNSKEY records, found "
                  + Type.string(r.getType())
                  + ": "
                  + r);
        }
        out.add(r);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "trust anchors do not parse as zone-file text: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("trust anchors hold no DS or DNSKEY record");
    }
    return List.copyOf(out);
  }

  /** Builds {@link PolicyOptions}; checks each argument at once. Not thread-safe. */
  public static final class Builder {
    private @Nullable KeyStore trustStore;
    private DnssecMode dnssecMode = DnssecMode.AUTO;
    private String trustAnchors = ROOT_TRUST_ANCHORS;
    private final List<Blocklist> blocklists = new ArrayList<>(Blocklist.defaults());
    private Duration httpsTimeout = DEFAULT_HTTPS_TIMEOUT;
    private int maxPolicyBytes = DEFAULT_MAX_POLICY_BYTES;

    private Builder() {}

    /**
     * Trusts these certificate authorities (instead of the JDK's) for the MTA-STS policy host: for
     * tests and demos with a test CA. Certificates are still fully validated. Default: the JDK's
     * trusted authorities.
     *
     * @param trustStore a key store of trusted certificates
     * @return this builder
     * @throws NullPointerException if {@code trustStore} is null
     */
    public Builder trustStore(KeyStore trustStore) {
      this.trustStore = requireNonNull(trustStore, "trustStore");
      return this;
    }

    /**
     * Sets how DNSSEC status is determined (default {@link DnssecMode#AUTO}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder dnssecMode(DnssecMode mode) {
      this.dnssecMode = requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Replaces the DNSSEC trust anchors (default: the root's, {@link #ROOT_TRUST_ANCHORS}).
     *
     * @param zoneText DS or DNSKEY records in zone-file syntax with absolute names, one per line
     * @return this builder
     * @throws IllegalArgumentException if the text does not parse or holds no DS or DNSKEY record
     */
    public Builder trustAnchors(String zoneText) {
      requireNonNull(zoneText, "zoneText");
      parseAnchors(zoneText);
      this.trustAnchors = zoneText;
      return this;
    }

    /**
     * Replaces the blocklists (default {@link Blocklist#defaults()}); an empty list turns the
     * blocklist check off.
     *
     * @param lists the lists, queried in this order
     * @return this builder
     * @throws NullPointerException if {@code lists} or one of its elements is null
     */
    public Builder blocklists(List<Blocklist> lists) {
      requireNonNull(lists, "lists");
      lists.forEach(l -> requireNonNull(l, "blocklist"));
      blocklists.clear();
      blocklists.addAll(lists);
      return this;
    }

    /**
     * Sets the most the MTA-STS policy fetch may take (default 10 s); the overall deadline still
     * applies.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder httpsTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("HTTPS timeout must be positive, was " + timeout);
      }
      this.httpsTimeout = timeout;
      return this;
    }

    /**
     * Sets the largest MTA-STS policy accepted (default 64 KiB); a larger body is reported, not
     * read.
     *
     * @param bytes 1 KiB to 16 MiB
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is outside 1 KiB to 16 MiB
     */
    public Builder maxPolicyBytes(int bytes) {
      if (bytes < 1024 || bytes > 16 * 1024 * 1024) {
        throw new IllegalArgumentException(
            "max policy size must be between 1 KiB and 16 MiB, was " + bytes);
      }
      this.maxPolicyBytes = bytes;
      return this;
    }

    /**
     * @return the immutable options
     */
    public PolicyOptions build() {
      return new PolicyOptions(this);
    }
  }
}
