package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTPS server for tests: real TLS on a loopback ephemeral port with a {@link TestCertificate},
 * answering each path with a scripted {@link HttpsResponse}: for example an MTA-STS policy
 * (RFC 8461 §3.3), a redirect, a wrong content type, a huge body or one that trickles.
 *
 * <pre>{@code
 * TestCertificate ca = TestCertificate.authority("Test CA");
 * try (MockHttpsServer https = MockHttpsServer.start(ca.issue("mta-sts.example.test"))) {
 *   https.mtaStsPolicy("version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 86400\n");
 *   // point the client at https.address(), trusting ca.trustStore()
 * }
 * }</pre>
 *
 * <p>Paths without a response get {@code 404}. Every request is logged ({@link #requests()}).
 * Thread-safe. Close it to free the port and end its threads (daemon, named {@code mockhttps-*}).
 */
public final class MockHttpsServer implements AutoCloseable {
  /** The path of an MTA-STS policy (RFC 8461 §3.2). */
  public static final String MTA_STS_PATH = "/.well-known/mta-sts.txt";
  private static final AtomicInteger IDS = new AtomicInteger();

  private final TestCertificate certificate;
  private final HttpsServer server;
  private final ExecutorService executor;
  private final Map<String, HttpsResponse> responses = new ConcurrentHashMap<>();
  private final List<HttpsRequestLog> log = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private MockHttpsServer(TestCertificate certificate) throws IOException {
    this.certificate = certificate;
    int id = IDS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mockhttps-" + id + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a server presenting a certificate.
   *
   * @param certificate the server's certificate and key (for example issued by a test CA for
   *     {@code mta-sts.example.test})
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

  /** @return the loopback address and port the server listens on */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
  }

  /** @return the port */
  public int port() {
    return server.getAddress().getPort();
  }

  /** @return the certificate the server presents */
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

  /** @return every request received so far, in order */
  public List<HttpsRequestLog> requests() {
    return List.copyOf(log);
  }

  /** @return how many requests were received */
  public int requestCount() {
    return log.size();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String host = ex.getRequestHeaders().getFirst("Host");
      String agent = ex.getRequestHeaders().getFirst("User-Agent");
      log.add(new HttpsRequestLog(ex.getRequestMethod(), path, host == null ? "" : host, agent == null ? "" : agent, Instant.now()));
      HttpsResponse r = responses.getOrDefault(path, HttpsResponse.status(404).contentType("text/plain").body("not found\n"));
      sleep(r.headerDelay);
      r.headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      long length = r.length();
      ex.sendResponseHeaders(r.status, length == 0 ? -1 : r.chunked ? 0 : length);
      if (length == 0) {
        return;
      }
      OutputStream out = ex.getResponseBody();
      if (!r.trickle.isZero()) {
        for (long i = 0; i < length && !closed; i++) {
          out.write(r.generatedBytes >= 0 ? 'x' : r.body[(int) i]);
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
          out.write(chunk, 0, n);
          left -= n;
        }
      } else {
        out.write(r.body);
      }
      out.flush();
    } catch (IOException e) {
      // the client went away (for example after refusing a huge body)
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

  /** Stops serving, frees the port and ends the server's threads. */
  @Override
  public void close() {
    closed = true;
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "MockHttpsServer[" + address() + ", " + certificate.certificate().getSubjectX500Principal().getName() + "]";
  }
}
