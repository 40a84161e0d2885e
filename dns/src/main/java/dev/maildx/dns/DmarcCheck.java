package dev.maildx.dns;

import dev.maildx.DeliveryQuestion;
import dev.maildx.report.DmarcReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code dmarc} check: the DMARC policy of the sender's domain (the RFC5322.From domain of its
 * mail), as the recipient's gateway will look it up.
 *
 * <p>Only the sender's domain is checked: a recipient domain's DMARC policy governs mail that
 * claims to come <em>from</em> it, not mail sent to it, so it cannot explain why mail to it does
 * not arrive.
 */
final class DmarcCheck implements Check {
  private final DmarcResolver resolver;

  DmarcCheck(DmarcResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public String name() {
    return DmarcResolver.CHECK;
  }

  @Override
  public boolean appliesTo(DeliveryQuestion q) {
    return q.senderDomain().isPresent();
  }

  @Override
  public CompletableFuture<DmarcReport> run(CheckContext ctx) {
    return resolver.resolve(ctx.question().senderDomain().orElseThrow(), name(), ctx.deadline());
  }
}
