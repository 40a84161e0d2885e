package dev.maildx.internal.mail;

import dev.maildx.internal.Printable;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One header field of a message as received (RFC 5322 §2.2): its raw octets from the first
 * character of the name to the end of the value, folding line breaks included (always as CRLF,
 * whatever the input used), the final CRLF excluded. DKIM canonicalization (RFC 6376 §3.4) works on
 * {@link #raw()} and {@link #colon()}; everything else on {@link #value()}.
 *
 * <p>Immutable (the decoded value is computed once, on first use). From maildx-dns's {@code
 * HeaderField}, with the value decoded as the bounce reader decoded it.
 */
public final class HeaderField {
  private final byte[] raw;
  private final int colon;
  private final String name;

  /** A hash of the lower-case name, to compare names quickly ({@link #key(CharSequence)}). */
  final int nameKey;

  private @Nullable String lowerName;
  private @Nullable String value;

  HeaderField(byte[] raw, int colon) {
    this.raw = raw;
    this.colon = colon;
    int end = colon;
    while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == '\t')) {
      end--;
    }
    this.name = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    this.nameKey = key(name);
  }

  /** A hash of a field name that ignores ASCII case. */
  static int key(CharSequence name) {
    int h = name.length();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      h = 31 * h + (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return h;
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
    int c = -1;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == ':') {
        c = i;
        break;
      }
    }
    if (c <= 0) {
      throw new IllegalArgumentException("not a header field: " + text);
    }
    return new HeaderField(b, c);
  }

  /**
   * A header field from raw octets, kept as they are (not decoded and re-encoded): for a field
   * rebuilt from another field's {@link #raw()} octets, as DKIM does to try what a field looked
   * like when it was signed (RFC 6376 §3.4 canonicalizes octets, so they must stay exact).
   *
   * @param raw {@code Name: value} as octets, folded with CRLF if at all, without the final CRLF;
   *     the array is kept, not copied
   * @return the field
   * @throws IllegalArgumentException if there is no colon after a name
   */
  public static HeaderField ofRaw(byte[] raw) {
    int c = -1;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == ':') {
        c = i;
        break;
      }
    }
    if (c <= 0) {
      throw new IllegalArgumentException(
          "not a header field: " + Printable.of(new String(raw, StandardCharsets.ISO_8859_1)));
    }
    return new HeaderField(raw, c);
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
    String l = lowerName;
    if (l == null) {
      l = name.toLowerCase(Locale.ROOT);
      lowerName = l;
    }
    return l;
  }

  /**
   * The raw octets, without the final CRLF, folding as CRLF: what DKIM canonicalizes. The array
   * itself, not a copy (this package is internal to maildx): do not modify it.
   *
   * @return the raw octets
   */
  public byte[] raw() {
    return raw;
  }

  /**
   * @return the offset of the colon in {@link #raw()}
   */
  public int colon() {
    return colon;
  }

  /**
   * @return the size of the field in octets
   */
  public int length() {
    return raw.length;
  }

  /**
   * The value as octets decoded one to one (ISO-8859-1), folded and not trimmed: for parsing tag
   * lists, where positions must match the octets.
   *
   * @return the raw value after the colon
   */
  public String rawValue() {
    return new String(raw, colon + 1, raw.length - colon - 1, StandardCharsets.ISO_8859_1);
  }

  /**
   * The value for display and parsing: unfolded (RFC 5322 §2.2.3: the CRLFs of folding removed, the
   * white space after them kept), decoded as {@link Charsets#decode(byte[], int, int, String)
   * unlabelled} text (UTF-8 per RFC 6532 when it is valid UTF-8, raw ISO-2022-JP recognised, else
   * one character per octet), trimmed. RFC 2047 encoded words are left as they are: see {@link
   * #decodedValue()}.
   *
   * @return the unfolded value
   */
  public String value() {
    String v = value;
    if (v == null) {
      int from = colon + 1;
      byte[] b = new byte[raw.length - from];
      int n = 0;
      for (int i = from; i < raw.length; i++) {
        if (raw[i] == '\r' && i + 1 < raw.length && raw[i + 1] == '\n') {
          i++;
          continue;
        }
        b[n++] = raw[i];
      }
      v = Charsets.decode(b, 0, n, null).strip();
      value = v;
    }
    return v;
  }

  /**
   * The value as unstructured text (RFC 5322 §3.2.5, e.g. Subject) with RFC 2047 encoded words
   * decoded.
   *
   * @return the decoded value
   */
  public String decodedValue() {
    return EncodedWords.decode(value());
  }

  @Override
  public String toString() {
    return new String(raw, StandardCharsets.UTF_8);
  }
}
