package dev.maildx.auth;

import dev.maildx.DeliveryQuestion;
import dev.maildx.report.AuthReport;
import dev.maildx.report.SmtpEnvelope;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code auth} check: when the question has a received message (a file or bytes, {@link
 * DeliveryQuestion#messageSource()}), authenticates it as its receiver did — DKIM, SPF for the
 * sending IP, HELO and sender of the question, DMARC, ARC — with {@link MessageAuthenticator}. The
 * message is read on the environment's executor.
 */
final class AuthCheck implements Check {
  private final MessageAuthenticator authenticator;

  AuthCheck(MessageAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public String name() {
    return MessageAuthenticator.CHECK;
  }

  @Override
  public boolean appliesTo(DeliveryQuestion q) {
    return q.messageSource().isPresent();
  }

  @Override
  public CompletableFuture<AuthReport> run(CheckContext ctx) {
    DeliveryQuestion q = ctx.question();
    SmtpEnvelope envelope =
        new SmtpEnvelope(
            q.sendingIp().orElse(null),
            q.helo().map(h -> h.ascii()).orElse(null),
            q.from().map(Object::toString).orElse(null));
    DeliveryQuestion.Source message = q.messageSource().orElseThrow();
    return authenticator.authenticateAsync(
        message.name(), message::openStream, envelope, ctx.deadline());
  }
}
