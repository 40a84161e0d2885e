package dev.maildx.internal;

import static java.util.Objects.requireNonNull;

import dev.maildx.MailDiagnostics;
import dev.maildx.spi.CheckEnvironment;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Hands the environment of a {@link MailDiagnostics} to {@link CheckEnvironment#of}, so that
 * standalone components can borrow it without {@code MailDiagnostics} exposing a public accessor.
 * {@code MailDiagnostics} installs the accessor when its class is initialized, which happens before
 * any instance exists.
 */
public final class RuntimeAccess {
  private static volatile @Nullable Function<MailDiagnostics, CheckEnvironment> environments;

  private RuntimeAccess() {}

  /**
   * Installs the accessor; called once, by {@code MailDiagnostics}.
   *
   * @param accessor reads the environment of an instance
   */
  public static synchronized void install(Function<MailDiagnostics, CheckEnvironment> accessor) {
    if (environments != null) {
      throw new IllegalStateException("the environment accessor was already installed");
    }
    environments = requireNonNull(accessor, "accessor");
  }

  /**
   * The environment of an instance.
   *
   * @param maildx the instance
   * @return its environment
   */
  public static CheckEnvironment environment(MailDiagnostics maildx) {
    Function<MailDiagnostics, CheckEnvironment> a = environments;
    if (a == null) {
      throw new IllegalStateException("MailDiagnostics is not initialized");
    }
    return a.apply(maildx);
  }
}
