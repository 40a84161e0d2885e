package dev.maildx.auth.internal;

import dev.maildx.internal.mail.Bytes;
import dev.maildx.internal.mail.HeaderField;

/**
 * Header field canonicalization (RFC 6376 §3.4.1 simple, §3.4.2 relaxed), on the raw octets of the
 * core reader's {@link HeaderField#raw()}: nothing is decoded or re-encoded, so a field with octets
 * that are not UTF-8 canonicalizes exactly as it was signed.
 *
 * <p>Thread-safe (stateless).
 */
public final class HeaderCanon {
  private HeaderCanon() {}

  /**
   * Appends one canonicalized header field.
   *
   * @param f the field
   * @param relaxed {@code true} for relaxed, {@code false} for simple
   * @param crlf whether to end it with CRLF (not for the signature field itself)
   * @param out where to append
   */
  static void append(HeaderField f, boolean relaxed, boolean crlf, Bytes out) {
    append(f.raw(), f.colon(), relaxed, crlf, out);
  }

  static void append(byte[] raw, int colon, boolean relaxed, boolean crlf, Bytes out) {
    if (!relaxed) {
      out.append(raw, 0, raw.length);
    } else {
      int nameEnd = colon;
      while (nameEnd > 0 && (raw[nameEnd - 1] == ' ' || raw[nameEnd - 1] == '\t')) {
        nameEnd--;
      }
      out.ensure(raw.length + 2);
      byte[] d = out.data;
      int n = out.size;
      for (int i = 0; i < nameEnd; i++) {
        byte c = raw[i];
        d[n++] = (c >= 'A' && c <= 'Z') ? (byte) (c + 32) : c;
      }
      d[n++] = ':';
      boolean space = false;
      boolean any = false;
      for (int i = colon + 1; i < raw.length; i++) {
        byte c = raw[i];
        if (c == '\r' && i + 1 < raw.length && raw[i + 1] == '\n') {
          i++;
          continue; // unfold: delete the CRLF of folding
        }
        if (c == '\n') {
          continue;
        }
        if (c == ' ' || c == '\t') {
          space = true;
          continue;
        }
        if (space && any) {
          d[n++] = ' ';
        }
        space = false;
        any = true;
        d[n++] = c;
      }
      out.size = n;
    }
    if (crlf) {
      out.ensure(2);
      out.data[out.size++] = '\r';
      out.data[out.size++] = '\n';
    }
  }
}
