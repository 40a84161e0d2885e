package dev.maildx.dns.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
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
 * DNS over UDP for {@link DnsClient}, instead of dnsjava's: a datagram whose
 * ID or question does not match the query is ignored and the transport keeps waiting for the real
 * answer until the attempt's timeout (RFC 5452 §9.1), instead of failing the lookup — so a forged
 * or stray packet can neither poison nor abort a lookup.
 *
 * <p>Each query gets its own connected channel on a fresh ephemeral port (so only the server's
 * address is accepted). One selector thread per transport, named {@code maildx-dns-io-N}, serves
 * all queries; it ends after two idle seconds and restarts on demand.
 */
final class UdpTransport {
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
  UdpTransport(Executor completions) {
    this.completions = completions;
  }

  /** One query in flight. */
  private static final class Pending {
    final DatagramChannel channel;
    final int queryId;
    final @Nullable Record question;
    final int max;
    final long deadline;
    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    /** Set on the I/O thread when the exchange ends; the future itself completes later, on another thread. */
    boolean finished;
    int ignored;

    Pending(DatagramChannel channel, int queryId, @Nullable Record question, int max, long deadline) {
      this.channel = channel;
      this.queryId = queryId;
      this.question = question;
      this.max = max;
      this.deadline = deadline;
    }
  }

  /**
   * Sends a query and completes with the first datagram that answers it (same ID, QR set, same
   * question), or fails with {@link SocketTimeoutException} after {@code timeout}, or with the
   * network error (such as {@link java.net.PortUnreachableException}).
   *
   * @param remote the server
   * @param query the query
   * @param max the largest response accepted (the EDNS buffer size advertised)
   * @param timeout how long to wait
   * @return the response's wire bytes
   */
  CompletableFuture<byte[]> exchange(InetSocketAddress remote, Message query, int max, Duration timeout) {
    byte[] data = query.toWire();
    DatagramChannel channel = null;
    try {
      channel = DatagramChannel.open();
      channel.configureBlocking(false);
      channel.bind(null);
      channel.connect(remote);
      Pending p = new Pending(channel, query.getHeader().getID(), query.getQuestion(), Math.max(512, max),
          System.nanoTime() + Math.max(1, timeout.toNanos()));
      int sent = channel.write(ByteBuffer.wrap(data));
      if (sent != data.length) {
        throw new IOException("could not send the query to " + remote);
      }
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
        Thread t = new Thread(() -> loop(s), "maildx-dns-io-" + id);
        t.setDaemon(true);
        thread = t;
        t.start();
      } else {
        selector.wakeup();
      }
    }
  }

  private void loop(Selector s) {
    ByteBuffer buf = ByteBuffer.allocate(65535);
    long idleSince = System.nanoTime();
    // The earliest deadline that may have passed: the pending set is scanned only when it is due,
    // not on every wake-up (each new query wakes the loop; a scan per wake-up is quadratic under load).
    boolean scanDue = false;
    long scanAt = 0;
    try {
      while (true) {
        Pending p;
        while ((p = incoming.poll()) != null) {
          try {
            p.channel.register(s, SelectionKey.OP_READ, p);
          } catch (IOException | RuntimeException e) {
            fail(p, e);
          }
          if (!scanDue || p.deadline - scanAt < 0) {
            scanAt = p.deadline;
            scanDue = true;
          }
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        if (scanDue && now - scanAt >= 0) {
          scanDue = false;
          for (Pending x : pending) {
            if (x.deadline - now <= 0) {
              fail(x, new SocketTimeoutException(x.ignored == 0 ? "no answer within the timeout"
                  : "no valid answer within the timeout; ignored " + x.ignored + " response" + (x.ignored == 1 ? "" : "s")
                      + " that did not match the query (wrong ID or question, or malformed)"));
            } else if (!scanDue || x.deadline - scanAt < 0) {
              scanAt = x.deadline;
              scanDue = true;
            }
          }
        }
        if (scanDue) {
          next = Math.max(0, scanAt - now);
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
          read((Pending) key.attachment(), buf);
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

  private void read(Pending p, ByteBuffer buf) {
    while (!p.finished) {
      buf.clear();
      int n;
      try {
        n = p.channel.read(buf);
      } catch (IOException e) {
        fail(p, e); // e.g. ICMP port unreachable: PortUnreachableException
        return;
      }
      if (n <= 0) {
        return;
      }
      byte[] bytes = Arrays.copyOf(buf.array(), n);
      if (matches(p, bytes)) {
        succeed(p, n > p.max ? Arrays.copyOf(bytes, p.max) : bytes);
        return;
      }
      // Not the answer to this query (wrong ID, wrong question, garbage): ignore it and keep waiting.
      p.ignored++;
    }
  }

  private static boolean matches(Pending p, byte[] bytes) {
    return answers(p.queryId, p.question, bytes);
  }

  /**
   * Whether a response answers a query: same ID, QR set, same question (a response without a
   * question section, as some FORMERR/SERVFAIL answers are, is accepted by ID alone), and parseable.
   */
  static boolean answers(int queryId, @Nullable Record question, byte[] bytes) {
    if (bytes.length < 12 || (((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff)) != queryId || (bytes[2] & 0x80) == 0) {
      return false;
    }
    if (question == null) {
      return true;
    }
    try {
      Record q = new Message(bytes).getQuestion();
      return q == null || (q.getName().equals(question.getName()) && q.getType() == question.getType()
          && q.getDClass() == question.getDClass());
    } catch (IOException e) {
      return false;
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
