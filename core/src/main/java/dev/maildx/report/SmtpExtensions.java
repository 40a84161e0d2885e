package dev.maildx.report;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The service extensions an SMTP server announced in its EHLO reply (RFC 5321 §4.1.1.1): one
 * entry per line after the first, keyword first, for example {@code SIZE 10240000} or
 * {@code STARTTLS}.
 *
 * <p>The accessors name the extensions a sender's delivery depends on: {@code SIZE} (RFC 1870),
 * {@code STARTTLS} (RFC 3207), {@code PIPELINING} (RFC 2920), {@code 8BITMIME} (RFC 6152),
 * {@code SMTPUTF8} (RFC 6531), {@code CHUNKING} (RFC 3030), {@code ENHANCEDSTATUSCODES}
 * (RFC 2034), {@code DSN} (RFC 3461) and {@code REQUIRETLS} (RFC 8689).
 *
 * @param lines the extension lines as announced (keyword and parameters), without the reply code
 */
public record SmtpExtensions(List<String> lines) {
  /** No extensions: a server that answered HELO, or was not asked. */
  public static final SmtpExtensions NONE = new SmtpExtensions(List.of());

  /** Copies. */
  public SmtpExtensions {
    lines = List.copyOf(lines);
  }

  /**
   * Whether an extension keyword was announced (case-insensitive).
   *
   * @param keyword for example {@code PIPELINING}
   * @return {@code true} if a line starts with it
   */
  public boolean has(String keyword) {
    return parameters(keyword) != null;
  }

  /**
   * The keywords alone, upper case, in the order announced.
   *
   * @return for example {@code [PIPELINING, SIZE, STARTTLS]}
   */
  public List<String> keywords() {
    return lines.stream().map(l -> {
      int sp = l.indexOf(' ');
      return (sp < 0 ? l : l.substring(0, sp)).toUpperCase(Locale.ROOT);
    }).toList();
  }

  /**
   * The message size limit of the {@code SIZE} extension (RFC 1870 §4).
   *
   * @return the limit in octets; 0 if SIZE was announced without a limit; empty if SIZE was not
   *     announced or its value is not a number
   */
  public OptionalLong size() {
    String p = parameters("SIZE");
    if (p == null) {
      return OptionalLong.empty();
    }
    if (p.isEmpty()) {
      return OptionalLong.of(0);
    }
    String digits = p.split(" ")[0];
    // size-param = [1*DIGIT] (RFC 1870 §4): no sign, so "-5" or "+5" is not a number either.
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** @return whether STARTTLS (RFC 3207) was announced */
  public boolean startTls() {
    return has("STARTTLS");
  }

  /** @return whether PIPELINING (RFC 2920) was announced */
  public boolean pipelining() {
    return has("PIPELINING");
  }

  /** @return whether 8BITMIME (RFC 6152) was announced */
  public boolean eightBitMime() {
    return has("8BITMIME");
  }

  /** @return whether SMTPUTF8 (RFC 6531) was announced */
  public boolean smtpUtf8() {
    return has("SMTPUTF8");
  }

  /** @return whether CHUNKING (RFC 3030) was announced */
  public boolean chunking() {
    return has("CHUNKING");
  }

  /** @return whether ENHANCEDSTATUSCODES (RFC 2034) was announced */
  public boolean enhancedStatusCodes() {
    return has("ENHANCEDSTATUSCODES");
  }

  /** @return whether DSN (RFC 3461) was announced */
  public boolean dsn() {
    return has("DSN");
  }

  /** @return whether REQUIRETLS (RFC 8689) was announced */
  public boolean requireTls() {
    return has("REQUIRETLS");
  }

  private @Nullable String parameters(String keyword) {
    for (String l : lines) {
      if (l.regionMatches(true, 0, keyword, 0, keyword.length())
          && (l.length() == keyword.length() || l.charAt(keyword.length()) == ' ' || l.charAt(keyword.length()) == '=')) {
        return l.substring(keyword.length()).strip();
      }
    }
    return null;
  }
}
