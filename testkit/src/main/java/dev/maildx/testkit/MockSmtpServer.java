package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * An SMTP server for tests: real TCP on a loopback ephemeral port, scriptable replies, STARTTLS
 * with a certificate generated at start, and {@link SmtpPolicy misbehaviour policies}.
 *
 * <pre>{@code
 * try (MockSmtpServer smtp = MockSmtpServer.builder()
 *     .hostname("mx1.agency.test")
 *     .recipient("nobody@agency.test", "550 5.1.1 <nobody@agency.test>: user unknown")
 *     .build()) {
 *   int port = smtp.port();                 // point the prober here
 *   // ... after the test:
 *   assertFalse(smtp.sessions().get(0).sent("DATA"));
 * }
 * }</pre>
 *
 * <p>By default it greets with {@code 220}, announces PIPELINING, SIZE, 8BITMIME,
 * ENHANCEDSTATUSCODES, SMTPUTF8 and STARTTLS, accepts every sender and recipient, and accepts DATA
 * (so it is a usable sink). Replies are overridden per command verb with {@link Builder#reply} and
 * per recipient with {@link Builder#recipient}. Each connection's transcript is recorded ({@link
 * #sessions()}).
 *
 * <p>Thread-safe. Close it to free the port and end its threads (daemon, named {@code mocksmtp-*}).
 */
public final class MockSmtpServer implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final int MAX_LINE = 4096;
  private static final int LOGGED_LINE = 1000;

  private final String hostname;
  private final String greeting;
  private final List<String> extensions;
  private final Map<String, String> replies;
  private final Map<String, String> recipients;
  private final @Nullable String defaultRecipientReply;
  private final SmtpPolicy policy;
  private final @Nullable TestCertificate certificate;
  private final @Nullable SSLContext tls;
  private final ServerSocket server;
  private final List<SmtpSessionLog> sessions = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final Map<String, java.time.Duration> delays;
  private final @Nullable String rawGreeting;
  private final boolean closeAfterRawGreeting;
  private final int id = IDS.incrementAndGet();
  private volatile boolean closed;

  private MockSmtpServer(Builder b) throws IOException {
    this.hostname = b.hostname;
    this.greeting = b.greeting != null ? b.greeting : "220 " + b.hostname + " ESMTP maildx-testkit";
    this.policy = b.policy;
    this.certificate =
        b.tls
            ? (b.certificate != null ? b.certificate : TestCertificate.selfSigned(b.hostname))
            : null;
    this.tls = certificate == null ? null : certificate.serverContext();
    List<String> ext =
        new ArrayList<>(
            b.extensions != null
                ? b.extensions
                : List.of(
                    "PIPELINING", "SIZE 10240000", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8"));
    if (tls != null && ext.stream().noneMatch(e -> e.equalsIgnoreCase("STARTTLS"))) {
      ext.add("STARTTLS");
    }
    this.extensions = List.copyOf(ext);
    this.replies = Map.copyOf(b.replies);
    this.recipients = Map.copyOf(b.recipients);
    this.defaultRecipientReply = b.defaultRecipientReply;
    this.delays = Map.copyOf(b.delays);
    this.rawGreeting = b.rawGreeting;
    this.closeAfterRawGreeting = b.closeAfterRawGreeting;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(b.bind, b.port), 64);
    Thread t = new Thread(this::acceptLoop, "mocksmtp-" + id + "-accept");
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /**
   * Starts a well-behaved server with STARTTLS on {@code 127.0.0.1} and an ephemeral port.
   *
   * @return the running server
   */
  public static MockSmtpServer start() {
    return builder().build();
  }

  /**
   * Starts a server with a policy and otherwise the defaults.
   *
   * @param policy how to behave
   * @return the running server
   */
  public static MockSmtpServer start(SmtpPolicy policy) {
    return builder().policy(policy).build();
  }

  /**
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return where it listens
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  /**
   * @return the port
   */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * @return the host name it greets with and its certificate names
   */
  public String hostname() {
    return hostname;
  }

  /**
   * @return the certificate presented after STARTTLS, if TLS is on
   */
  public @Nullable TestCertificate certificate() {
    return certificate;
  }

  /**
   * @return the transcripts of the connections so far (a connection still open shows what was said
   *     until now)
   */
  public List<SmtpSessionLog> sessions() {
    return List.copyOf(sessions);
  }

  /**
   * @return how many connections were accepted
   */
  public int connectionCount() {
    return connections.get();
  }

  /**
   * @return how many connections are open now
   */
  public int openConnections() {
    return open.size();
  }

  /**
   * @return the most connections that were open at the same time
   */
  public int peakConnections() {
    return peak.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      connections.incrementAndGet();
      open.add(s);
      peak.accumulateAndGet(open.size(), Math::max);
      Thread t = new Thread(() -> serve(s), "mocksmtp-" + id + "-conn-" + s.getPort());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** One connection's state. */
  private final class Session {
    /** The accepted socket, as counted in {@code open} (STARTTLS replaces {@link #socket}). */
    final Socket accepted;

    Socket socket;
    InputStream in;
    OutputStream out;

    /**
     * Written by the session's thread only; readers get the immutable copy published in {@code
     * sessions}.
     */
    final List<SmtpSessionLog.Line> lines = new ArrayList<>();

    final int index;

    Session(Socket s) throws IOException {
      this.accepted = s;
      this.socket = s;
      this.in = s.getInputStream();
      this.out = s.getOutputStream();
      sessions.add(new SmtpSessionLog((InetSocketAddress) s.getRemoteSocketAddress(), List.of()));
      this.index = sessions.size() - 1;
    }

    void log(boolean fromClient, String text) {
      add(fromClient, text);
      publish();
    }

    private void add(boolean fromClient, String text) {
      lines.add(
          new SmtpSessionLog.Line(
              Instant.now(),
              fromClient,
              text.length() > LOGGED_LINE ? text.substring(0, LOGGED_LINE) + "..." : text));
    }

    private void publish() {
      sessions.set(
          index, new SmtpSessionLog((InetSocketAddress) socket.getRemoteSocketAddress(), lines));
    }

    void reply(String text) throws IOException, InterruptedException {
      // One copy of the log per reply, not per line: a reply of 100,000 lines stays linear.
      for (String line : text.split("\r?\n")) {
        add(false, line);
      }
      publish();
      byte[] bytes = (text.replaceAll("\r?\n", "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8);
      if (policy.kind == SmtpPolicy.Kind.TARPIT) {
        for (byte x : bytes) {
          Thread.sleep(policy.delay.toMillis());
          out.write(x);
          out.flush();
        }
      } else {
        out.write(bytes);
        out.flush();
      }
    }

    /**
     * Reads a line up to CRLF (or LF); null at end of stream; a too-long line is consumed and
     * reported.
     */
    @Nullable String readLine() throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      boolean tooLong = false;
      while (true) {
        int c = in.read();
        if (c < 0) {
          return buf.size() == 0 && !tooLong ? null : buf.toString(StandardCharsets.UTF_8);
        }
        if (c == '\n') {
          break;
        }
        if (buf.size() < MAX_LINE) {
          buf.write(c);
        } else {
          tooLong = true;
        }
      }
      String s = buf.toString(StandardCharsets.UTF_8);
      if (s.endsWith("\r")) {
        s = s.substring(0, s.length() - 1);
      }
      return tooLong ? "\u0000TOO_LONG" : s;
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(0);
      Session session = new Session(s);
      switch (policy.kind) {
        case BLACK_HOLE:
          drain(session);
          return;
        case SLOW_GREETING:
          Thread.sleep(policy.delay.toMillis());
          break;
        case GREETING_421:
          session.reply(
              "421 4.3.2 " + hostname + " Service not available, closing transmission channel");
          return;
        case HUGE_LINE:
          sendHugeLine(session);
          drain(session);
          return;
        case DATA_BEFORE_GREETING:
          session.reply("250 hello before you even asked");
          break;
        default:
          break;
      }
      if (rawGreeting != null) {
        session.log(false, rawGreeting.replace("\r", "\\r").replace("\n", "\\n") + " (raw)");
        session.out.write(rawGreeting.getBytes(StandardCharsets.UTF_8));
        session.out.flush();
        if (closeAfterRawGreeting) {
          return;
        }
      } else {
        session.reply(greeting);
      }
      converse(session);
    } catch (IOException | InterruptedException e) {
      // connection ends
    } finally {
      open.remove(s);
    }
  }

  private void converse(Session session) throws IOException, InterruptedException {
    boolean inTls = false;
    while (!closed) {
      String line = session.readLine();
      if (line == null) {
        return;
      }
      if (line.equals("\u0000TOO_LONG")) {
        session.log(true, "(line longer than " + MAX_LINE + " bytes)");
        session.reply("500 5.5.6 Line too long");
        continue;
      }
      session.log(true, line);
      String verb = verb(line);
      String override = replies.get(verb);
      java.time.Duration pause = delays.get(verb);
      if (pause != null) {
        Thread.sleep(pause.toMillis());
      }
      switch (verb) {
        case "EHLO":
        case "HELO":
          if (!hello(session, verb, override, inTls)) {
            return;
          }
          break;
        case "STARTTLS":
          if (override != null) {
            session.reply(override);
            break;
          }
          if (tls == null || inTls) {
            session.reply("502 5.5.1 STARTTLS not available");
            break;
          }
          if (!startTls(session, tls)) {
            return;
          }
          inTls = true;
          break;
        case "MAIL":
          session.reply(override != null ? override : "250 2.1.0 Ok");
          break;
        case "RCPT":
          session.reply(rcptReply(line, override));
          break;
        case "DATA":
          data(session, override);
          break;
        case "RSET":
          session.reply(override != null ? override : "250 2.0.0 Ok");
          break;
        case "NOOP":
          session.reply(override != null ? override : "250 2.0.0 Ok");
          break;
        case "VRFY":
          session.reply(override != null ? override : "252 2.0.0 Cannot VRFY user");
          break;
        case "QUIT":
          // The session ends with this reply: count it closed before the client can read the 221
          // and connect again, or the peak would count the two as open at once.
          open.remove(session.accepted);
          session.reply(override != null ? override : "221 2.0.0 Bye");
          return;
        default:
          session.reply(override != null ? override : "500 5.5.2 Error: command not recognized");
          break;
      }
    }
  }

  /** Answers EHLO or HELO; false when the policy ends the conversation there. */
  private boolean hello(Session session, String verb, @Nullable String override, boolean inTls)
      throws IOException, InterruptedException {
    if (policy.kind == SmtpPolicy.Kind.CLOSE_AFTER_EHLO) {
      return false;
    }
    if (override != null) {
      session.reply(override);
    } else if (policy.kind == SmtpPolicy.Kind.ENDLESS_MULTILINE) {
      endless(session);
      return false;
    } else if (verb.equals("HELO")) {
      session.reply("250 " + hostname);
    } else {
      session.reply(ehloReply(inTls));
    }
    return true;
  }

  /** The 250 to EHLO with the extensions, STARTTLS left out once TLS is on. */
  private String ehloReply(boolean inTls) {
    StringBuilder b = new StringBuilder("250-" + hostname + " Hello");
    List<String> ext =
        inTls
            ? extensions.stream().filter(e -> !e.equalsIgnoreCase("STARTTLS")).toList()
            : extensions;
    for (int i = 0; i < ext.size(); i++) {
      b.append('\n').append(i == ext.size() - 1 ? "250 " : "250-").append(ext.get(i));
    }
    if (ext.isEmpty()) {
      b = new StringBuilder("250 " + hostname + " Hello");
    }
    return b.toString();
  }

  /**
   * Says 220 and takes the TLS handshake; false when the conversation ends (the policy's broken
   * TLS, a failed handshake).
   */
  private boolean startTls(Session session, SSLContext context)
      throws IOException, InterruptedException {
    session.reply("220 2.0.0 Ready to start TLS");
    if (policy.kind == SmtpPolicy.Kind.TLS_FAILURE) {
      session.out.write("this is not a TLS handshake\r\n".getBytes(StandardCharsets.US_ASCII));
      session.out.flush();
      return false;
    }
    SSLSocket ssl =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(
                    session.socket,
                    session.socket.getInetAddress().getHostAddress(),
                    session.socket.getPort(),
                    true);
    ssl.setUseClientMode(false);
    try {
      ssl.startHandshake();
    } catch (IOException e) {
      session.log(false, "(TLS handshake failed: " + e.getMessage() + ")");
      return false;
    }
    session.socket = ssl;
    session.in = ssl.getInputStream();
    session.out = ssl.getOutputStream();
    session.log(
        false,
        "(TLS " + ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite() + ")");
    return true;
  }

  /** Answers DATA: 354, swallows the message up to the dot, 250. */
  private void data(Session session, @Nullable String override)
      throws IOException, InterruptedException {
    if (override != null) {
      session.reply(override);
      return;
    }
    session.reply("354 End data with <CR><LF>.<CR><LF>");
    String l;
    while ((l = session.readLine()) != null && !l.equals(".")) {
      // swallow the message
    }
    session.reply("250 2.0.0 Ok: queued");
  }

  private String rcptReply(String line, @Nullable String override) {
    int lt = line.indexOf('<');
    int gt = line.indexOf('>', lt + 1);
    String address = lt >= 0 && gt > lt ? line.substring(lt + 1, gt).toLowerCase(Locale.ROOT) : "";
    String specific = recipients.get(address);
    if (specific != null) {
      return specific;
    }
    if (override != null) {
      return override;
    }
    return defaultRecipientReply != null ? defaultRecipientReply : "250 2.1.5 Ok";
  }

  private void endless(Session session) throws IOException, InterruptedException {
    long n = 0;
    while (!closed) {
      String line = "250-" + hostname + " extension line " + (n++);
      if (n < 50) {
        session.log(false, line);
      }
      session.out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
      if (n % 64 == 0) {
        session.out.flush();
        Thread.sleep(1);
      }
    }
  }

  private void sendHugeLine(Session session) throws IOException {
    byte[] chunk = new byte[8192];
    java.util.Arrays.fill(chunk, (byte) 'x');
    chunk[0] = '2';
    chunk[1] = '2';
    chunk[2] = '0';
    chunk[3] = ' ';
    session.log(false, "220 xxxx... (" + policy.size + " bytes without CRLF)");
    int left = policy.size;
    boolean first = true;
    while (left > 0 && !closed) {
      int n = Math.min(left, chunk.length);
      session.out.write(chunk, 0, n);
      left -= n;
      if (first) {
        java.util.Arrays.fill(chunk, 0, 4, (byte) 'x');
        first = false;
      }
    }
    session.out.flush();
  }

  private void drain(Session session) throws IOException {
    byte[] buf = new byte[1024];
    while (!closed && session.in.read(buf) >= 0) {
      // say nothing
    }
  }

  private static String verb(String line) {
    int sp = line.indexOf(' ');
    String v = sp < 0 ? line : line.substring(0, sp);
    int colon = v.indexOf(':');
    if (colon >= 0) {
      v = v.substring(0, colon);
    }
    return v.toUpperCase(Locale.ROOT);
  }

  /** Stops accepting, closes every connection and ends every thread of this server. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "MockSmtpServer[" + hostname + " on " + address() + ", " + policy + "]";
  }

  /** Builds and starts a {@link MockSmtpServer}. Not thread-safe. */
  public static final class Builder {
    private String hostname = "mx.mock.test";
    private @Nullable String greeting;
    private @Nullable List<String> extensions;
    private final Map<String, String> replies = new LinkedHashMap<>();
    private final Map<String, String> recipients = new LinkedHashMap<>();
    private @Nullable String defaultRecipientReply;
    private final Map<String, java.time.Duration> delays = new LinkedHashMap<>();
    private @Nullable String rawGreeting;
    private boolean closeAfterRawGreeting;
    private SmtpPolicy policy = SmtpPolicy.normal();
    private boolean tls = true;
    private @Nullable TestCertificate certificate;
    private InetAddress bind = InetAddress.getLoopbackAddress();
    private int port;

    private Builder() {}

    /**
     * Sets the host name used in the greeting, EHLO reply and default certificate.
     *
     * @param hostname for example {@code mx1.agency.test}
     * @return this builder
     */
    public Builder hostname(String hostname) {
      this.hostname = requireNonNull(hostname, "hostname");
      return this;
    }

    /**
     * Sets the greeting line(s), code included; lines separated by {@code \n} make a multi-line
     * greeting.
     *
     * @param greeting for example {@code "554 5.7.1 Listed at zen.spamhaus.org"}
     * @return this builder
     */
    public Builder greeting(String greeting) {
      this.greeting = requireNonNull(greeting, "greeting");
      return this;
    }

    /**
     * Sets the EHLO extensions (STARTTLS is added while TLS is on).
     *
     * @param extensions for example {@code "SIZE 1000", "8BITMIME"}
     * @return this builder
     */
    public Builder extensions(String... extensions) {
      this.extensions = List.of(extensions);
      return this;
    }

    /**
     * Overrides the reply to a command verb.
     *
     * @param verb EHLO, HELO, MAIL, RCPT, DATA, RSET, NOOP, VRFY, QUIT, STARTTLS or any other
     * @param reply the reply, code included; {@code \n} separates lines of a multi-line reply
     * @return this builder
     */
    public Builder reply(String verb, String reply) {
      replies.put(
          requireNonNull(verb, "verb").toUpperCase(Locale.ROOT), requireNonNull(reply, "reply"));
      return this;
    }

    /**
     * Waits before replying to a command verb (after the policy's own behaviour), for example to
     * make RCPT slower than the client's patience.
     *
     * @param verb EHLO, MAIL, RCPT, ...
     * @param delay how long to wait before the reply
     * @return this builder
     */
    public Builder delay(String verb, java.time.Duration delay) {
      requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative");
      }
      delays.put(requireNonNull(verb, "verb").toUpperCase(Locale.ROOT), delay);
      return this;
    }

    /**
     * Sends these exact characters (UTF-8) as the greeting, with no CRLF added or normalised — for
     * replies that break the line rules: a bare LF, no line end at all.
     *
     * @param text the bytes to send, as text
     * @param thenClose whether to close the connection right after it; otherwise the server goes on
     *     reading commands
     * @return this builder
     */
    public Builder rawGreeting(String text, boolean thenClose) {
      this.rawGreeting = requireNonNull(text, "text");
      this.closeAfterRawGreeting = thenClose;
      return this;
    }

    /**
     * Sets the reply to {@code RCPT TO} for one address (case-insensitive).
     *
     * @param address the recipient
     * @param reply for example {@code "550 5.1.1 <x@y>: Recipient address rejected: User unknown"}
     * @return this builder
     */
    public Builder recipient(String address, String reply) {
      recipients.put(
          requireNonNull(address, "address").toLowerCase(Locale.ROOT),
          requireNonNull(reply, "reply"));
      return this;
    }

    /**
     * Sets the reply to {@code RCPT TO} for addresses without a reply of their own (default {@code
     * 250 2.1.5 Ok}, which makes the server a catch-all).
     *
     * @param reply the reply
     * @return this builder
     */
    public Builder otherRecipients(String reply) {
      this.defaultRecipientReply = requireNonNull(reply, "reply");
      return this;
    }

    /**
     * Sets the policy (default {@link SmtpPolicy#normal()}).
     *
     * @param policy how to behave
     * @return this builder
     */
    public Builder policy(SmtpPolicy policy) {
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Turns STARTTLS on or off (default on, with a self-signed certificate for the host name).
     *
     * @param enabled whether to offer STARTTLS
     * @return this builder
     */
    public Builder tls(boolean enabled) {
      this.tls = enabled;
      return this;
    }

    /**
     * Sets the certificate presented after STARTTLS (and turns TLS on).
     *
     * @param certificate for example {@link TestCertificate#expired(String...)}
     * @return this builder
     */
    public Builder certificate(TestCertificate certificate) {
      this.certificate = requireNonNull(certificate, "certificate");
      this.tls = true;
      return this;
    }

    /**
     * Binds to a loopback address and port (default {@code 127.0.0.1}, ephemeral port).
     *
     * @param address a loopback address
     * @param port the port, 0 for ephemeral
     * @return this builder
     */
    public Builder bind(InetAddress address, int port) {
      requireNonNull(address, "address");
      if (!address.isLoopbackAddress()) {
        throw new IllegalArgumentException("MockSmtpServer binds to loopback only, not " + address);
      }
      this.bind = address;
      this.port = port;
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running server
     */
    public MockSmtpServer build() {
      try {
        return new MockSmtpServer(this);
      } catch (IOException e) {
        throw new IllegalStateException("cannot start MockSmtpServer: " + e.getMessage(), e);
      }
    }
  }
}
