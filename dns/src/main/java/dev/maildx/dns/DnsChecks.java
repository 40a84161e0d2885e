package dev.maildx.dns;

import dev.maildx.DeliveryQuestion;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.report.CheckReport;
import dev.maildx.report.DnsblReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.SpfReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Contributes the DNS checks to every {@code MailDiagnostics} (found by {@link
 * java.util.ServiceLoader}): {@code mx} for the recipient domain and {@code sender-mx} for the
 * sender's own domain; {@code spf} for the sender (see {@link SpfEvaluator}); {@code dmarc} and
 * {@code dkim} for the sender's domain; the recipient domain's {@code mta-sts}, {@code tls-rpt},
 * and {@code dnssec}, {@code tlsa} and {@code mx-ptr} (after {@code mx}); the sender's {@code
 * bimi}, and {@code ptr} and {@code dnsbl} for the sending IP (and the sender domain on domain
 * blocklists). (The {@code auth} check of a received message comes from the maildx-auth module.)
 *
 * <p>The {@code spf} check applies when the question has a sender, or a HELO name and a sending IP.
 * With a sending IP it runs {@code check_host()} for the MAIL FROM identity (for the HELO identity,
 * {@code postmaster@<helo>}, when only a HELO name is given) and lints the sender domain's record
 * tree; without one it only fetches and lints the sender domain's record: the report then has no
 * result, its trace shows the record tree unevaluated, and the finding {@code SPF_NOT_EVALUATED}
 * says why.
 *
 * <p>The domain-policy checks use the {@link PolicyOptions} of the {@code MailDiagnostics} (a test
 * CA for the MTA-STS policy host, DNSSEC trust anchors, other blocklists): {@code
 * MailDiagnostics.builder().options(PolicyOptions.builder()...build())}.
 */
public final class DnsChecks implements CheckProvider {
  /** For the service loader. */
  public DnsChecks() {}

  @Override
  public List<Check> checks(CheckEnvironment environment) {
    DnsClient dns = DnsClient.of(environment);
    PolicyOptions options = PolicyOptions.of(environment);
    MxResolver mx = MxResolver.create(dns);
    List<Check> checks =
        new ArrayList<>(
            List.of(
                new MxCheck(mx, MxResolver.RECIPIENT_CHECK),
                new MxCheck(mx, MxResolver.SENDER_CHECK)));
    checks.add(new SpfCheck(SpfEvaluator.create(dns)));
    checks.add(new DmarcCheck(DmarcResolver.create(dns, PublicSuffixList.bundled())));
    checks.add(new DkimCheck(DkimKeyResolver.create(dns)));
    checks.addAll(policyChecks(dns, mx, options));
    return List.copyOf(checks);
  }

  /** The domain-policy checks: MTA-STS, TLS-RPT, DNSSEC, TLSA, PTR, DNSBL, BIMI. */
  private static List<Check> policyChecks(
      DnsClient dns, MxResolver mxResolver, PolicyOptions options) {
    MtaStsResolver mtaSts = MtaStsResolver.create(dns, options);
    TlsRptResolver tlsRpt = TlsRptResolver.create(dns);
    DnssecResolver dnssec = DnssecResolver.create(dns, options);
    TlsaResolver tlsa = TlsaResolver.create(dns, options);
    ReverseDnsResolver ptr = ReverseDnsResolver.create(dns);
    DnsblResolver dnsbl = DnsblResolver.create(dns, options);
    BimiResolver bimi = BimiResolver.create(dns);
    Set<String> afterMx = Set.of(MxResolver.RECIPIENT_CHECK);
    Predicate<DeliveryQuestion> recipient = q -> q.recipientDomain().isPresent();
    boolean domainLists =
        options.blocklists().stream().anyMatch(b -> b.kind() == DnsblReport.Result.Kind.DOMAIN);
    boolean ipLists =
        options.blocklists().stream().anyMatch(b -> b.kind() == DnsblReport.Result.Kind.IP);
    return List.of(
        // MTA-STS needs only the MX names: it asks for them alongside its own lookups, not after
        // mx.
        check(
            MtaStsResolver.CHECK,
            Set.of(),
            recipient,
            c -> mtaSts.checkAsync(c.question().recipientDomain().orElseThrow(), c.deadline())),
        check(
            TlsRptResolver.CHECK,
            Set.of(),
            recipient,
            c -> tlsRpt.checkAsync(c.question().recipientDomain().orElseThrow(), c.deadline())),
        check(
            DnssecResolver.CHECK,
            afterMx,
            recipient,
            c ->
                dnssec.checkAsync(
                    c.question().recipientDomain().orElseThrow(),
                    mx(c).orElse(null),
                    c.deadline())),
        check(
            TlsaResolver.CHECK,
            afterMx,
            recipient,
            c ->
                withMx(c, mxResolver)
                    .thenCompose(
                        m ->
                            tlsa.checkAsync(
                                c.question().recipientDomain().orElseThrow(), m, c.deadline()))),
        check(
            ReverseDnsResolver.MX_CHECK,
            afterMx,
            recipient,
            c -> withMx(c, mxResolver).thenCompose(m -> ptr.checkMxAsync(m, c.deadline()))),
        check(
            BimiResolver.CHECK,
            Set.of(),
            q -> q.senderDomain().isPresent(),
            c ->
                bimi.checkAsync(
                    c.question().senderDomain().orElseThrow(),
                    BimiResolver.DEFAULT_SELECTOR,
                    c.deadline())),
        check(
            ReverseDnsResolver.SENDER_CHECK,
            Set.of(),
            q -> q.sendingIp().isPresent(),
            c ->
                ptr.checkAsync(
                    c.question().sendingIp().orElseThrow(),
                    c.question().helo().orElse(null),
                    c.deadline())),
        check(
            DnsblResolver.CHECK,
            Set.of(),
            q ->
                (ipLists && q.sendingIp().isPresent())
                    || (domainLists && q.senderDomain().isPresent()),
            c ->
                dnsbl.checkAsync(
                    c.question().sendingIp().orElse(null),
                    c.question().senderDomain().orElse(null),
                    c.deadline())));
  }

  private static java.util.Optional<MxReport> mx(CheckContext c) {
    return c.report(MxResolver.RECIPIENT_CHECK, MxReport.class);
  }

  /** The recipient's MX report, or a fresh lookup if the mx check did not complete. */
  private static CompletableFuture<MxReport> withMx(CheckContext c, MxResolver resolver) {
    return mx(c)
        .map(CompletableFuture::completedFuture)
        .orElseGet(
            () ->
                resolver.resolveAsync(
                    c.question().recipientDomain().orElseThrow(),
                    c.deadline().withMargin(Duration.ofMillis(300))));
  }

  private static Check check(
      String name,
      Set<String> dependsOn,
      Predicate<DeliveryQuestion> applies,
      Function<CheckContext, CompletableFuture<? extends CheckReport>> run) {
    return new Check() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Set<String> dependsOn() {
        return dependsOn;
      }

      @Override
      public boolean appliesTo(DeliveryQuestion question) {
        return applies.test(question);
      }

      @Override
      public CompletableFuture<? extends CheckReport> run(CheckContext context) {
        return run.apply(context);
      }

      @Override
      public String toString() {
        return "Check[" + name + "]";
      }
    };
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
      return name.equals(MxResolver.RECIPIENT_CHECK)
          ? q.recipientDomain().isPresent()
          : q.senderDomain().isPresent();
    }

    @Override
    public CompletableFuture<MxReport> run(CheckContext ctx) {
      DeliveryQuestion q = ctx.question();
      return name.equals(MxResolver.RECIPIENT_CHECK)
          ? resolver.resolve(
              q.recipientDomain().orElseThrow(),
              name,
              q.smtpProbe() ? q.smtpPort() : DeliveryQuestion.SMTP_PORT,
              ctx.deadline())
          : resolver.resolve(q.senderDomain().orElseThrow(), name, ctx.deadline());
    }
  }

  /**
   * SPF for the sender and sending IP (RFC 7208), or the lint of the sender's record without an IP.
   */
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
        return spf.checkAsync(
            q.sendingIp().get(), q.from().map(Object::toString).orElse(""), helo, ctx.deadline());
      }
      return spf.lintAsync(q.senderDomain().orElseThrow(), ctx.deadline());
    }
  }
}
