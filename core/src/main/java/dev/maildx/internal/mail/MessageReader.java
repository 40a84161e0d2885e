package dev.maildx.internal.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads a message (RFC 5322) from a stream in bounded memory: the header section into {@link
 * HeaderField}s (at most {@link MailLimits#maxHeaderBytes()}), then the body in chunks into a
 * {@link BodySink} without keeping it, so a 25 MiB message costs no more memory than a small one.
 * From maildx-dns's {@code MessageReader} (the DKIM verifier's), on the shared {@link
 * HeaderSection} rules.
 *
 * <p>Line endings: CRLF and a bare LF both end a line, as for dkimpy and for an MTA that receives
 * the file through its submission interface; stored header fields have CRLF folding. A bare CR (not
 * followed by LF) is kept as data, as dkimpy and Postfix do. A first line starting {@code "From "}
 * is skipped. A line in the header section that is neither a header field nor a continuation ends
 * the header section and starts the body, as Postfix's cleanup does.
 *
 * <p>Not thread-safe; one reader per message.
 */
public final class MessageReader {
  /** The read buffer size. */
  public static final int BUFFER = 16 * 1024;

  private final InputStream in;
  private final long maxBytes;
  private final MailLimits limits;
  private final byte[] buf = new byte[BUFFER];
  private int pos;
  private int lim;
  private long total;
  private boolean eof;
  private boolean truncated;
  private byte @Nullable [] bodyStart;

  /**
   * A reader.
   *
   * @param in the message; not closed by the reader
   * @param maxBytes the most octets read; a longer message is {@linkplain #truncated() truncated}
   * @param limits the bounds of the header section
   */
  public MessageReader(InputStream in, long maxBytes, MailLimits limits) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.limits = limits;
  }

  /**
   * A reader with the default limits but the header size.
   *
   * @param in the message; not closed by the reader
   * @param maxBytes the most octets read
   * @param maxHeaderBytes the most octets of header section kept
   */
  public MessageReader(InputStream in, long maxBytes, int maxHeaderBytes) {
    this(in, maxBytes, MailLimits.DEFAULT.withMaxHeaderBytes(Math.max(1, maxHeaderBytes)));
  }

  /**
   * Reads the header section. When it is larger than the limit, reading stops there: the fields are
   * incomplete and the body is not reached.
   *
   * @return the header fields and what was odd about them ({@link HeaderSection#bodyOffset()} is
   *     -1)
   * @throws IOException if the stream fails
   */
  public HeaderSection readHeaders() throws IOException {
    HeaderParser p = new HeaderParser(limits, false);
    Bytes line = new Bytes(256);
    long read = 0;
    while (true) {
      int n = readLine(line, limits.maxHeaderBytes() - read + 1);
      if (n < 0) {
        break;
      }
      read += n;
      int r = p.line(line.data, 0, line.size);
      if (r == HeaderParser.END_AFTER) {
        break;
      }
      if (r == HeaderParser.END_BEFORE) {
        bodyStart = Arrays.copyOf(line.data, line.size);
        break;
      }
      if (p.tooLarge()) {
        break;
      }
    }
    return p.finish(-1);
  }

  /**
   * Streams the body (everything after the header section) into a sink, then {@linkplain
   * BodySink#finish() finishes} it. Allocates nothing per chunk.
   *
   * @param sink the sink
   * @throws IOException if the stream fails
   */
  public void readBody(BodySink sink) throws IOException {
    if (bodyStart != null) {
      sink.update(bodyStart, 0, bodyStart.length);
      bodyStart = null;
    }
    while (true) {
      if (pos < lim) {
        sink.update(buf, pos, lim - pos);
        pos = lim;
      }
      if (!fill()) {
        break;
      }
    }
    sink.finish();
  }

  /**
   * Reads and discards the rest of the stream, within the size limit (to count the message size
   * when the body is not needed).
   *
   * @throws IOException if the stream fails
   */
  public void skipRest() throws IOException {
    pos = lim;
    while (fill()) {
      pos = lim;
    }
  }

  /**
   * @return the octets read so far
   */
  public long bytesRead() {
    return total;
  }

  /**
   * @return whether the message was longer than the limit: the rest was not read
   */
  public boolean truncated() {
    return truncated;
  }

  /**
   * Reads one line (up to and including LF, or to the end, or past {@code limit}) into {@code
   * line}; -1 at the end.
   */
  private int readLine(Bytes line, long limit) throws IOException {
    line.size = 0;
    while (true) {
      if (pos == lim && !fill()) {
        return line.size == 0 ? -1 : line.size;
      }
      int i = pos;
      while (i < lim && buf[i] != '\n') {
        i++;
      }
      if (i < lim) {
        line.append(buf, pos, i + 1 - pos);
        pos = i + 1;
        return line.size;
      }
      line.append(buf, pos, lim - pos);
      pos = lim;
      if (line.size > limit) {
        return line.size;
      }
    }
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    pos = 0;
    lim = 0;
    while (lim == 0) {
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        eof = true;
        return false;
      }
      if (total + n > maxBytes) {
        n = (int) (maxBytes - total);
        truncated = true;
        eof = true;
        if (n <= 0) {
          return false;
        }
      }
      total += n;
      lim = n;
    }
    return true;
  }
}
