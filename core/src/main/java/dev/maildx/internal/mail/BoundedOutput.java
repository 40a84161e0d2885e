package dev.maildx.internal.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Keeps the first {@code max} octets written to it, then stops the writer with an {@link
 * IOException}: for reading a message a caller holds as an object (a Jakarta Mail part) into the
 * same bounded buffer a file or stream would be read into. Not thread-safe.
 */
public final class BoundedOutput extends OutputStream {
  private final int max;
  private byte[] buf;
  private int len;
  private boolean full;

  /**
   * An empty buffer.
   *
   * @param max the most octets kept
   */
  public BoundedOutput(int max) {
    this.max = max;
    this.buf = new byte[Math.min(max, 64 * 1024)];
  }

  /**
   * @return the most octets kept
   */
  public int max() {
    return max;
  }

  /**
   * @return the buffer; its first {@link #length()} octets are what was written
   */
  public byte[] bytes() {
    return buf;
  }

  /**
   * @return how many octets were kept
   */
  public int length() {
    return len;
  }

  /**
   * @return whether more than {@link #max()} octets were written (the rest is not kept)
   */
  public boolean full() {
    return full;
  }

  @Override
  public void write(int b) throws IOException {
    if (len == max) {
      stop();
    }
    room(1);
    buf[len++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int n) throws IOException {
    int take = Math.min(n, max - len);
    room(take);
    System.arraycopy(b, off, buf, len, take);
    len += take;
    if (take < n) {
      stop();
    }
  }

  private void room(int more) {
    if (len + more > buf.length) {
      buf =
          Arrays.copyOf(
              buf, (int) Math.min(max, Math.max((long) buf.length * 2, (long) len + more)));
    }
  }

  private void stop() throws IOException {
    full = true;
    throw new IOException("the message is larger than " + max + " octets");
  }
}
