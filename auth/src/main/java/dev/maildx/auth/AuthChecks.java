package dev.maildx.auth;

import dev.maildx.dns.internal.DnsClient;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckProvider;
import java.util.List;

/**
 * Contributes the {@code auth} check to every {@code MailDiagnostics} (found by {@link
 * java.util.ServiceLoader}): when the question has a received message ({@link
 * dev.maildx.DeliveryQuestion#message()}), it is authenticated as its receiver did — DKIM
 * signatures (RFC 6376 §6), SPF for the question's sending IP, HELO name and sender, DMARC (RFC
 * 7489 §6.6), ARC (RFC 8617 §5.2) — by a {@link MessageAuthenticator} with the {@link AuthOptions}
 * of the {@code MailDiagnostics} (the defaults unless set), and its Authentication-Results value
 * written (RFC 8601 §2.2). The check depends on no other check: it looks up what it needs itself,
 * on the diagnosis's DNS servers and deadline.
 *
 * <p>To diagnose with other options, set them on the builder: {@code
 * MailDiagnostics.builder().options(AuthOptions.builder().authservId("mx.example.com").build())}.
 */
public final class AuthChecks implements CheckProvider {
  /** The check's name. */
  public static final String AUTH_CHECK = MessageAuthenticator.CHECK;

  /** For the service loader. */
  public AuthChecks() {}

  @Override
  public List<Check> checks(CheckEnvironment environment) {
    return List.of(
        new AuthCheck(
            MessageAuthenticator.create(DnsClient.of(environment), AuthOptions.of(environment))));
  }
}
