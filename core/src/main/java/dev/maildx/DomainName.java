package dev.maildx;

import static java.util.Objects.requireNonNull;

import dev.maildx.internal.Printable;
import java.net.IDN;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A mail domain or host name, validated and held in its ASCII (A-label) form, lower case, without a
 * trailing dot.
 *
 * <p>Unicode names are converted with {@link IDN#toASCII(String, int)} (IDNA, RFC 3490, with the
 * STD3 host-name rules of RFC 1123 §2.1); {@link #unicode()} gives the display form back. Names are
 * limited to 253 octets and 63 per label (RFC 1035 §2.3.4), and the top-level label may not be
 * all-numeric (RFC 3696 §2), so an IP address is not a domain name.
 *
 * <p>Instances are immutable; equality is on the ASCII form.
 *
 * @param ascii the A-label form, lower case, no trailing dot
 */
public record DomainName(String ascii) implements Comparable<DomainName> {

  /** Validates; use {@link #of(String)} to convert from user input. */
  public DomainName {
    requireNonNull(ascii, "ascii");
    String problem = problem(ascii);
    if (problem != null) {
      throw new IllegalArgumentException(
          "invalid domain name \"" + printable(ascii) + "\": " + problem);
    }
  }

  /**
   * Parses a domain name a user typed: Unicode or ASCII, any case, with or without a final dot.
   *
   * @param name the name
   * @return the validated domain name
   * @throws IllegalArgumentException saying what is wrong with the name
   */
  public static DomainName of(String name) {
    requireNonNull(name, "name");
    String s = name.strip();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            "invalid domain name \""
                + printable(s)
                + "\": contains the control character "
                + String.format("U+%04X", (int) c)
                + " at position "
                + i);
      }
      if (Character.isWhitespace(c)) {
        throw new IllegalArgumentException(
            "invalid domain name \"" + printable(s) + "\": contains white space at position " + i);
      }
    }
    if (s.endsWith(".") && s.length() > 1) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty() || s.equals(".")) {
      throw new IllegalArgumentException("invalid domain name \"" + name + "\": it is empty");
    }
    if (s.chars().allMatch(c -> c < 0x80)) {
      return new DomainName(s.toLowerCase(Locale.ROOT)); // our own checks give the clearer message
    }
    String ascii;
    try {
      ascii = IDN.toASCII(s, IDN.USE_STD3_ASCII_RULES);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid domain name \"" + printable(s) + "\": " + e.getMessage(), e);
    }
    return new DomainName(ascii.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether {@code name} is a valid domain name, without throwing.
   *
   * @param name the candidate
   * @return {@code true} if {@link #of(String)} would accept it
   */
  public static boolean isValid(String name) {
    try {
      of(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The display form, with A-labels converted back to Unicode.
   *
   * @return the Unicode form
   */
  public String unicode() {
    return IDN.toUnicode(ascii);
  }

  /**
   * The labels, left to right.
   *
   * @return for {@code mx1.example.com}: {@code [mx1, example, com]}
   */
  public List<String> labels() {
    return List.of(ascii.split("\\."));
  }

  /**
   * Whether this name equals {@code other} or lies below it.
   *
   * @param other a possible ancestor
   * @return {@code true} for {@code a.example.com} and {@code example.com}
   */
  public boolean isSubdomainOf(DomainName other) {
    return ascii.equals(other.ascii) || ascii.endsWith("." + other.ascii);
  }

  @Override
  public int compareTo(DomainName o) {
    return ascii.compareTo(o.ascii);
  }

  @Override
  public String toString() {
    return ascii;
  }

  private static @Nullable String problem(String ascii) {
    if (ascii.isEmpty()) {
      return "it is empty";
    }
    if (ascii.length() > 253) {
      return "longer than 253 characters";
    }
    String[] labels = ascii.split("\\.", -1);
    for (String label : labels) {
      if (label.isEmpty()) {
        return "empty label";
      }
      if (label.length() > 63) {
        return "label \"" + label + "\" is longer than 63 characters";
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
          return "character '" + printable(String.valueOf(c)) + "' is not allowed in a host name";
        }
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        return "label \"" + label + "\" starts or ends with a hyphen";
      }
    }
    String tld = labels[labels.length - 1];
    if (tld.chars().allMatch(Character::isDigit)) {
      return "the top-level label is all-numeric (an IP address is not a domain name)";
    }
    return null;
  }

  static String printable(String s) {
    return Printable.of(s);
  }
}
