package dev.maildx.smtp.internal;

import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.SmtpReply;
import dev.maildx.spi.Deadline;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * The SMTP conversation with one server address: connect, greeting, EHLO (HELO as a fallback),
 * STARTTLS and EHLO again, {@code MAIL FROM}, {@code RCPT TO}, the catch-all test, {@code RSET},
 * {@code QUIT}. Never {@code DATA}. Blocking; runs on the environment's executor, one thread per
 * conversation, and every step is bounded by its own deadline under the overall one.
 */
final class Conversation {
  /** Where to connect and what to call the host. */
  record Target(
      String name,
      int preference,
      InetAddress address,
      int port,
      InetSocketAddress actual,
      boolean hostName) {}

  /** What a conversation produced, with what the findings need beyond the public record. */
  record Result(
      ProbeReport.Host host,
      List<X509Certificate> chain,
      ProbeFailure.@Nullable Kind failure,
      boolean phaseLimitHit,
      boolean unreachable,
      String partial) {}

  private final Target target;
  private final @Nullable EmailAddress recipient;
  private final @Nullable DomainName catchAllDomain;
  private final ProbeSettings settings;
  private final TlsInspector tlsInspector;
  private final Clock clock;
  private final Deadline hard;

  private final long start = System.nanoTime();
  private final Instant startedAt;
  private final Transcript transcript;
  private final SmtpConnection conn;
  private final Map<ProbeReport.Phase, Duration> timings = new EnumMap<>(ProbeReport.Phase.class);

  private ProbeReport.Phase phase = ProbeReport.Phase.CONNECT;
  private long phaseStart = start;
  private @Nullable SmtpReply banner;
  private @Nullable SmtpReply ehlo;
  private boolean esmtp;
  private ProbeReport.Extensions extensions = ProbeReport.Extensions.NONE;
  private ProbeReport.@Nullable Tls tls;
  private ProbeReport.@Nullable Extensions extensionsAfterTls;
  private @Nullable SmtpReply mailFrom;
  private @Nullable SmtpReply rcpt;
  private @Nullable SmtpReply catchAll;
  private @Nullable Duration greetingFirstByte;
  private List<X509Certificate> chain = List.of();
  private @Nullable Deadline lastLimit;

  Conversation(
      Target target,
      @Nullable EmailAddress recipient,
      @Nullable DomainName catchAllDomain,
      ProbeSettings settings,
      TlsInspector tlsInspector,
      Clock clock,
      ScheduledExecutorService timer,
      Deadline hard) {
    this.target = target;
    this.recipient = recipient;
    this.catchAllDomain = catchAllDomain;
    this.settings = settings;
    this.tlsInspector = tlsInspector;
    this.clock = clock;
    this.hard = hard;
    this.startedAt = clock.instant();
    this.transcript = new Transcript(start);
    this.conn = new SmtpConnection(transcript, timer, settings);
  }

  Result run() {
    try {
      return converse();
    } finally {
      conn.close();
    }
  }

  private Result converse() {
    // --- connect
    String where = hostPort(target.address(), target.port());
    String actual = hostPort(target.actual().getAddress(), target.actual().getPort());
    transcript.note(
        "connecting to " + where + (where.equals(actual) ? "" : " (routed to " + actual + ")"));
    Deadline d = hard.limit(settings.connectTimeout());
    try {
      conn.open(target.actual(), d);
    } catch (SocketTimeoutException e) {
      transcript.note("connect timed out");
      return end(
          ProbeReport.Outcome.CONNECT_TIMEOUT,
          true,
          "no answer to the TCP connection within " + ms(elapsedPhase()),
          ProbeFailure.Kind.TIMEOUT,
          limitHit(d),
          false,
          "");
    } catch (NoRouteToHostException e) {
      transcript.note("unreachable: " + e.getMessage());
      return end(
          ProbeReport.Outcome.CONNECT_REFUSED,
          false,
          "the network reports the address unreachable (" + e.getMessage() + ")",
          ProbeFailure.Kind.CLOSED,
          false,
          true,
          "");
    } catch (ConnectException e) {
      String m = String.valueOf(e.getMessage());
      boolean unreachable = m.contains("unreachable");
      transcript.note((unreachable ? "unreachable: " : "connection refused: ") + m);
      return end(
          ProbeReport.Outcome.CONNECT_REFUSED,
          false,
          unreachable
              ? "the network reports the address unreachable (" + m + ")"
              : "the connection was refused",
          ProbeFailure.Kind.CLOSED,
          false,
          unreachable,
          "");
    } catch (IOException | RuntimeException e) {
      if (conn.killed()) {
        transcript.note("connect timed out");
        return end(
            ProbeReport.Outcome.CONNECT_TIMEOUT,
            true,
            "no answer to the TCP connection within " + ms(elapsedPhase()),
            ProbeFailure.Kind.TIMEOUT,
            limitHit(d),
            false,
            "");
      }
      transcript.note("connect failed: " + e);
      return end(
          ProbeReport.Outcome.CONNECT_REFUSED,
          false,
          "the connection failed: " + e.getMessage(),
          ProbeFailure.Kind.CLOSED,
          false,
          true,
          "");
    }
    transcript.note("connected in " + ms(elapsedPhase()));
    try {
      return afterConnect();
    } catch (ProbeFailure f) {
      return failed(f);
    }
  }

  private Result afterConnect() throws ProbeFailure {
    Result ended = greeting();
    if (ended != null) {
      return ended;
    }
    // --- EHLO, HELO as a fallback (RFC 5321 §3.2, §4.1.4)
    next(ProbeReport.Phase.EHLO);
    String helo = heloName();
    ended = hello(helo);
    if (ended != null) {
      return ended;
    }
    if (esmtp && settings.startTls() && extensions.startTls()) {
      ended = startTls(helo);
      if (ended != null) {
        return ended;
      }
    }
    if (recipient != null || catchAllDomain != null) {
      ended = envelope();
      if (ended != null) {
        return ended;
      }
      leave(true, true);
    } else {
      leave(false, true);
    }
    return end(ProbeReport.Outcome.ACCEPTED, false, "", null, false, false, "");
  }

  /**
   * The greeting (RFC 5321 §4.3.1: 220, or 554 / 4xx); the result if it ends the conversation, else
   * null.
   */
  private @Nullable Result greeting() throws ProbeFailure {
    next(ProbeReport.Phase.GREETING);
    Deadline d = hard.limit(settings.greetingTimeout());
    lastLimit = d;
    SmtpReply greeting;
    try {
      greeting = conn.readReply(ProbeReport.Phase.GREETING, d);
    } finally {
      if (conn.replyFirstByte() >= 0) {
        greetingFirstByte = Duration.ofNanos(conn.replyFirstByte() - phaseStart);
      }
    }
    banner = greeting;
    if (!greeting.isPositive()) {
      quitPolitely();
      return end(
          ProbeReport.Outcome.BANNER_REJECTED,
          false,
          "the greeting refused the connection: " + greeting.code(),
          null,
          false,
          false,
          "");
    }
    if (greeting.code() != 220) {
      return end(
          ProbeReport.Outcome.PROTOCOL_ERROR,
          false,
          "the greeting must be 220, was " + greeting.code(),
          ProbeFailure.Kind.PROTOCOL,
          false,
          false,
          "");
    }
    return null;
  }

  /**
   * EHLO, HELO where EHLO is refused for good (not 554); the result if the server refuses, else
   * null.
   */
  private @Nullable Result hello(String helo) throws ProbeFailure {
    SmtpReply r = command("EHLO " + helo, settings.commandTimeout());
    if (r.code() == 250) {
      esmtp = true;
      ehlo = r;
      extensions = new ProbeReport.Extensions(r.lines().subList(1, r.lines().size()));
    } else if (r.isPermanent() && r.code() != 554) {
      transcript.note("EHLO refused; trying HELO");
      SmtpReply h = command("HELO " + helo, settings.commandTimeout());
      ehlo = h;
      if (h.code() != 250) {
        quitPolitely();
        return end(
            ProbeReport.Outcome.EHLO_REJECTED,
            false,
            "EHLO and HELO were refused: " + h.code(),
            null,
            false,
            false,
            "");
      }
    } else {
      ehlo = r;
      quitPolitely();
      return end(
          ProbeReport.Outcome.EHLO_REJECTED,
          false,
          "EHLO was refused: " + r.code(),
          null,
          false,
          false,
          "");
    }
    return null;
  }

  /** STARTTLS (RFC 3207) and EHLO again; the result if either is refused, else null. */
  private @Nullable Result startTls(String helo) throws ProbeFailure {
    next(ProbeReport.Phase.STARTTLS);
    Deadline td = hard.limit(settings.tlsTimeout());
    lastLimit = td;
    conn.send(ProbeReport.Phase.STARTTLS, "STARTTLS", td);
    SmtpReply st = conn.readReply(ProbeReport.Phase.STARTTLS, td);
    if (st.code() != 220) {
      quitPolitely();
      return end(
          ProbeReport.Outcome.TLS_FAILED,
          false,
          "STARTTLS was refused: " + st.code() + " " + st.text(),
          ProbeFailure.Kind.TLS,
          false,
          false,
          "");
    }
    handshake(td);

    next(ProbeReport.Phase.TLS_EHLO);
    SmtpReply r2 = command("EHLO " + helo, settings.commandTimeout());
    if (r2.code() != 250) {
      quitPolitely();
      return end(
          ProbeReport.Outcome.EHLO_REJECTED,
          false,
          "EHLO after STARTTLS was refused: " + r2.code(),
          null,
          false,
          false,
          "");
    }
    extensionsAfterTls = new ProbeReport.Extensions(r2.lines().subList(1, r2.lines().size()));
    return null;
  }

  /** The TLS handshake after a 220 to STARTTLS: records the chain and what the session offers. */
  private void handshake(Deadline td) throws ProbeFailure {
    long hs = System.nanoTime();
    SSLSocket s;
    try {
      s = conn.startTls(tlsInspector.context(), tlsName(), target.hostName(), td);
    } catch (ProbeFailure f) {
      TlsInspector.Recorded rec = tlsInspector.forget(conn.tlsSocket());
      if (rec != null) {
        chain = rec.chain();
      }
      throw f;
    }
    TlsInspector.Recorded rec = tlsInspector.take(s);
    chain = rec.chain();
    tls =
        tlsInspector.inspect(
            s.getSession(),
            rec,
            target.name(),
            clock,
            settings.expiryWarning(),
            Duration.ofNanos(System.nanoTime() - hs));
    s.getSession()
        .invalidate(); // the next probe must see a full handshake and the current certificate
    transcript.note(
        "TLS established: "
            + tls.protocol()
            + " "
            + tls.cipherSuite()
            + (tls.leaf() != null ? ", certificate " + tls.leaf().subject() : ""));
  }

  /**
   * The envelope: MAIL FROM, RCPT TO, the catch-all test (never DATA); the result if it ends there,
   * else null.
   */
  private @Nullable Result envelope() throws ProbeFailure {
    ProbeReport.Extensions ext = extensionsAfterTls != null ? extensionsAfterTls : extensions;
    EmailAddress sender = settings.mailFrom();
    boolean utf8 =
        (recipient != null && recipient.international())
            || (sender != null && sender.international());
    next(ProbeReport.Phase.MAIL);
    if (utf8 && !ext.smtpUtf8()) {
      transcript.note("not sent: the address needs SMTPUTF8, which the server did not announce");
      quitPolitely();
      return end(
          ProbeReport.Outcome.RCPT_REJECTED,
          false,
          "the address needs SMTPUTF8 (RFC 6531), which the server did not announce, so "
              + "no sender may send it there",
          null,
          false,
          false,
          "");
    }
    mailFrom =
        command(
            "MAIL FROM:<"
                + (sender == null ? "" : sender.toString())
                + ">"
                + (utf8 ? " SMTPUTF8" : ""),
            settings.commandTimeout());
    if (!mailFrom.isPositive()) {
      leave(true, false);
      return end(
          mailFrom.isTransient()
              ? ProbeReport.Outcome.RCPT_DEFERRED
              : ProbeReport.Outcome.RCPT_REJECTED,
          false,
          "MAIL FROM was refused: " + mailFrom.code(),
          null,
          false,
          false,
          "");
    }
    if (recipient != null) {
      next(ProbeReport.Phase.RCPT);
      rcpt = command("RCPT TO:<" + recipient + ">", settings.commandTimeout());
      if (!rcpt.isPositive()) {
        leave(true, false);
        return end(
            rcpt.isTransient()
                ? ProbeReport.Outcome.RCPT_DEFERRED
                : ProbeReport.Outcome.RCPT_REJECTED,
            false,
            "RCPT TO was refused: " + rcpt.code(),
            null,
            false,
            false,
            "");
      }
    }
    if (catchAllDomain != null && settings.catchAll()) {
      next(ProbeReport.Phase.CATCH_ALL);
      try {
        catchAll =
            command(
                "RCPT TO:<" + randomLocalPart() + "@" + catchAllDomain.ascii() + ">",
                settings.commandTimeout());
      } catch (ProbeFailure f) {
        // The recipient's answer is known; a failure here does not change it.
        return end(
            ProbeReport.Outcome.ACCEPTED,
            f.kind == ProbeFailure.Kind.TIMEOUT || f.kind == ProbeFailure.Kind.STALLED,
            "accepted; then the catch-all test failed: " + f.detail,
            f.kind,
            false,
            false,
            f.partial);
      }
    }
    return null;
  }

  /** Sends a command and reads its reply, under the step's own limit. */
  private SmtpReply command(String line, Duration limit) throws ProbeFailure {
    Deadline d = hard.limit(limit);
    lastLimit = d;
    conn.send(phase, line, d);
    return conn.readReply(phase, d);
  }

  /**
   * RSET (inside a transaction) and QUIT, each briefly; failures here change nothing, nor the step
   * reported.
   */
  private void leave(boolean rset, boolean complete) {
    ProbeReport.Phase at = phase;
    try {
      if (rset) {
        next(ProbeReport.Phase.RSET);
        command("RSET", settings.quitTimeout());
      }
      next(ProbeReport.Phase.QUIT);
      command("QUIT", settings.quitTimeout());
    } catch (ProbeFailure ignored) {
      // the outcome is known; leaving is a courtesy
    }
    done();
    if (!complete) {
      phase = at; // the conversation ended where it was refused
    }
  }

  /** QUIT after a refusal, as RFC 5321 §3.1 asks of a client that was refused. */
  private void quitPolitely() {
    ProbeReport.Phase at = phase;
    long atStart = phaseStart;
    long t = System.nanoTime();
    try {
      Deadline d = hard.limit(settings.quitTimeout());
      conn.send(at, "QUIT", d);
      conn.readReply(at, d);
    } catch (ProbeFailure ignored) {
      // refused anyway
    }
    // The step that failed keeps its own duration; the QUIT is not counted in it.
    timings.put(at, Duration.ofNanos(t - atStart));
    phaseStart = -1;
  }

  private Result failed(ProbeFailure f) {
    boolean timeout = f.kind == ProbeFailure.Kind.TIMEOUT || f.kind == ProbeFailure.Kind.STALLED;
    boolean limitHit = timeout && lastLimit != null && limitHit(lastLimit);
    ProbeReport.Outcome outcome;
    switch (f.phase) {
      case GREETING:
        outcome =
            f.kind == ProbeFailure.Kind.PROTOCOL
                ? ProbeReport.Outcome.PROTOCOL_ERROR
                : timeout ? ProbeReport.Outcome.NO_BANNER : ProbeReport.Outcome.DISCONNECTED;
        break;
      case STARTTLS:
        outcome =
            f.kind == ProbeFailure.Kind.PROTOCOL
                ? ProbeReport.Outcome.PROTOCOL_ERROR
                : ProbeReport.Outcome.TLS_FAILED;
        break;
      default:
        outcome =
            f.kind == ProbeFailure.Kind.PROTOCOL
                ? ProbeReport.Outcome.PROTOCOL_ERROR
                : ProbeReport.Outcome.DISCONNECTED;
        break;
    }
    return end(outcome, timeout, f.detail, f.kind, limitHit, false, f.partial);
  }

  private boolean limitHit(Deadline stepDeadline) {
    // The step's own limit was the binding one, not the overall deadline.
    return stepDeadline.compareTo(hard) < 0;
  }

  private Result end(
      ProbeReport.Outcome outcome,
      boolean timedOut,
      String detail,
      ProbeFailure.@Nullable Kind failure,
      boolean phaseLimitHit,
      boolean unreachable,
      String partial) {
    done();
    ProbeReport.Host host =
        new ProbeReport.Host(
            target.name(),
            target.preference(),
            target.address(),
            target.port(),
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
            null,
            greetingFirstByte,
            timings,
            startedAt,
            Duration.ofNanos(System.nanoTime() - start),
            transcript.lines());
    return new Result(host, chain, failure, phaseLimitHit, unreachable, partial);
  }

  private void next(ProbeReport.Phase p) {
    done();
    phase = p;
    phaseStart = System.nanoTime();
  }

  private void done() {
    if (phaseStart >= 0) {
      timings.put(phase, Duration.ofNanos(System.nanoTime() - phaseStart));
      phaseStart = -1;
    }
  }

  private Duration elapsedPhase() {
    return Duration.ofNanos(System.nanoTime() - (phaseStart >= 0 ? phaseStart : start));
  }

  private String heloName() {
    DomainName configured = settings.heloName();
    if (configured != null) {
      return configured.ascii();
    }
    InetAddress local = conn.localAddress();
    if (local == null) {
      return "[127.0.0.1]";
    }
    String lit = InetAddresses.toLiteral(local);
    return local instanceof Inet6Address
        ? "[IPv6:" + lit + "]"
        : "[" + lit + "]"; // RFC 5321 §4.1.3
  }

  private String tlsName() {
    return target.hostName() ? target.name() : InetAddresses.toLiteral(target.address());
  }

  private static String randomLocalPart() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "maildx-probe-"
        + Long.toHexString(r.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(r.nextLong() | Long.MIN_VALUE).substring(0, 8);
  }

  private static String hostPort(InetAddress a, int port) {
    String lit = InetAddresses.toLiteral(a);
    return (lit.indexOf(':') >= 0 ? "[" + lit + "]" : lit) + ":" + port;
  }

  static String ms(Duration d) {
    long m = d.toMillis();
    return m < 1000 ? m + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", m / 1000.0);
  }
}
