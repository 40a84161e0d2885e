package dev.maildx.report;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An enhanced mail system status code, {@code class.subject.detail} (RFC 3463 §2, RFC 5248), such
 * as {@code 5.1.1} (bad destination mailbox address) or {@code 4.7.1}.
 *
 * @param statusClass 2 (success), 4 (persistent transient failure) or 5 (permanent failure)
 * @param subject 0 to 999
 * @param detail 0 to 999
 */
public record EnhancedStatusCode(int statusClass, int subject, int detail) {
  private static final Pattern CODE =
      Pattern.compile("(?<![0-9.])([245])\\.([0-9]{1,3})\\.([0-9]{1,3})(?![0-9]|\\.[0-9])");

  /** Validates the ranges of RFC 3463 §2. */
  public EnhancedStatusCode {
    if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
      throw new IllegalArgumentException("status class must be 2, 4 or 5, was " + statusClass);
    }
    if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
      throw new IllegalArgumentException(
          "subject and detail must be 0..999, were " + subject + "." + detail);
    }
  }

  /**
   * Parses exactly one code, such as {@code 5.7.26}.
   *
   * @param text the code
   * @return the code
   * @throws IllegalArgumentException if it is not a valid code
   */
  public static EnhancedStatusCode parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "not an enhanced status code (RFC 3463): \"" + text + "\""));
  }

  /**
   * Parses exactly one code, or returns empty.
   *
   * @param text the candidate
   * @return the code, or empty
   */
  public static Optional<EnhancedStatusCode> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    Matcher m = CODE.matcher(t);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(of(m));
  }

  /**
   * Finds the first code inside free text, such as an SMTP reply ({@code 550 5.1.1
   * <bob@example.com>: user unknown}).
   *
   * @param text the text
   * @return the first code, or empty
   */
  public static Optional<EnhancedStatusCode> find(CharSequence text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = CODE.matcher(text);
    return m.find() ? Optional.of(of(m)) : Optional.empty();
  }

  private static EnhancedStatusCode of(Matcher m) {
    return new EnhancedStatusCode(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  /**
   * @return {@code true} for class 5
   */
  public boolean isPermanent() {
    return statusClass == 5;
  }

  /**
   * @return {@code true} for class 4
   */
  public boolean isTransient() {
    return statusClass == 4;
  }

  /**
   * @return {@code true} for class 2
   */
  public boolean isSuccess() {
    return statusClass == 2;
  }

  /**
   * What the code means, from the IANA registry of RFC 3463 / RFC 5248 codes, or from the
   * well-known codes large providers use outside it (marked with the provider's name), or at least
   * the meaning of its class and subject.
   *
   * @return for example {@code Permanent failure: Bad destination mailbox address: the mailbox does
   *     not exist}
   */
  public String meaning() {
    return StatusCodeTable.meaning(this);
  }

  /**
   * Whether the subject and detail are in the IANA registry.
   *
   * @return {@code false} for unregistered (vendor or invented) codes
   */
  public boolean isRegistered() {
    return StatusCodeTable.registered(this);
  }

  /**
   * What an SMTP reply code means (RFC 5321 §4.2.2, §4.2.3; RFC 4954 §6; RFC 7504).
   *
   * @param replyCode a three-digit reply code such as 550
   * @return its meaning, or the meaning of its first digit
   */
  public static String replyCodeMeaning(int replyCode) {
    return StatusCodeTable.replyMeaning(replyCode);
  }

  @Override
  public String toString() {
    return statusClass + "." + subject + "." + detail;
  }
}
