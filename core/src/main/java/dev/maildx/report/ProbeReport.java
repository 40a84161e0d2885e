package dev.maildx.report;

import static dev.maildx.Severity.ERROR;
import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
import static dev.maildx.Verdict.AT_RISK;
import static dev.maildx.Verdict.DELIVERABLE;
import static dev.maildx.Verdict.INCONCLUSIVE;
import static dev.maildx.Verdict.UNDELIVERABLE;
import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.Finding;
import dev.maildx.FindingCode;
import dev.maildx.Severity;
import dev.maildx.Verdict;
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

/**
 * What an SMTP probe of a domain's mail servers (or of one host) found, per server address: how far
 * each conversation got and why it stopped (RFC 5321, RFC 3207, RFC 7672), with findings that
 * explain it in words. The report of the {@code smtp} check and of {@code SmtpProber}.
 *
 * <p>The probe never sends {@code DATA}: it ends every conversation with {@code RSET} and {@code
 * QUIT}.
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
    Duration elapsed)
    implements CheckReport {
  /** The name of the check that makes this report: {@value}. */
  public static final String CHECK = "smtp";

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
   * @param tls the TLS session, if STARTTLS succeeded (or the handshake got as far as the
   *     certificate)
   * @param extensionsAfterTls the extensions announced in reply to EHLO inside TLS, if it was sent
   * @param mailFrom the reply to {@code MAIL FROM}, if sent
   * @param rcpt the reply to {@code RCPT TO} for the recipient asked about, if sent
   * @param catchAll the reply to {@code RCPT TO} for a random address at the same domain, if sent
   * @param dane the DANE match of the presented certificate chain, if TLSA records were looked up
   * @param greetingFirstByte the time from connection to the first byte of the greeting, if any
   *     came
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
      return new Host(
          name,
          preference,
          address,
          port,
          outcome,
          phase,
          timedOut,
          detail,
          banner,
          ehlo,
          esmtp,
          extensions,
          tls,
          extensionsAfterTls,
          mailFrom,
          rcpt,
          catchAll,
          result,
          greetingFirstByte,
          timings,
          startedAt,
          elapsed,
          transcript);
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
   * EHLO, STARTTLS (RFC 3207), EHLO again, {@code MAIL FROM}, {@code RCPT TO}, {@code RSET}, {@code
   * QUIT} — never {@code DATA}.
   */
  public enum Outcome {
    /**
     * The server completed every step that was asked for: greeting, EHLO, TLS if offered, and the
     * recipient if one was given.
     */
    ACCEPTED,
    /** The TCP connection was refused (RST) or the network reported the address unreachable. */
    CONNECT_REFUSED,
    /** The TCP connection was not answered in time: the port is filtered or the host is down. */
    CONNECT_TIMEOUT,
    /**
     * Connected, but no complete greeting arrived: a black hole or a tarpit (RFC 5321 §4.5.3.2.1).
     */
    NO_BANNER,
    /**
     * The greeting was a refusal: {@code 4xx} (temporary, often {@code 421}) or {@code 5xx} ({@code
     * 554}), RFC 5321 §3.1.
     */
    BANNER_REJECTED,
    /** Both EHLO and HELO were refused, or EHLO after STARTTLS was (RFC 5321 §4.1.1.1). */
    EHLO_REJECTED,
    /** STARTTLS was refused or the TLS handshake failed (RFC 3207 §4). */
    TLS_FAILED,
    /**
     * The server closed the connection, or stopped answering, in the middle of the conversation.
     */
    DISCONNECTED,
    /**
     * The server broke the protocol: malformed, oversized, endless or inconsistent replies (RFC
     * 5321 §4.2).
     */
    PROTOCOL_ERROR,
    /** {@code MAIL FROM} or {@code RCPT TO} was refused permanently ({@code 5xx}). */
    RCPT_REJECTED,
    /**
     * {@code MAIL FROM} or {@code RCPT TO} was refused temporarily ({@code 4xx}), for example
     * greylisting.
     */
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
   * @param signatureAlgorithm the algorithm the issuer signed with, for example {@code
   *     SHA256withRSA}
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
   * entry per line after the first, keyword first, for example {@code SIZE 10240000} or {@code
   * STARTTLS}.
   *
   * <p>The accessors name the extensions a sender's delivery depends on: {@code SIZE} (RFC 1870),
   * {@code STARTTLS} (RFC 3207), {@code PIPELINING} (RFC 2920), {@code 8BITMIME} (RFC 6152), {@code
   * SMTPUTF8} (RFC 6531), {@code CHUNKING} (RFC 3030), {@code ENHANCEDSTATUSCODES} (RFC 2034),
   * {@code DSN} (RFC 3461) and {@code REQUIRETLS} (RFC 8689).
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
      return lines.stream()
          .map(
              l -> {
                int sp = l.indexOf(' ');
                return (sp < 0 ? l : l.substring(0, sp)).toUpperCase(Locale.ROOT);
              })
          .toList();
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

    /**
     * @return whether STARTTLS (RFC 3207) was announced
     */
    public boolean startTls() {
      return has("STARTTLS");
    }

    /**
     * @return whether PIPELINING (RFC 2920) was announced
     */
    public boolean pipelining() {
      return has("PIPELINING");
    }

    /**
     * @return whether 8BITMIME (RFC 6152) was announced
     */
    public boolean eightBitMime() {
      return has("8BITMIME");
    }

    /**
     * @return whether SMTPUTF8 (RFC 6531) was announced
     */
    public boolean smtpUtf8() {
      return has("SMTPUTF8");
    }

    /**
     * @return whether CHUNKING (RFC 3030) was announced
     */
    public boolean chunking() {
      return has("CHUNKING");
    }

    /**
     * @return whether ENHANCEDSTATUSCODES (RFC 2034) was announced
     */
    public boolean enhancedStatusCodes() {
      return has("ENHANCEDSTATUSCODES");
    }

    /**
     * @return whether DSN (RFC 3461) was announced
     */
    public boolean dsn() {
      return has("DSN");
    }

    /**
     * @return whether REQUIRETLS (RFC 8689) was announced
     */
    public boolean requireTls() {
      return has("REQUIRETLS");
    }

    private @Nullable String parameters(String keyword) {
      for (String l : lines) {
        if (l.regionMatches(true, 0, keyword, 0, keyword.length())
            && (l.length() == keyword.length()
                || l.charAt(keyword.length()) == ' '
                || l.charAt(keyword.length()) == '=')) {
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
   * <p>For SMTP only the usages DANE-TA(2) and DANE-EE(3) count (RFC 7672 §3.1.3); selectors 0
   * (full certificate) and 1 (SubjectPublicKeyInfo); matching types 0 (exact), 1 (SHA-256) and 2
   * (SHA-512). DANE-EE ignores names and dates (RFC 7672 §3.1.1); DANE-TA needs the chain to lead
   * to the matched trust anchor and the certificate to name the MX host (RFC 7672 §3.1.2, §3.2.2).
   *
   * @param status the result
   * @param records the TLSA records found, in DNS order
   * @param authenticated whether the TLSA answer carried the DNSSEC AD bit; DANE senders ignore
   *     TLSA records that are not DNSSEC-validated (RFC 7672 §2.2)
   * @param matched the record that matched, if one did
   * @param detail a short explanation
   */
  public record Dane(
      Status status,
      List<TlsaRecord> records,
      boolean authenticated,
      @Nullable TlsaRecord matched,
      String detail) {
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

  /**
   * Keys of the evidence the findings of this check carry, declared for those who read it (the
   * correlation of a diagnosis does).
   */
  public static final class Evidence {
    /**
     * The reply to RCPT TO, empty when no recipient was probed, on {@link Code#SMTP_ACCEPTED}:
     * {@value}.
     */
    public static final String RCPT = "rcpt";

    /**
     * The server's reply that the finding is about (code and text), on the greeting, EHLO, MAIL and
     * RCPT findings: {@value}.
     */
    public static final String REPLY = "reply";

    private Evidence() {}
  }

  /**
   * The codes of the findings of the {@code smtp} check: each server's conversation (RFC 5321), its
   * TLS (RFC 3207) and certificate, MTA-STS (RFC 8461 §4.2) and DANE (RFC 7672) as they apply to
   * it, and what was not probed.
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    SMTP_ACCEPTED(
        INFO,
        DELIVERABLE,
        null,
        "A server accepted the probe: greeting, EHLO, and the recipient when one was given."),
    SMTP_CATCH_ALL(
        INFO,
        DELIVERABLE,
        null,
        "A server also accepted a random address at the domain: it accepts every address, so the probe proves nothing about the recipient."),
    SMTP_NO_HOST_ACCEPTS(
        ERROR,
        AT_RISK,
        "RFC 5321 §4.5.4.1",
        "No server completed an SMTP conversation: senders queue the mail and retry, then bounce it."),
    SMTP_UNREACHABLE(
        WARNING,
        INCONCLUSIVE,
        "RFC 5321 §5.1",
        "No server could be connected to: they are down, or outbound port 25 is blocked where maildx runs."),
    SMTP_CONNECT_REFUSED(
        WARNING,
        AT_RISK,
        "RFC 5321 §5.1",
        "A server refused the connection: nothing listens on the port, or a firewall rejects it (inconclusive when no server could be reached at all)."),
    SMTP_CONNECT_TIMEOUT(
        WARNING,
        AT_RISK,
        "RFC 5321 §5.1",
        "A connection to a server timed out: it is down or filtered (inconclusive when no server could be reached at all)."),
    SMTP_CONNECT_UNREACHABLE(
        WARNING,
        INCONCLUSIVE,
        null,
        "A server cannot be reached from here (no route, for example over IPv6); information only when another server could be reached."),
    SMTP_NO_BANNER(
        ERROR,
        AT_RISK,
        "RFC 5321 §4.5.3.2.1",
        "A server accepted the connection but never sent a greeting: a black hole."),
    SMTP_TARPIT(
        ERROR,
        AT_RISK,
        "RFC 5321 §4.5.3.2.1",
        "A server's replies trickle in a few bytes at a time (a tarpit): senders give up."),
    SMTP_SLOW_GREETING(
        WARNING,
        DELIVERABLE,
        "RFC 5321 §4.5.3.2.1",
        "A server's greeting took longer than the configured slow-greeting threshold."),
    SMTP_GREETING_REJECTED(
        ERROR,
        AT_RISK,
        "RFC 5321 §3.1",
        "A server refused the connection in its greeting (5xx, typically 554)."),
    SMTP_GREETING_DEFERRED(
        WARNING,
        AT_RISK,
        "RFC 5321 §3.1",
        "A server refused the connection for now in its greeting (4xx, typically 421)."),
    SMTP_EHLO_REJECTED(ERROR, AT_RISK, "RFC 5321 §4.1.1.1", "A server refused both EHLO and HELO."),
    SMTP_NO_ESMTP(
        WARNING,
        DELIVERABLE,
        "RFC 5321 §4.1.1.1",
        "A server refused EHLO and accepted only HELO: no extensions, so no STARTTLS, 8BITMIME, SMTPUTF8 or SIZE."),
    SMTP_NO_STARTTLS(
        WARNING,
        DELIVERABLE,
        "RFC 3207 §4",
        "A server does not offer STARTTLS: mail to it travels unencrypted."),
    SMTP_STARTTLS_REJECTED(
        ERROR,
        AT_RISK,
        "RFC 3207 §4",
        "A server offers STARTTLS but refuses the command: senders that require TLS (MTA-STS, DANE) do not deliver."),
    SMTP_TLS_FAILED(
        ERROR,
        AT_RISK,
        "RFC 3207 §4",
        "The TLS handshake with a server failed: senders that require TLS (MTA-STS, DANE) do not deliver; most others retry without TLS."),
    SMTP_DISCONNECTED(
        ERROR,
        AT_RISK,
        "RFC 5321 §3.8",
        "A server closed the connection in the middle of the conversation."),
    SMTP_TIMEOUT(
        ERROR,
        AT_RISK,
        "RFC 5321 §4.5.3.2",
        "A server stopped answering in the middle of the conversation: senders give up on the connection and retry later."),
    SMTP_PROBE_INCOMPLETE(
        WARNING,
        INCONCLUSIVE,
        "RFC 5321 §4.5.3.2",
        "maildx's own deadline ran out while a server had not yet answered; rerun with a longer timeout."),
    SMTP_PROTOCOL_ERROR(
        ERROR,
        AT_RISK,
        "RFC 5321 §4.2",
        "A server sent malformed, oversized, endless or inconsistent replies."),
    SMTP_PROBE_IP_LISTED(
        WARNING,
        INCONCLUSIVE,
        null,
        "A server refused maildx because the probing machine's IP is on a blocklist: that says nothing about the sender's servers."),
    SMTP_MAIL_REJECTED(
        ERROR,
        AT_RISK,
        "RFC 5321 §4.5.5",
        "A server refused the MAIL FROM of the probe (a server must accept the null sender, which bounces come from)."),
    SMTP_MAIL_DEFERRED(
        WARNING,
        AT_RISK,
        "RFC 5321 §4.2.1",
        "A server temporarily refused the MAIL FROM of the probe: senders retry later, so mail is delayed."),
    SMTP_RCPT_USER_UNKNOWN(
        ERROR,
        UNDELIVERABLE,
        "RFC 3463 §3.2",
        "A server rejected the recipient: no such mailbox (550 5.1.1)."),
    SMTP_RCPT_NULL_MX(
        ERROR,
        UNDELIVERABLE,
        "RFC 7505 §4.3",
        "A server says the recipient's domain accepts no mail (5.1.10)."),
    SMTP_RCPT_REJECTED(
        ERROR,
        AT_RISK,
        "RFC 5321 §4.2.2",
        "A server rejected the recipient for another reason (policy or security reasons may concern the probing address, not the sender)."),
    SMTP_RCPT_GREYLISTED(
        WARNING,
        AT_RISK,
        "RFC 6647 §2",
        "A server deferred the recipient with 450/451 4.7.1: probably greylisting, the first mail arrives late."),
    SMTP_RCPT_DEFERRED(
        WARNING,
        AT_RISK,
        "RFC 5321 §4.2.1",
        "A server temporarily refused the recipient: senders retry later, so mail is delayed."),
    SMTP_UTF8_UNSUPPORTED(
        ERROR,
        UNDELIVERABLE,
        "RFC 6531 §3.4",
        "The recipient address is internationalized and a server does not announce SMTPUTF8: mail to it cannot be delivered there."),
    SMTP_RECIPIENT_NOT_SENT(
        ERROR,
        AT_RISK,
        "RFC 6531 §3.3",
        "The recipient address could not be sent to the servers (it cannot be written in an SMTP command)."),
    SMTP_NO_MX(
        INFO,
        DELIVERABLE,
        "RFC 5321 §5.1",
        "The domain has no MX records: the host itself was probed."),
    SMTP_HOSTS_NOT_PROBED(
        INFO,
        DELIVERABLE,
        null,
        "Only the first MX hosts, up to the configured maximum, were probed."),
    SMTP_ADDRESS_NOT_PROBED(
        INFO,
        DELIVERABLE,
        null,
        "An address of a server was not probed (address family, limit or policy), with the reason."),
    SMTP_NOTHING_TO_PROBE(INFO, DELIVERABLE, null, "There is no mail server address to probe."),
    SMTP_HOST_NO_ADDRESS(
        ERROR, UNDELIVERABLE, null, "The host to probe has no address (A or AAAA record)."),
    SMTP_NOT_PROBED(
        WARNING,
        INCONCLUSIVE,
        null,
        "The servers were not probed because the lookup they depend on (MX or address) did not complete."),
    SMTP_MTA_STS_TLS_FAILED(
        ERROR,
        AT_RISK,
        "RFC 8461 §4.2",
        "TLS with a server fails while the domain publishes an MTA-STS policy: senders that honour an enforced policy do not deliver (a warning under testing)."),
    SMTP_MTA_STS_CERT_INVALID(
        ERROR,
        AT_RISK,
        "RFC 8461 §4.2",
        "A server's certificate does not satisfy the domain's MTA-STS policy (untrusted, expired, wrong name): senders that honour an enforced policy do not deliver (a warning under testing)."),
    TLS_OK(INFO, DELIVERABLE, null, "A server's TLS: protocol, cipher and certificate."),
    TLS_CERT_SELF_SIGNED(
        WARNING,
        DELIVERABLE,
        "RFC 8461 §4.2",
        "A server's certificate is self-signed (opportunistic TLS still delivers)."),
    TLS_CERT_UNTRUSTED(
        WARNING,
        DELIVERABLE,
        "RFC 5280 §6",
        "A server's certificate does not chain to a trusted authority (opportunistic TLS still delivers)."),
    TLS_CERT_EXPIRED(
        WARNING,
        DELIVERABLE,
        "RFC 5280 §4.1.2.5",
        "A server's certificate is outside its validity period (opportunistic TLS still delivers)."),
    TLS_CERT_EXPIRES_SOON(
        WARNING,
        DELIVERABLE,
        null,
        "A server's certificate expires soon: renew it before senders that check certificates stop delivering."),
    TLS_CERT_NAME_MISMATCH(
        WARNING,
        DELIVERABLE,
        "RFC 6125 §6.4",
        "A server's certificate does not name the host (opportunistic TLS still delivers)."),
    TLS_WEAK_KEY(
        WARNING,
        DELIVERABLE,
        null,
        "A server's certificate has an RSA key shorter than 2048 bits, the minimum senders accept."),
    DANE_OK(
        INFO,
        DELIVERABLE,
        "RFC 7672 §3",
        "A server's certificate matches its DNSSEC-signed TLSA records: DANE senders deliver."),
    DANE_MISMATCH(
        ERROR,
        AT_RISK,
        "RFC 7672 §3",
        "A server's certificate matches none of its usable TLSA records: senders that validate DANE do not deliver to it."),
    DANE_NO_TLS(
        ERROR,
        AT_RISK,
        "RFC 7672 §2.2",
        "A server with TLSA records offers no working TLS: DANE senders do not deliver to it."),
    DANE_UNUSABLE(
        WARNING,
        DELIVERABLE,
        "RFC 7672 §3.1.3",
        "A server's TLSA records are all unusable: DANE senders still require TLS but cannot authenticate the server."),
    DANE_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        "RFC 7672 §2.2",
        "A server's TLSA lookup failed: DANE senders defer mail when it fails for them too.");

    private final Severity severity;
    private final Verdict effect;
    private final @Nullable String reference;
    private final String meaning;

    Code(Severity severity, Verdict effect, @Nullable String reference, String meaning) {
      this.severity = severity;
      this.effect = effect;
      this.reference = reference;
      this.meaning = meaning;
    }

    @Override
    public List<String> checks() {
      return List.of(CHECK);
    }

    @Override
    public Severity severity() {
      return severity;
    }

    @Override
    public Verdict effect() {
      return effect;
    }

    @Override
    public String meaning() {
      return meaning;
    }

    @Override
    public Optional<String> reference() {
      return Optional.ofNullable(reference);
    }
  }
}
