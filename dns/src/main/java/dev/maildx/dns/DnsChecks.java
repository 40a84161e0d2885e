package dev.maildx.dns;

import dev.maildx.DeliveryQuestion;
import dev.maildx.MxReport;
import dev.maildx.SpfReport;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Contributes the DNS checks to every {@code MailDiagnostics} (found by {@link java.util.ServiceLoader}):
 * {@code mx} for the recipient domain and {@code sender-mx} for the sender's own domain; {@code spf} for the sender (see {@link SpfEvaluator}); {@code dmarc}
 * and {@code dkim} for the sender's domain.
 *
 * <p>The {@code spf} check applies when the question has a sender, or a HELO name and a sending
 * IP. With a sending IP it runs {@code check_host()} for the MAIL FROM identity (for the HELO
 * identity, {@code postmaster@<helo>}, when only a HELO name is given) and lints the sender
 * domain's record tree; without one it only fetches and lints the sender domain's record: the
 * report then has no result, its trace shows the record tree unevaluated, and the finding
 * {@code SPF_NOT_EVALUATED} says why.
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
    checks.add(new SpfCheck(SpfEvaluator.create(dns)));
    checks.add(new DmarcCheck(DmarcResolver.create(dns, PublicSuffixList.bundled())));
    checks.add(new DkimCheck(DkimKeyResolver.create(dns)));
    return List.copyOf(checks);
  }

  /** SPF for the sender and sending IP (RFC 7208), or the lint of the sender's record without an IP. */
  private static final class SpfCheck implements Check {
    private final SpfEvaluator spf;

    SpfCheck(SpfEvaluator spf) {
      this.spf = spf;
    }

    @Override
    public String name() {
      return SpfEvaluator.CHECK;
    }

    @Override
    public boolean appliesTo(DeliveryQuestion q) {
      return q.from().isPresent() || (q.helo().isPresent() && q.sendingIp().isPresent());
    }

    @Override
    public CompletableFuture<SpfReport> run(CheckContext ctx) {
      DeliveryQuestion q = ctx.question();
      String helo = q.helo().map(h -> h.ascii()).orElse(null);
      if (q.sendingIp().isPresent()) {
        return spf.checkAsync(q.sendingIp().get(), q.from().map(Object::toString).orElse(""), helo, ctx.deadline());
      }
      return spf.lintAsync(q.senderDomain().orElseThrow(), ctx.deadline());
    }
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
