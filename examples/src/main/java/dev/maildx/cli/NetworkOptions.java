package dev.maildx.cli;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import dev.maildx.internal.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options every networked subcommand shares: {@code --dns}, {@code --timeout} and {@code
 * --route}.
 */
final class NetworkOptions {
  @Option(
      names = "--dns",
      paramLabel = "HOST:PORT",
      description =
          "Send every DNS query to this server (IPv4 or [IPv6], port default 53). Repeat for fallbacks. Default: the system's resolvers.")
  List<String> dns = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "20s",
      description =
          "Deadline for the whole command, e.g. 20s, 500ms, 1m (default: ${DEFAULT-VALUE}).")
  String timeout = "20s";

  @Option(
      names = "--route",
      paramLabel = "HOST=IP:PORT",
      description =
          "Connect to IP:PORT whenever maildx would connect to HOST (a mail server's name or address), and treat HOST as your test server: the MX check does not call it unreachable. Repeatable. Example: --route mx.example.test=127.0.0.1:2525.")
  List<String> routes = new ArrayList<>();

  DiagnosticsConfig.Builder config() {
    DiagnosticsConfig.Builder b = DiagnosticsConfig.builder().timeout(duration(timeout));
    for (String d : dns) {
      b.dnsServer(server(d));
    }
    for (String r : routes) {
      route(b, r);
    }
    return b;
  }

  /** Parses {@code HOST=IP:PORT} (HOST a name or an IP address; {@code [IPv6]:PORT}) into b. */
  static void route(DiagnosticsConfig.Builder b, String text) {
    int eq = text.indexOf('=');
    String usage =
        "--route \""
            + text
            + "\": expected HOST=IP:PORT, e.g. mx.example.test=127.0.0.1:2525 or 192.0.2.25=[::1]:2525";
    if (eq <= 0 || eq == text.length() - 1) {
      throw new IllegalArgumentException(usage);
    }
    String host = text.substring(0, eq).strip();
    String target = text.substring(eq + 1).strip();
    boolean hasPort =
        target.startsWith("[")
            ? target.contains("]:")
            : target.indexOf(':') == target.lastIndexOf(':') && target.contains(":");
    if (!hasPort) {
      throw new IllegalArgumentException(usage);
    }
    InetSocketAddress actual;
    try {
      actual = server(target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(usage, e);
    }
    InetAddress published = InetAddresses.tryParse(host.replaceAll("^\\[|\\]$", ""));
    try {
      if (published != null) {
        b.route(published, actual);
      } else {
        b.route(host, actual);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--route \"" + text + "\": " + e.getMessage(), e);
    }
  }

  /**
   * The runtime a standalone component of a subcommand borrows: no checks, closed by the
   * subcommand.
   */
  MailDiagnostics runtime() {
    return MailDiagnostics.builder().config(config().build()).discoverChecks(false).build();
  }

  /**
   * Parses {@code HOST:PORT}, {@code HOST}, {@code [IPv6]:PORT} or a bare IPv6 literal; HOST must
   * be an IP address.
   */
  static InetSocketAddress server(String text) {
    String s = text.strip();
    String host;
    int port = 53;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("--dns \"" + text + "\": missing ']'");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException(
              "--dns \"" + text + "\": expected ':' and a port after ']'");
        }
        port = port(text, rest.substring(1));
      }
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      host = s; // a bare IPv6 literal
    } else if (s.indexOf(':') >= 0) {
      host = s.substring(0, s.indexOf(':'));
      port = port(text, s.substring(s.indexOf(':') + 1));
    } else {
      host = s;
    }
    InetAddress a = InetAddresses.tryParse(host);
    if (a == null) {
      throw new IllegalArgumentException(
          "--dns \""
              + text
              + "\": the DNS server must be an IP address, e.g. 127.0.0.1:53 or [::1]:5353");
    }
    return new InetSocketAddress(a, port);
  }

  private static int port(String text, String p) {
    try {
      int port = Integer.parseInt(p);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--dns \"" + text + "\": port must be a number from 1 to 65535");
    }
  }

  /** Parses {@code 20s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT20S}. */
  static Duration duration(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (s.startsWith("pt")) {
        d = Duration.parse(s.toUpperCase(Locale.ROOT));
      } else if (s.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      } else if (s.endsWith("s")) {
        d =
            Duration.ofMillis(
                Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      } else if (s.endsWith("m")) {
        d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
      } else if (s.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      } else {
        d = Duration.ofSeconds(Long.parseLong(s));
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("--timeout \"" + text + "\": must be positive");
      }
      return d;
    } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--timeout \"" + text + "\": expected a duration such as 20s, 500ms or 2m");
    }
  }
}
