package dev.maildx.internal.mail;

import java.util.Arrays;

/** A growable byte array (for building header fields and canonical forms). Not thread-safe. */
public final class Bytes {
  /** The bytes; valid up to {@link #size}. */
  public byte[] data;

  /** How many bytes of {@link #data} are in use. */
  public int size;

  /**
   * An empty buffer.
   *
   * @param capacity the initial capacity
   */
  public Bytes(int capacity) {
    data = new byte[Math.max(16, capacity)];
  }

  /**
   * Appends a range.
   *
   * @param b the source
   * @param off the first byte
   * @param len how many bytes
   */
  public void append(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, data, size, len);
    size += len;
  }

  /**
   * Appends one byte.
   *
   * @param b the byte
   */
  public void append(int b) {
    ensure(1);
    data[size++] = (byte) b;
  }

  /**
   * Makes room for more bytes.
   *
   * @param more how many bytes will be appended
   */
  public void ensure(int more) {
    if (size + more > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
    }
  }

  /**
   * @return a copy of the bytes in use
   */
  public byte[] toArray() {
    return Arrays.copyOf(data, size);
  }
}
