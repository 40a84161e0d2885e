package dev.maildx.dns.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * What {@link UdpTransport} and {@link TcpTransport} share: one selector thread per transport
 * serves every exchange in flight, enforces each one's deadline, ends after two idle seconds and
 * restarts on demand, and ends at once when the transport is closed (the environment closing).
 *
 * <p>Each exchange owns its channel, which is closed when the exchange ends, whatever ends it. The
 * exchange's future is completed on the {@code completions} executor, never on the I/O thread, so
 * that parsing and the callers' continuations run in parallel and cannot stall the I/O.
 *
 * @param <P> the transport's exchange
 */
abstract class SelectorTransport<P extends SelectorTransport.Exchange<?>> {
  /** How long the I/O thread waits without work before it ends. */
  static final long IDLE_NANOS = 2_000_000_000L;

  private final Object lock = new Object();
  private final Queue<P> incoming = new ConcurrentLinkedQueue<>();
  private final Set<P> pending = ConcurrentHashMap.newKeySet();
  private final Executor completions;
  private final String threadName;
  private @Nullable Selector selector;
  private @Nullable Thread thread;
  private volatile boolean closed;

  /**
   * A response that answers its query: its wire bytes and, when the transport already parsed
   * exactly these bytes to match the answer to the query, the message (so that it is parsed once).
   *
   * @param wire the response as received (cut to the size the query allowed)
   * @param parsed {@code wire} parsed, or null if the transport did not parse it
   */
  @SuppressWarnings("ArrayRecordComponent") // never compared; the wire bytes as received
  record Response(byte[] wire, @Nullable Message parsed) {
    /**
     * @return the message, parsed now if the transport did not
     */
    Message message() throws IOException {
      return parsed != null ? parsed : new Message(wire);
    }
  }

  /**
   * One exchange in flight: its channel, its deadline and its result.
   *
   * @param <C> the kind of channel
   */
  abstract static class Exchange<C extends SelectableChannel> {
    final C channel;
    final long deadline;
    final CompletableFuture<Response> future = new CompletableFuture<>();

    /**
     * Set on the I/O thread when the exchange ends; the future itself completes later, on another
     * thread.
     */
    boolean finished;

    Exchange(C channel, long deadline) {
      this.channel = channel;
      this.deadline = deadline;
    }
  }

  /**
   * @param completions where results are handed over
   * @param threadName the name of the I/O thread
   */
  SelectorTransport(Executor completions, String threadName) {
    this.completions = completions;
    this.threadName = threadName;
  }

  /**
   * @return the operations to wait for when the exchange is first registered
   */
  abstract int interestOps(P p);

  /**
   * The exchange's channel is ready for what it waits for; ends it with {@link #succeed} or {@link
   * #fail} when done.
   */
  abstract void ready(SelectionKey key, P p);

  /**
   * @return what a timeout of this exchange says happened
   */
  abstract String timeoutMessage(P p);

  /**
   * Hands a prepared exchange (open, non-blocking channel) to the I/O thread.
   *
   * @return its future; failed at once if the transport is closed
   */
  final CompletableFuture<Response> start(P p) {
    incoming.add(p);
    pending.add(p);
    try {
      wake();
    } catch (IOException | RuntimeException e) {
      incoming.remove(p);
      pending.remove(p);
      p.finished = true;
      closeQuietly(p.channel);
      return CompletableFuture.failedFuture(e);
    }
    return p.future;
  }

  /**
   * Ends the I/O thread now: exchanges in flight fail with an {@link IOException}, and later ones
   * fail at once.
   */
  final void close() {
    synchronized (lock) {
      closed = true;
      if (selector != null) {
        // The I/O thread itself fails what is pending and closes the selector: closing it from
        // here would change its key sets while that thread iterates them.
        selector.wakeup();
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
        Thread t = new Thread(() -> loop(s), threadName);
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
    // The earliest deadline that may have passed: the pending set is scanned only when it is due,
    // not on every wake-up (each new exchange wakes the loop; a scan per wake-up is quadratic under
    // load).
    boolean scanDue = false;
    long scanAt = 0;
    try {
      while (true) {
        if (closed) {
          throw new ClosedSelectorException();
        }
        P p;
        while ((p = incoming.poll()) != null) {
          try {
            p.channel.register(s, interestOps(p), p);
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
          for (P x : pending) {
            if (x.deadline - now <= 0) {
              fail(x, new SocketTimeoutException(timeoutMessage(x)));
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
          @SuppressWarnings("unchecked")
          P x = (P) key.attachment(); // attached by the registration above
          if (!x.finished && key.isValid()) {
            ready(key, x);
          }
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      IOException cause =
          e instanceof IOException
              ? (IOException) e
              : new IOException("the DNS client is closed", e);
      for (P x : pending) {
        fail(x, cause);
      }
      synchronized (lock) {
        if (selector == s) {
          thread = null;
          selector = null;
        }
      }
      try {
        s.close();
      } catch (IOException ignored) {
        // ending anyway
      }
    }
  }

  /** Ends the exchange with its response. */
  final void succeed(P p, Response response) {
    if (p.finished) {
      return;
    }
    end(p);
    handOver(() -> p.future.complete(response));
  }

  /** Ends the exchange with an error. */
  final void fail(P p, Exception e) {
    if (p.finished) {
      return;
    }
    end(p);
    handOver(() -> p.future.completeExceptionally(e));
  }

  private void handOver(Runnable completion) {
    try {
      completions.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run(); // the environment is closing: complete here rather than never
    }
  }

  private void end(P p) {
    p.finished = true;
    pending.remove(p);
    closeQuietly(p.channel);
  }

  /**
   * An exchange that could not start: its channel (if opened) closed, the error as a failed future.
   */
  static CompletableFuture<Response> failed(@Nullable SelectableChannel channel, Exception e) {
    if (channel != null) {
      closeQuietly(channel);
    }
    return CompletableFuture.failedFuture(e);
  }

  private static void closeQuietly(SelectableChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /**
   * The response if it answers the query: same ID, QR set, same question (a response without a
   * question section, as some FORMERR/SERVFAIL answers are, is accepted by ID alone), and
   * parseable; otherwise null.
   */
  static @Nullable Response answer(int queryId, @Nullable Record question, byte[] bytes) {
    if (bytes.length < 12
        || (((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff)) != queryId
        || (bytes[2] & 0x80) == 0) {
      return null;
    }
    if (question == null) {
      return new Response(bytes, null);
    }
    Message m;
    try {
      m = new Message(bytes);
    } catch (IOException e) {
      return null;
    }
    Record q = m.getQuestion();
    boolean same =
        q == null
            || (q.getName().equals(question.getName())
                && q.getType() == question.getType()
                && q.getDClass() == question.getDClass());
    return same ? new Response(bytes, m) : null;
  }
}
