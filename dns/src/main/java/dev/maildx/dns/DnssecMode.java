package dev.maildx.dns;

/** How the DNSSEC checks ({@code dnssec}, {@code tlsa}) learn whether answers validate. */
public enum DnssecMode {
  /**
   * Validate locally when the DNS server serves the trust anchors' signed DNSKEY records (as every
   * recursive resolver does), otherwise take the server's AD bit. The default.
   */
  AUTO,
  /**
   * Always validate locally, from the configured trust anchors (RFC 4035 §5), with dnsjava's
   * validator; the DNS server only supplies the data (queried with the CD bit).
   */
  LOCAL_VALIDATION,
  /**
   * Trust the configured DNS server: its AD bit means secure, its SERVFAIL that clears with the CD
   * bit means bogus (RFC 4035 §3.2.2, RFC 6840 §5.7). Only as trustworthy as the server and the
   * path to it.
   */
  RESOLVER_AD_BIT
}
