package dev.maildx.internal.mail;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Charset labels of MIME (RFC 2046 §4.1.2, RFC 2047 §2) to Java charsets, and text decoding that
 * never throws. From the bounce reader's {@code Mime.charset}, with unknown labels decoded to
 * replacement characters instead of one character per octet.
 *
 * <p>Thread-safe.
 */
public final class Charsets {
  private Charsets() {}

  /** Label (lower case) to charset; a bounded cache, since labels come from the input. */
  private static final Map<String, Optional<Charset>> CACHE = new ConcurrentHashMap<>();

  private static final int CACHE_MAX = 256;
  private static final @Nullable Charset ISO_2022_JP = find("ISO-2022-JP");

  /**
   * The charset of a label: the IANA names and aliases Java knows, a few labels mailers write that
   * Java does not ({@code x-sjis}, {@code iso-8859-8-i}, {@code utf8}, ...), quotes and white space
   * ignored. {@code us-ascii} reads as ISO-8859-1, so stray 8-bit octets stay visible.
   *
   * @param label the label
   * @return the charset, or {@code null} for an unknown label
   */
  public static @Nullable Charset lookup(@Nullable String label) {
    if (label == null) {
      return null;
    }
    String n = label.strip();
    if (n.length() > 1 && n.charAt(0) == '"') {
      n = n.replace("\"", "").strip();
    }
    if (n.isEmpty() || n.length() > 64) {
      return null;
    }
    String key = n.toLowerCase(Locale.ROOT);
    Optional<Charset> c = CACHE.get(key);
    if (c == null) {
      c = Optional.ofNullable(resolve(key));
      if (CACHE.size() < CACHE_MAX) {
        CACHE.put(key, c);
      }
    }
    return c.orElse(null);
  }

  private static @Nullable Charset resolve(String key) {
    switch (key) {
      case "us-ascii":
      case "ascii":
      case "ansi_x3.4-1968":
      case "iso646-us":
      case "us":
        return StandardCharsets.ISO_8859_1;
      case "utf8":
      case "utf-8":
      case "unicode-1-1-utf-8":
        return StandardCharsets.UTF_8;
      case "iso-8859-8-i":
      case "iso-8859-8-e":
        return find("ISO-8859-8");
      case "iso-8859-6-i":
      case "iso-8859-6-e":
        return find("ISO-8859-6");
      case "ks_c_5601-1987":
      case "ks_c_5601":
      case "ksc5601":
        return find("x-windows-949");
      case "gb2312":
      case "x-gbk":
      case "gbk":
      case "cp936":
        return find("GBK");
      case "x-sjis":
      case "sjis":
      case "shift-jis":
      case "x-shift_jis":
      case "ms_kanji":
      case "windows-31j":
      case "cp932":
        return find(key.equals("windows-31j") || key.equals("cp932") ? "windows-31j" : "Shift_JIS");
      case "x-unknown":
      case "unknown-8bit":
      case "unknown":
      case "x-user-defined":
      case "default":
        return null;
      default:
        Charset c = find(key);
        if (c == null && (key.contains("sjis") || key.contains("shift"))) {
          return find("Shift_JIS");
        }
        return c;
    }
  }

  private static @Nullable Charset find(String name) {
    try {
      return Charset.forName(name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Decodes text, never throwing:
   *
   * <ul>
   *   <li>pure US-ASCII (no ESC) reads the same in every ASCII-compatible charset;
   *   <li>a known label: that charset (malformed input becomes U+FFFD);
   *   <li>an unknown label: UTF-8 if the octets are valid UTF-8, else US-ASCII with U+FFFD for
   *       every 8-bit octet;
   *   <li>no label: ISO-2022-JP if there are escape sequences and no 8-bit octets, UTF-8 if valid,
   *       else one character per octet (ISO-8859-1).
   * </ul>
   *
   * @param b the octets
   * @param off the first octet
   * @param len how many
   * @param label the charset label, or {@code null} if none was given
   * @return the text
   */
  public static String decode(byte[] b, int off, int len, @Nullable String label) {
    // The JDK's UTF-8 decoder has a vectorized path for ASCII: one pass tells pure ASCII and valid
    // UTF-8 apart.
    String utf8 = new String(b, off, len, StandardCharsets.UTF_8);
    boolean replaced = utf8.indexOf('\uFFFD') >= 0;
    if (utf8.length() == len && !replaced) {
      // pure US-ASCII: reads the same in every ASCII-compatible charset, but for escape sequences
      // (ISO-2022-JP)
      if (utf8.indexOf(0x1b) < 0) {
        return utf8;
      }
      Charset cs = lookup(label);
      if (cs != null) {
        return new String(b, off, len, cs);
      }
      boolean labelled = label != null && !label.isBlank();
      return !labelled && ISO_2022_JP != null ? new String(b, off, len, ISO_2022_JP) : utf8;
    }
    Charset cs = lookup(label);
    if (cs != null) {
      return cs.equals(StandardCharsets.UTF_8) ? utf8 : new String(b, off, len, cs);
    }
    if (!replaced || strictUtf8(b, off, len) != null) {
      return utf8; // valid UTF-8 (a U+FFFD in it was written as such)
    }
    boolean labelled = label != null && !label.isBlank();
    if (!labelled) {
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
    char[] out = new char[len];
    for (int i = 0; i < len; i++) {
      int c = b[off + i];
      out[i] = c < 0 ? '\uFFFD' : (char) c;
    }
    return new String(out);
  }

  /**
   * Whole octets as text; see {@link #decode(byte[], int, int, String)}.
   *
   * @param b the octets
   * @param label the charset label, or {@code null}
   * @return the text
   */
  public static String decode(byte[] b, @Nullable String label) {
    return decode(b, 0, b.length, label);
  }

  static @Nullable String strictUtf8(byte[] b, int off, int len) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer out = d.decode(ByteBuffer.wrap(b, off, len));
      return out.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
