package dev.maildx.dns;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The runtime standalone components borrow in tests: {@link #of} builds a {@code MailDiagnostics}
 * (no discovered checks) for a configuration and closes it after the test that built it, or after
 * the class when it was built outside a test ({@code @BeforeAll}). Register it with
 * {@code @RegisterExtension}, as an instance or a static field.
 */
public final class TestRuntime implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private final List<MailDiagnostics> perTest = new ArrayList<>();
  private final List<MailDiagnostics> perClass = new ArrayList<>();
  private boolean inTest;

  /**
   * A runtime for a configuration, closed after the test (or class).
   *
   * @param config the configuration
   * @return a new instance
   */
  public synchronized MailDiagnostics of(DiagnosticsConfig config) {
    MailDiagnostics m = MailDiagnostics.builder().config(config).discoverChecks(false).build();
    (inTest ? perTest : perClass).add(m);
    return m;
  }

  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    inTest = true;
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    perTest.forEach(MailDiagnostics::close);
    perTest.clear();
    inTest = false;
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    perClass.forEach(MailDiagnostics::close);
    perClass.clear();
  }
}
