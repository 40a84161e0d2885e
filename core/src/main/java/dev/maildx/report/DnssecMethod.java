package dev.maildx.report;

/** How maildx learned the DNSSEC status of an answer. */
public enum DnssecMethod {
  /**
   * maildx validated the signatures itself, from its trust anchors (by default the root zone's
   * published by IANA) down to the answer (RFC 4035 §5); only the data comes from the resolver.
   */
  LOCAL_VALIDATION,
  /**
   * Taken from the Authentic Data bit of the configured resolver (RFC 4035 §3.2.3, RFC 6840 §5.7):
   * as trustworthy as that resolver and the network path to it.
   */
  RESOLVER_AD_BIT
}
