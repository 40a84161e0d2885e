package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.Finding;
import dev.maildx.internal.InetAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import static java.util.Objects.requireNonNull;


/**
 * What an SMTP probe of a domain's mail servers (or of one host) found, per server address: how
 * far each conversation got and why it stopped (RFC 5321, RFC 3207, RFC 7672), with findings that
 * explain it in words. The report of the {@code smtp} check and of {@code SmtpProber}.
 *
 * <p>The probe never sends {@code DATA}: it ends every conversation with {@code RSET} and
 * {@code QUIT}.
 *
 * @param check the check name, {@code smtp}
 * @param target what was probed, as given: a domain, a host name or an IP address
 * @param domain the domain whose MX hosts were probed, if a domain was probed
 * @param port the TCP port probed
 * @param recipient the address asked about with {@code RCPT TO}, if any
 * @param hosts one entry per address probed, in MX preference order and then address order
 * @param findings what the probe found, most severe first
 * @param elapsed how long the probe took
 */
public record ProbeReport(
    String check,
    String target,
    @Nullable DomainName domain,
    int port,
    @Nullable EmailAddress recipient,
    List<Host> hosts,
    List<Finding> findings,
    Duration elapsed) implements CheckReport {

  /** Validates and copies. */
  public ProbeReport {
    requireNonNull(check, "check");
    requireNonNull(target, "target");
    hosts = List.copyOf(hosts);
    findings = List.copyOf(findings);
    requireNonNull(elapsed, "elapsed");
  }

  /**
   * Whether at least one server accepted the probe (and the recipient, if one was asked about).
   *
   * @return {@code true} if any host's outcome is {@link Outcome#ACCEPTED}
   */
  public boolean anyAccepted() {
    return hosts.stream().anyMatch(h -> h.outcome() == Outcome.ACCEPTED);
  }

  /**
   * The probe of the first address of a host.
   *
   * @param name the host name (or IP literal)
   * @return the first entry for it, if it was probed
   */
  public Optional<Host> host(String name) {
    return hosts.stream().filter(h -> h.name().equalsIgnoreCase(name)).findFirst();
  }

  /**
   * The SMTP probe of one mail server address: how far the conversation got (RFC 5321 §3, §4.3.2;
   * RFC 3207), what the server said at each step, the TLS session and certificate, the DANE match,
   * the time each step took, and the transcript.
   *
   * @param name the host name probed (the MX target), or the IP literal for a probe by address
   * @param preference the MX preference (0 for a host probed directly)
   * @param address the address connected to, as published in the DNS
   * @param port the TCP port probed
   * @param outcome where the conversation ended
   * @param phase the step during which it ended ({@link Phase#QUIT} when it ran to the end)
   * @param timedOut whether it ended because the server did not answer in time
   * @param detail how it ended, in words; empty when accepted
   * @param banner the greeting, if a complete one arrived
   * @param ehlo the reply to EHLO, or to HELO after EHLO was refused, if one arrived
   * @param esmtp whether EHLO was accepted (rather than only HELO)
   * @param extensions the extensions announced in reply to the first EHLO
   * @param tls the TLS session, if STARTTLS succeeded (or the handshake got as far as the certificate)
   * @param extensionsAfterTls the extensions announced in reply to EHLO inside TLS, if it was sent
   * @param mailFrom the reply to {@code MAIL FROM}, if sent
   * @param rcpt the reply to {@code RCPT TO} for the recipient asked about, if sent
   * @param catchAll the reply to {@code RCPT TO} for a random address at the same domain, if sent
   * @param dane the DANE match of the presented certificate chain, if TLSA records were looked up
   * @param greetingFirstByte the time from connection to the first byte of the greeting, if any came
   * @param timings the duration of each step that ran, in order
   * @param startedAt when the connection attempt started, by the configured clock
   * @param elapsed the whole probe of this address
   * @param transcript every line sent and received, with times
   */
  public record Host(
      String name,
      int preference,
      InetAddress address,
      int port,
      Outcome outcome,
      Phase phase,
      boolean timedOut,
      String detail,
      @Nullable SmtpReply banner,
      @Nullable SmtpReply ehlo,
      boolean esmtp,
      Extensions extensions,
      @Nullable Tls tls,
      @Nullable Extensions extensionsAfterTls,
      @Nullable SmtpReply mailFrom,
      @Nullable SmtpReply rcpt,
      @Nullable SmtpReply catchAll,
      @Nullable Dane dane,
      @Nullable Duration greetingFirstByte,
      Map<Phase, Duration> timings,
      Instant startedAt,
      Duration elapsed,
      List<TranscriptLine> transcript) {

    /** Validates and copies. */
    public Host {
      requireNonNull(name, "name");
      requireNonNull(address, "address");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535, was " + port);
      }
      requireNonNull(outcome, "outcome");
      requireNonNull(phase, "phase");
      requireNonNull(detail, "detail");
      requireNonNull(extensions, "extensions");
      EnumMap<Phase, Duration> t = new EnumMap<>(Phase.class);
      t.putAll(timings);
      timings = Collections.unmodifiableMap(t);
      requireNonNull(startedAt, "startedAt");
      requireNonNull(elapsed, "elapsed");
      transcript = List.copyOf(transcript);
    }

    /**
     * A copy with a DANE result.
     *
     * @param result the DANE result
     * @return the copy
     */
    public Host withDane(@Nullable Dane result) {
      return new Host(name, preference, address, port, outcome, phase, timedOut, detail, banner, ehlo, esmtp, extensions, tls,
          extensionsAfterTls, mailFrom, rcpt, catchAll, result, greetingFirstByte, timings, startedAt, elapsed, transcript);
    }

    /**
     * The extensions in force at the end: those announced inside TLS if EHLO was repeated there,
     * else those of the first EHLO.
     *
     * @return the extensions
     */
    public Extensions effectiveExtensions() {
      return extensionsAfterTls != null ? extensionsAfterTls : extensions;
    }

    /**
     * The host and address as one label.
     *
     * @return for example {@code mx1.example.com [192.0.2.1]:25}
     */
    public String label() {
      String lit = InetAddresses.toLiteral(address);
      String a = lit.indexOf(':') >= 0 ? "[IPv6:" + lit + "]" : "[" + lit + "]";
      return (name.equals(lit) ? "" : name + " ") + a + ":" + port;
    }
  }

  /**
   * Where an SMTP probe of one mail server address ended (the {@code outcome} of the CLI's JSON
   * contract). The conversation follows RFC 5321 §3 and §4.3.2: connect, greeting ({@code 220}),
   * EHLO, STARTTLS (RFC 3207), EHLO again, {@code MAIL FROM}, {@code RCPT TO}, {@code RSET},
   * {@code QUIT} — never {@code DATA}.
   */
  public enum Outcome {
    /** The server completed every step that was asked for: greeting, EHLO, TLS if offered, and the recipient if one was given. */
    ACCEPTED,
    /** The TCP connection was refused (RST) or the network reported the address unreachable. */
    CONNECT_REFUSED,
    /** The TCP connection was not answered in time: the port is filtered or the host is down. */
    CONNECT_TIMEOUT,
    /** Connected, but no complete greeting arrived: a black hole or a tarpit (RFC 5321 §4.5.3.2.1). */
    NO_BANNER,
    /** The greeting was a refusal: {@code 4xx} (temporary, often {@code 421}) or {@code 5xx} ({@code 554}), RFC 5321 §3.1. */
    BANNER_REJECTED,
    /** Both EHLO and HELO were refused, or EHLO after STARTTLS was (RFC 5321 §4.1.1.1). */
    EHLO_REJECTED,
    /** STARTTLS was refused or the TLS handshake failed (RFC 3207 §4). */
    TLS_FAILED,
    /** The server closed the connection, or stopped answering, in the middle of the conversation. */
    DISCONNECTED,
    /** The server broke the protocol: malformed, oversized, endless or inconsistent replies (RFC 5321 §4.2). */
    PROTOCOL_ERROR,
    /** {@code MAIL FROM} or {@code RCPT TO} was refused permanently ({@code 5xx}). */
    RCPT_REJECTED,
    /** {@code MAIL FROM} or {@code RCPT TO} was refused temporarily ({@code 4xx}), for example greylisting. */
    RCPT_DEFERRED;

    /**
     * Whether a TCP connection was established, so the outcome says something about the server
     * rather than about the path to it.
     *
     * @return {@code false} only for {@link #CONNECT_REFUSED} and {@link #CONNECT_TIMEOUT}
     */
    public boolean connected() {
      return this != CONNECT_REFUSED && this != CONNECT_TIMEOUT;
    }
  }

  /**
   * The steps of an SMTP probe, in the order they run (RFC 5321 §3, RFC 3207 §4). Each has its own
   * deadline under the overall one and its duration is recorded.
   */
  public enum Phase {
    /** The TCP connection. */
    CONNECT,
    /** Waiting for the server's {@code 220} greeting (RFC 5321 §4.3.1). */
    GREETING,
    /** {@code EHLO} (or {@code HELO} as a fallback) and its reply. */
    EHLO,
    /** {@code STARTTLS} and the TLS handshake (RFC 3207). */
    STARTTLS,
    /** {@code EHLO} again inside TLS (RFC 3207 §4.2). */
    TLS_EHLO,
    /** {@code MAIL FROM}. */
    MAIL,
    /** {@code RCPT TO} for the recipient asked about. */
    RCPT,
    /** {@code RCPT TO} for a random address at the same domain, to detect a catch-all. */
    CATCH_ALL,
    /** {@code RSET}: the transaction is abandoned, nothing is sent. */
    RSET,
    /** {@code QUIT}. */
    QUIT
  }

  /**
   * One line of an SMTP probe's transcript: what was sent or received, and when, relative to the
   * start of the connection attempt. Control characters are shown escaped and long lines are
   * truncated; the prober has no credentials, so none can appear.
   *
   * @param at time since the connection attempt started
   * @param from who said it
   * @param text the line without CRLF
   */
  public record TranscriptLine(Duration at, From from, String text) {
    /** Validates. */
    public TranscriptLine {
      requireNonNull(at, "at");
      requireNonNull(from, "from");
      requireNonNull(text, "text");
    }

    /** The author of a transcript line. */
    public enum From {
      /** A command maildx sent. */
      CLIENT,
      /** A reply line from the server. */
      SERVER,
      /** An event maildx notes: connected, TLS established, timeout, connection closed. */
      NOTE
    }

    @Override
    public String toString() {
      String who = from == From.CLIENT ? "C: " : from == From.SERVER ? "S: " : "-- ";
      return String.format("%6d ms %s%s", at.toMillis(), who, text);
    }
  }

  /**
   * The TLS session an SMTP server negotiated after STARTTLS (RFC 3207), with its certificate chain
   * as presented and how it was judged: trust against the trust store (RFC 5280 §6), the MX host
   * name against the certificate's names (RFC 6125 §6, as MTA-STS requires: RFC 8461 §4.2), and its
   * validity dates.
   *
   * <p>Most senders deliver over TLS whatever the certificate (opportunistic TLS, RFC 7435); the
   * judgement matters for senders that enforce MTA-STS or DANE.
   *
   * @param protocol the negotiated protocol, for example {@code TLSv1.3}
   * @param cipherSuite the negotiated cipher suite, for example {@code TLS_AES_256_GCM_SHA384}
   * @param chain the certificates as presented, leaf first; empty if the server sent none
   * @param trusted whether the chain validates against the trust store
   * @param trustProblem why it does not validate, if it does not (for example {@code self-signed})
   * @param hostnameMatches whether the leaf certificate names the host probed (the MX name, or the
   *     IP address for a probe by address)
   * @param expired whether the leaf certificate was outside its validity period at the time of the
   *     probe
   * @param expiresSoon whether the leaf certificate expires within the configured warning window
   * @param handshake how long the handshake took
   */
  public record Tls(
      String protocol,
      String cipherSuite,
      List<Certificate> chain,
      boolean trusted,
      @Nullable String trustProblem,
      boolean hostnameMatches,
      boolean expired,
      boolean expiresSoon,
      Duration handshake) {

    /** Validates and copies. */
    public Tls {
      requireNonNull(protocol, "protocol");
      requireNonNull(cipherSuite, "cipherSuite");
      chain = List.copyOf(chain);
      requireNonNull(handshake, "handshake");
    }

    /**
     * The server's own certificate.
     *
     * @return the first certificate of the chain, or {@code null} if there was none
     */
    public @Nullable Certificate leaf() {
      return chain.isEmpty() ? null : chain.get(0);
    }

    /**
     * Whether the leaf certificate is self-signed.
     *
     * @return {@code true} if it is
     */
    public boolean selfSigned() {
      Certificate leaf = leaf();
      return leaf != null && leaf.selfSigned();
    }
  }

  /**
   * What a mail server's X.509 certificate says (RFC 5280 §4.1): captured from the TLS handshake
   * whether or not it is trusted.
   *
   * @param subject the subject distinguished name (RFC 2253 form)
   * @param issuer the issuer distinguished name (RFC 2253 form)
   * @param dnsNames the {@code dNSName} entries of the subjectAltName extension (RFC 5280 §4.2.1.6)
   * @param ipAddresses the {@code iPAddress} entries of the subjectAltName extension
   * @param notBefore start of validity
   * @param notAfter end of validity
   * @param keyAlgorithm the public key's algorithm: {@code RSA}, {@code EC}, {@code Ed25519}, ...
   * @param keySize the key size in bits (RSA modulus, EC field size), 0 if unknown
   * @param signatureAlgorithm the algorithm the issuer signed with, for example {@code SHA256withRSA}
   * @param sha256 SHA-256 of the whole certificate (DER), lower-case hex (TLSA {@code 3 0 1} data)
   * @param spkiSha256 SHA-256 of the SubjectPublicKeyInfo (DER), lower-case hex (TLSA {@code 3 1 1}
   *     data, RFC 7671 §5.1)
   * @param selfSigned whether subject and issuer are the same and the certificate verifies with its
   *     own key
   */
  public record Certificate(
      String subject,
      String issuer,
      List<String> dnsNames,
      List<String> ipAddresses,
      Instant notBefore,
      Instant notAfter,
      String keyAlgorithm,
      int keySize,
      String signatureAlgorithm,
      String sha256,
      String spkiSha256,
      boolean selfSigned) {

    /** Validates and copies. */
    public Certificate {
      requireNonNull(subject, "subject");
      requireNonNull(issuer, "issuer");
      dnsNames = List.copyOf(dnsNames);
      ipAddresses = List.copyOf(ipAddresses);
      requireNonNull(notBefore, "notBefore");
      requireNonNull(notAfter, "notAfter");
      requireNonNull(keyAlgorithm, "keyAlgorithm");
      requireNonNull(signatureAlgorithm, "signatureAlgorithm");
      requireNonNull(sha256, "sha256");
      requireNonNull(spkiSha256, "spkiSha256");
    }

    /**
     * Whether the certificate is valid at an instant.
     *
     * @param at the instant
     * @return {@code true} if {@code notBefore <= at <= notAfter}
     */
    public boolean validAt(Instant at) {
      return !at.isBefore(notBefore) && !at.isAfter(notAfter);
    }
  }

  /**
   * The service extensions an SMTP server announced in its EHLO reply (RFC 5321 §4.1.1.1): one
   * entry per line after the first, keyword first, for example {@code SIZE 10240000} or
   * {@code STARTTLS}.
   *
   * <p>The accessors name the extensions a sender's delivery depends on: {@code SIZE} (RFC 1870),
   * {@code STARTTLS} (RFC 3207), {@code PIPELINING} (RFC 2920), {@code 8BITMIME} (RFC 6152),
   * {@code SMTPUTF8} (RFC 6531), {@code CHUNKING} (RFC 3030), {@code ENHANCEDSTATUSCODES}
   * (RFC 2034), {@code DSN} (RFC 3461) and {@code REQUIRETLS} (RFC 8689).
   *
   * @param lines the extension lines as announced (keyword and parameters), without the reply code
   */
  public record Extensions(List<String> lines) {
    /** No extensions: a server that answered HELO, or was not asked. */
    public static final Extensions NONE = new Extensions(List.of());

    /** Copies. */
    public Extensions {
      lines = List.copyOf(lines);
    }

    /**
     * Whether an extension keyword was announced (case-insensitive).
     *
     * @param keyword for example {@code PIPELINING}
     * @return {@code true} if a line starts with it
     */
    public boolean has(String keyword) {
      return parameters(keyword) != null;
    }

    /**
     * The keywords alone, upper case, in the order announced.
     *
     * @return for example {@code [PIPELINING, SIZE, STARTTLS]}
     */
    public List<String> keywords() {
      return lines.stream().map(l -> {
        int sp = l.indexOf(' ');
        return (sp < 0 ? l : l.substring(0, sp)).toUpperCase(Locale.ROOT);
      }).toList();
    }

    /**
     * The message size limit of the {@code SIZE} extension (RFC 1870 §4).
     *
     * @return the limit in octets; 0 if SIZE was announced without a limit; empty if SIZE was not
     *     announced or its value is not a number
     */
    public OptionalLong size() {
      String p = parameters("SIZE");
      if (p == null) {
        return OptionalLong.empty();
      }
      if (p.isEmpty()) {
        return OptionalLong.of(0);
      }
      String digits = p.split(" ")[0];
      // size-param = [1*DIGIT] (RFC 1870 §4): no sign, so "-5" or "+5" is not a number either.
      if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return OptionalLong.empty();
      }
      try {
        return OptionalLong.of(Long.parseLong(digits));
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }

    /** @return whether STARTTLS (RFC 3207) was announced */
    public boolean startTls() {
      return has("STARTTLS");
    }

    /** @return whether PIPELINING (RFC 2920) was announced */
    public boolean pipelining() {
      return has("PIPELINING");
    }

    /** @return whether 8BITMIME (RFC 6152) was announced */
    public boolean eightBitMime() {
      return has("8BITMIME");
    }

    /** @return whether SMTPUTF8 (RFC 6531) was announced */
    public boolean smtpUtf8() {
      return has("SMTPUTF8");
    }

    /** @return whether CHUNKING (RFC 3030) was announced */
    public boolean chunking() {
      return has("CHUNKING");
    }

    /** @return whether ENHANCEDSTATUSCODES (RFC 2034) was announced */
    public boolean enhancedStatusCodes() {
      return has("ENHANCEDSTATUSCODES");
    }

    /** @return whether DSN (RFC 3461) was announced */
    public boolean dsn() {
      return has("DSN");
    }

    /** @return whether REQUIRETLS (RFC 8689) was announced */
    public boolean requireTls() {
      return has("REQUIRETLS");
    }

    private @Nullable String parameters(String keyword) {
      for (String l : lines) {
        if (l.regionMatches(true, 0, keyword, 0, keyword.length())
            && (l.length() == keyword.length() || l.charAt(keyword.length()) == ' ' || l.charAt(keyword.length()) == '=')) {
          return l.substring(keyword.length()).strip();
        }
      }
      return null;
    }
  }

  /**
   * How an SMTP server's certificate chain fared against the TLSA records of its MX host name
   * ({@code _25._tcp.<mx>}): DANE for SMTP (RFC 7672 §3, RFC 6698 §2.1, RFC 7671).
   *
   * <p>For SMTP only the usages DANE-TA(2) and DANE-EE(3) count (RFC 7672 §3.1.3); selectors 0 (full
   * certificate) and 1 (SubjectPublicKeyInfo); matching types 0 (exact), 1 (SHA-256) and 2
   * (SHA-512). DANE-EE ignores names and dates (RFC 7672 §3.1.1); DANE-TA needs the chain to lead to
   * the matched trust anchor and the certificate to name the MX host (RFC 7672 §3.1.2, §3.2.2).
   *
   * @param status the result
   * @param records the TLSA records found, in DNS order
   * @param authenticated whether the TLSA answer carried the DNSSEC AD bit; DANE senders ignore TLSA
   *     records that are not DNSSEC-validated (RFC 7672 §2.2)
   * @param matched the record that matched, if one did
   * @param detail a short explanation
   */
  public record Dane(Status status, List<TlsaRecord> records, boolean authenticated, @Nullable TlsaRecord matched, String detail) {
    /** Validates and copies. */
    public Dane {
      requireNonNull(status, "status");
      records = List.copyOf(records);
      requireNonNull(detail, "detail");
    }

    /** The outcome of matching. */
    public enum Status {
      /** The MX host has no TLSA records: DANE does not apply. */
      NO_RECORDS,
      /** A usable record matched the presented chain. */
      MATCHED,
      /** Usable records exist but none matched: DANE senders will not deliver to this host. */
      NOT_MATCHED,
      /** TLSA records exist but TLS was not available, so DANE senders will not deliver. */
      NO_TLS,
      /** TLSA records exist but none is usable for SMTP (usages 0/1, unknown selector or type). */
      UNUSABLE,
      /** The TLSA lookup failed (timeout, SERVFAIL): unknown whether DANE applies. */
      LOOKUP_FAILED
    }
  }
}
