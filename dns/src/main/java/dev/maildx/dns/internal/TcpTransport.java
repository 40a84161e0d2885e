package dev.maildx.dns.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * DNS over TCP for {@link DnsClient} (RFC 1035 §4.2.2, RFC 7766), instead of dnsjava's: each
 * query gets its own connection, closed as soon as the answer is read, the attempt times out or
 * anything fails. dnsjava's TCP client keeps one connection per server open for reuse, even after
 * a query on it timed out, so a server that accepts and then hangs would hold a socket (and every
 * later query to it) for the life of the process.
 *
 * <p>One selector thread per transport, named {@code maildx-dns-tcp-N}, serves all connections;
 * it ends after two idle seconds and restarts on demand. The response must answer the query (same
 * ID, QR set, same question); anything else fails the exchange.
 */
final class TcpTransport {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final long IDLE_NANOS = 2_000_000_000L;

  private final Object lock = new Object();
  private final Queue<Pending> incoming = new ConcurrentLinkedQueue<>();
  private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
  private final int id = IDS.incrementAndGet();
  private final Executor completions;
  private @Nullable Selector selector;
  private @Nullable Thread thread;
  private boolean closed;

  /**
   * Creates a transport; its I/O thread starts with the first exchange.
   *
   * @param completions where answers are handed over: the callers' continuations (parsing, the
   *     checks' own work) then run there, in parallel, instead of one after another on the single
   *     I/O thread
   */
  TcpTransport(Executor completions) {
    this.completions = completions;
  }

  /** One connection and its query. */
  private static final class Pending {
    final SocketChannel channel;
    final InetSocketAddress remote;
    final int queryId;
    final @Nullable Record question;
    final long deadline;
    final ByteBuffer out;
    final ByteBuffer length = ByteBuffer.allocate(2);
    @Nullable ByteBuffer body;
    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    /** Set on the I/O thread when the exchange ends; the future itself completes later, on another thread. */
    boolean finished;

    Pending(SocketChannel channel, InetSocketAddress remote, Message query, long deadline) {
      this.channel = channel;
      this.remote = remote;
      this.queryId = query.getHeader().getID();
      this.question = query.getQuestion();
      this.deadline = deadline;
      byte[] wire = query.toWire();
      this.out = ByteBuffer.allocate(2 + wire.length);
      out.putShort((short) wire.length).put(wire).flip();
    }
  }

  /**
   * Connects, sends the query and completes with the response, or fails with
   * {@link SocketTimeoutException} after {@code timeout} or with the network error; the connection
   * is closed in every case.
   *
   * @param remote the server
   * @param query the query
   * @param timeout how long the whole exchange may take
   * @return the response's wire bytes
   */
  CompletableFuture<byte[]> exchange(InetSocketAddress remote, Message query, Duration timeout) {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      Pending p = new Pending(channel, remote, query, System.nanoTime() + Math.max(1, timeout.toNanos()));
      channel.connect(remote);
      incoming.add(p);
      pending.add(p);
      wake();
      return p.future;
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // failing anyway
        }
      }
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Ends the I/O thread now: queries in flight fail with an {@link IOException}, and later
   * exchanges fail at once. Called when the environment closes.
   */
  void close() {
    Selector s;
    synchronized (lock) {
      closed = true;
      s = selector;
    }
    if (s != null) {
      try {
        s.close(); // the I/O thread wakes, fails what is pending and ends
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private void wake() throws IOException {
    synchronized (lock) {
      if (closed) {
        throw new IOException("the DNS client is closed");
      }
      if (selector == null || thread == null) {
        selector = Selector.open();
        Selector s = selector;
        Thread t = new Thread(() -> loop(s), "maildx-dns-tcp-" + id);
        t.setDaemon(true);
        thread = t;
        t.start();
      } else {
        selector.wakeup();
      }
    }
  }

  private void loop(Selector s) {
    long idleSince = System.nanoTime();
    try {
      while (true) {
        Pending p;
        while ((p = incoming.poll()) != null) {
          try {
            p.channel.register(s, p.channel.isConnected() ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, p);
          } catch (IOException | RuntimeException e) {
            fail(p, e);
          }
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Pending x : pending) {
          if (x.deadline - now <= 0) {
            fail(x, new SocketTimeoutException(x.body != null ? "the answer over TCP did not arrive completely within the timeout"
                : x.out.hasRemaining() ? "no TCP connection within the timeout" : "no answer over TCP within the timeout"));
          } else {
            next = Math.min(next, x.deadline - now);
          }
        }
        if (pending.isEmpty() && incoming.isEmpty()) {
          if (now - idleSince > IDLE_NANOS) {
            synchronized (lock) {
              if (incoming.isEmpty()) {
                thread = null;
                selector = null;
                s.close();
                return;
              }
            }
          }
          next = IDLE_NANOS;
        } else {
          idleSince = now;
        }
        s.select(Math.max(1, next / 1_000_000 + 1));
        Iterator<SelectionKey> it = s.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          step(key, (Pending) key.attachment());
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      for (Pending x : pending) {
        fail(x, e instanceof IOException ? (IOException) e : new IOException("the DNS client is closed", e));
      }
      synchronized (lock) {
        thread = null;
        selector = null;
      }
    }
  }

  private void step(SelectionKey key, Pending p) {
    if (p.finished || !key.isValid()) {
      return;
    }
    try {
      if (key.isConnectable()) {
        p.channel.finishConnect();
        key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
      if (key.isWritable()) {
        p.channel.write(p.out);
        if (!p.out.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ);
        }
        return;
      }
      if (key.isReadable()) {
        read(p);
      }
    } catch (IOException | RuntimeException e) {
      fail(p, e);
    }
  }

  private void read(Pending p) throws IOException {
    while (!p.finished) {
      ByteBuffer target = p.body == null ? p.length : p.body;
      int n = p.channel.read(target);
      if (n < 0) {
        throw new EOFException("the server closed the TCP connection before the whole answer arrived");
      }
      if (n == 0) {
        return;
      }
      if (p.body == null && !p.length.hasRemaining()) {
        int len = ((p.length.get(0) & 0xff) << 8) | (p.length.get(1) & 0xff);
        if (len < 12) {
          throw new IOException("the TCP answer announces " + len + " bytes, too short for a DNS message");
        }
        p.body = ByteBuffer.allocate(len);
      } else if (p.body != null && !p.body.hasRemaining()) {
        byte[] bytes = p.body.array();
        if (!UdpTransport.answers(p.queryId, p.question, bytes)) {
          throw new IOException("the TCP answer does not match the query (wrong ID or question, or malformed)");
        }
        succeed(p, bytes);
      }
    }
  }

  private void succeed(Pending p, byte[] bytes) {
    if (p.finished) {
      return;
    }
    close(p);
    handOver(() -> p.future.complete(bytes));
  }

  private void fail(Pending p, Exception e) {
    if (p.finished) {
      return;
    }
    close(p);
    handOver(() -> p.future.completeExceptionally(e));
  }

  private void handOver(Runnable completion) {
    try {
      completions.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run(); // the environment is closing: complete here rather than never
    }
  }

  private void close(Pending p) {
    p.finished = true;
    pending.remove(p);
    try {
      p.channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
