package dev.maildx.report;

/**
 * How a DNS lookup ended (RFC 1035 §4.1.1 response codes, RFC 2308 negative answers, and the ways a
 * query can fail to get an answer at all).
 */
public enum DnsOutcome {
  /** An answer with records of the asked type. */
  ANSWER,
  /** The name exists but has no records of the asked type (RFC 2308 NODATA). */
  NO_DATA,
  /** The name does not exist (RCODE 3, RFC 8020). */
  NXDOMAIN,
  /** The server failed (RCODE 2); also DNSSEC validation failure on a validating resolver. */
  SERVFAIL,
  /** The server refused to answer (RCODE 5). */
  REFUSED,
  /** No answer before the deadline. */
  TIMEOUT,
  /** Any other failure: network error, malformed response, other RCODE. */
  ERROR;

  /**
   * Whether the lookup gave a definite answer (positive or negative) rather than failing.
   *
   * @return {@code true} for {@link #ANSWER}, {@link #NO_DATA} and {@link #NXDOMAIN}
   */
  public boolean isDefinite() {
    return this == ANSWER || this == NO_DATA || this == NXDOMAIN;
  }
}
