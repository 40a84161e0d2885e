package dev.maildx.report;

import dev.maildx.DomainName;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The RFC5322.From of a message as DMARC reads it (RFC 5322 §3.6.2, RFC 7489 §6.6.1): how many
 * From header fields there are, the mailbox addresses in the (first) one — groups opened up,
 * display names decoded from RFC 2047 encoded words — and their domains, the Author Domains.
 *
 * <p>A message should have exactly one From field (RFC 5322 §3.6) with one mailbox. Several
 * fields, no field, no domain (an empty group, a bare local part, an address literal) or several
 * different domains are each reported by a finding of the {@code auth} check.
 *
 * @param fields how many From header fields the message has
 * @param value the (first) field's value, unfolded; empty if there is none; at most 2,000
 *     characters
 * @param displayNames the display names of the mailboxes, decoded, in order (empty strings for
 *     mailboxes without one)
 * @param addresses the addr-specs of the mailboxes, in order, as written
 * @param domains the distinct domains of those addresses that are valid domain names, in order
 */
public record FromHeader(int fields, String value, List<String> displayNames, List<String> addresses, List<DomainName> domains) {
  /** Validates and copies. */
  public FromHeader {
    requireNonNull(value, "value");
    displayNames = List.copyOf(displayNames);
    addresses = List.copyOf(addresses);
    domains = List.copyOf(domains);
  }

  /**
   * The Author Domain, if the message has exactly one.
   *
   * @return the single domain of the From field(s), or empty if there are none or several
   */
  public Optional<DomainName> authorDomain() {
    return domains.size() == 1 ? Optional.of(domains.get(0)) : Optional.empty();
  }
}
