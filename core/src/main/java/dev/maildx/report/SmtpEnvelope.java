package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import dev.maildx.internal.InetAddresses;
import dev.maildx.internal.Printable;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * What the receiving MTA knew about a message's SMTP transaction besides the message itself (RFC
 * 5321 §3.3): the connecting client's IP address, the HELO/EHLO name and the MAIL FROM address.
 * They decide SPF (RFC 7208 §2.3, §2.4), which DMARC uses beside DKIM.
 *
 * <p>Every part is optional: without a client IP SPF cannot be evaluated. An empty MAIL FROM
 * ({@code <>}, a bounce) is checked by its HELO name. Immutable.
 *
 * @param clientIp the IP address of the client that delivered the message, or {@code null}
 * @param helo the HELO/EHLO name it gave, or {@code null}
 * @param mailFrom the RFC5321.MailFrom address, {@code ""} for a null sender ({@code <>}), or
 *     {@code null} if unknown
 */
public record SmtpEnvelope(
    @Nullable InetAddress clientIp, @Nullable String helo, @Nullable String mailFrom) {
  /** No SMTP information: DKIM, DMARC and ARC are still evaluated, SPF is not. */
  public static final SmtpEnvelope NONE = new SmtpEnvelope(null, null, null);

  /** Validates: no control characters (CR, LF, NUL and the rest) in the names. */
  public SmtpEnvelope {
    if (helo != null) {
      helo = checked("HELO name", helo);
    }
    if (mailFrom != null) {
      mailFrom = checked("MAIL FROM address", mailFrom);
      if (mailFrom.startsWith("<") && mailFrom.endsWith(">")) {
        mailFrom = mailFrom.substring(1, mailFrom.length() - 1).strip();
      }
    }
  }

  /**
   * An envelope from text, as a user types it.
   *
   * @param clientIp an IPv4 or IPv6 literal, or {@code null}
   * @param helo the HELO/EHLO name, or {@code null}
   * @param mailFrom the MAIL FROM address ({@code ""} or {@code <>} for a bounce), or {@code null}
   * @return the envelope
   * @throws IllegalArgumentException if the IP is not a literal or a name holds control characters
   */
  public static SmtpEnvelope of(
      @Nullable String clientIp, @Nullable String helo, @Nullable String mailFrom) {
    return new SmtpEnvelope(
        clientIp == null ? null : InetAddresses.parse(clientIp), helo, mailFrom);
  }

  /**
   * A copy with another MAIL FROM.
   *
   * @param address the MAIL FROM address
   * @return the new envelope
   */
  public SmtpEnvelope withMailFrom(String address) {
    return new SmtpEnvelope(clientIp, helo, requireNonNull(address, "address"));
  }

  private static String checked(String what, String s) {
    String t = s.strip();
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
        throw new IllegalArgumentException(
            "invalid "
                + what
                + " \""
                + Printable.of(t)
                + "\": control character "
                + String.format("U+%04X", (int) c)
                + " at position "
                + i);
      }
    }
    if (t.length() > 512) {
      throw new IllegalArgumentException("invalid " + what + ": longer than 512 characters");
    }
    return t;
  }

  @Override
  public String toString() {
    return "SmtpEnvelope[ip="
        + (clientIp == null ? "-" : InetAddresses.toLiteral(clientIp))
        + ", helo="
        + (helo == null ? "-" : helo)
        + ", mailFrom="
        + (mailFrom == null ? "-" : "<" + mailFrom + ">")
        + "]";
  }
}
