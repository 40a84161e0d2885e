package dev.maildx.dns;

import dev.maildx.DeliveryQuestion;
import dev.maildx.MxReport;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Contributes the DNS checks to every {@code MailDiagnostics} (found by {@link java.util.ServiceLoader}):
 * {@code mx} for the recipient domain and {@code sender-mx} for the sender's own domain; {@code dmarc}
 * and {@code dkim} for the sender's domain.
 */
public final class DnsChecks implements CheckProvider {
  /** For the service loader. */
  public DnsChecks() {}

  @Override
  public List<Check> checks(CheckEnvironment environment) {
    DnsClient dns = DnsClient.create(environment);
    MxResolver mx = MxResolver.create(dns);
    List<Check> checks = new java.util.ArrayList<>();
    checks.add(new MxCheck(mx, MxResolver.RECIPIENT_CHECK));
    checks.add(new MxCheck(mx, MxResolver.SENDER_CHECK));
    checks.add(new DmarcCheck(DmarcResolver.create(dns, PublicSuffixList.bundled())));
    checks.add(new DkimCheck(DkimKeyResolver.create(dns)));
    return List.copyOf(checks);
  }

  /** The MX of the recipient domain, or of the sender's domain. */
  private static final class MxCheck implements Check {
    private final MxResolver resolver;
    private final String name;

    MxCheck(MxResolver resolver, String name) {
      this.resolver = resolver;
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean appliesTo(DeliveryQuestion q) {
      return name.equals(MxResolver.RECIPIENT_CHECK) ? q.recipientDomain().isPresent() : q.senderDomain().isPresent();
    }

    @Override
    public CompletableFuture<MxReport> run(CheckContext ctx) {
      DeliveryQuestion q = ctx.question();
      return resolver.resolve(name.equals(MxResolver.RECIPIENT_CHECK) ? q.recipientDomain().orElseThrow() : q.senderDomain().orElseThrow(),
          name, ctx.deadline());
    }
  }
}
