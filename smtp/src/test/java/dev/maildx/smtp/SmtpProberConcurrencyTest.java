package dev.maildx.smtp;

import static dev.maildx.smtp.ProbeLab.codes;
import static dev.maildx.smtp.ProbeLab.finding;
import static dev.maildx.smtp.ProbeLab.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.internal.InetAddresses;
import dev.maildx.report.ProbeReport;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockSmtpServer;
import dev.maildx.testkit.SmtpPolicy;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hosts are probed concurrently, but never more than one connection at a time per address and never
 * more than {@code maxConnections} at once; what may not be probed is not.
 */
class SmtpProberConcurrencyTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  private ProbeLab lab;

  @BeforeEach
  void lab() {
    lab = new ProbeLab(dns.server());
    lab.config().timeout(Duration.ofSeconds(8));
  }

  @AfterEach
  void noneLeft() {
    lab.close();
  }

  @Test
  void fourHostsWithOneSecondGreetings_takeAboutOneSecondNotFour() {
    for (int i = 1; i <= 4; i++) {
      lab.mx(server(i).policy(SmtpPolicy.slowGreeting(Duration.ofSeconds(1))).build());
    }
    SmtpProber p = lab.prober();

    long t0 = System.nanoTime();
    ProbeReport r = p.probe(ProbeLab.DOMAIN);
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(r.hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsOnly(ProbeReport.Outcome.ACCEPTED)
        .hasSize(4);
    assertThat(r.hosts())
        .extracting(ProbeReport.Host::name)
        .containsExactly(
            "mx1.example.test", "mx2.example.test", "mx3.example.test", "mx4.example.test");
    // Sequential would take at least 4 s; concurrent takes one greeting plus the conversations.
    assertThat(ms).as("elapsed ms").isBetween(1000L, 2000L);
  }

  @Test
  void twoHostNamesOnOneAddress_areProbedOneAfterTheOther() {
    MockSmtpServer s =
        lab.keep(
            MockSmtpServer.builder()
                .hostname("mx.example.test")
                .policy(SmtpPolicy.slowGreeting(Duration.ofMillis(400)))
                .build());
    dns.server()
        .mx(ProbeLab.DOMAIN, 10, "mx1.example.test")
        .mx(ProbeLab.DOMAIN, 20, "mx2.example.test")
        .a("mx1.example.test", "192.0.2.50")
        .a("mx2.example.test", "192.0.2.50");
    lab.config().route(InetAddresses.parse("192.0.2.50"), s.address());

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(r.hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsExactly(ProbeReport.Outcome.ACCEPTED, ProbeReport.Outcome.ACCEPTED);
    assertThat(s.connectionCount()).isEqualTo(2);
    assertThat(s.peakConnections()).isEqualTo(1);
    assertNoOverlap(r.hosts());
  }

  @Test
  void concurrentProbesOfOneProber_shareTheOneConnectionPerAddressLimit() {
    MockSmtpServer s =
        lab.mx(server(1).policy(SmtpPolicy.slowGreeting(Duration.ofMillis(300))).build());
    SmtpProber p = lab.prober();

    List<CompletableFuture<ProbeReport>> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(
          p.probeAsync(ProbeRequest.of(ProbeLab.DOMAIN), Deadline.after(Duration.ofSeconds(8))));
    }
    List<ProbeReport.Host> all =
        batch.stream().map(CompletableFuture::join).flatMap(r -> r.hosts().stream()).toList();

    assertThat(all)
        .extracting(ProbeReport.Host::outcome)
        .containsOnly(ProbeReport.Outcome.ACCEPTED)
        .hasSize(3);
    assertThat(s.peakConnections()).isEqualTo(1);
    assertNoOverlap(all);
  }

  @Test
  void maxConnections_limitsTheWholeProber() {
    for (int i = 1; i <= 3; i++) {
      lab.mx(server(i).policy(SmtpPolicy.slowGreeting(Duration.ofMillis(300))).build());
    }

    ProbeReport r = lab.prober(b -> b.maxConnections(1)).probe(ProbeLab.DOMAIN);

    assertThat(r.hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsOnly(ProbeReport.Outcome.ACCEPTED)
        .hasSize(3);
    assertNoOverlap(r.hosts());
  }

  @Test
  void waitingForABusyAddressPastTheDeadline_isReportedNotProbed() {
    lab.config().timeout(Duration.ofMillis(1500));
    MockSmtpServer s =
        lab.keep(
            MockSmtpServer.builder()
                .hostname("mx.example.test")
                .policy(SmtpPolicy.blackHole())
                .build());
    dns.server()
        .mx(ProbeLab.DOMAIN, 10, "mx1.example.test")
        .mx(ProbeLab.DOMAIN, 20, "mx2.example.test")
        .a("mx1.example.test", "192.0.2.50")
        .a("mx2.example.test", "192.0.2.50");
    lab.config().route(InetAddresses.parse("192.0.2.50"), s.address());

    ProbeReport r = lab.prober().probe(ProbeLab.DOMAIN);

    assertThat(r.hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsExactly(ProbeReport.Outcome.NO_BANNER);
    assertThat(finding(r, "SMTP_NOT_PROBED").message())
        .contains("mx2.example.test", "another probe of the same address");
    assertThat(s.peakConnections()).isEqualTo(1);
  }

  @Test
  void maxHosts_probesOnlyTheFirstHosts() {
    lab.mx(server(1).build());
    lab.mx(server(2).build());
    lab.mx(server(3).build());

    ProbeReport r = lab.prober(b -> b.maxHosts(2)).probe(ProbeLab.DOMAIN);

    assertThat(r.hosts())
        .extracting(ProbeReport.Host::name)
        .containsExactly("mx1.example.test", "mx2.example.test");
    assertThat(codes(r)).contains("SMTP_HOSTS_NOT_PROBED");
    assertThat(lab.servers().get(2).connectionCount()).isZero();
  }

  @Test
  void ipv6CanBeTurnedOff() {
    MockSmtpServer s = lab.keep(server(1).build());
    dns.server()
        .mx(ProbeLab.DOMAIN, 10, "mx1.example.test")
        .a("mx1.example.test", "192.0.2.60")
        .aaaa("mx1.example.test", "2001:db8::60");
    lab.config()
        .route(InetAddresses.parse("192.0.2.60"), s.address())
        .route(InetAddresses.parse("2001:db8::60"), s.address());

    assertThat(lab.prober().probe(ProbeLab.DOMAIN).hosts()).hasSize(2);
    assertThat(lab.prober(b -> b.ipv6(false)).probe(ProbeLab.DOMAIN).hosts())
        .extracting(h -> h.address().getHostAddress())
        .containsExactly("192.0.2.60");
  }

  @Test
  void loopbackAddressFromTheDns_isNotConnectedTo() throws Exception {
    int port;
    try (ServerSocket listener =
        new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      port = listener.getLocalPort();
      dns.server()
          .mx(ProbeLab.DOMAIN, 10, "internal.example.test")
          .a("internal.example.test", "127.0.0.1");
      listener.setSoTimeout(300);

      ProbeReport r = lab.prober().probe(ProbeRequest.domain(ProbeLab.DOMAIN).port(port).build());

      assertThat(r.hosts()).isEmpty();
      assertThat(finding(r, "SMTP_ADDRESS_NOT_PROBED").message())
          .contains("loopback", "does not connect");
      assertThat(org.assertj.core.api.Assertions.catchThrowable(listener::accept))
          .isInstanceOf(java.net.SocketTimeoutException.class);
    }
  }

  @Test
  void loopbackAddressFromTheDns_isProbedWhenAllowed() {
    MockSmtpServer s = lab.keep(server(1).build());
    dns.server().mx(ProbeLab.DOMAIN, 10, "mx1.example.test").a("mx1.example.test", "127.0.0.1");

    ProbeReport r =
        lab.prober(b -> b.allowNonPublicAddresses(true))
            .probe(ProbeRequest.domain(ProbeLab.DOMAIN).port(s.port()).build());

    assertThat(r.hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsExactly(ProbeReport.Outcome.ACCEPTED);
  }

  @Test
  void ipAddressGivenDirectly_isProbedWithoutDns() {
    MockSmtpServer s = lab.keep(server(1).build());

    ProbeReport r = lab.prober().probe(ProbeRequest.host("127.0.0.1").port(s.port()).build());

    assertThat(r.hosts())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.name()).isEqualTo("127.0.0.1");
              assertThat(h.outcome()).isEqualTo(ProbeReport.Outcome.ACCEPTED);
              assertThat(h.dane()).isNull();
            });
    assertThat(dns.server().queryCount()).isZero();
  }

  @Test
  void hostNameWithoutMx_isProbedByItsAddress() {
    MockSmtpServer s = lab.keep(server(1).build());
    dns.server().a("mx1.example.test", "192.0.2.70");
    lab.config().route(InetAddresses.parse("192.0.2.70"), s.address());

    ProbeReport r = lab.prober().probe(ProbeRequest.host("mx1.example.test").build());

    assertThat(r.hosts())
        .extracting(ProbeReport.Host::outcome)
        .containsExactly(ProbeReport.Outcome.ACCEPTED);
    assertThat(dns.server().queryCount("mx1.example.test", "MX")).isZero();
  }

  @Test
  void domainWithNullMx_hasNothingToProbe() {
    dns.server().mx("nomail.test", 0, ".");

    ProbeReport r = lab.prober().probe("nomail.test");

    assertThat(r.hosts()).isEmpty();
    assertThat(codes(r)).contains("MX_NULL");
  }

  private static void assertNoOverlap(List<ProbeReport.Host> hosts) {
    List<ProbeReport.Host> sorted = new ArrayList<>(hosts);
    sorted.sort(Comparator.comparing(ProbeReport.Host::startedAt));
    for (int i = 1; i < sorted.size(); i++) {
      Instant prevEnd = sorted.get(i - 1).startedAt().plus(sorted.get(i - 1).elapsed());
      // The next connection starts only after the previous one is closed (allow the clock's
      // granularity).
      assertThat(sorted.get(i).startedAt().plusMillis(2))
          .as("start of connection %d", i)
          .isAfterOrEqualTo(prevEnd);
    }
  }
}
