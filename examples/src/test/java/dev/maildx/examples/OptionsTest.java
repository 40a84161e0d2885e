package dev.maildx.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.BatchOptions;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.DiagnosticsListener;
import dev.maildx.MailDiagnostics;
import dev.maildx.auth.AuthOptions;
import dev.maildx.dns.Blocklist;
import dev.maildx.dns.DnsblResolver;
import dev.maildx.dns.DnssecMode;
import dev.maildx.dns.PolicyOptions;
import dev.maildx.smtp.ProbeOptions;
import dev.maildx.smtp.SmtpProber;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * Every option set is immutable, round-trips through {@code toBuilder()}, and rejects bad values at
 * once.
 */
class OptionsTest {
  private static final InetSocketAddress DNS = new InetSocketAddress("127.0.0.1", 5353);

  @Test
  void diagnosticsConfig_toBuilder_keepsEveryField() throws Exception {
    Executor executor = Runnable::run;
    Clock clock = Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC);
    DiagnosticsListener listener = new DiagnosticsListener() {};
    AuthOptions auth = AuthOptions.builder().authservId("mx.example.test").build();
    DiagnosticsConfig c =
        DiagnosticsConfig.builder()
            .dnsServer(DNS)
            .timeout(Duration.ofSeconds(3))
            .dnsQueryTimeout(Duration.ofMillis(700))
            .executor(executor)
            .clock(clock)
            .listener(listener)
            .route(InetAddress.getByName("192.0.2.1"), new InetSocketAddress("127.0.0.1", 2525))
            .options(auth)
            .build();

    for (DiagnosticsConfig copy :
        List.of(
            c.toBuilder().build(),
            MailDiagnostics.builder().config(c).discoverChecks(false).build().config())) {
      assertThat(copy.dnsServers()).isEqualTo(c.dnsServers());
      assertThat(copy.timeout()).isEqualTo(c.timeout());
      assertThat(copy.dnsQueryTimeout()).isEqualTo(c.dnsQueryTimeout());
      assertThat(copy.executor()).containsSame(executor);
      assertThat(copy.clock()).isSameAs(clock);
      assertThat(copy.listener()).isSameAs(listener);
      assertThat(copy.routes()).isEqualTo(c.routes());
      assertThat(copy.options(AuthOptions.class)).containsSame(auth);
      assertThat(copy.options(ProbeOptions.class)).isEmpty();
    }
  }

  @Test
  void builderSettersAfterConfig_changeOnlyWhatTheySet() {
    DiagnosticsConfig c =
        DiagnosticsConfig.builder().dnsServer(DNS).timeout(Duration.ofSeconds(3)).build();
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .config(c)
            .timeout(Duration.ofSeconds(9))
            .discoverChecks(false)
            .build()) {
      assertThat(m.config().timeout()).isEqualTo(Duration.ofSeconds(9));
      assertThat(m.config().dnsServers()).containsExactly(DNS);
    }
  }

  @Test
  void options_ofTheSameClass_replaceEachOther() {
    DiagnosticsConfig c =
        DiagnosticsConfig.builder()
            .options(AuthOptions.builder().authservId("a.test").build())
            .options(AuthOptions.builder().authservId("b.test").build())
            .build();
    assertThat(c.options(AuthOptions.class))
        .hasValueSatisfying(o -> assertThat(o.authservId()).isEqualTo("b.test"));
  }

  @Test
  void authOptions_toBuilder_roundTrips() {
    AuthOptions o =
        AuthOptions.builder()
            .maxMessageBytes(4096)
            .maxHeaderBytes(2048)
            .maxSignatures(3)
            .clockSkew(Duration.ofMinutes(1))
            .acceptPartialBody(false)
            .useReturnPath(false)
            .authservId("mx.example.test")
            .build();
    AuthOptions copy = o.toBuilder().build();
    assertThat(
            List.of(
                copy.maxMessageBytes(),
                copy.maxHeaderBytes(),
                copy.maxSignatures(),
                copy.clockSkew(),
                copy.acceptPartialBody(),
                copy.useReturnPath(),
                copy.authservId()))
        .isEqualTo(List.of(4096L, 2048, 3, Duration.ofMinutes(1), false, false, "mx.example.test"));
    assertThat(AuthOptions.defaults().toBuilder().build().authservId())
        .isEqualTo(AuthOptions.DEFAULT_AUTHSERV_ID);
  }

  @Test
  void policyOptions_toBuilder_roundTrips() {
    List<Blocklist> lists =
        List.of(Blocklist.ip("test list", "bl.example.test", false, java.util.Map.of()));
    PolicyOptions o =
        PolicyOptions.builder()
            .dnssecMode(DnssecMode.RESOLVER_AD_BIT)
            .blocklists(lists)
            .httpsTimeout(Duration.ofSeconds(3))
            .maxPolicyBytes(2048)
            .build();
    PolicyOptions copy = o.toBuilder().build();
    assertThat(copy.dnssecMode()).isEqualTo(DnssecMode.RESOLVER_AD_BIT);
    assertThat(copy.blocklists()).isEqualTo(lists);
    assertThat(copy.httpsTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(copy.maxPolicyBytes()).isEqualTo(2048);
    assertThat(copy.trustAnchors()).isEqualTo(PolicyOptions.ROOT_TRUST_ANCHORS);
    assertThat(copy.toString()).isEqualTo(o.toString());
  }

  @Test
  void probeOptions_toBuilder_roundTrips() {
    ProbeOptions o =
        ProbeOptions.builder()
            .heloName("probe.example.test")
            .mailFrom("bounce@example.test")
            .maxHosts(2)
            .ipv4(false)
            .ipv6(true)
            .startTls(false)
            .dane(false)
            .catchAllTest(false)
            .allowNonPublicAddresses(true)
            .connectTimeout(Duration.ofSeconds(1))
            .greetingTimeout(Duration.ofSeconds(2))
            .commandTimeout(Duration.ofSeconds(3))
            .tlsTimeout(Duration.ofSeconds(4))
            .stallTimeout(Duration.ofMillis(500))
            .slowGreeting(Duration.ofMillis(300))
            .certificateExpiryWarning(Duration.ofDays(3))
            .maxReplyLines(50)
            .maxConnections(2)
            .build();
    ProbeOptions copy = o.toBuilder().build();
    assertThat(copy.toString()).isEqualTo(o.toString());
    assertThat(copy.heloName().orElseThrow().ascii()).isEqualTo("probe.example.test");
    assertThat(copy.mailFrom().orElseThrow().toString()).isEqualTo("bounce@example.test");
    assertThat(copy.maxHosts()).isEqualTo(2);
    assertThat(copy.stallTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(copy.maxConnections()).isEqualTo(2);
    assertThat(ProbeOptions.defaults().heloName()).isEmpty();
    assertThat(ProbeOptions.defaults().maxConnections())
        .isEqualTo(ProbeOptions.DEFAULT_MAX_CONNECTIONS);
  }

  @Test
  void batchOptions_toBuilder_roundTrips() {
    BatchOptions o = BatchOptions.builder().concurrency(3).perDomain(1).build();
    BatchOptions copy = o.toBuilder().build();
    assertThat(copy.concurrency()).isEqualTo(3);
    assertThat(copy.perDomain()).isEqualTo(1);
    assertThat(copy.progress()).isSameAs(o.progress());
  }

  @Test
  void setters_rejectBadValuesAtOnce_withAMessage() {
    assertThatThrownBy(() -> DiagnosticsConfig.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> DiagnosticsConfig.builder().dnsQueryTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(
            () ->
                DiagnosticsConfig.builder()
                    .dnsServer(InetSocketAddress.createUnresolved("dns.example", 53)))
        .hasMessageContaining("must be an IP address");
    assertThatThrownBy(() -> DiagnosticsConfig.builder().options(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("options");
    assertThatThrownBy(() -> MailDiagnostics.builder().timeout(Duration.ZERO))
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> BatchOptions.builder().concurrency(0))
        .hasMessageContaining("concurrency must be at least 1, was 0");
    assertThatThrownBy(() -> BatchOptions.builder().perDomain(0))
        .hasMessageContaining("perDomain must be at least 1");
    assertThatThrownBy(() -> AuthOptions.builder().maxMessageBytes(10))
        .hasMessageContaining("maxMessageBytes must be at least 1024");
    assertThatThrownBy(() -> AuthOptions.builder().maxSignatures(0))
        .hasMessageContaining("maxSignatures must be between 1 and 100");
    assertThatThrownBy(() -> AuthOptions.builder().clockSkew(Duration.ofDays(2)))
        .hasMessageContaining("clockSkew");
    assertThatThrownBy(() -> AuthOptions.builder().authservId("a b"))
        .hasMessageContaining("invalid authserv-id");
    assertThatThrownBy(() -> PolicyOptions.builder().httpsTimeout(Duration.ZERO))
        .hasMessageContaining("HTTPS timeout must be positive");
    assertThatThrownBy(() -> PolicyOptions.builder().maxPolicyBytes(10))
        .hasMessageContaining("between 1 KiB and 16 MiB");
    assertThatThrownBy(() -> PolicyOptions.builder().trustAnchors("example.test. IN A 192.0.2.1"))
        .hasMessageContaining("DS or DNSKEY");
    assertThatThrownBy(() -> ProbeOptions.builder().maxHosts(0))
        .hasMessageContaining("maxHosts must be at least 1");
    assertThatThrownBy(() -> ProbeOptions.builder().maxReplyLines(0))
        .hasMessageContaining("maxReplyLines must be between 1 and 10000");
    assertThatThrownBy(() -> ProbeOptions.builder().stallTimeout(Duration.ZERO))
        .hasMessageContaining("stallTimeout must be positive");
    assertThatThrownBy(() -> ProbeOptions.builder().heloName("probe\r\n.example.test"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void componentsCreatedFromAMailDiagnostics_useItsOptions() {
    ProbeOptions probe = ProbeOptions.builder().maxConnections(1).build();
    PolicyOptions policy = PolicyOptions.builder().blocklists(List.of()).build();
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .dnsServer(DNS)
            .options(probe)
            .options(policy)
            .discoverChecks(false)
            .build()) {
      assertThat(SmtpProber.create(m).options()).isSameAs(probe);
      assertThat(DnsblResolver.create(m).blocklists()).isEmpty();
      assertThat(DnsblResolver.create(m, PolicyOptions.defaults()).blocklists())
          .isEqualTo(Blocklist.defaults());
    }
  }
}
