package dev.maildx.dns;

import dev.maildx.dns.internal.DnsAnswer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

/** Small text helpers shared by the policy checks: TXT records, names, printable evidence. */
final class Text {
  /** The most TXT records of one name looked at (a policy name with more is broken anyway). */
  static final int MAX_TXT_RECORDS = 50;

  /** The longest text kept as evidence. */
  static final int MAX_EVIDENCE = 300;

  private Text() {}

  /**
   * The TXT records of an answer, each with its character-strings concatenated (RFC 7208 §3.3, RFC
   * 8461 §3.1 do the same), decoded as UTF-8 with malformed bytes replaced.
   */
  static List<String> txt(DnsAnswer a) {
    List<String> out = new ArrayList<>();
    for (TXTRecord r : a.records(TXTRecord.class)) {
      if (out.size() >= MAX_TXT_RECORDS) {
        break;
      }
      StringBuilder b = new StringBuilder();
      for (byte[] s : r.getStringsAsByteArrays()) {
        b.append(utf8(s));
      }
      out.add(b.toString());
    }
    return out;
  }

  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  /** A name as maildx reports it: ASCII, lower case, no trailing dot. */
  static String host(Name n) {
    return n.toString(true).toLowerCase(Locale.ROOT);
  }

  /** Text safe to show: control characters escaped, cut at {@value #MAX_EVIDENCE} characters. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (b.length() >= MAX_EVIDENCE) {
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

  /** The most items of a list quoted in one message or evidence value. */
  static final int MAX_LISTED = 10;

  /**
   * Items joined for a message: at most {@value #MAX_LISTED}, then how many more there were, so
   * that a record with thousands of problems gives a message of bounded size.
   */
  static String list(List<String> items, String separator) {
    if (items.size() <= MAX_LISTED) {
      return String.join(separator, items);
    }
    return String.join(separator, items.subList(0, MAX_LISTED))
        + separator
        + "and "
        + (items.size() - MAX_LISTED)
        + " more";
  }

  /** Whether {@code s} starts with {@code prefix}, ignoring ASCII case. */
  static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }
}
