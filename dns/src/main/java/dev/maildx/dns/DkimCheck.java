package dev.maildx.dns;

import dev.maildx.DeliveryQuestion;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code dkim} check: the DKIM keys of the sender's domain, under the selectors of the question
 * ({@link DeliveryQuestion#dkimSelectors()}) and the common ones.
 *
 * <p>Finding code of its own: {@code DKIM_SELECTOR_INVALID} (error) — a selector of the question
 * that cannot be looked up for this domain (a label over 63 characters, a name over 253, or more
 * than {@value DkimKeyResolver#MAX_SELECTORS} selectors).
 */
final class DkimCheck implements Check {
  private final DkimKeyResolver resolver;

  DkimCheck(DkimKeyResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public String name() {
    return DkimKeyResolver.CHECK;
  }

  @Override
  public boolean appliesTo(DeliveryQuestion q) {
    return q.senderDomain().isPresent();
  }

  @Override
  public CompletableFuture<DkimKeysReport> run(CheckContext ctx) {
    DeliveryQuestion q = ctx.question();
    DomainName domain = q.senderDomain().orElseThrow();
    try {
      return resolver.resolve(domain, q.dkimSelectors(), true, name(), ctx.deadline());
    } catch (IllegalArgumentException e) {
      // The question accepts selectors this domain cannot take (too long, too many): say so instead
      // of failing the check.
      return CompletableFuture.completedFuture(
          new DkimKeysReport(
              name(),
              domain,
              List.of(),
              List.of(
                  Finding.error(
                          DkimKeysReport.Code.DKIM_SELECTOR_INVALID,
                          name(),
                          "The DKIM selectors given cannot be looked up: " + e.getMessage() + ".")
                      .effect(Verdict.DELIVERABLE)
                      .evidence("domain", domain)
                      .evidence("selectors", String.join(", ", q.dkimSelectors()))
                      .rfc("RFC 6376 §3.1")
                      .build())));
    }
  }
}
