package dev.maildx.examples;

import dev.maildx.MailDiagnostics;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The command line shared by the example programs: positional arguments, {@code --dns HOST:PORT}
 * (the DNS server to ask instead of the system's resolvers) and {@code --timeout DURATION} (the
 * deadline of one diagnosis: {@code 500ms}, {@code 5s}, {@code 2m}). A missing or bad argument is a
 * usage error, reported in one line with the usage and exit status 2 (the POSIX utility convention
 * for a usage error, as {@code maildx} itself uses), never as a stack trace.
 */
final class ExampleArgs {
  /** The exit status of a usage error. */
  static final int USAGE = 2;

  private static final Pattern DURATION =
      Pattern.compile("(\\d{1,9})(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

  /** A usage error: what is wrong, in the user's words. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  final List<String> positional;
  final @Nullable InetSocketAddress dns;
  final Duration timeout;

  private ExampleArgs(List<String> positional, @Nullable InetSocketAddress dns, Duration timeout) {
    this.positional = List.copyOf(positional);
    this.dns = dns;
    this.timeout = timeout;
  }

  /**
   * Parses {@code args}, or prints {@code problem} and {@code usage} to standard error and exits
   * with {@link #USAGE}.
   */
  static ExampleArgs parseOrExit(
      String[] args, String usage, int min, int max, boolean dnsOptions, Duration timeout) {
    try {
      return parse(args, min, max, dnsOptions, timeout);
    } catch (UsageException e) {
      usageExit(usage, e.getMessage());
      throw new AssertionError("unreachable");
    }
  }

  /** Prints the problem and the usage line, and exits with status 2. */
  static void usageExit(String usage, @Nullable String problem) {
    PrintStream err = System.err;
    if (problem != null) {
      err.println(problem);
    }
    err.println("usage: " + usage);
    System.exit(USAGE);
  }

  static ExampleArgs parse(
      String[] args, int min, int max, boolean dnsOptions, Duration defaultTimeout)
      throws UsageException {
    List<String> positional = new ArrayList<>();
    InetSocketAddress dns = null;
    Duration timeout = defaultTimeout;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (dnsOptions && (a.equals("--dns") || a.equals("--timeout"))) {
        if (i + 1 >= args.length) {
          throw new UsageException(a + " needs a value");
        }
        String v = args[++i];
        if (a.equals("--dns")) {
          dns = dnsServer(v);
        } else {
          timeout = duration(v);
        }
      } else if (a.startsWith("-") && a.length() > 1) {
        throw new UsageException("unknown option " + a);
      } else {
        positional.add(a);
      }
    }
    if (positional.size() < min) {
      throw new UsageException(min == 1 ? "missing argument" : "missing arguments");
    }
    if (positional.size() > max) {
      throw new UsageException("too many arguments: " + String.join(" ", positional));
    }
    return new ExampleArgs(positional, dns, timeout);
  }

  /** {@code HOST:PORT}, {@code [IPv6]:PORT} or {@code HOST} (port 53, RFC 1035 §4.2). */
  static InetSocketAddress dnsServer(String v) throws UsageException {
    String host = v;
    int port = 53;
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      if (close < 0) {
        throw new UsageException("--dns " + v + ": no closing ] after the IPv6 address");
      }
      host = v.substring(1, close);
      if (v.length() > close + 1) {
        if (v.charAt(close + 1) != ':') {
          throw new UsageException("--dns " + v + ": expected :PORT after ]");
        }
        port = port(v, v.substring(close + 2));
      }
    } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
      host = v.substring(0, v.indexOf(':'));
      port = port(v, v.substring(v.indexOf(':') + 1));
    }
    if (host.isEmpty()) {
      throw new UsageException("--dns " + v + ": no host");
    }
    InetSocketAddress a = new InetSocketAddress(host, port);
    if (a.isUnresolved()) {
      throw new UsageException("--dns " + v + ": unknown host " + host);
    }
    return a;
  }

  private static int port(String v, String p) throws UsageException {
    try {
      int n = Integer.parseInt(p);
      if (n >= 1 && n <= 65535) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--dns " + v + ": the port must be a number from 1 to 65535");
  }

  /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or an ISO-8601 duration ({@code PT5S}). */
  static Duration duration(String v) throws UsageException {
    Matcher m = DURATION.matcher(v.strip());
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
    } else {
      try {
        d = Duration.parse(v.strip());
      } catch (DateTimeParseException e) {
        throw new UsageException("--timeout " + v + ": not a duration (examples: 500ms, 5s, 2m)");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new UsageException("--timeout " + v + ": must be longer than zero");
    }
    return d;
  }

  /** Applies {@code --dns} and {@code --timeout} to a builder. */
  MailDiagnostics.Builder apply(MailDiagnostics.Builder b) {
    b.timeout(timeout);
    if (dns != null) {
      b.dnsServer(dns);
    }
    return b;
  }
}
