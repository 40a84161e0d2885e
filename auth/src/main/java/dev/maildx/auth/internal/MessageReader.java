package dev.maildx.auth.internal;

import dev.maildx.dns.internal.TxtStrings;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a message (RFC 5322) from a stream in bounded memory: the header section into {@link
 * HeaderField}s (at most {@code maxHeaderBytes}), then the body in chunks into a {@link BodyHasher}
 * without keeping it, so a 25 MiB message costs no more memory than a small one.
 *
 * <p>Line endings: CRLF and a bare LF both end a line, as for dkimpy and for an MTA that receives
 * the file through its submission interface; stored header fields have CRLF folding. A bare CR (not
 * followed by LF) is kept as data, as dkimpy and Postfix do. A first line starting {@code "From "}
 * (an mbox separator, not a header field) is skipped. A line in the header section that is neither
 * a header field nor a continuation ends the header section and starts the body, as Postfix's
 * cleanup does.
 *
 * <p>Not thread-safe; one reader per message.
 */
public final class MessageReader {
  /** The read buffer size. */
  public static final int BUFFER = 16 * 1024;

  /** The most header fields kept. */
  public static final int MAX_FIELDS = 2000;

  private final InputStream in;
  private final long maxBytes;
  private final int maxHeaderBytes;
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
   * @param maxHeaderBytes the most octets of header section kept
   */
  public MessageReader(InputStream in, long maxBytes, int maxHeaderBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  /**
   * The header section.
   *
   * @param fields the header fields, top to bottom
   * @param headerBytes the octets of the header section as read
   * @param tooLarge whether the header section exceeded the limit (then {@code fields} is
   *     incomplete and the body was not reached)
   * @param tooManyFields whether more than {@value #MAX_FIELDS} fields were found (the rest were
   *     dropped)
   * @param mboxLine the skipped mbox {@code From } line, or {@code null}
   * @param malformedLine the line that ended the header section without being a header field, or
   *     {@code null}
   * @param bareLfLines how many header lines ended with a bare LF
   */
  public record Headers(
      List<HeaderField> fields,
      long headerBytes,
      boolean tooLarge,
      boolean tooManyFields,
      @Nullable String mboxLine,
      @Nullable String malformedLine,
      int bareLfLines) {
    /** Copies. */
    public Headers {
      fields = List.copyOf(fields);
    }
  }

  /**
   * Reads the header section.
   *
   * @return the header fields and what was odd about them
   * @throws IOException if the stream fails
   */
  public Headers readHeaders() throws IOException {
    List<HeaderField> fields = new ArrayList<>();
    Bytes line = new Bytes(256);
    Bytes field = new Bytes(256);
    int colon = -1;
    long headerBytes = 0;
    boolean first = true;
    boolean tooLarge = false;
    boolean tooMany = false;
    String mbox = null;
    String malformed = null;
    int bareLf = 0;
    while (true) {
      int n = readLine(line, maxHeaderBytes - headerBytes + 1);
      if (n < 0) {
        break;
      }
      headerBytes += n;
      if (headerBytes > maxHeaderBytes) {
        tooLarge = true;
        break;
      }
      int len = line.size;
      boolean lf = len > 0 && line.data[len - 1] == '\n';
      int content = lf ? len - 1 : len;
      if (lf && content > 0 && line.data[content - 1] == '\r') {
        content--;
      } else if (lf) {
        bareLf++;
      }
      if (first) {
        first = false;
        if (content >= 5
            && line.data[0] == 'F'
            && line.data[1] == 'r'
            && line.data[2] == 'o'
            && line.data[3] == 'm'
            && line.data[4] == ' ') {
          mbox =
              TxtStrings.printable(
                  new String(line.data, 0, content, java.nio.charset.StandardCharsets.ISO_8859_1),
                  200);
          continue;
        }
      }
      if (content == 0) {
        break; // the empty line that separates the body
      }
      byte c0 = line.data[0];
      if ((c0 == ' ' || c0 == '\t') && colon >= 0) {
        field.append(CRLF, 0, 2);
        field.append(line.data, 0, content);
        continue;
      }
      int col = (c0 == ' ' || c0 == '\t') ? -1 : nameEnd(line.data, content);
      if (col < 0) {
        malformed =
            TxtStrings.printable(
                new String(line.data, 0, content, java.nio.charset.StandardCharsets.ISO_8859_1),
                200);
        bodyStart = Arrays.copyOf(line.data, len);
        break;
      }
      if (colon >= 0) {
        if (fields.size() < MAX_FIELDS) {
          fields.add(new HeaderField(field.toArray(), colon));
        } else {
          tooMany = true;
        }
      }
      field.size = 0;
      field.append(line.data, 0, content);
      colon = col;
    }
    if (colon >= 0 && !tooLarge) {
      if (fields.size() < MAX_FIELDS) {
        fields.add(new HeaderField(field.toArray(), colon));
      } else {
        tooMany = true;
      }
    }
    return new Headers(fields, headerBytes, tooLarge, tooMany, mbox, malformed, bareLf);
  }

  /**
   * Streams the body (everything after the header section) into a hasher, then {@linkplain
   * BodyHasher#finish() finishes} it. Allocates nothing per chunk.
   *
   * @param sink the hasher
   * @throws IOException if the stream fails
   */
  public void readBody(BodyHasher sink) throws IOException {
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

  /** Reads one line (up to and including LF, or to the end) into {@code line}; -1 at the end. */
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

  /**
   * The index of the colon after a valid field name (RFC 5322 §2.2: printable US-ASCII but colon;
   * obsolete white space before the colon allowed), or -1.
   */
  private static int nameEnd(byte[] b, int len) {
    int i = 0;
    while (i < len) {
      int c = b[i] & 0xff;
      if (c == ':') {
        break;
      }
      if (c < 0x21 || c > 0x7e) {
        break;
      }
      i++;
    }
    if (i == 0) {
      return -1;
    }
    int j = i;
    while (j < len && (b[j] == ' ' || b[j] == '\t')) {
      j++;
    }
    return j < len && b[j] == ':' ? j : -1;
  }

  private static final byte[] CRLF = {'\r', '\n'};

  /** A growable byte array. */
  static final class Bytes {
    byte[] data;
    int size;

    Bytes(int capacity) {
      data = new byte[capacity];
    }

    void append(byte[] b, int off, int len) {
      if (size + len > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + len));
      }
      System.arraycopy(b, off, data, size, len);
      size += len;
    }

    byte[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
