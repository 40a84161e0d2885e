package dev.maildx;

import static java.util.Objects.requireNonNull;

import dev.maildx.internal.InetAddresses;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a user asks maildx: mail from a sender to a recipient is not arriving — why?
 *
 * <p>Every part is optional, but a question needs at least a recipient, a sender, a bounce or a
 * message. The sender ({@code from}) selects the sender-side checks (SPF, DKIM keys, DMARC), the
 * sending IP adds SPF {@code check_host()}, PTR and blocklists, the recipient ({@code to}, an
 * address or just a domain) selects MX, MTA-STS, DANE and the SMTP probe, and a bounce or delay
 * notice adds the DSN the sender received.
 *
 * <p>A bounce or message is given as a file or as bytes already in memory ({@link
 * Builder#bounce(byte[], String)}); {@link #bounceSource()} and {@link #messageSource()} give it
 * either way. Files are read when the checks run, not when the question is built. maildx-core reads
 * no Jakarta Mail types: an application that holds a {@code jakarta.mail.internet.MimeMessage}
 * classifies it with maildx-bounce's {@code JakartaMailBounces}, or writes it out once ({@code
 * message.writeTo(out)}) and passes the bytes here.
 *
 * <p>Input is validated when set: a malformed address, domain or IP throws {@link
 * IllegalArgumentException} with a message saying what is wrong. Instances are immutable.
 *
 * <pre>{@code
 * DeliveryQuestion q = DeliveryQuestion.builder()
 *     .from("alice@corp.example")
 *     .sendingIp("203.0.113.5")
 *     .to("bob@agency.example")
 *     .build();
 * }</pre>
 */
public final class DeliveryQuestion {
  /** The SMTP port probed unless another is set (RFC 5321 §4.5.4.1 relay port). */
  public static final int SMTP_PORT = 25;

  private final @Nullable EmailAddress from;
  private final @Nullable InetAddress sendingIp;
  private final @Nullable DomainName helo;
  private final @Nullable EmailAddress recipient;
  private final @Nullable DomainName recipientDomain;
  private final @Nullable Source bounce;
  private final @Nullable Source message;
  private final List<String> dkimSelectors;
  private final boolean smtpProbe;
  private final int smtpPort;

  private DeliveryQuestion(Builder b) {
    this.from = b.from;
    this.sendingIp = b.sendingIp;
    this.helo = b.helo;
    this.recipient = b.recipient;
    this.recipientDomain = b.recipientDomain;
    this.bounce = b.bounce;
    this.message = b.message;
    this.dkimSelectors = List.copyOf(b.dkimSelectors);
    this.smtpProbe = b.smtpProbe;
    this.smtpPort = b.smtpPort;
  }

  /**
   * Starts a question.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A question about one recipient address or domain, with defaults for everything else.
   *
   * @param to an address ({@code bob@agency.example}) or a domain ({@code agency.example})
   * @return the question
   * @throws IllegalArgumentException if {@code to} is neither
   */
  public static DeliveryQuestion to(String to) {
    return builder().to(to).build();
  }

  /**
   * Returns a builder initialised with this question's values.
   *
   * @return a builder to derive a variant from
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.from = from;
    b.sendingIp = sendingIp;
    b.helo = helo;
    b.recipient = recipient;
    b.recipientDomain = recipientDomain;
    b.bounce = bounce;
    b.message = message;
    b.dkimSelectors.addAll(dkimSelectors);
    b.smtpProbe = smtpProbe;
    b.smtpPort = smtpPort;
    return b;
  }

  /**
   * @return the sender address (RFC5321.MailFrom or RFC5322.From), if given
   */
  public Optional<EmailAddress> from() {
    return Optional.ofNullable(from);
  }

  /**
   * @return the sender's domain, if a sender was given
   */
  public Optional<DomainName> senderDomain() {
    return from().map(EmailAddress::domain);
  }

  /**
   * @return the IP address the sender's mail leaves from, if given
   */
  public Optional<InetAddress> sendingIp() {
    return Optional.ofNullable(sendingIp);
  }

  /**
   * @return the HELO/EHLO name the sending server uses, if given
   */
  public Optional<DomainName> helo() {
    return Optional.ofNullable(helo);
  }

  /**
   * @return the recipient address, if {@code to} was an address
   */
  public Optional<EmailAddress> recipient() {
    return Optional.ofNullable(recipient);
  }

  /**
   * @return the recipient domain, if {@code to} was given
   */
  public Optional<DomainName> recipientDomain() {
    return Optional.ofNullable(recipientDomain);
  }

  /**
   * The bounce or delay notice the sender received, if it was given as a file.
   *
   * @return its file; empty if there is no bounce or it was given as bytes (see {@link
   *     #bounceSource()})
   */
  public Optional<Path> bounce() {
    return bounce == null ? Optional.empty() : bounce.file();
  }

  /**
   * The bounce or delay notice the sender received, however it was given.
   *
   * @return the notice, if given
   */
  public Optional<Source> bounceSource() {
    return Optional.ofNullable(bounce);
  }

  /**
   * A received message to authenticate, if it was given as a file.
   *
   * @return its file; empty if there is no message or it was given as bytes (see {@link
   *     #messageSource()})
   */
  public Optional<Path> message() {
    return message == null ? Optional.empty() : message.file();
  }

  /**
   * A received message to authenticate, however it was given.
   *
   * @return the message, if given
   */
  public Optional<Source> messageSource() {
    return Optional.ofNullable(message);
  }

  /**
   * @return DKIM selectors to check besides the common ones, in order; possibly empty
   */
  public List<String> dkimSelectors() {
    return dkimSelectors;
  }

  /**
   * @return whether the recipient's mail servers may be probed over SMTP (default {@code true})
   */
  public boolean smtpProbe() {
    return smtpProbe;
  }

  /**
   * @return the TCP port to probe SMTP on (default {@value #SMTP_PORT})
   */
  public int smtpPort() {
    return smtpPort;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DeliveryQuestion)) {
      return false;
    }
    DeliveryQuestion q = (DeliveryQuestion) o;
    return smtpProbe == q.smtpProbe
        && smtpPort == q.smtpPort
        && Objects.equals(from, q.from)
        && Objects.equals(sendingIp, q.sendingIp)
        && Objects.equals(helo, q.helo)
        && Objects.equals(recipient, q.recipient)
        && Objects.equals(recipientDomain, q.recipientDomain)
        && Objects.equals(bounce, q.bounce)
        && Objects.equals(message, q.message)
        && dkimSelectors.equals(q.dkimSelectors);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        from,
        sendingIp,
        helo,
        recipient,
        recipientDomain,
        bounce,
        message,
        dkimSelectors,
        smtpProbe,
        smtpPort);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("DeliveryQuestion[");
    if (from != null) {
      b.append("from=").append(from).append(' ');
    }
    if (sendingIp != null) {
      b.append("ip=").append(InetAddresses.toLiteral(sendingIp)).append(' ');
    }
    if (recipient != null) {
      b.append("to=").append(recipient).append(' ');
    } else if (recipientDomain != null) {
      b.append("to=").append(recipientDomain).append(' ');
    }
    if (bounce != null) {
      b.append("bounce=").append(bounce).append(' ');
    }
    if (message != null) {
      b.append("message=").append(message).append(' ');
    }
    return b.toString().strip() + "]";
  }

  /** Builds a {@link DeliveryQuestion}; validates every value as it is set. Not thread-safe. */
  public static final class Builder {
    private @Nullable EmailAddress from;
    private @Nullable InetAddress sendingIp;
    private @Nullable DomainName helo;
    private @Nullable EmailAddress recipient;
    private @Nullable DomainName recipientDomain;
    private @Nullable Source bounce;
    private @Nullable Source message;
    private final List<String> dkimSelectors = new ArrayList<>();
    private boolean smtpProbe = true;
    private int smtpPort = SMTP_PORT;

    private Builder() {}

    /**
     * Sets the sender address.
     *
     * @param address for example {@code alice@corp.example}
     * @return this builder
     * @throws IllegalArgumentException if it is not a valid address
     */
    public Builder from(String address) {
      this.from = EmailAddress.parse(requireNonNull(address, "address"));
      return this;
    }

    /**
     * Sets the sender address.
     *
     * @param address the address
     * @return this builder
     */
    public Builder from(EmailAddress address) {
      this.from = requireNonNull(address, "address");
      return this;
    }

    /**
     * Sets the IP address the sender's mail leaves from. Only literals are accepted; no name is
     * resolved.
     *
     * @param ip an IPv4 or IPv6 literal
     * @return this builder
     * @throws IllegalArgumentException if it is not an IP literal
     */
    public Builder sendingIp(String ip) {
      this.sendingIp = InetAddresses.parse(requireNonNull(ip, "ip"));
      return this;
    }

    /**
     * Sets the IP address the sender's mail leaves from.
     *
     * @param ip the address
     * @return this builder
     */
    public Builder sendingIp(InetAddress ip) {
      this.sendingIp = requireNonNull(ip, "ip");
      return this;
    }

    /**
     * Sets the HELO/EHLO name of the sending server (for SPF's HELO identity).
     *
     * @param name a host name
     * @return this builder
     */
    public Builder helo(String name) {
      this.helo = DomainName.of(requireNonNull(name, "name"));
      return this;
    }

    /**
     * Sets the recipient: an address or only a domain.
     *
     * @param addressOrDomain for example {@code bob@agency.example} or {@code agency.example}
     * @return this builder
     * @throws IllegalArgumentException if it is neither a valid address nor a valid domain
     */
    public Builder to(String addressOrDomain) {
      requireNonNull(addressOrDomain, "addressOrDomain");
      if (addressOrDomain.indexOf('@') >= 0) {
        EmailAddress a = EmailAddress.parse(addressOrDomain);
        this.recipient = a;
        this.recipientDomain = a.domain();
      } else {
        this.recipient = null;
        this.recipientDomain = DomainName.of(addressOrDomain);
      }
      return this;
    }

    /**
     * Sets the recipient address.
     *
     * @param address the address
     * @return this builder
     */
    public Builder to(EmailAddress address) {
      this.recipient = requireNonNull(address, "address");
      this.recipientDomain = address.domain();
      return this;
    }

    /**
     * Sets the recipient domain.
     *
     * @param domain the domain
     * @return this builder
     */
    public Builder to(DomainName domain) {
      this.recipient = null;
      this.recipientDomain = requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Sets the bounce or delay notice the sender received (a file holding one RFC 5322 message).
     *
     * @param file the message file
     * @return this builder
     */
    public Builder bounce(Path file) {
      this.bounce = new Source(requireNonNull(file, "file"), null, file.toString());
      return this;
    }

    /**
     * Sets the bounce or delay notice the sender received, held in memory; reports call it {@value
     * Source#IN_MEMORY_BOUNCE}.
     *
     * @param message the notice's bytes (one RFC 5322 message); copied
     * @return this builder
     */
    public Builder bounce(byte[] message) {
      return bounce(message, Source.IN_MEMORY_BOUNCE);
    }

    /**
     * Sets the bounce or delay notice the sender received, held in memory, with the name reports
     * show for it.
     *
     * @param message the notice's bytes (one RFC 5322 message); copied
     * @param name what reports call it, for example a mailbox and message number
     * @return this builder
     * @throws IllegalArgumentException if the name is blank or holds a control character
     */
    public Builder bounce(byte[] message, String name) {
      this.bounce = Source.copyOf(message, name);
      return this;
    }

    /**
     * Sets a received message whose authentication (DKIM, DMARC) should be checked.
     *
     * @param file the message file
     * @return this builder
     */
    public Builder message(Path file) {
      this.message = new Source(requireNonNull(file, "file"), null, file.toString());
      return this;
    }

    /**
     * Sets a received message whose authentication should be checked, held in memory; reports call
     * it {@value Source#IN_MEMORY_MESSAGE}.
     *
     * @param message the message's bytes exactly as received; copied
     * @return this builder
     */
    public Builder message(byte[] message) {
      return message(message, Source.IN_MEMORY_MESSAGE);
    }

    /**
     * Sets a received message whose authentication should be checked, held in memory, with the name
     * reports show for it.
     *
     * @param message the message's bytes exactly as received; copied
     * @param name what reports call it
     * @return this builder
     * @throws IllegalArgumentException if the name is blank or holds a control character
     */
    public Builder message(byte[] message, String name) {
      this.message = Source.copyOf(message, name);
      return this;
    }

    /**
     * Adds DKIM selectors to check (besides the common ones maildx tries on its own).
     *
     * @param selectors selector names, for example {@code "selector1"}
     * @return this builder
     * @throws IllegalArgumentException if a selector is not a valid DNS name part
     */
    public Builder dkimSelectors(String... selectors) {
      for (String s : selectors) {
        requireNonNull(s, "selector");
        if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
          throw new IllegalArgumentException(
              "invalid DKIM selector \""
                  + DomainName.printable(s)
                  + "\": contains a control character");
        }
        String t = s.strip();
        if (t.isEmpty()
            || t.length() > 200
            || !t.chars()
                .allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')
            || t.startsWith(".")
            || t.endsWith(".")
            || t.contains("..")) {
          throw new IllegalArgumentException(
              "invalid DKIM selector \""
                  + DomainName.printable(s)
                  + "\": letters, digits, '-', '_' and dots between labels only");
        }
        if (!dkimSelectors.contains(t)) {
          dkimSelectors.add(t);
        }
      }
      return this;
    }

    /**
     * Whether the recipient's servers may be probed over SMTP (default {@code true}). The probe
     * never sends DATA.
     *
     * @param enabled {@code false} to skip the SMTP probe
     * @return this builder
     */
    public Builder smtpProbe(boolean enabled) {
      this.smtpProbe = enabled;
      return this;
    }

    /**
     * Sets the TCP port to probe SMTP on (default {@value DeliveryQuestion#SMTP_PORT}); for tests
     * against servers on other ports.
     *
     * @param port 1 to 65535
     * @return this builder
     */
    public Builder smtpPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("SMTP port must be between 1 and 65535, was " + port);
      }
      this.smtpPort = port;
      return this;
    }

    /**
     * Builds the question.
     *
     * @return the immutable question
     * @throws IllegalArgumentException if nothing was asked (no recipient, sender, bounce or
     *     message)
     */
    public DeliveryQuestion build() {
      if (recipientDomain == null && from == null && bounce == null && message == null) {
        throw new IllegalArgumentException(
            "a question needs a recipient (to), a sender (from), a bounce or a message");
      }
      return new DeliveryQuestion(this);
    }
  }

  /**
   * A message given to a question — a bounce or a received message — either as a file or as bytes
   * held in memory, with the name reports show for it.
   *
   * <p>Immutable: bytes are copied when set on the builder and never handed out; a file is not read
   * until {@link #openStream()} is called.
   */
  public static final class Source {
    /** What reports call a bounce given as bytes without a name. */
    public static final String IN_MEMORY_BOUNCE = "in-memory bounce";

    /** What reports call a message given as bytes without a name. */
    public static final String IN_MEMORY_MESSAGE = "in-memory message";

    private final @Nullable Path file;
    private final byte @Nullable [] bytes;
    private final String name;

    private Source(@Nullable Path file, byte @Nullable [] bytes, String name) {
      this.file = file;
      this.bytes = bytes;
      this.name = name;
    }

    static Source copyOf(byte[] message, String name) {
      requireNonNull(message, "message");
      requireNonNull(name, "name");
      if (name.isBlank() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException(
            "invalid name \""
                + DomainName.printable(name)
                + "\": it must not be blank or hold a control character");
      }
      return new Source(null, message.clone(), name);
    }

    /**
     * @return the name reports show: the file's path, or the name given with the bytes
     */
    public String name() {
      return name;
    }

    /**
     * @return the file, if the message was given as one
     */
    public Optional<Path> file() {
      return Optional.ofNullable(file);
    }

    /**
     * Opens the message: the file, or the bytes in memory (not copied again).
     *
     * @return a new stream over the whole message; the caller closes it
     * @throws IOException if the file cannot be opened
     */
    public InputStream openStream() throws IOException {
      return bytes != null
          ? new ByteArrayInputStream(bytes)
          : Files.newInputStream(requireNonNull(file));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Source s
          && Objects.equals(file, s.file)
          && Arrays.equals(bytes, s.bytes)
          && name.equals(s.name);
    }

    @Override
    public int hashCode() {
      return Objects.hash(file, Arrays.hashCode(bytes), name);
    }

    /**
     * @return the name, and for bytes their count
     */
    @Override
    public String toString() {
      return bytes == null ? name : name + " (" + bytes.length + " bytes)";
    }
  }
}
