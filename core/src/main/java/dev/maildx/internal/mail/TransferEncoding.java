package dev.maildx.internal.mail;

import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Content-Transfer-Encoding (RFC 2045 §6): base64 and quoted-printable decoding that accepts broken
 * input and never throws, in time linear in the input. From the bounce reader's {@code
 * Mime.decodeTransfer} and {@code decodeQp}; base64 is decoded here rather than by {@link
 * java.util.Base64}, which rejects what mailers send (padding in the middle of concatenated
 * encodings, stray characters, a missing pad).
 *
 * <p>Thread-safe (stateless).
 */
public final class TransferEncoding {
  private TransferEncoding() {}

  private static final byte[] B64 = new byte[256];

  static {
    Arrays.fill(B64, (byte) -1);
    String a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < a.length(); i++) {
      B64[a.charAt(i)] = (byte) i;
    }
  }

  /**
   * The normalized name of a Content-Transfer-Encoding value: its first token, lower case; {@code
   * 7bit} when absent.
   *
   * @param value the field value, or {@code null}
   * @return {@code base64}, {@code quoted-printable}, {@code 7bit}, {@code 8bit}, {@code binary},
   *     or what was written
   */
  public static String name(@Nullable String value) {
    if (value == null) {
      return "7bit";
    }
    String v = value.strip();
    int end = 0;
    while (end < v.length()
        && v.charAt(end) != ';'
        && v.charAt(end) != ' '
        && v.charAt(end) != '\t'
        && v.charAt(end) != '(') {
      end++;
    }
    String n = v.substring(0, end).toLowerCase(Locale.ROOT);
    return n.isEmpty() ? "7bit" : n;
  }

  /**
   * Undoes a transfer encoding; identity encodings (and unknown ones) copy the octets.
   *
   * @param b the octets
   * @param from the first octet
   * @param to the end
   * @param encoding the encoding's {@link #name(String) name}
   * @return the decoded octets
   */
  public static byte[] decode(byte[] b, int from, int to, String encoding) {
    switch (encoding) {
      case "base64":
        return base64(b, from, to);
      case "quoted-printable":
        return quotedPrintable(b, from, to, false);
      default:
        return Arrays.copyOfRange(b, from, to);
    }
  }

  /**
   * Base64 (RFC 2045 §6.8), tolerantly: characters outside the alphabet are skipped; a pad ends the
   * current quantum (so concatenated encodings decode); a last incomplete quantum gives the octets
   * it holds.
   *
   * @param b the octets
   * @param from the first octet
   * @param to the end
   * @return the decoded octets
   */
  public static byte[] base64(byte[] b, int from, int to) {
    byte[] out = new byte[(to - from) / 4 * 3 + 3];
    int n = 0;
    int acc = 0;
    int k = 0;
    for (int i = from; i < to; i++) {
      int v = B64[b[i] & 0xff];
      if (v >= 0) {
        acc = (acc << 6) | v;
        if (++k == 4) {
          out[n++] = (byte) (acc >> 16);
          out[n++] = (byte) (acc >> 8);
          out[n++] = (byte) acc;
          k = 0;
          acc = 0;
        }
      } else if (b[i] == '=') {
        n = partial(out, n, acc, k);
        k = 0;
        acc = 0;
      }
    }
    n = partial(out, n, acc, k);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  private static int partial(byte[] out, int n, int acc, int k) {
    if (k == 2) {
      out[n++] = (byte) (acc >> 4);
    } else if (k == 3) {
      out[n++] = (byte) (acc >> 10);
      out[n++] = (byte) (acc >> 2);
    }
    return n;
  }

  /**
   * Quoted-printable (RFC 2045 §6.7), or the Q encoding of RFC 2047 §4.2 when {@code
   * underscoreIsSpace}: {@code =XX} (either case) is an octet, {@code =} at the end of a line
   * (white space after it allowed) is a soft line break, any other {@code =} is kept as it is.
   *
   * @param b the octets
   * @param from the first octet
   * @param to the end
   * @param underscoreIsSpace whether {@code _} stands for a space (RFC 2047 Q)
   * @return the decoded octets
   */
  public static byte[] quotedPrintable(byte[] b, int from, int to, boolean underscoreIsSpace) {
    byte[] out = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '=') {
        if (i + 2 < to || i + 2 == to) {
          int hi = i + 1 < to ? hex(b[i + 1]) : -1;
          int lo = i + 2 < to ? hex(b[i + 2]) : -1;
          if (hi >= 0 && lo >= 0) {
            out[n++] = (byte) (hi * 16 + lo);
            i += 2;
            continue;
          }
        }
        int j = i + 1;
        while (j < to && (b[j] == ' ' || b[j] == '\t')) {
          j++;
        }
        if (j < to && b[j] == '\r' && j + 1 < to && b[j + 1] == '\n') {
          j++;
        }
        if (j < to && b[j] == '\n') {
          i = j; // soft line break
          continue;
        }
        if (j == to) {
          break; // a soft break at the very end
        }
        out[n++] = c;
      } else if (c == '_' && underscoreIsSpace) {
        out[n++] = ' ';
      } else {
        out[n++] = c;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
