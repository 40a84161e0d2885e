package dev.maildx.spi;

/**
 * The options of one module's checks, such as {@code AuthOptions}, {@code PolicyOptions} or {@code
 * ProbeOptions}: set on {@code MailDiagnostics.Builder#options} (or {@code
 * DiagnosticsConfig.Builder#options}), read by the module's {@link CheckProvider} and by the
 * standalone components created from that {@code MailDiagnostics} through {@code
 * DiagnosticsConfig#options(Class)}. A configuration holds at most one instance per class.
 *
 * <p>Implementations must be immutable and thread-safe.
 */
public interface CheckOptions {}
