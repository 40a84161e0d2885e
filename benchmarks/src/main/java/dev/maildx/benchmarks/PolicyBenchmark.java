package dev.maildx.benchmarks;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.DnsChecks;
import dev.maildx.dns.DnssecResolver;
import dev.maildx.dns.MtaStsResolver;
import dev.maildx.dns.PolicyOptions;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnssecReport;
import dev.maildx.report.MtaStsReport;
import dev.maildx.spi.CheckProvider;
import dev.maildx.testkit.MockDnsServer;
import dev.maildx.testkit.MockHttpsServer;
import dev.maildx.testkit.SignedZone;
import dev.maildx.testkit.TestCertificate;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The domain-policy checks against {@link MockDnsServer} and {@link MockHttpsServer} on loopback
 * (no added latency): the cost per diagnosis of MTA-STS (with its HTTPS fetch), TLS-RPT, BIMI,
 * TLSA, PTR of the sending IP and the MX addresses, and DNSBL; and of the pieces that cost CPU: one
 * MTA-STS check (TLS handshake included) and one local DNSSEC validation of a signed zone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyBenchmark {
  private MockDnsServer dns;
  private MockHttpsServer https;
  private MailDiagnostics maildx;
  private MtaStsResolver mtaSts;
  private DnssecResolver dnssec;
  private DeliveryQuestion question;

  /** Starts the servers and the checkers. */
  @Setup(Level.Trial)
  public void setUp() {
    dns = MockDnsServer.start();
    dns.zone(
        """
        $ORIGIN rcpt.test.
        @            IN MX  10 mx1
        @            IN MX  20 mx2
        mx1          IN A   9.9.9.1
        mx2          IN A   9.9.9.2
        _mta-sts     IN TXT "v=STSv1; id=1"
        mta-sts      IN A   192.0.2.80
        _smtp._tls   IN TXT "v=TLSRPTv1; rua=mailto:tls@rcpt.test"
        _25._tcp.mx1 IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        $ORIGIN in-addr.arpa.
        1.9.9.9      IN PTR mx1.rcpt.test.
        2.9.9.9      IN PTR mx2.rcpt.test.
        77.9.9.9     IN PTR out.sender.test.
        $ORIGIN sender.test.
        out          IN A   9.9.9.77
        default._bimi IN TXT "v=BIMI1; l=https://sender.test/logo.svg"
        """);
    SignedZone signed =
        SignedZone.builder("signed.test")
            .records(
                """
        $ORIGIN signed.test.
        @   IN SOA ns hostmaster 1 3600 600 86400 300
        @   IN MX  10 mx1
        mx1 IN A   9.9.9.3
        """)
            .build();
    dns.zone(signed.zoneText());
    TestCertificate ca = TestCertificate.authority("bench CA");
    https = MockHttpsServer.start(ca.issue("mta-sts.rcpt.test"));
    https.mtaStsPolicy("version: STSv1\nmode: enforce\nmx: *.rcpt.test\nmax_age: 604800\n");
    PolicyOptions options = PolicyOptions.builder().trustStore(ca.trustStore()).build();
    Set<String> timed =
        Set.of("mx", "mta-sts", "tls-rpt", "bimi", "tlsa", "ptr", "mx-ptr", "dnsbl");
    CheckProvider policy =
        env -> new DnsChecks().checks(env).stream().filter(c -> timed.contains(c.name())).toList();
    DiagnosticsConfig config =
        DiagnosticsConfig.builder()
            .dnsServer(dns.address())
            .timeout(Duration.ofSeconds(5))
            .route(InetAddresses.parse("192.0.2.80"), https.address())
            .build();
    maildx =
        MailDiagnostics.builder()
            .config(config)
            .discoverChecks(false)
            .checkProvider(policy)
            .options(options)
            .build();
    mtaSts = MtaStsResolver.create(maildx, options);
    dnssec =
        DnssecResolver.create(
            maildx,
            PolicyOptions.builder()
                .dnssecMode(dev.maildx.dns.DnssecMode.LOCAL_VALIDATION)
                .trustAnchors(signed.dsRecords())
                .build());
    question =
        DeliveryQuestion.builder()
            .from("alice@sender.test")
            .sendingIp("9.9.9.77")
            .to("bob@rcpt.test")
            .smtpProbe(false)
            .build();
  }

  /** Stops everything. */
  @TearDown(Level.Trial)
  public void tearDown() {
    maildx.close();
    mtaSts.close();
    dnssec.close();
    https.close();
    dns.close();
  }

  /**
   * MTA-STS, TLS-RPT, BIMI, TLSA, PTR, MX PTR and DNSBL of one sender and recipient, in one
   * diagnosis.
   *
   * @return the diagnosis
   */
  @Benchmark
  public DeliveryDiagnosis policyChecks() {
    return maildx.diagnose(question);
  }

  /**
   * One MTA-STS check: TXT and MX lookups, the HTTPS fetch through the relay (a TLS handshake),
   * parsing and matching.
   *
   * @return the report
   */
  @Benchmark
  public MtaStsReport mtaSts() {
    return mtaSts.check("rcpt.test");
  }

  /**
   * One local DNSSEC validation of a signed domain's MX and host addresses from its trust anchor.
   *
   * @return the report
   */
  @Benchmark
  public DnssecReport dnssecLocalValidation() {
    return dnssec.check("signed.test");
  }
}
