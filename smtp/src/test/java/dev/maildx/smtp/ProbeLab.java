package dev.maildx.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.ProbeReport;
import dev.maildx.testkit.MockDnsServer;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.ResourceSnapshot;
import dev.maildx.testkit.SmtpSessionLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A simulated Internet on loopback for prober tests: a domain {@code example.test} whose MX hosts
 * have documentation addresses (RFC 5737) routed to {@link MockSmtpServer}s, and the checks every
 * test ends with: no DATA was ever sent, no thread, socket or other file descriptor was left
 * behind.
 */
final class ProbeLab implements AutoCloseable {
  static final String DOMAIN = "example.test";

  private static final Set<String> JVM_THREADS =
      Set.of(
          "Reference Handler",
          "Finalizer",
          "Signal Dispatcher",
          "Common-Cleaner",
          "Notification Thread",
          "Attach Listener",
          "process reaper",
          "dnsjava NIO selector");

  private final MockDnsServer dns;
  private final Set<Thread> threadsBefore;
  private final ResourceSnapshot resources;
  private final List<MockSmtpServer> servers = new ArrayList<>();
  private final List<SmtpProber> probers = new ArrayList<>();
  private final List<MailDiagnostics> runtimes = new ArrayList<>();
  private final DiagnosticsConfig.Builder config;
  private int hosts;

  ProbeLab(MockDnsServer dns) {
    this.dns = dns;
    this.threadsBefore = new HashSet<>(Thread.getAllStackTraces().keySet());
    this.resources = ResourceSnapshot.take();
    this.config =
        DiagnosticsConfig.builder()
            .dnsServer(dns.address())
            .timeout(Duration.ofSeconds(3))
            .dnsQueryTimeout(Duration.ofSeconds(1));
  }

  MockDnsServer dns() {
    return dns;
  }

  DiagnosticsConfig.Builder config() {
    return config;
  }

  /** Adds an MX host {@code mxN.example.test} (preference 10·N) served by {@code server}. */
  MockSmtpServer mx(MockSmtpServer server) {
    mx(server.address());
    servers.add(server);
    return server;
  }

  /** Adds an MX host {@code mxN.example.test} whose address is routed to {@code actual}. */
  void mx(java.net.InetSocketAddress actual) {
    hosts++;
    String name = "mx" + hosts + "." + DOMAIN;
    String ip = "192.0.2." + (10 + hosts);
    dns.mx(DOMAIN, 10 * hosts, name).a(name, ip);
    config.route(InetAddresses.parse(ip), actual);
  }

  /** Keeps a server to check and close at the end. */
  MockSmtpServer keep(MockSmtpServer server) {
    servers.add(server);
    return server;
  }

  /** A mock server for the next MX host name, with the certificate for that name. */
  static MockSmtpServer.Builder server(int n) {
    return MockSmtpServer.builder().hostname("mx" + n + "." + DOMAIN);
  }

  SmtpProber prober() {
    return prober(b -> {});
  }

  SmtpProber prober(Consumer<ProbeOptions.Builder> options) {
    ProbeOptions.Builder b = ProbeOptions.builder();
    options.accept(b);
    MailDiagnostics maildx =
        MailDiagnostics.builder().config(config.build()).discoverChecks(false).build();
    runtimes.add(maildx);
    SmtpProber p = SmtpProber.create(maildx, b.build());
    probers.add(p);
    return p;
  }

  List<MockSmtpServer> servers() {
    return servers;
  }

  static List<String> codes(ProbeReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  static Finding finding(ProbeReport r, String code) {
    return r.findings().stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + code + " in " + codes(r) + "\n" + transcripts(r)));
  }

  static ProbeReport.Host only(ProbeReport r) {
    assertThat(r.hosts()).as("hosts of %s; findings %s", r.target(), codes(r)).hasSize(1);
    return r.hosts().get(0);
  }

  static String transcripts(ProbeReport r) {
    return r.hosts().stream()
        .map(
            h ->
                h.label()
                    + " "
                    + h.outcome()
                    + "\n"
                    + h.transcript().stream()
                        .map(Object::toString)
                        .collect(Collectors.joining("\n")))
        .collect(Collectors.joining("\n\n"));
  }

  /**
   * Closes everything and asserts: no server ever received DATA, no connection is left open on
   * either side, and every thread started during the test has ended.
   */
  @Override
  public void close() {
    int proberConnections = probers.stream().mapToInt(SmtpProber::openConnections).sum();
    probers.forEach(SmtpProber::close);
    runtimes.forEach(MailDiagnostics::close);
    for (MockSmtpServer s : servers) {
      for (SmtpSessionLog log : s.sessions()) {
        assertThat(log.sent("DATA")).as("DATA sent to %s:\n%s", s, log).isFalse();
        assertThat(log.sent("BDAT")).as("BDAT sent to %s:\n%s", s, log).isFalse();
      }
    }
    assertThat(proberConnections).as("connections the prober still had open").isZero();
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    for (MockSmtpServer s : servers) {
      while (s.openConnections() > 0 && System.nanoTime() < until) {
        sleep(20);
      }
      assertThat(s.openConnections()).as("connections still open at %s", s).isZero();
      s.close();
    }
    List<String> left = List.of();
    while (System.nanoTime() < until) {
      left = newThreads();
      if (left.isEmpty()) {
        break;
      }
      sleep(20);
    }
    assertThat(left).as("threads left behind").isEmpty();
    resources.assertNothingLeftBehind(Duration.ofSeconds(3));
  }

  private List<String> newThreads() {
    List<String> out = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && !threadsBefore.contains(t) && !JVM_THREADS.contains(t.getName())) {
        out.add(t.getName());
      }
    }
    return out;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
