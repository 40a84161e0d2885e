package dev.maildx.report;

/** The DNSSEC security status of an answer, as RFC 4033 §5 and RFC 4035 §4.3 define it. */
public enum DnssecStatus {
  /** Signed, and the signatures chain up to a trust anchor. */
  SECURE,
  /**
   * Provably unsigned: a signed parent proves there is no DS record, or the zone is not signed at
   * all.
   */
  INSECURE,
  /**
   * Signed, but validation failed (bad or expired signature, missing DNSKEY, broken chain):
   * validating resolvers answer SERVFAIL, so senders that validate cannot resolve the name.
   */
  BOGUS,
  /**
   * Not determined: no configured trust anchor covers the name, the resolver did not vouch for a
   * signed answer, or the lookup failed.
   */
  INDETERMINATE
}
