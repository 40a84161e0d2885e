package dev.maildx.dns.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.TXTRecord;

/**
 * Reads TXT records as text: each record's character-strings joined (RFC 7208 §3.3, RFC 9989 §4.5,
 * RFC 6376 §3.6.2.2).
 */
public final class TxtStrings {
  /**
   * The most characters of one TXT record kept; longer ones are cut (a DNS message holds at most 64
   * KiB anyway).
   */
  public static final int MAX_TEXT = 16_384;

  private TxtStrings() {}

  /**
   * The text of each TXT record of an answer, in DNS order.
   *
   * @param answer a TXT lookup
   * @return one string per record: its character-strings concatenated, decoded as UTF-8 (invalid
   *     bytes become U+FFFD)
   */
  public static List<String> of(DnsAnswer answer) {
    List<String> out = new ArrayList<>();
    for (TXTRecord r : answer.records(TXTRecord.class)) {
      out.add(join(r.getStringsAsByteArrays()));
    }
    return out;
  }

  /**
   * Joins character-strings and decodes them.
   *
   * @param strings the raw character-strings
   * @return the text
   */
  public static String join(List<byte[]> strings) {
    int n = 0;
    for (byte[] s : strings) {
      n += s.length;
    }
    ByteBuffer b = ByteBuffer.allocate(Math.min(n, MAX_TEXT));
    for (byte[] s : strings) {
      b.put(s, 0, Math.min(s.length, b.remaining()));
    }
    b.flip();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(b)
          .toString();
    } catch (CharacterCodingException e) {
      return new String(b.array(), 0, b.limit(), StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Makes text safe to quote in a message: control characters are escaped and long text is cut.
   *
   * @param s the text
   * @param max the most characters to keep
   * @return printable text
   */
  public static String printable(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (b.length() >= max) {
        b.append("...");
        break;
      }
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
