package dev.maildx.dns.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * DNS over UDP for {@link DnsClient}, instead of dnsjava's: a datagram whose ID or question does
 * not match the query is ignored and the transport keeps waiting for the real answer until the
 * attempt's timeout (RFC 5452 §9.1), instead of failing the lookup — so a forged or stray packet
 * can neither poison nor abort a lookup.
 *
 * <p>Each query gets its own connected channel on a fresh ephemeral port (so only the server's
 * address is accepted). One selector thread per transport, named {@code maildx-dns-io-N}, serves
 * all queries ({@link SelectorTransport}); it ends after two idle seconds and restarts on demand.
 */
final class UdpTransport extends SelectorTransport<UdpTransport.Pending> {
  private static final AtomicInteger IDS = new AtomicInteger();

  /** Read buffer of the I/O thread (only it touches it). */
  private final ByteBuffer buf = ByteBuffer.allocate(65535);

  /**
   * Creates a transport; its I/O thread starts with the first exchange.
   *
   * @param completions where answers are handed over: the callers' continuations (parsing, the
   *     checks' own work) then run there, in parallel, instead of one after another on the single
   *     I/O thread
   */
  UdpTransport(Executor completions) {
    super(completions, "maildx-dns-io-" + IDS.incrementAndGet());
  }

  /** One query in flight. */
  static final class Pending extends SelectorTransport.Exchange<DatagramChannel> {
    final int queryId;
    final @Nullable Record question;
    final int max;
    int ignored;

    Pending(
        DatagramChannel channel, int queryId, @Nullable Record question, int max, long deadline) {
      super(channel, deadline);
      this.queryId = queryId;
      this.question = question;
      this.max = max;
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
  CompletableFuture<Response> exchange(
      InetSocketAddress remote, Message query, int max, Duration timeout) {
    byte[] data = query.toWire();
    DatagramChannel channel = null;
    try {
      channel = DatagramChannel.open();
      channel.configureBlocking(false);
      channel.bind(null);
      channel.connect(remote);
      Pending p =
          new Pending(
              channel,
              query.getHeader().getID(),
              query.getQuestion(),
              Math.max(512, max),
              System.nanoTime() + Math.max(1, timeout.toNanos()));
      int sent = channel.write(ByteBuffer.wrap(data));
      if (sent != data.length) {
        throw new IOException("could not send the query to " + remote);
      }
      return start(p);
    } catch (IOException | RuntimeException e) {
      return failed(channel, e);
    }
  }

  @Override
  int interestOps(Pending p) {
    return SelectionKey.OP_READ;
  }

  @Override
  String timeoutMessage(Pending p) {
    return p.ignored == 0
        ? "no answer within the timeout"
        : "no valid answer within the timeout; ignored "
            + p.ignored
            + " response"
            + (p.ignored == 1 ? "" : "s")
            + " that did not match the query (wrong ID or question, or malformed)";
  }

  @Override
  void ready(SelectionKey key, Pending p) {
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
      Response r = answer(p.queryId, p.question, Arrays.copyOf(buf.array(), n));
      if (r != null) {
        // Larger than the query allowed: only what it allowed is kept (and parsed later, as cut).
        succeed(p, n > p.max ? new Response(Arrays.copyOf(r.wire(), p.max), null) : r);
        return;
      }
      // Not the answer to this query (wrong ID, wrong question, garbage): ignore it and keep
      // waiting.
      p.ignored++;
    }
  }
}
