package dev.maildx.testkit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs a {@link MockDnsServer}: registered on a static field it serves the
 * whole class, on an instance field each test gets a fresh one.
 *
 * <pre>
 * class MyTest {
 *   &#64;RegisterExtension final MockDnsExtension dns = new MockDnsExtension();
 *
 *   &#64;Test void resolves() {
 *     dns.server().mx("example.test", 10, "mx1.example.test");
 *     // ... point the code under test at dns.server().address()
 *   }
 * }
 * </pre>
 */
public final class MockDnsExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private @Nullable MockDnsServer server;
  private boolean perClass;

  /** Creates the extension; the server starts before the first test. */
  public MockDnsExtension() {}

  /**
   * @return the running server
   */
  public MockDnsServer server() {
    MockDnsServer s = server;
    if (s == null) {
      throw new IllegalStateException("MockDnsServer runs only while a test runs");
    }
    return s;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    server = MockDnsServer.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      server = MockDnsServer.start();
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
