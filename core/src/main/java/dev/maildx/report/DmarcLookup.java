package dev.maildx.report;

import dev.maildx.DomainName;
import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One DMARC Policy Record lookup: the TXT query for {@code _dmarc.<domain>} and what it returned
 * (RFC 9989 §4.10 steps 1–2 and 5–6).
 *
 * @param domain the domain whose record was looked up (without {@code _dmarc.})
 * @param outcome how the TXT query ended
 * @param texts every TXT record at the name, character-strings joined, in DNS order
 * @param record the one valid DMARC Policy Record there, or {@code null} if there was none, or
 *     more than one (which are then all discarded)
 * @param dmarcRecords how many TXT records started with {@code v=DMARC1}
 * @param detail a short description of a failed lookup, empty otherwise
 */
public record DmarcLookup(DomainName domain, DnsOutcome outcome, List<String> texts, @Nullable DmarcRecord record, int dmarcRecords,
    String detail) {

  /** Validates and copies. */
  public DmarcLookup {
    requireNonNull(domain, "domain");
    requireNonNull(outcome, "outcome");
    texts = List.copyOf(texts);
    requireNonNull(detail, "detail");
  }

  /** @return the name queried: {@code _dmarc.<domain>} */
  public String name() {
    return "_dmarc." + domain.ascii();
  }

  /** @return whether the query got a definite answer (records, NODATA or NXDOMAIN) */
  public boolean definite() {
    return outcome.isDefinite();
  }
}
