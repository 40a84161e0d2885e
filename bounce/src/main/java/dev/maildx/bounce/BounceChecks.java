package dev.maildx.bounce;

import dev.maildx.DeliveryQuestion;
import dev.maildx.report.BounceReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Contributes the {@code bounce} check to every {@code MailDiagnostics} (found by {@link
 * java.util.ServiceLoader}): when the question has a bounce (a file or bytes, {@link
 * DeliveryQuestion#bounceSource()}), it is read (on the environment's executor, since it may be
 * file I/O) and classified into a {@link BounceReport}.
 */
public final class BounceChecks implements CheckProvider {
  /** The check's name. */
  public static final String BOUNCE_CHECK = BounceReport.CHECK;

  /** For the service loader. */
  public BounceChecks() {}

  @Override
  public List<Check> checks(CheckEnvironment environment) {
    return List.of(new BounceCheck(BounceParser.create(environment)));
  }

  private static final class BounceCheck implements Check {
    private final BounceParser parser;

    BounceCheck(BounceParser parser) {
      this.parser = parser;
    }

    @Override
    public String name() {
      return BOUNCE_CHECK;
    }

    @Override
    public boolean appliesTo(DeliveryQuestion question) {
      return question.bounceSource().isPresent();
    }

    @Override
    public CompletableFuture<BounceReport> run(CheckContext ctx) {
      DeliveryQuestion.Source bounce = ctx.question().bounceSource().orElseThrow();
      return parser.parseAsync(bounce.name(), bounce::openStream, ctx.deadline());
    }
  }
}
