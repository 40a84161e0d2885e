package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How an SMTP server's certificate chain fared against the TLSA records of its MX host name
 * ({@code _25._tcp.<mx>}): DANE for SMTP (RFC 7672 §3, RFC 6698 §2.1, RFC 7671).
 *
 * <p>For SMTP only the usages DANE-TA(2) and DANE-EE(3) count (RFC 7672 §3.1.3); selectors 0 (full
 * certificate) and 1 (SubjectPublicKeyInfo); matching types 0 (exact), 1 (SHA-256) and 2
 * (SHA-512). DANE-EE ignores names and dates (RFC 7672 §3.1.1); DANE-TA needs the chain to lead to
 * the matched trust anchor and the certificate to name the MX host (RFC 7672 §3.1.2, §3.2.2).
 *
 * @param status the result
 * @param records the TLSA records found, in DNS order
 * @param authenticated whether the TLSA answer carried the DNSSEC AD bit; DANE senders ignore TLSA
 *     records that are not DNSSEC-validated (RFC 7672 §2.2)
 * @param matched the record that matched, if one did
 * @param detail a short explanation
 */
public record DaneResult(Status status, List<TlsaRecord> records, boolean authenticated, @Nullable TlsaRecord matched, String detail) {
  /** Validates and copies. */
  public DaneResult {
    requireNonNull(status, "status");
    records = List.copyOf(records);
    requireNonNull(detail, "detail");
  }

  /** The outcome of matching. */
  public enum Status {
    /** The MX host has no TLSA records: DANE does not apply. */
    NO_RECORDS,
    /** A usable record matched the presented chain. */
    MATCHED,
    /** Usable records exist but none matched: DANE senders will not deliver to this host. */
    NOT_MATCHED,
    /** TLSA records exist but TLS was not available, so DANE senders will not deliver. */
    NO_TLS,
    /** TLSA records exist but none is usable for SMTP (usages 0/1, unknown selector or type). */
    UNUSABLE,
    /** The TLSA lookup failed (timeout, SERVFAIL): unknown whether DANE applies. */
    LOOKUP_FAILED
  }
}
