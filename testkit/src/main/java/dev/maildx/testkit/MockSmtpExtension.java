package dev.maildx.testkit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs a well-behaved {@link MockSmtpServer} (see {@link
 * MockSmtpServer#start()}): registered on a static field it serves the whole class, on an instance
 * field each test gets a fresh one.
 *
 * <pre>
 * class MyTest {
 *   &#64;RegisterExtension final MockSmtpExtension smtp = new MockSmtpExtension();
 *
 *   &#64;Test void resolves() {
 *     // smtp.server().port() is where the prober connects
 *     // ... point the code under test at smtp.server().address()
 *   }
 * }
 * </pre>
 */
public final class MockSmtpExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private @Nullable MockSmtpServer server;
  private boolean perClass;

  /** Creates the extension; the server starts before the first test. */
  public MockSmtpExtension() {}

  /**
   * @return the running server
   */
  public MockSmtpServer server() {
    MockSmtpServer s = server;
    if (s == null) {
      throw new IllegalStateException("MockSmtpServer runs only while a test runs");
    }
    return s;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    server = MockSmtpServer.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      server = MockSmtpServer.start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass && server != null) {
      server.close();
      server = null;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
