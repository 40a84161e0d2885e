package dev.maildx.dns.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * DNS over TCP for {@link DnsClient} (RFC 1035 §4.2.2, RFC 7766), instead of dnsjava's: each query
 * gets its own connection, closed as soon as the answer is read, the attempt times out or anything
 * fails. dnsjava's TCP client keeps one connection per server open for reuse, even after a query on
 * it timed out, so a server that accepts and then hangs would hold a socket (and every later query
 * to it) for the life of the process.
 *
 * <p>One selector thread per transport, named {@code maildx-dns-tcp-N}, serves all connections
 * ({@link SelectorTransport}); it ends after two idle seconds and restarts on demand. The response
 * must answer the query (same ID, QR set, same question); anything else fails the exchange.
 */
final class TcpTransport extends SelectorTransport<TcpTransport.Pending> {
  private static final AtomicInteger IDS = new AtomicInteger();

  /**
   * Creates a transport; its I/O thread starts with the first exchange.
   *
   * @param completions where answers are handed over: the callers' continuations (parsing, the
   *     checks' own work) then run there, in parallel, instead of one after another on the single
   *     I/O thread
   */
  TcpTransport(Executor completions) {
    super(completions, "maildx-dns-tcp-" + IDS.incrementAndGet());
  }

  /** One connection and its query. */
  static final class Pending extends SelectorTransport.Exchange<SocketChannel> {
    final int queryId;
    final @Nullable Record question;
    final ByteBuffer out;
    final ByteBuffer length = ByteBuffer.allocate(2);
    @Nullable ByteBuffer body;

    Pending(SocketChannel channel, Message query, long deadline) {
      super(channel, deadline);
      this.queryId = query.getHeader().getID();
      this.question = query.getQuestion();
      byte[] wire = query.toWire();
      this.out = ByteBuffer.allocate(2 + wire.length);
      out.putShort((short) wire.length).put(wire).flip();
    }
  }

  /**
   * Connects, sends the query and completes with the response, or fails with {@link
   * SocketTimeoutException} after {@code timeout} or with the network error; the connection is
   * closed in every case.
   *
   * @param remote the server
   * @param query the query
   * @param timeout how long the whole exchange may take
   * @return the response's wire bytes
   */
  CompletableFuture<Response> exchange(InetSocketAddress remote, Message query, Duration timeout) {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      Pending p = new Pending(channel, query, System.nanoTime() + Math.max(1, timeout.toNanos()));
      channel.connect(remote);
      return start(p);
    } catch (IOException | RuntimeException e) {
      return failed(channel, e);
    }
  }

  @Override
  int interestOps(Pending p) {
    return p.channel.isConnected() ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT;
  }

  @Override
  String timeoutMessage(Pending p) {
    return p.body != null
        ? "the answer over TCP did not arrive completely within the timeout"
        : p.out.hasRemaining()
            ? "no TCP connection within the timeout"
            : "no answer over TCP within the timeout";
  }

  @Override
  void ready(SelectionKey key, Pending p) {
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
        throw new EOFException(
            "the server closed the TCP connection before the whole answer arrived");
      }
      if (n == 0) {
        return;
      }
      if (p.body == null && !p.length.hasRemaining()) {
        int len = ((p.length.get(0) & 0xff) << 8) | (p.length.get(1) & 0xff);
        if (len < 12) {
          throw new IOException(
              "the TCP answer announces " + len + " bytes, too short for a DNS message");
        }
        p.body = ByteBuffer.allocate(len);
      } else if (p.body != null && !p.body.hasRemaining()) {
        @SuppressWarnings(
            "ByteBufferBackingArray") // p.body comes from ByteBuffer.allocate: offset 0, full array
        Response r = answer(p.queryId, p.question, p.body.array());
        if (r == null) {
          throw new IOException(
              "the TCP answer does not match the query (wrong ID or question, or malformed)");
        }
        succeed(p, r);
      }
    }
  }
}
