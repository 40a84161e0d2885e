package dev.maildx.smtp;

import static java.util.Objects.requireNonNull;

import dev.maildx.DeliveryQuestion;
import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.MtaStsReport;
import java.net.InetAddress;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What to probe: a domain (its MX hosts, RFC 5321 §5.1), one host by name (its addresses, no MX),
 * or one IP address; on which port; and optionally which recipient to ask about with {@code RCPT
 * TO}.
 *
 * <p>Everything is validated when set, before any socket is opened: a name or address with CR, LF,
 * NUL or another character RFC 5321 / RFC 6531 do not allow throws {@link IllegalArgumentException}
 * naming the character. Immutable.
 *
 * <pre>{@code
 * ProbeRequest r = ProbeRequest.builder("example.com").recipient("bob@example.com").build();
 * ProbeRequest h = ProbeRequest.host("mx1.example.com").port(2525).build();
 * }</pre>
 */
public final class ProbeRequest {
  /** What kind of target a request names. */
  enum Kind {
    DOMAIN,
    HOST,
    ADDRESS
  }

  private final Kind kind;
  private final String target;
  private final @Nullable DomainName name;
  private final @Nullable InetAddress address;
  private final int port;
  private final @Nullable EmailAddress recipient;
  private final MtaStsReport.@Nullable Policy mtaStsPolicy;

  private ProbeRequest(Builder b) {
    this.kind = b.kind;
    this.target = b.target;
    this.name = b.name;
    this.address = b.address;
    this.port = b.port;
    this.recipient = b.recipient;
    this.mtaStsPolicy = b.mtaStsPolicy;
  }

  /**
   * A request with defaults for {@code target}: an IP address is probed directly; an email address
   * probes its domain's MX hosts and asks about the address; anything else is a domain whose MX
   * hosts are probed (a host name without MX records is probed itself, RFC 5321 §5.1).
   *
   * @param target for example {@code example.com}, {@code bob@example.com}, {@code 192.0.2.25}
   * @return the request, port 25
   * @throws IllegalArgumentException if {@code target} is none of these
   */
  public static ProbeRequest of(String target) {
    return builder(target).build();
  }

  /**
   * Starts a request; {@code target} is read as {@link #of(String)} reads it.
   *
   * @param target a domain, an email address or an IP address
   * @return a builder
   * @throws IllegalArgumentException if {@code target} is none of these
   */
  public static Builder builder(String target) {
    String t = clean(target, "target");
    if (t.indexOf('@') >= 0) {
      EmailAddress a = checkAddress(EmailAddress.parse(t), "recipient address");
      Builder b = new Builder(Kind.DOMAIN, t);
      b.name = a.domain();
      b.recipient = a;
      return b;
    }
    InetAddress ip = literal(t);
    if (ip != null) {
      Builder b = new Builder(Kind.ADDRESS, InetAddresses.toLiteral(ip));
      b.address = ip;
      return b;
    }
    Builder b = new Builder(Kind.DOMAIN, t);
    b.name = DomainName.of(t);
    return b;
  }

  /**
   * Starts a request for a domain's MX hosts.
   *
   * @param domain the domain, Unicode or ASCII
   * @return a builder
   * @throws IllegalArgumentException if it is not a valid domain name
   */
  public static Builder domain(String domain) {
    Builder b = new Builder(Kind.DOMAIN, clean(domain, "domain"));
    b.name = DomainName.of(b.target);
    return b;
  }

  /**
   * Starts a request for one host: a host name (its A and AAAA records, no MX) or an IP address.
   *
   * @param host for example {@code mx1.example.com} or {@code 192.0.2.25} or {@code [2001:db8::25]}
   * @return a builder
   * @throws IllegalArgumentException if it is neither a valid host name nor an IP address
   */
  public static Builder host(String host) {
    String t = clean(host, "host");
    InetAddress ip = literal(t);
    if (ip != null) {
      Builder b = new Builder(Kind.ADDRESS, InetAddresses.toLiteral(ip));
      b.address = ip;
      return b;
    }
    Builder b = new Builder(Kind.HOST, t);
    b.name = DomainName.of(t);
    return b;
  }

  Kind kind() {
    return kind;
  }

  /**
   * @return the target as given (an IP address in its canonical form)
   */
  public String target() {
    return target;
  }

  /**
   * @return the domain whose MX hosts are probed, if the target is a domain
   */
  public Optional<DomainName> domain() {
    return kind == Kind.DOMAIN ? Optional.ofNullable(name) : Optional.empty();
  }

  /**
   * @return the host name probed directly, if the target is a host name
   */
  public Optional<DomainName> hostName() {
    return kind == Kind.HOST ? Optional.ofNullable(name) : Optional.empty();
  }

  /**
   * @return the IP address probed directly, if the target is an address
   */
  public Optional<InetAddress> address() {
    return Optional.ofNullable(address);
  }

  /**
   * @return the TCP port to probe (default {@value DeliveryQuestion#SMTP_PORT})
   */
  public int port() {
    return port;
  }

  /**
   * @return the address to ask about with {@code RCPT TO}, if any
   */
  public Optional<EmailAddress> recipient() {
    return Optional.ofNullable(recipient);
  }

  /**
   * @return the recipient domain's MTA-STS policy to judge the hosts against, if given
   */
  public Optional<MtaStsReport.Policy> mtaStsPolicy() {
    return Optional.ofNullable(mtaStsPolicy);
  }

  @Override
  public String toString() {
    return "ProbeRequest["
        + kind.name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + target
        + ":"
        + port
        + (recipient != null ? " rcpt " + recipient : "")
        + "]";
  }

  /** Builds a {@link ProbeRequest}; checks each value as it is set. Not thread-safe. */
  public static final class Builder {
    private final Kind kind;
    private final String target;
    private @Nullable DomainName name;
    private @Nullable InetAddress address;
    private int port = DeliveryQuestion.SMTP_PORT;
    private @Nullable EmailAddress recipient;
    private MtaStsReport.@Nullable Policy mtaStsPolicy;

    private Builder(Kind kind, String target) {
      this.kind = kind;
      this.target = target;
    }

    /**
     * Sets the TCP port (default 25).
     *
     * @param port 1 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the address to ask about with {@code RCPT TO}. An internationalized address (RFC 6531)
     * is only sent to servers that announce SMTPUTF8.
     *
     * @param address for example {@code bob@example.com}
     * @return this builder
     * @throws IllegalArgumentException if it is not a valid address, naming the offending character
     */
    public Builder recipient(String address) {
      this.recipient =
          checkAddress(
              EmailAddress.parse(clean(address, "recipient address")), "recipient address");
      return this;
    }

    /**
     * Sets the address to ask about with {@code RCPT TO}.
     *
     * @param address the address
     * @return this builder
     * @throws IllegalArgumentException if it has a character RFC 6531 does not allow
     */
    public Builder recipient(EmailAddress address) {
      this.recipient = checkAddress(requireNonNull(address, "address"), "recipient address");
      return this;
    }

    /**
     * Sets the domain's MTA-STS policy (RFC 8461): under {@code enforce}, a host that fails TLS or
     * the certificate check becomes an error.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder mtaStsPolicy(MtaStsReport.Policy policy) {
      this.mtaStsPolicy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the immutable request
     */
    public ProbeRequest build() {
      return new ProbeRequest(this);
    }
  }

  private static @Nullable InetAddress literal(String t) {
    String s = t;
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
      if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
        s = s.substring(5);
      }
    }
    return InetAddresses.tryParse(s);
  }

  /** Strips white space and rejects control characters at once, naming them. */
  static String clean(String value, String what) {
    requireNonNull(value, what);
    String s = value.strip();
    for (int i = 0; i < s.length(); i++) {
      String problem = problem(s, i);
      if (problem != null) {
        throw new IllegalArgumentException(
            what + " \"" + printable(s) + "\" contains " + problem + " at position " + i);
      }
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    return s;
  }

  /**
   * Rejects what {@link EmailAddress} lets through but RFC 5321 / RFC 6531 do not allow on the
   * wire: C1 control characters, line and paragraph separators, unpaired surrogates,
   * non-characters, and paths longer than 256 octets (RFC 5321 §4.5.3.1.3).
   */
  static EmailAddress checkAddress(EmailAddress a, String what) {
    String lp = a.localPart();
    for (int i = 0; i < lp.length(); i++) {
      String problem = problem(lp, i);
      if (problem != null) {
        throw new IllegalArgumentException(
            what
                + " \""
                + printable(a.toString())
                + "\" contains "
                + problem
                + " at position "
                + i
                + " of the local part, which RFC 6531 does not allow");
      }
    }
    int octets = a.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2;
    if (octets > 256) {
      throw new IllegalArgumentException(
          what
              + " is "
              + octets
              + " octets long with its angle brackets; RFC 5321 §4.5.3.1.3 allows 256");
    }
    return a;
  }

  private static @Nullable String problem(String s, int i) {
    char c = s.charAt(i);
    switch (c) {
      case '\r':
        return "CR (U+000D)";
      case '\n':
        return "LF (U+000A)";
      case 0:
        return "NUL (U+0000)";
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      return String.format("the control character U+%04X", (int) c);
    }
    if (c >= 0x80 && c <= 0x9f) {
      return String.format("the C1 control character U+%04X", (int) c);
    }
    if (c == '\u2028' || c == '\u2029') {
      return String.format("the line separator U+%04X", (int) c);
    }
    if (c == '\uFFFE' || c == '\uFFFF' || (c >= '\uFDD0' && c <= '\uFDEF')) {
      return String.format("the non-character U+%04X", (int) c);
    }
    if (Character.isHighSurrogate(c)
            && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
        || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
      return String.format("the unpaired surrogate U+%04X", (int) c);
    }
    return null;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      b.append(
          c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)
              ? String.format("\\u%04X", (int) c)
              : String.valueOf(c));
    }
    return b.toString();
  }
}
