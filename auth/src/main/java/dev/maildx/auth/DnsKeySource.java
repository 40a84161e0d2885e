package dev.maildx.auth;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.auth.internal.DkimKeySource;
import dev.maildx.dns.DkimKeyResolver;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DnsOutcome;
import dev.maildx.spi.Deadline;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Keys for signature verification from the DNS, through {@link DkimKeyResolver} (one given
 * selector, no guessing), so that verification reports the key record's findings — revoked, weak,
 * testing, CNAME to nowhere — exactly as the {@code dkim} check does.
 */
final class DnsKeySource implements DkimKeySource {
  private final DkimKeyResolver resolver;
  private final String check;

  DnsKeySource(DkimKeyResolver resolver, String check) {
    this.resolver = resolver;
    this.check = check;
  }

  @Override
  public CompletableFuture<KeyLookup> lookup(
      DomainName domain, String selector, Deadline deadline) {
    String name = selector.toLowerCase(Locale.ROOT) + "._domainkey." + domain.ascii();
    CompletableFuture<DkimKeysReport> report;
    try {
      report = resolver.resolve(domain, List.of(selector), false, check, deadline);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new KeyLookup(
              Status.NOT_FOUND,
              null,
              "the selector cannot be looked up: " + e.getMessage(),
              List.of()));
    }
    return report.handle(
        (r, e) ->
            e != null
                ? new KeyLookup(Status.TEMPFAIL, null, "the lookup failed: " + e, List.of())
                : classify(r, name));
  }

  private static KeyLookup classify(DkimKeysReport r, String name) {
    List<Finding> findings =
        r.findings().stream()
            .filter(
                f ->
                    !f.is(DkimKeysReport.Code.DKIM_KEYS_FOUND)
                        && !f.is(DkimKeysReport.Code.DKIM_ED25519_ONLY))
            .toList();
    if (r.selectors().isEmpty()) {
      String why =
          findings.stream().map(Finding::message).findFirst().orElse("the lookup did not finish");
      return new KeyLookup(Status.TEMPFAIL, null, why, findings);
    }
    DkimKeysReport.Selector s = r.selectors().get(0);
    if (!s.outcome().isDefinite()) {
      return new KeyLookup(
          Status.TEMPFAIL,
          null,
          name
              + " "
              + s.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")"),
          findings);
    }
    if (s.key() == null) {
      String why;
      if (!s.texts().isEmpty()) {
        why = "the TXT record at " + name + " is not a DKIM key record";
      } else if (!s.cnameChain().isEmpty()) {
        why =
            name
                + " is a CNAME to "
                + s.cnameChain().get(s.cnameChain().size() - 1)
                + ", which has no key (the provider's key is not "
                + "published or signing is not enabled there)";
      } else {
        why =
            name + (s.outcome() == DnsOutcome.NXDOMAIN ? " does not exist" : " has no TXT record");
      }
      return new KeyLookup(Status.NOT_FOUND, null, why, findings);
    }
    return DkimKeySource.classify(s.key(), findings, name);
  }
}
