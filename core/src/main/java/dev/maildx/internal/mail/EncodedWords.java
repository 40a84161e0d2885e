package dev.maildx.internal.mail;

import org.jspecify.annotations.Nullable;

/**
 * RFC 2047 encoded words ({@code =?charset?B?...?=}, {@code =?charset?Q?...?=}) in header text.
 *
 * <ul>
 *   <li>Linear white space between two adjacent encoded words is dropped (§6.2); the octets of
 *       adjacent words in the same charset are joined before decoding, so a character split across
 *       two words (which §5 forbids, but encoders do) survives.
 *   <li>A charset Java does not know decodes as {@link Charsets#decode(byte[], int, int, String)
 *       unknown-labelled} text (U+FFFD for what cannot be read); RFC 2231 language suffixes ({@code
 *       charset*lang}) are ignored.
 *   <li>Leniently, an encoded word is recognised anywhere, also inside a quoted string or next to
 *       other text (as most mail readers do); a malformed one is left as it is.
 * </ul>
 *
 * From the bounce reader's {@code Mime.decodeHeader} and maildx-dns's {@code AddressList.decode}
 * (the bounce one was the more tolerant: it kept unknown charsets readable instead of leaving the
 * word encoded). Linear in the input. Thread-safe (stateless).
 */
public final class EncodedWords {
  private EncodedWords() {}

  /**
   * The longest encoded text read in one word (RFC 2047 allows 75 octets a word; mailers write
   * longer).
   */
  static final int MAX_WORD = 16 * 1024;

  /**
   * Decodes the encoded words of a text.
   *
   * @param text the text (unfolded), or {@code null}
   * @return the decoded text; empty for {@code null}
   */
  public static String decode(@Nullable String text) {
    if (text == null) {
      return "";
    }
    int first = text.indexOf("=?");
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    out.append(text, 0, first);
    Bytes pending = new Bytes(64);
    String pendingCharset = null;
    int i = first;
    int n = text.length();
    // {searched from, "?=" found at (or -1), searched from, first non-ASCII at (or -1)}: each is
    // looked for once
    int[] close = {-1, -1, -1, -1};
    while (i < n) {
      int start = text.indexOf("=?", i);
      if (start < 0) {
        break;
      }
      int[] w = word(text, start, close);
      if (w == null) {
        flush(out, pending, pendingCharset);
        pendingCharset = null;
        out.append(text, i, start + 2);
        i = start + 2;
        continue;
      }
      // w: {charsetEnd, encoding, textStart, textEnd}
      String between = text.substring(i, start);
      String cs = text.substring(start + 2, w[0]);
      int star = cs.indexOf('*');
      if (star >= 0) {
        cs = cs.substring(0, star);
      }
      boolean adjacent = pendingCharset != null && isLinearWhiteSpace(between);
      if (!adjacent || !cs.equalsIgnoreCase(pendingCharset)) {
        flush(out, pending, pendingCharset);
        if (!adjacent) {
          out.append(between);
        }
        pendingCharset = cs;
      }
      byte[] raw = ascii(text, w[2], w[3]);
      byte[] decoded =
          w[1] == 'B'
              ? TransferEncoding.base64(raw, 0, raw.length)
              : TransferEncoding.quotedPrintable(raw, 0, raw.length, true);
      pending.append(decoded, 0, decoded.length);
      i = w[3] + 2;
    }
    flush(out, pending, pendingCharset);
    if (i < n) {
      out.append(text, i, n);
    }
    return out.toString();
  }

  private static void flush(StringBuilder out, Bytes pending, @Nullable String charset) {
    if (pending.size > 0) {
      out.append(
          Charsets.decode(
              pending.data,
              0,
              pending.size,
              charset == null || charset.isEmpty() ? "x-unknown" : charset));
      pending.size = 0;
    }
  }

  /**
   * The parts of the encoded word at {@code start}: {charsetEnd, 'B' or 'Q', textStart, textEnd},
   * or null if there is none.
   */
  private static int @Nullable [] word(String s, int start, int[] close) {
    int n = s.length();
    int i = start + 2;
    int limit = Math.min(n, i + 80);
    while (i < limit && s.charAt(i) != '?') {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return null;
      }
      i++;
    }
    if (i == start + 2 || i >= limit || i + 2 >= n || s.charAt(i + 2) != '?') {
      return null;
    }
    char enc = Character.toUpperCase(s.charAt(i + 1));
    if (enc != 'B' && enc != 'Q') {
      return null;
    }
    int textStart = i + 3;
    if (close[0] < 0 || close[0] > textStart || (close[1] >= 0 && close[1] < textStart)) {
      close[0] = textStart;
      close[1] = s.indexOf("?=", textStart);
    }
    int end = close[1];
    if (end < 0 || end - textStart > MAX_WORD) {
      return null;
    }
    if (close[2] < 0 || close[2] > textStart || (close[3] >= 0 && close[3] < textStart)) {
      close[2] = textStart;
      close[3] = -1;
      for (int k = textStart; k < s.length(); k++) {
        if (s.charAt(k) >= 0x7f) {
          close[3] = k;
          break;
        }
      }
    }
    if (close[3] >= 0 && close[3] < end) {
      return null; // encoded text is ASCII (RFC 2047 §2); this is not an encoded word
    }
    return new int[] {i, enc, textStart, end};
  }

  private static boolean isLinearWhiteSpace(String s) {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return false;
      }
    }
    return true;
  }

  /** The encoded text as octets (ASCII: {@link #word} checked). */
  private static byte[] ascii(String s, int from, int to) {
    byte[] b = new byte[to - from];
    for (int k = from; k < to; k++) {
      b[k - from] = (byte) s.charAt(k);
    }
    return b;
  }
}
