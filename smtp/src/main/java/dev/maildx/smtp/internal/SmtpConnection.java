package dev.maildx.smtp.internal;

import dev.maildx.report.EnhancedStatusCode;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.SmtpReply;
import dev.maildx.spi.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * One SMTP client connection whose every read is bounded in time and size.
 *
 * <p>A plain {@link Socket}, no SMTP library under it. Commons Net's {@code SMTP} class was used
 * once and dropped, because its reply reading cannot hold a hostile peer: it reads through an
 * unbounded {@code CRLFLineReader} (a line has no length limit), loops over continuation lines
 * without a count limit, does not check that the code stays the same across the lines of a reply,
 * accepts a last line without CRLF at the end of the stream, and {@code SMTPSClient.execTLS()}
 * rebuilds that reader after the handshake. This class reads replies itself: lines of at most
 * {@code maxLineBytes} ended by CRLF, at most {@code maxReplyLines} per reply, one code per reply,
 * every read under a deadline (the socket's SO_TIMEOUT is set to the time left before each read),
 * and a started line must complete within the stall limit (a tarpit trickling one byte at a time
 * never completes one).
 *
 * <p>A watchdog on the environment's timer closes the raw TCP socket when a step's deadline passes,
 * which also bounds what SO_TIMEOUT cannot: the connect itself, writes, and a TLS handshake that
 * trickles. Not thread-safe: one conversation, one thread (the watchdog excepted).
 */
final class SmtpConnection {
  private static final long WATCHDOG_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Transcript transcript;
  private final ScheduledExecutorService timer;
  private final int maxLineBytes;
  private final int maxReplyLines;
  private final long stallNanos;

  private volatile @Nullable Socket raw;
  private @Nullable Socket socket;
  private @Nullable InputStream input;
  private @Nullable OutputStream output;
  private volatile boolean killed;
  private boolean broken;
  private @Nullable ScheduledFuture<?> watchdog;
  private @Nullable SSLSocket ssl;

  private final byte[] buf = new byte[8192];
  private int pos;
  private int lim;
  private final byte[] line;
  private int soTimeout = -1;
  private long replyFirstByte = -1;

  SmtpConnection(Transcript transcript, ScheduledExecutorService timer, ProbeSettings settings) {
    this.transcript = transcript;
    this.timer = timer;
    this.maxLineBytes = settings.maxLineBytes();
    this.maxReplyLines = settings.maxReplyLines();
    this.stallNanos = settings.stallTimeout().toNanos();
    this.line = new byte[maxLineBytes + 1];
  }

  /**
   * Connects, bounded by {@code deadline}.
   *
   * @throws IOException as the socket reports it ({@link SocketTimeoutException} on timeout, {@link
   *     java.net.ConnectException} when refused)
   */
  void open(InetSocketAddress target, Deadline deadline) throws IOException {
    arm(deadline);
    long ms = deadline.remainingMillis();
    if (ms <= 0) {
      throw new SocketTimeoutException("no time left to connect");
    }
    Socket s = new Socket();
    raw = s;
    socket = s;
    try {
      s.connect(target, (int) Math.min(Integer.MAX_VALUE, ms));
      input = s.getInputStream();
      output = s.getOutputStream();
    } catch (IOException e) {
      if (killed) {
        throw new SocketTimeoutException("connect timed out");
      }
      throw e;
    }
    s.setTcpNoDelay(true);
  }

  /**
   * Reads replies from {@code in} and writes commands to {@code out} instead of a socket: for fuzz
   * targets and tests that feed the reply reader bytes. There is no socket, so reads are not
   * bounded in time by SO_TIMEOUT; {@code in} must not block.
   */
  void attach(InputStream in, OutputStream out) {
    input = in;
    output = out;
  }

  /**
   * @return whether the watchdog closed the socket
   */
  boolean killed() {
    return killed;
  }

  /**
   * @return the local address of the connection, for the EHLO address literal
   */
  @Nullable InetAddress localAddress() {
    Socket s = raw;
    return s == null ? null : s.getLocalAddress();
  }

  /**
   * @return the TLS socket once STARTTLS began, even if its handshake failed
   */
  @Nullable SSLSocket tlsSocket() {
    return ssl;
  }

  /**
   * @return nanoTime of the first byte of the last reply read, or -1
   */
  long replyFirstByte() {
    return replyFirstByte;
  }

  /**
   * Schedules the watchdog to close the socket shortly after {@code deadline}, replacing any
   * earlier one.
   */
  void arm(Deadline deadline) {
    disarm();
    try {
      watchdog =
          timer.schedule(
              this::kill,
              deadline.remaining().toNanos() + WATCHDOG_GRACE_NANOS,
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      kill(); // the environment is closing: end at once
    }
  }

  private void disarm() {
    ScheduledFuture<?> w = watchdog;
    if (w != null) {
      w.cancel(false);
      watchdog = null;
    }
  }

  /** Closes the raw TCP socket, which ends any blocked connect, read, write or handshake. */
  void kill() {
    killed = true;
    Socket s = raw;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /**
   * Reads one complete reply.
   *
   * @param phase the step, for the failure
   * @param deadline when to give up
   * @return the reply
   * @throws ProbeFailure on timeout, stall, close or a protocol violation
   */
  SmtpReply readReply(ProbeReport.Phase phase, Deadline deadline) throws ProbeFailure {
    arm(deadline);
    replyFirstByte = -1;
    List<String> lines = new ArrayList<>(4);
    int code = -1;
    while (true) {
      String text = readLine(phase, deadline, lines.isEmpty());
      transcript.server(text);
      int c = code(text);
      if (c < 0) {
        throw protocol(
            phase,
            "malformed reply line (not a reply code from 200 to 599): \""
                + Transcript.printable(text, 80)
                + "\"");
      }
      char sep = text.length() > 3 ? text.charAt(3) : ' ';
      if (sep != ' ' && sep != '-') {
        throw protocol(
            phase,
            "malformed reply line (no space or '-' after the code): \""
                + Transcript.printable(text, 80)
                + "\"");
      }
      if (code >= 0 && c != code) {
        throw protocol(
            phase,
            "the reply code changed from " + code + " to " + c + " within one multi-line reply");
      }
      code = c;
      lines.add(text.length() > 4 ? text.substring(4) : "");
      if (sep == ' ') {
        break;
      }
      if (lines.size() >= maxReplyLines) {
        throw protocol(phase, "more than " + maxReplyLines + " lines in one reply");
      }
    }
    String first = lines.get(0).strip();
    int sp = first.indexOf(' ');
    EnhancedStatusCode status =
        EnhancedStatusCode.tryParse(sp < 0 ? first : first.substring(0, sp)).orElse(null);
    return new SmtpReply(code, lines, status);
  }

  private static int code(String text) {
    if (text.length() < 3) {
      return -1;
    }
    char a = text.charAt(0);
    char b = text.charAt(1);
    char c = text.charAt(2);
    if (a < '2' || a > '5' || b < '0' || b > '5' || c < '0' || c > '9') {
      return -1;
    }
    return (a - '0') * 100 + (b - '0') * 10 + (c - '0');
  }

  private String readLine(ProbeReport.Phase phase, Deadline deadline, boolean firstOfReply)
      throws ProbeFailure {
    int n = 0;
    long lineStart = -1;
    while (true) {
      if (pos == lim) {
        fill(phase, deadline, lineStart, n, firstOfReply);
      }
      byte b = buf[pos++];
      if (lineStart < 0) {
        lineStart = System.nanoTime();
        if (firstOfReply && replyFirstByte < 0) {
          replyFirstByte = lineStart;
        }
      }
      if (b == '\n') {
        if (n == 0 || line[n - 1] != '\r') {
          transcript.server(decode(line, n));
          throw protocol(phase, "a reply line ended with a bare LF instead of CRLF");
        }
        return decode(line, n - 1);
      }
      if (n == maxLineBytes + 1 || (n == maxLineBytes && b != '\r')) {
        transcript.server(decode(line, n) + "...");
        throw protocol(phase, "a reply line is longer than " + maxLineBytes + " bytes");
      }
      line[n++] = b;
    }
  }

  private void fill(
      ProbeReport.Phase phase, Deadline deadline, long lineStart, int partial, boolean firstOfReply)
      throws ProbeFailure {
    long left = deadline.remaining().toNanos();
    boolean stall = false;
    if (lineStart >= 0) {
      long stallLeft = lineStart + stallNanos - System.nanoTime();
      if (stallLeft < left) {
        left = stallLeft;
        stall = true;
      }
    }
    if (left <= 0) {
      throw timedOut(phase, stall, partial);
    }
    int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
    InputStream in = input;
    try {
      if (in == null) {
        throw new IOException("not connected");
      }
      Socket s = socket;
      if (ms != soTimeout && s != null) {
        s.setSoTimeout(ms);
        soTimeout = ms;
      }
      int r = in.read(buf, 0, buf.length);
      if (r < 0) {
        if (partial > 0) {
          transcript.server(decode(line, partial));
          throw protocol(
              phase, "the connection was closed in the middle of a reply line (no CRLF)");
        }
        transcript.note("connection closed by the server");
        broken = true;
        throw new ProbeFailure(
            ProbeFailure.Kind.CLOSED,
            phase,
            "the server closed the connection"
                + (firstOfReply ? "" : " in the middle of a multi-line reply"),
            "");
      }
      pos = 0;
      lim = r;
    } catch (SocketTimeoutException e) {
      throw timedOut(phase, stall, partial);
    } catch (IOException e) {
      if (killed) {
        throw timedOut(phase, stall, partial);
      }
      transcript.note("connection lost: " + e.getMessage());
      broken = true;
      throw new ProbeFailure(
          ProbeFailure.Kind.CLOSED,
          phase,
          "the connection was lost (" + e.getMessage() + ")",
          decode(line, partial));
    }
  }

  private ProbeFailure timedOut(ProbeReport.Phase phase, boolean stall, int partial) {
    broken = true;
    String got = decode(line, partial);
    if (stall) {
      transcript.note(
          "line incomplete after "
              + stallNanos / 1_000_000
              + " ms: \""
              + Transcript.printable(got, 100)
              + "\"");
      return new ProbeFailure(
          ProbeFailure.Kind.STALLED,
          phase,
          "a reply line started but did not complete within " + stallNanos / 1_000_000 + " ms",
          got);
    }
    transcript.note(
        partial > 0
            ? "timed out with an incomplete line: \"" + Transcript.printable(got, 100) + "\""
            : "timed out waiting for the reply");
    return new ProbeFailure(ProbeFailure.Kind.TIMEOUT, phase, "no complete reply in time", got);
  }

  private ProbeFailure protocol(ProbeReport.Phase phase, String detail) {
    broken = true;
    transcript.note("protocol error: " + detail);
    return new ProbeFailure(ProbeFailure.Kind.PROTOCOL, phase, detail, "");
  }

  private static String decode(byte[] b, int n) {
    return new String(b, 0, Math.max(0, n), StandardCharsets.UTF_8);
  }

  /**
   * Sends one command line. The text must already be validated; a CR, LF or NUL here is a bug.
   *
   * @param phase the step
   * @param command the command without CRLF
   * @param deadline bounds the write
   * @throws ProbeFailure if the server sent data before the command, or the connection is gone
   */
  void send(ProbeReport.Phase phase, String command, Deadline deadline) throws ProbeFailure {
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalStateException(
            "refusing to send a command with control character " + (int) c);
      }
    }
    if (pos < lim) {
      throw protocol(
          phase,
          "the server sent "
              + (lim - pos)
              + " bytes nobody asked for (before the "
              + verb(command)
              + " command)");
    }
    arm(deadline);
    transcript.client(command);
    OutputStream out = output;
    try {
      if (out == null) {
        throw new IOException("not connected");
      }
      byte[] bytes = (command + "\r\n").getBytes(StandardCharsets.UTF_8);
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      if (killed) {
        throw timedOut(phase, false, 0);
      }
      transcript.note("could not send: " + e.getMessage());
      broken = true;
      throw new ProbeFailure(
          ProbeFailure.Kind.CLOSED,
          phase,
          "the connection was lost while sending " + verb(command) + " (" + e.getMessage() + ")",
          "");
    }
  }

  private static String verb(String command) {
    int sp = command.indexOf(' ');
    int colon = command.indexOf(':');
    int end = sp < 0 ? command.length() : sp;
    if (colon >= 0 && colon < end) {
      end = colon;
    }
    return command.substring(0, end);
  }

  /**
   * Performs the TLS handshake on the open connection (after a 220 to STARTTLS), RFC 3207 §4.
   *
   * @param context the client context
   * @param peerHost the host name for SNI and the session, or an IP literal
   * @param sni whether to send {@code peerHost} as SNI
   * @param deadline bounds the handshake
   * @return the TLS socket, handshake done
   * @throws ProbeFailure if it fails or times out
   */
  SSLSocket startTls(SSLContext context, String peerHost, boolean sni, Deadline deadline)
      throws ProbeFailure {
    if (pos < lim) {
      // Bytes after the 220 but before the handshake were sent in plaintext: an injection
      // (CVE-2011-0411 class).
      broken = true;
      String junk =
          Transcript.printable(
              new String(buf, pos, Math.min(lim - pos, 60), StandardCharsets.UTF_8), 60);
      transcript.note("plaintext after the 220 to STARTTLS: \"" + junk + "\"");
      throw new ProbeFailure(
          ProbeFailure.Kind.TLS,
          ProbeReport.Phase.STARTTLS,
          "the server sent "
              + (lim - pos)
              + " plaintext bytes (\""
              + junk
              + "\") after its 220 to STARTTLS instead of a TLS handshake",
          "");
    }
    Socket plain = socket;
    if (plain == null) {
      throw new ProbeFailure(
          ProbeFailure.Kind.CLOSED, ProbeReport.Phase.STARTTLS, "not connected", "");
    }
    arm(deadline);
    try {
      SSLSocket s =
          (SSLSocket)
              context.getSocketFactory().createSocket(plain, peerHost, plain.getPort(), true);
      ssl = s;
      s.setUseClientMode(true);
      if (sni) {
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(peerHost)));
        s.setSSLParameters(p);
      }
      long ms = deadline.remainingMillis();
      if (ms <= 0) {
        throw new SocketTimeoutException("no time left for the TLS handshake");
      }
      s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, ms));
      soTimeout = -1;
      s.startHandshake();
      socket = s;
      input = s.getInputStream();
      output = s.getOutputStream();
      pos = 0;
      lim = 0;
      return s;
    } catch (SocketTimeoutException e) {
      broken = true;
      transcript.note("TLS handshake timed out");
      throw new ProbeFailure(
          ProbeFailure.Kind.TIMEOUT,
          ProbeReport.Phase.STARTTLS,
          "the TLS handshake did not complete in time",
          "");
    } catch (SSLException e) {
      broken = true;
      if (killed) {
        transcript.note("TLS handshake timed out");
        throw new ProbeFailure(
            ProbeFailure.Kind.TIMEOUT,
            ProbeReport.Phase.STARTTLS,
            "the TLS handshake did not complete in time",
            "");
      }
      transcript.note("TLS handshake failed: " + e.getMessage());
      throw new ProbeFailure(
          ProbeFailure.Kind.TLS,
          ProbeReport.Phase.STARTTLS,
          "the TLS handshake failed: " + e.getMessage(),
          "");
    } catch (IOException | IllegalArgumentException e) {
      broken = true;
      if (killed) {
        transcript.note("TLS handshake timed out");
        throw new ProbeFailure(
            ProbeFailure.Kind.TIMEOUT,
            ProbeReport.Phase.STARTTLS,
            "the TLS handshake did not complete in time",
            "");
      }
      transcript.note("TLS handshake failed: " + e.getMessage());
      throw new ProbeFailure(
          ProbeFailure.Kind.TLS, ProbeReport.Phase.STARTTLS, "the TLS handshake failed: " + e, "");
    }
  }

  /**
   * Closes everything, on every path; never blocks for long and never throws. After a clean end a
   * TLS connection sends close_notify; after a failure the socket is just closed.
   */
  void close() {
    disarm();
    SSLSocket s = ssl;
    if (s != null && !killed && !broken) {
      try {
        s.setSoTimeout(200); // close_notify exchange must not wait for a silent peer
        s.close();
      } catch (IOException | RuntimeException ignored) {
        // closing anyway
      }
    }
    kill();
    Socket open = socket;
    if (open != null) {
      try {
        open.close();
      } catch (IOException | RuntimeException ignored) {
        // already closed
      }
    }
  }
}
