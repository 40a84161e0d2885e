package dev.maildx.dns;

import dev.maildx.spi.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A one-fetch HTTP CONNECT proxy on loopback that lets {@code java.net.http.HttpClient} reach a
 * host at the addresses maildx resolved (through its own DNS servers, and with the configured
 * routes applied) while TLS, SNI, certificate and host name validation, and the {@code Host} header
 * all stay those of the real host name: the client tunnels through it end to end.
 *
 * <p>It tunnels only to the one host and port it was made for, to the given addresses, and closes
 * everything at the deadline or on {@link #close()}. Its blocking I/O runs on threads of its own
 * (daemon, named {@code maildx-relay-N}, at most one accepting and two per tunnel), which end when
 * it closes. It must not use a shared bounded pool: a relay holds its threads for the whole fetch,
 * so with as many fetches in flight as the pool has threads, every thread waited in an accept loop
 * or a tunnel for a pipe that could never start, and the fetches all ran into their deadlines.
 */
final class ConnectRelay implements AutoCloseable {
  private static final int MAX_HEAD = 8192;
  private static final int MAX_CONNECTIONS = 4;
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** Starts each task on a new daemon thread. */
  private static final Executor OWN_THREADS =
      task -> {
        Thread t = new Thread(task, "maildx-relay-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
      };

  private final String host;
  private final int port;
  private final List<InetSocketAddress> targets;
  private final Deadline deadline;
  private final Executor executor;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final @Nullable ScheduledFuture<?> timer;
  private volatile @Nullable String upstreamFailure;
  private volatile boolean upstreamTimedOut;
  private volatile @Nullable InetSocketAddress connected;
  private volatile boolean closed;

  private ConnectRelay(
      String host,
      int port,
      List<InetSocketAddress> targets,
      Deadline deadline,
      ScheduledExecutorService scheduler)
      throws IOException {
    this.host = host;
    this.port = port;
    this.targets = List.copyOf(targets);
    this.deadline = deadline;
    this.executor = OWN_THREADS;
    this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    ScheduledFuture<?> t;
    try {
      t =
          scheduler.schedule(
              this::close, Math.max(1, deadline.remaining().toNanos()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      t = null;
    }
    this.timer = t;
  }

  static ConnectRelay start(
      String host,
      int port,
      List<InetSocketAddress> targets,
      Deadline deadline,
      ScheduledExecutorService scheduler)
      throws IOException {
    ConnectRelay r = new ConnectRelay(host, port, targets, deadline, scheduler);
    try {
      r.executor.execute(r::acceptLoop);
    } catch (RejectedExecutionException e) {
      r.close();
      throw new IOException("no thread to relay on: " + e.getMessage(), e);
    }
    return r;
  }

  /**
   * @return where the proxy listens
   */
  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  /**
   * @return why the last upstream connection failed, or null
   */
  @Nullable String upstreamFailure() {
    return upstreamFailure;
  }

  /**
   * @return whether the upstream connection failed by timing out
   */
  boolean upstreamTimedOut() {
    return upstreamTimedOut;
  }

  /**
   * @return the address the tunnel was connected to, or null
   */
  @Nullable InetSocketAddress connected() {
    return connected;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (connections.incrementAndGet() > MAX_CONNECTIONS || closed) {
        closeQuietly(client);
        continue;
      }
      sockets.add(client);
      try {
        executor.execute(() -> tunnel(client));
      } catch (RejectedExecutionException e) {
        closeQuietly(client);
      }
    }
  }

  private void tunnel(Socket client) {
    Socket upstream = null;
    try {
      client.setSoTimeout(timeLeft());
      String head = readHead(client.getInputStream());
      String[] first = head.split("\r\n", 2)[0].split(" ");
      OutputStream toClient = client.getOutputStream();
      if (first.length != 3
          || !first[0].equals("CONNECT")
          || !first[1].toLowerCase(Locale.ROOT).equals(host + ":" + port)) {
        toClient.write(
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        toClient.flush();
        return;
      }
      for (InetSocketAddress t : targets) {
        if (closed) {
          return;
        }
        Socket s = new Socket();
        sockets.add(s);
        try {
          s.connect(t, timeLeft());
          upstream = s;
          connected = t;
          break;
        } catch (SocketTimeoutException e) {
          upstreamTimedOut = true;
          upstreamFailure = "no connection to " + hostPort(t) + " before the deadline";
          closeQuietly(s);
        } catch (IOException e) {
          upstreamTimedOut = false;
          upstreamFailure =
              (e instanceof java.net.ConnectException
                      ? "connection refused by "
                      : "cannot connect to ")
                  + hostPort(t)
                  + (e instanceof java.net.ConnectException ? "" : ": " + e.getMessage());
          closeQuietly(s);
        }
      }
      if (upstream == null) {
        toClient.write(
            "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        toClient.flush();
        return;
      }
      toClient.write(
          "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      toClient.flush();
      client.setSoTimeout(0);
      Socket up = upstream;
      executor.execute(() -> pipe(up, client));
      pipe(client, up);
    } catch (IOException | RuntimeException e) {
      // the fetch reports what it saw; the relay just ends
    } finally {
      // the other direction closes both when it ends; a failed setup closes here
      if (upstream == null) {
        closeQuietly(client);
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    byte[] buf = new byte[16384];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while (!closed && (n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private int timeLeft() throws SocketTimeoutException {
    long ms = deadline.remainingMillis();
    if (ms <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    while (b.size() < MAX_HEAD) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("client closed before the end of the request head");
      }
      b.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2))
              ? state + 1
              : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    throw new IOException("request head longer than " + MAX_HEAD + " bytes");
  }

  static String hostPort(InetSocketAddress a) {
    String h = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
  }

  private static void closeQuietly(java.io.@Nullable Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    if (timer != null) {
      timer.cancel(false);
    }
    closeQuietly(server);
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
