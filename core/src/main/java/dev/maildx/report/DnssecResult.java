package dev.maildx.report;

import static java.util.Objects.requireNonNull;

/**
 * The DNSSEC status of one RRset (RFC 4035 §5): for example the MX records of a domain or the
 * addresses of one of its mail exchangers.
 *
 * @param name the owner name, ASCII, lower case, no trailing dot
 * @param type the record type, for example {@code MX}
 * @param lookup how the lookup ended ({@link DnsOutcome#NO_DATA} and {@link DnsOutcome#NXDOMAIN}
 *     are validated like positive answers)
 * @param status the security status
 * @param reason why, in words (the validator's reason for {@link DnssecStatus#BOGUS}); empty if
 *     there is nothing to add
 */
public record DnssecResult(String name, String type, DnsOutcome lookup, DnssecStatus status, String reason) {
  /** Validates. */
  public DnssecResult {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(lookup, "lookup");
    requireNonNull(status, "status");
    requireNonNull(reason, "reason");
  }
}
