package dev.maildx.smtp;

import dev.maildx.DeliveryQuestion;
import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.Finding;
import dev.maildx.report.CheckReport;
import dev.maildx.report.MtaStsPolicyReport;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Contributes the {@code smtp} check to every {@code MailDiagnostics} (found by {@link
 * java.util.ServiceLoader}): it probes the recipient domain's MX hosts, as the {@code mx} check
 * found them, on the question's {@linkplain DeliveryQuestion#smtpPort() SMTP port}, asking about
 * the recipient address if the question has one. It does not run when the question turns the probe
 * off ({@link DeliveryQuestion#smtpProbe()}).
 *
 * <p>When the {@code mta-sts} check's report carries a policy ({@link MtaStsPolicyReport}), hosts
 * are judged against it. The probe starts as soon as the MX hosts are known; the policy, fetched
 * over HTTPS meanwhile, is applied when both are done (if it arrives before the deadline). The
 * prober's options are the {@link ProbeOptions} set with {@code
 * MailDiagnostics.builder().options(ProbeOptions.builder().heloName("probe.example.com").build())}.
 */
public final class SmtpChecks implements CheckProvider {
  /** The check's name. */
  public static final String SMTP_CHECK = ProbeReport.CHECK;

  /** For the service loader. */
  public SmtpChecks() {}

  @Override
  public List<Check> checks(CheckEnvironment environment) {
    return List.of(new SmtpCheck(SmtpProber.forEnvironment(environment)));
  }

  /** Probes the recipient's MX hosts. */
  private static final class SmtpCheck implements Check {
    private final SmtpProber prober;

    SmtpCheck(SmtpProber prober) {
      this.prober = prober;
    }

    @Override
    public String name() {
      return SMTP_CHECK;
    }

    /**
     * Only {@code mx}: the {@code mta-sts} report judges the hosts when it arrives, so the probe
     * need not wait for the policy fetch.
     */
    @Override
    public Set<String> dependsOn() {
      return Set.of(MxReport.CHECK);
    }

    @Override
    public boolean appliesTo(DeliveryQuestion q) {
      return q.smtpProbe() && q.recipientDomain().isPresent();
    }

    @Override
    public CompletableFuture<? extends CheckReport> run(CheckContext ctx) {
      DeliveryQuestion q = ctx.question();
      DomainName domain = q.recipientDomain().orElseThrow();
      Optional<MxReport> mx = ctx.report(MxReport.CHECK, MxReport.class);
      String target = q.recipient().map(EmailAddress::toString).orElse(domain.ascii());
      if (mx.isEmpty()) {
        return CompletableFuture.completedFuture(
            new ProbeReport(
                SMTP_CHECK,
                target,
                domain,
                q.smtpPort(),
                q.recipient().orElse(null),
                List.of(),
                List.of(
                    Finding.inconclusive(
                            ProbeReport.Code.SMTP_NOT_PROBED,
                            SMTP_CHECK,
                            "The mail servers of "
                                + domain
                                + " were not probed because their MX lookup did not complete.")
                        .evidence("domain", domain)
                        .build()),
                Duration.ZERO));
      }
      ProbeRequest.Builder r = ProbeRequest.domain(domain.ascii()).port(q.smtpPort());
      Finding invalid = null;
      if (q.recipient().isPresent()) {
        try {
          r.recipient(q.recipient().get());
        } catch (IllegalArgumentException e) {
          invalid =
              Finding.error(
                      ProbeReport.Code.SMTP_RECIPIENT_NOT_SENT,
                      SMTP_CHECK,
                      "The recipient was not sent to the servers: " + e.getMessage() + ".")
                  .evidence("recipient", q.recipient().get())
                  .rfc("RFC 6531 §3.3")
                  .build();
        }
      }
      CompletableFuture<Optional<MtaStsReport.Policy>> policy =
          ctx.reportWhenDone(MtaStsReport.CHECK, MtaStsPolicyReport.class)
              .thenApply(o -> o.flatMap(MtaStsPolicyReport::policy));
      CompletableFuture<ProbeReport> f =
          prober.probeMx(r.build(), mx.get(), ctx.deadline(), policy);
      if (invalid == null) {
        return f;
      }
      Finding extra = invalid;
      return f.thenApply(
          p -> {
            List<Finding> all = new java.util.ArrayList<>(p.findings());
            all.add(0, extra);
            return new ProbeReport(
                p.check(), p.target(), p.domain(), p.port(), null, p.hosts(), all, p.elapsed());
          });
    }
  }
}
