package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import org.jspecify.annotations.Nullable;

/**
 * An HTTPS server for tests: real TLS on a loopback ephemeral port with a {@link TestCertificate},
 * answering each path with a scripted {@link HttpsResponse}: for example an MTA-STS policy (RFC
 * 8461 §3.3), a redirect, a wrong content type, a huge body or one that trickles.
 *
 * <pre>{@code
 * TestCertificate ca = TestCertificate.authority("Test CA");
 * try (MockHttpsServer https = MockHttpsServer.start(ca.issue("mta-sts.example.test"))) {
 *   https.mtaStsPolicy("version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 86400\n");
 *   // point the client at https.address(), trusting ca.trustStore()
 * }
 * }</pre>
 *
 * <p>HTTP/1.1 over TLS, one request per connection ({@code Connection: close}), written with {@code
 * TCP_NODELAY} so that timings are the network's, not Nagle's. Paths without a response get {@code
 * 404}. Every request is logged ({@link #requests()}). Thread-safe. Close it to free the port and
 * end its threads (daemon, named {@code mockhttps-*}).
 */
public final class MockHttpsServer implements AutoCloseable {
  /** The path of an MTA-STS policy (RFC 8461 §3.2). */
  public static final String MTA_STS_PATH = "/.well-known/mta-sts.txt";

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final int MAX_HEAD = 16 * 1024;

  private final TestCertificate certificate;
  private final SSLServerSocket server;
  private final ExecutorService executor;
  private final Map<String, HttpsResponse> responses = new ConcurrentHashMap<>();
  private final List<HttpsRequestLog> log = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private MockHttpsServer(TestCertificate certificate) throws IOException {
    this.certificate = certificate;
    int id = IDS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "mockhttps-" + id + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.server =
        (SSLServerSocket)
            certificate
                .serverContext()
                .getServerSocketFactory()
                .createServerSocket(0, 64, InetAddress.getLoopbackAddress());
    executor.execute(this::acceptLoop);
  }

  /**
   * Starts a server presenting a certificate.
   *
   * @param certificate the server's certificate and key (for example issued by a test CA for {@code
   *     mta-sts.example.test})
   * @return the running server
   * @throws IllegalStateException if it cannot start
   */
  public static MockHttpsServer start(TestCertificate certificate) {
    requireNonNull(certificate, "certificate");
    try {
      return new MockHttpsServer(certificate);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start MockHttpsServer: " + e.getMessage(), e);
    }
  }

  /**
   * @return the loopback address and port the server listens on
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  /**
   * @return the port
   */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * @return the certificate the server presents
   */
  public TestCertificate certificate() {
    return certificate;
  }

  /**
   * Answers requests for a path.
   *
   * @param path for example {@code /.well-known/mta-sts.txt}
   * @param response what to answer
   * @return this server
   */
  public MockHttpsServer respond(String path, HttpsResponse response) {
    requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', was " + path);
    }
    responses.put(path, requireNonNull(response, "response"));
    return this;
  }

  /**
   * Serves an MTA-STS policy at {@value #MTA_STS_PATH} as {@code text/plain}.
   *
   * @param policy the policy text
   * @return this server
   */
  public MockHttpsServer mtaStsPolicy(String policy) {
    return respond(MTA_STS_PATH, HttpsResponse.ok(policy));
  }

  /**
   * @return every request received so far, in order
   */
  public List<HttpsRequestLog> requests() {
    return List.copyOf(log);
  }

  /**
   * @return how many requests were received
   */
  public int requestCount() {
    return log.size();
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
      open.add(s);
      try {
        executor.execute(() -> serve(s));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        close(s);
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(30_000);
      String head = readHead(s.getInputStream());
      if (head == null) {
        return;
      }
      String[] lines = head.split("\r\n");
      String[] first = lines[0].split(" ");
      if (first.length != 3) {
        return;
      }
      String host = "";
      String agent = "";
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        if (c > 0) {
          String k = lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT);
          String v = lines[i].substring(c + 1).strip();
          if (k.equals("host")) {
            host = v;
          } else if (k.equals("user-agent")) {
            agent = v;
          }
        }
      }
      String target = first[1];
      int q = target.indexOf('?');
      String path = q >= 0 ? target.substring(0, q) : target;
      log.add(new HttpsRequestLog(first[0], path, host, agent, Instant.now()));
      HttpsResponse r =
          responses.getOrDefault(
              path, HttpsResponse.status(404).contentType("text/plain").body("not found\n"));
      sleep(r.headerDelay);
      write(s.getOutputStream(), r, first[0].equals("HEAD"));
    } catch (IOException e) {
      // the client went away (for example after refusing a huge body)
    } finally {
      open.remove(s);
    }
  }

  private void write(OutputStream out, HttpsResponse r, boolean head) throws IOException {
    StringBuilder h =
        new StringBuilder("HTTP/1.1 ")
            .append(r.status)
            .append(' ')
            .append(reason(r.status))
            .append("\r\n");
    r.headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
    long length = r.length();
    if (r.chunked) {
      h.append("Transfer-Encoding: chunked\r\n");
    } else {
      h.append("Content-Length: ").append(length).append("\r\n");
    }
    h.append("Connection: close\r\n\r\n");
    byte[] headBytes = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (head) {
      out.write(headBytes);
      out.flush();
      return;
    }
    if (r.trickle.isZero() && r.generatedBytes < 0 && !r.chunked) {
      byte[] all = Arrays.copyOf(headBytes, headBytes.length + r.body.length);
      System.arraycopy(r.body, 0, all, headBytes.length, r.body.length);
      out.write(all); // one write: no Nagle delay between head and body
      out.flush();
      return;
    }
    out.write(headBytes);
    out.flush();
    if (!r.trickle.isZero()) {
      for (long i = 0; i < length && !closed; i++) {
        byte b = r.generatedBytes >= 0 ? (byte) 'x' : r.body[(int) i];
        out.write(r.chunked ? new byte[] {'1', '\r', '\n', b, '\r', '\n'} : new byte[] {b});
        out.flush();
        sleep(r.trickle);
      }
    } else if (r.generatedBytes >= 0) {
      byte[] chunk = new byte[8192];
      Arrays.fill(chunk, (byte) 'x');
      for (int i = 63; i < chunk.length; i += 64) {
        chunk[i] = '\n';
      }
      long left = r.generatedBytes;
      while (left > 0 && !closed) {
        int n = (int) Math.min(chunk.length, left);
        if (r.chunked) {
          out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(chunk, 0, n);
        if (r.chunked) {
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        left -= n;
      }
    } else if (r.body.length > 0) {
      out.write((Integer.toHexString(r.body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(r.body);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    if (r.chunked) {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
  }

  private static @Nullable String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (b.size() < MAX_HEAD) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      b.write(c);
      matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
      if (matched == 4) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 301:
        return "Moved Permanently";
      case 302:
        return "Found";
      case 307:
        return "Temporary Redirect";
      case 308:
        return "Permanent Redirect";
      case 404:
        return "Not Found";
      case 500:
        return "Internal Server Error";
      case 503:
        return "Service Unavailable";
      default:
        return "Status";
    }
  }

  private void sleep(Duration d) {
    if (d.isZero() || d.isNegative() || closed) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Stops serving, frees the port and ends the server's threads. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    open.forEach(MockHttpsServer::close);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "MockHttpsServer["
        + address()
        + ", "
        + certificate.certificate().getSubjectX500Principal().getName()
        + "]";
  }
}
