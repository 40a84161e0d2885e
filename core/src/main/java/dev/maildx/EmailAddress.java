package dev.maildx;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * An email address ({@code local-part@domain}) as it may appear in an SMTP envelope: validated so
 * that nothing that could inject a command or break the protocol reaches the wire.
 *
 * <p>The local part is a dot-string or a quoted-string (RFC 5321 §4.1.2); UTF-8 characters are
 * allowed (RFC 6531 §3.3) and make the address {@linkplain #international() international}, which
 * needs a server that announced SMTPUTF8. CR, LF, NUL and every other control character are
 * rejected, also inside quotes. The local part is limited to 64 octets (RFC 5321 §4.5.3.1.1) and
 * the domain must be a valid {@link DomainName}.
 *
 * @param localPart the part before the last {@code @}, as written (quotes included if quoted)
 * @param domain the domain after it
 */
public record EmailAddress(String localPart, DomainName domain) {

  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  /** Validates the local part. */
  public EmailAddress {
    requireNonNull(localPart, "localPart");
    requireNonNull(domain, "domain");
    String problem = localPartProblem(localPart);
    if (problem != null) {
      throw new IllegalArgumentException(
          "invalid email address \""
              + DomainName.printable(localPart)
              + "@"
              + domain
              + "\": "
              + problem);
    }
  }

  /**
   * Parses an address a user typed, with or without angle brackets.
   *
   * @param address for example {@code bob@agency.example}
   * @return the validated address
   * @throws IllegalArgumentException saying which character or part is wrong
   */
  public static EmailAddress parse(String address) {
    requireNonNull(address, "address");
    String s = address.strip();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            "invalid email address \""
                + DomainName.printable(s)
                + "\": contains "
                + controlName(c)
                + " at position "
                + i);
      }
    }
    if (s.startsWith("<") && s.endsWith(">")) {
      s = s.substring(1, s.length() - 1);
    }
    int at = s.lastIndexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("invalid email address \"" + s + "\": no '@'");
    }
    if (at == 0) {
      throw new IllegalArgumentException("invalid email address \"" + s + "\": empty local part");
    }
    String domain = s.substring(at + 1);
    if (domain.startsWith("[")) {
      throw new IllegalArgumentException(
          "invalid email address \"" + s + "\": address literals are not supported");
    }
    DomainName d;
    try {
      d = DomainName.of(domain);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid email address \"" + s + "\": " + e.getMessage(), e);
    }
    return new EmailAddress(s.substring(0, at), d);
  }

  /**
   * Whether the address needs SMTPUTF8 (RFC 6531): its local part has non-ASCII characters.
   *
   * @return {@code true} if any character is outside US-ASCII
   */
  public boolean international() {
    return localPart.chars().anyMatch(c -> c > 0x7f);
  }

  /**
   * The address as written on the wire, with the domain in A-label form.
   *
   * @return {@code local@domain}
   */
  @Override
  public String toString() {
    return localPart + "@" + domain.ascii();
  }

  private static String controlName(char c) {
    switch (c) {
      case '\r':
        return "CR (U+000D)";
      case '\n':
        return "LF (U+000A)";
      case 0:
        return "NUL (U+0000)";
      default:
        return String.format("the control character U+%04X", (int) c);
    }
  }

  private static @Nullable String localPartProblem(String lp) {
    if (lp.isEmpty()) {
      return "empty local part";
    }
    for (int i = 0; i < lp.length(); i++) {
      char c = lp.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "contains " + controlName(c) + " at position " + i;
      }
    }
    if (lp.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64) {
      return "local part longer than 64 octets";
    }
    if (lp.startsWith("\"")) {
      if (lp.length() < 2 || !lp.endsWith("\"")) {
        return "unterminated quoted local part";
      }
      for (int i = 1; i < lp.length() - 1; i++) {
        char c = lp.charAt(i);
        if (c == '\\') {
          i++;
          if (i >= lp.length() - 1) {
            return "backslash at the end of the quoted local part";
          }
        } else if (c == '"') {
          return "unescaped quote inside the quoted local part at position " + i;
        }
      }
      return null;
    }
    if (lp.startsWith(".") || lp.endsWith(".") || lp.contains("..")) {
      return "the local part has a leading, trailing or double dot";
    }
    for (int i = 0; i < lp.length(); i++) {
      char c = lp.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || ATEXT_SPECIALS.indexOf(c) >= 0
              || c > 0x7f;
      if (!ok) {
        return "character '"
            + c
            + "' at position "
            + i
            + " is not allowed in an unquoted local part";
      }
    }
    return null;
  }
}
