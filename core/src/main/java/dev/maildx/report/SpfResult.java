package dev.maildx.report;

/** The result of SPF's {@code check_host()} function (RFC 7208 §2.6, §8). */
public enum SpfResult {
  /** The client is authorized to use the identity (RFC 7208 §8.3). */
  PASS,
  /** The client is explicitly not authorized (RFC 7208 §8.4); receivers may reject. */
  FAIL,
  /** The client is probably not authorized; a weak fail (RFC 7208 §8.5). */
  SOFTFAIL,
  /** The domain makes no assertion about the client (RFC 7208 §8.2). */
  NEUTRAL,
  /** No SPF record was found, or the domain could not be checked (RFC 7208 §8.1). */
  NONE,
  /** A transient DNS error; the check may succeed later (RFC 7208 §8.6). */
  TEMPERROR,
  /** The published records could not be interpreted (RFC 7208 §8.7). */
  PERMERROR;

  /**
   * The result a matching mechanism with this qualifier produces (RFC 7208 §4.6.2).
   *
   * @param qualifier {@code '+'}, {@code '-'}, {@code '~'} or {@code '?'}
   * @return the result
   * @throws IllegalArgumentException for any other character
   */
  public static SpfResult ofQualifier(char qualifier) {
    switch (qualifier) {
      case '+':
        return PASS;
      case '-':
        return FAIL;
      case '~':
        return SOFTFAIL;
      case '?':
        return NEUTRAL;
      default:
        throw new IllegalArgumentException("not an SPF qualifier: '" + qualifier + "'");
    }
  }

  /**
   * Whether the result is one of the two error results.
   *
   * @return {@code true} for {@link #TEMPERROR} and {@link #PERMERROR}
   */
  public boolean isError() {
    return this == TEMPERROR || this == PERMERROR;
  }
}
