package dev.maildx.report;

import dev.maildx.DomainName;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The lookup of one DKIM selector: the TXT query for {@code <selector>._domainkey.<domain>}
 * (RFC 6376 §3.6.2.1), any CNAME it followed, and the key record found.
 *
 * @param selector the selector
 * @param domain the signing domain
 * @param source whether the selector was given or tried from maildx's list of common selectors
 * @param outcome how the query ended
 * @param cnameChain the CNAME targets followed (how providers delegate keys), in order; empty
 *     if the name held the record itself
 * @param texts every TXT record found, character-strings joined
 * @param key the parsed key record, or {@code null} if none was found
 * @param detail a short description of a failed lookup, empty otherwise
 */
public record DkimSelectorResult(
    String selector,
    DomainName domain,
    Source source,
    DnsOutcome outcome,
    List<String> cnameChain,
    List<String> texts,
    @Nullable DkimKey key,
    String detail) {

  /** Validates and copies. */
  public DkimSelectorResult {
    requireNonNull(selector, "selector");
    requireNonNull(domain, "domain");
    requireNonNull(source, "source");
    requireNonNull(outcome, "outcome");
    cnameChain = List.copyOf(cnameChain);
    texts = List.copyOf(texts);
    requireNonNull(detail, "detail");
  }

  /** @return the name queried: {@code <selector>._domainkey.<domain>} */
  public String name() {
    return selector + "._domainkey." + domain.ascii();
  }

  /** @return the key record, if one was found */
  public Optional<DkimKey> keyRecord() {
    return Optional.ofNullable(key);
  }

  /** Where a selector came from. */
  public enum Source {
    /** Given by the caller (for example {@code --selector}). */
    GIVEN,
    /** From maildx's documented list of common selectors. */
    COMMON
  }
}
