package dev.maildx.auth.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One header field of a message as received (RFC 5322 §2.2): its raw octets from the first
 * character of the name to the end of the value, folding line breaks included (as CRLF), the final
 * CRLF excluded. Immutable.
 */
public final class HeaderField {
  private final byte[] raw;
  private final int colon;
  private final String name;
  private final String lowerName;

  HeaderField(byte[] raw, int colon) {
    this.raw = raw;
    this.colon = colon;
    int end = colon;
    while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == '\t')) {
      end--;
    }
    this.name = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    this.lowerName = name.toLowerCase(Locale.ROOT);
  }

  /**
   * A header field from text, for tests and for fields built by maildx.
   *
   * @param text {@code Name: value}, folded with CRLF if at all, without the final CRLF
   * @return the field
   * @throws IllegalArgumentException if there is no colon
   */
  public static HeaderField of(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    int c = text.indexOf(':');
    if (c <= 0) {
      throw new IllegalArgumentException("not a header field: " + text);
    }
    return new HeaderField(b, new String(b, StandardCharsets.ISO_8859_1).indexOf(':'));
  }

  /**
   * @return the field name as written (white space before the colon removed)
   */
  public String name() {
    return name;
  }

  /**
   * @return the field name in lower case, for comparisons (names are case-insensitive)
   */
  public String lowerName() {
    return lowerName;
  }

  /**
   * @return the raw octets, without the final CRLF; do not modify
   */
  byte[] raw() {
    return raw;
  }

  /**
   * @return the offset of the colon in {@link #raw()}
   */
  int colon() {
    return colon;
  }

  /**
   * @return the size of the field in octets
   */
  public int length() {
    return raw.length;
  }

  /**
   * The value as octets decoded one to one (ISO-8859-1), unfolded and not trimmed: for parsing tag
   * lists and addresses, where positions must match the octets.
   *
   * @return the raw value after the colon
   */
  public String rawValue() {
    return new String(raw, colon + 1, raw.length - colon - 1, StandardCharsets.ISO_8859_1);
  }

  /**
   * The value for display and address parsing: CRLFs of folding removed, octets decoded as UTF-8
   * (RFC 6532), trimmed.
   *
   * @return the unfolded value
   */
  public String value() {
    byte[] v = Arrays.copyOfRange(raw, colon + 1, raw.length);
    int n = 0;
    for (int i = 0; i < v.length; i++) {
      if (v[i] == '\r' && i + 1 < v.length && v[i + 1] == '\n') {
        i++;
        continue;
      }
      v[n++] = v[i];
    }
    return new String(v, 0, n, StandardCharsets.UTF_8).strip();
  }

  @Override
  public String toString() {
    return new String(raw, StandardCharsets.UTF_8);
  }
}
