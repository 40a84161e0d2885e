package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A sender domain's BIMI assertion record ({@code <selector>._bimi.<domain>} TXT, Brand
 * Indicators for Message Identification, draft-brand-indicators-for-message-identification §4):
 * where the brand logo ({@code l=}, an SVG over HTTPS) and its mark certificate ({@code a=}, a
 * VMC/CMC in PEM over HTTPS) are.
 *
 * <p>BIMI never decides delivery; mailbox providers show the logo only for mail that passes DMARC
 * with an enforcing policy.
 *
 * @param check the check name ({@code bimi})
 * @param domain the domain
 * @param selector the selector ({@code default} unless a message names another)
 * @param lookup how the TXT lookup ended
 * @param records the TXT records that begin with {@code v=BIMI1} (character-strings joined)
 * @param location the {@code l=} URI of the one valid record, or {@code null}
 * @param authority the {@code a=} URI of the one valid record, or {@code null}
 * @param declined whether the record declines to publish a logo ({@code l=} empty and no
 *     {@code a=})
 * @param findings what the check found
 */
public record BimiReport(
    String check,
    DomainName domain,
    String selector,
    DnsOutcome lookup,
    List<String> records,
    @Nullable String location,
    @Nullable String authority,
    boolean declined,
    List<Finding> findings) implements CheckReport {

  /** Validates and copies. */
  public BimiReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    requireNonNull(selector, "selector");
    requireNonNull(lookup, "lookup");
    records = List.copyOf(records);
    findings = List.copyOf(findings);
  }
}
