package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import dev.maildx.internal.InetAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
 * @param phase the step during which it ended ({@link ProbePhase#QUIT} when it ran to the end)
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
public record ProbedHost(
    String name,
    int preference,
    InetAddress address,
    int port,
    ProbeOutcome outcome,
    ProbePhase phase,
    boolean timedOut,
    String detail,
    @Nullable SmtpReply banner,
    @Nullable SmtpReply ehlo,
    boolean esmtp,
    SmtpExtensions extensions,
    @Nullable TlsInfo tls,
    @Nullable SmtpExtensions extensionsAfterTls,
    @Nullable SmtpReply mailFrom,
    @Nullable SmtpReply rcpt,
    @Nullable SmtpReply catchAll,
    @Nullable DaneResult dane,
    @Nullable Duration greetingFirstByte,
    Map<ProbePhase, Duration> timings,
    Instant startedAt,
    Duration elapsed,
    List<TranscriptLine> transcript) {

  /** Validates and copies. */
  public ProbedHost {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
    requireNonNull(outcome, "outcome");
    requireNonNull(phase, "phase");
    requireNonNull(detail, "detail");
    requireNonNull(extensions, "extensions");
    EnumMap<ProbePhase, Duration> t = new EnumMap<>(ProbePhase.class);
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
  public ProbedHost withDane(@Nullable DaneResult result) {
    return new ProbedHost(name, preference, address, port, outcome, phase, timedOut, detail, banner, ehlo, esmtp, extensions, tls,
        extensionsAfterTls, mailFrom, rcpt, catchAll, result, greetingFirstByte, timings, startedAt, elapsed, transcript);
  }

  /**
   * The extensions in force at the end: those announced inside TLS if EHLO was repeated there,
   * else those of the first EHLO.
   *
   * @return the extensions
   */
  public SmtpExtensions effectiveExtensions() {
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
