package dev.maildx.dns;

import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.spi.Deadline;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * Fetches a small document over HTTPS the way RFC 8461 §3.3 asks for the MTA-STS policy: with
 * {@code java.net.http.HttpClient}, the certificate validated for the host name (against the
 * configured trust store or the JDK's), redirects not followed, no caching, the body capped and
 * every step under the deadline. The host is resolved through maildx's DNS client and reached
 * through a {@link ConnectRelay}, so configured DNS servers and routes apply.
 */
final class PolicyFetcher {
  static final String USER_AGENT = "maildx (MTA-STS policy check)";

  /** How a fetch ended. */
  enum Kind {
    /** An HTTP response was received (any status). */
    RESPONSE,
    /** The host has no address (NXDOMAIN or no A/AAAA): a definite answer. */
    NO_ADDRESS,
    /** The address lookup failed (timeout, SERVFAIL, ...). */
    DNS_FAILED,
    /** The host resolves only to private, loopback or other special addresses. */
    NOT_PUBLIC,
    /** No TCP connection (refused, unreachable). */
    CONNECT_FAILED,
    /**
     * The TLS handshake failed: untrusted, expired or wrong-name certificate, or protocol error.
     */
    TLS_FAILED,
    /** The deadline passed while connecting or reading. */
    TIMEOUT,
    /** The body was larger than allowed. */
    TOO_LARGE,
    /** Any other failure (malformed HTTP, connection reset). */
    ERROR
  }

  /** The outcome of a fetch. */
  @SuppressWarnings("ArrayRecordComponent") // never compared; the body as fetched
  record Fetch(
      Kind kind,
      int status,
      @Nullable String contentType,
      byte[] body,
      String detail,
      List<InetAddress> addresses,
      DnsOutcome addressLookup,
      @Nullable Map<String, List<String>> headers) {}

  /** The addresses of the host, as looked up (possibly ahead of the fetch). */
  record Addresses(List<InetAddress> addresses, DnsOutcome outcome, String detail) {}

  private final DnsClient dns;
  private final @Nullable SSLContext ssl;
  private final @Nullable String sslProblem;
  private final Duration timeout;
  private final int maxBytes;

  PolicyFetcher(DnsClient dns, PolicyOptions options) {
    this.dns = dns;
    this.timeout = options.httpsTimeout();
    this.maxBytes = options.maxPolicyBytes();
    SSLContext ctx = null;
    String problem = null;
    try {
      if (options.trustStore().isPresent()) {
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(options.trustStore().get());
        ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
      } else {
        ctx = SSLContext.getDefault();
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      problem = "TLS is not available: " + e;
    }
    this.ssl = ctx;
    this.sslProblem = problem;
  }

  /** Looks up the host's A and AAAA records concurrently. */
  CompletableFuture<Addresses> resolve(String host, Deadline deadline) {
    CompletableFuture<DnsAnswer> a = dns.query(host, Type.A, deadline);
    CompletableFuture<DnsAnswer> aaaa = dns.query(host, Type.AAAA, deadline);
    return a.thenCombine(
        aaaa,
        (r4, r6) -> {
          List<InetAddress> out = new ArrayList<>();
          r4.records(ARecord.class).forEach(r -> out.add(r.getAddress()));
          r6.records(AAAARecord.class).forEach(r -> out.add(r.getAddress()));
          if (!out.isEmpty()) {
            return new Addresses(out, DnsOutcome.ANSWER, "");
          }
          if (!r4.outcome().isDefinite()) {
            return new Addresses(out, r4.outcome(), r4.describe());
          }
          if (!r6.outcome().isDefinite()) {
            return new Addresses(out, r6.outcome(), r6.describe());
          }
          DnsOutcome o =
              r4.outcome() == DnsOutcome.NXDOMAIN ? DnsOutcome.NXDOMAIN : DnsOutcome.NO_DATA;
          return new Addresses(
              out, o, o == DnsOutcome.NXDOMAIN ? "the name does not exist" : "no A or AAAA record");
        });
  }

  /**
   * Fetches {@code https://host/path}.
   *
   * @param addresses the host's addresses, looked up with {@link #resolve}
   * @return a future that always completes normally, by the deadline
   */
  CompletableFuture<Fetch> fetch(
      String host, String path, CompletableFuture<Addresses> addresses, Deadline outer) {
    Deadline deadline = outer.limit(timeout);
    return addresses.thenCompose(
        found -> {
          if (found.addresses.isEmpty()) {
            Kind k = found.outcome.isDefinite() ? Kind.NO_ADDRESS : Kind.DNS_FAILED;
            return done(k, host + ": " + found.detail, found);
          }
          Map<InetAddress, InetSocketAddress> routes = dns.environment().config().routes();
          List<InetSocketAddress> targets = new ArrayList<>();
          List<String> special = new ArrayList<>();
          for (InetAddress ip : found.addresses) {
            InetSocketAddress routed = routes.get(ip);
            if (routed != null) {
              targets.add(routed);
            } else if (InetAddresses.specialRange(ip) != null) {
              special.add(
                  InetAddresses.toLiteral(ip) + " (" + InetAddresses.specialRange(ip) + ")");
            } else {
              targets.add(new InetSocketAddress(ip, 443));
            }
          }
          if (targets.isEmpty()) {
            return done(
                Kind.NOT_PUBLIC, host + " resolves only to " + String.join(", ", special), found);
          }
          if (ssl == null) {
            return done(
                Kind.TLS_FAILED, sslProblem == null ? "TLS is not available" : sslProblem, found);
          }
          ConnectRelay relay;
          try {
            relay = ConnectRelay.start(host, 443, targets, deadline, dns.environment().scheduler());
          } catch (IOException e) {
            return done(Kind.ERROR, "cannot start the local relay: " + e.getMessage(), found);
          }
          CompletableFuture<Fetch> f = get(host, path, relay, deadline, found);
          CompletableFuture<Fetch> bounded =
              dns.environment()
                  .within(
                      f,
                      deadline,
                      () ->
                          failed(
                              Kind.TIMEOUT,
                              "no complete response from https://"
                                  + host
                                  + path
                                  + " within the time allowed",
                              found));
          return bounded.whenComplete((r, e) -> relay.close());
        });
  }

  private CompletableFuture<Fetch> get(
      String host, String path, ConnectRelay relay, Deadline deadline, Addresses found) {
    Duration left = deadline.remaining();
    if (left.isZero()) {
      return done(Kind.TIMEOUT, "no time left before the deadline", found);
    }
    // One client per fetch: its proxy is this fetch's relay. Java 17's HttpClient cannot be closed;
    // its selector thread ends when the client is garbage-collected (measured: 40 fetches leave 39
    // idle threads until the next GC, none after).
    HttpClient client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(relay.address()))
            .sslContext(ssl)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(left)
            .executor(dns.environment().executor())
            .build();
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(new URI("https", host, path, null))
              .GET()
              .timeout(left)
              .header("User-Agent", USER_AGENT)
              .header("Cache-Control", "no-cache")
              .build();
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return done(Kind.ERROR, "invalid URL for " + host + path + ": " + e.getMessage(), found);
    }
    CompletableFuture<HttpResponse<Body>> sent;
    try {
      sent = client.sendAsync(request, info -> new LimitedBody(maxBytes));
    } catch (RuntimeException e) {
      return done(Kind.ERROR, e.toString(), found);
    }
    return sent.handle(
        (resp, e) -> {
          if (e == null) {
            Body b = resp.body();
            String type = resp.headers().firstValue("Content-Type").orElse(null);
            if (b.tooLarge) {
              return new Fetch(
                  Kind.TOO_LARGE,
                  resp.statusCode(),
                  type,
                  new byte[0],
                  "the body is larger than " + maxBytes + " bytes",
                  found.addresses,
                  found.outcome,
                  resp.headers().map());
            }
            return new Fetch(
                Kind.RESPONSE,
                resp.statusCode(),
                type,
                b.bytes,
                "",
                found.addresses,
                found.outcome,
                resp.headers().map());
          }
          return failure(unwrap(e), relay, deadline, found);
        });
  }

  private static Fetch failure(
      Throwable c, ConnectRelay relay, Deadline deadline, Addresses found) {
    String upstream = relay.upstreamFailure();
    if (relay.connected() == null && upstream != null) {
      return failed(relay.upstreamTimedOut() ? Kind.TIMEOUT : Kind.CONNECT_FAILED, upstream, found);
    }
    for (Throwable t = c; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return failed(Kind.TLS_FAILED, tlsDetail(t), found);
      }
    }
    // The relay closes every connection when the deadline passes; the client then sees a body cut
    // short ("fixed content-length: 89, bytes received: 7") before its own timer fires. A failure
    // at or after the deadline is the deadline's doing, whatever the client calls it.
    String message = c.getMessage() == null ? c.toString() : c.getMessage();
    if (deadline.expired()) {
      return failed(
          Kind.TIMEOUT, "no complete response before the deadline (" + message + ")", found);
    }
    if (c instanceof HttpConnectTimeoutException || c instanceof HttpTimeoutException) {
      return failed(Kind.TIMEOUT, c.getMessage() == null ? "timed out" : c.getMessage(), found);
    }
    return failed(Kind.ERROR, message, found);
  }

  /** The most telling message of a TLS failure: the innermost cause that says what is wrong. */
  private static String tlsDetail(Throwable t) {
    String msg = t.getMessage();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.security.cert.CertificateExpiredException) {
        return "the certificate has expired (" + c.getMessage() + ")";
      }
      if (c instanceof java.security.cert.CertificateException
          && c.getMessage() != null
          && c.getMessage().contains("No subject alternative")) {
        return "the certificate is not valid for this host name (" + c.getMessage() + ")";
      }
      if (c.getMessage() != null && c.getMessage().contains("PKIX path building failed")) {
        return "the certificate is not issued by a trusted authority (" + c.getMessage() + ")";
      }
      if (c.getMessage() != null) {
        msg = c.getMessage();
      }
    }
    return msg == null ? t.toString() : msg;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable c = e;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static CompletableFuture<Fetch> done(Kind kind, String detail, Addresses found) {
    return CompletableFuture.completedFuture(failed(kind, detail, found));
  }

  /** A fetch that got no response: no status, no body, no headers. */
  private static Fetch failed(Kind kind, String detail, Addresses found) {
    return new Fetch(kind, 0, null, new byte[0], detail, found.addresses, found.outcome, null);
  }

  /** A response body, or the fact that it was too large. */
  static final class Body {
    final byte[] bytes;
    final boolean tooLarge;

    Body(byte[] bytes, boolean tooLarge) {
      this.bytes = bytes;
      this.tooLarge = tooLarge;
    }
  }

  /** Collects at most {@code max} bytes; cancels the transfer as soon as there are more. */
  static final class LimitedBody implements HttpResponse.BodySubscriber<Body> {
    private final int max;
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private Flow.@Nullable Subscription subscription;

    LimitedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<Body> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        if (bytes.size() + b.remaining() > max) {
          result.complete(new Body(new byte[0], true));
          Flow.Subscription s = subscription;
          if (s != null) {
            s.cancel();
          }
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.writeBytes(chunk);
      }
      Flow.Subscription s = subscription;
      if (s != null && !result.isDone()) {
        s.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(new Body(bytes.toByteArray(), false));
    }
  }
}
