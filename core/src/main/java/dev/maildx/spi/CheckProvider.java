package dev.maildx.spi;

import java.util.List;

/**
 * Contributes checks to every {@code MailDiagnostics}: found with {@link java.util.ServiceLoader}
 * ({@code provides dev.maildx.spi.CheckProvider with ...} in a module, or {@code
 * META-INF/services/dev.maildx.spi.CheckProvider} on the class path) or registered on the builder.
 *
 * <p>Implementations need a public no-argument constructor (for the service loader) and must be
 * safe for concurrent use.
 */
public interface CheckProvider {
  /**
   * Creates this provider's checks for one {@code MailDiagnostics}. Called once, when it is built;
   * the checks may keep the environment.
   *
   * @param environment configuration and threads of the {@code MailDiagnostics}
   * @return the checks, in a stable order
   */
  List<Check> checks(CheckEnvironment environment);
}
