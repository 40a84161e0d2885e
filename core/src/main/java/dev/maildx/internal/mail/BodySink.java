package dev.maildx.internal.mail;

/**
 * Where {@link MessageReader#readBody(BodySink)} streams the body (a DKIM body hasher, for
 * example).
 */
public interface BodySink {
  /**
   * Takes the next octets of the body.
   *
   * @param b the buffer (reused by the reader after the call)
   * @param off the first octet
   * @param len how many octets
   */
  void update(byte[] b, int off, int len);

  /** The body has ended. */
  void finish();
}
