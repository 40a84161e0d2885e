package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.DnsOutcome;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.MxReport;
import dev.maildx.Verdict;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostile-DNS matrix: every misbehaviour a resolver meets ends in a finding on time, never in
 * a hang, a crash, or a thread left behind.
 */
class HostileDnsTest {
  private static final Duration TIMEOUT = Duration.ofMillis(1500);
  @RegisterExtension final MockDnsExtension ext = new MockDnsExtension();

  /** Runs a diagnosis of {@code bob@victim.test} with the DNS set up by {@code setup}; asserts time and threads. */
  private DeliveryDiagnosis diagnose(Consumer<dev.maildx.testkit.MockDnsServer> setup) throws Exception {
    setup.accept(ext.server());
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    DeliveryDiagnosis d;
    long ms;
    try (MailDiagnostics m = MailDiagnostics.builder().dnsServer(ext.server().address()).timeout(TIMEOUT)
        .dnsQueryTimeout(Duration.ofMillis(600)).build()) {
      long t0 = System.nanoTime();
      d = m.diagnose(DeliveryQuestion.to("bob@victim.test"));
      ms = (System.nanoTime() - t0) / 1_000_000;
    }
    assertThat(ms).as("diagnosis time").isLessThanOrEqualTo(TIMEOUT.toMillis() * 11 / 10);
    assertNoThreadLeftBehind(before);
    return d;
  }

  private static void assertNoThreadLeftBehind(Set<Thread> before) throws InterruptedException {
    long end = System.nanoTime() + 4_000_000_000L;
    Set<String> extra;
    do {
      extra = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && !before.contains(t))
          .filter(t -> !t.getName().startsWith("mockdns-") && !t.getName().equals("dnsjava NIO selector"))
          .map(Thread::getName).collect(Collectors.toSet());
      if (extra.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < end);
    assertThat(extra).as("threads left behind").isEmpty();
  }

  private static Finding mxFinding(DeliveryDiagnosis d, String code) {
    return d.findings().stream().filter(f -> f.code().equals(code) && f.check().equals("mx")).findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + d.findings()));
  }

  @Test
  void noAnswerAtAll() throws Exception {
    DeliveryDiagnosis d = diagnose(dns -> dns.faultAll(DnsFault.timeout()));
    assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(mxFinding(d, "MX_LOOKUP_FAILED").evidence().get("outcome")).isEqualTo("TIMEOUT");
  }

  @Test
  void servfail() throws Exception {
    DeliveryDiagnosis d = diagnose(dns -> dns.faultAll(DnsFault.servfail()));
    assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(mxFinding(d, "MX_LOOKUP_FAILED").evidence().get("outcome")).isEqualTo("SERVFAIL");
  }

  @Test
  void refused() throws Exception {
    DeliveryDiagnosis d = diagnose(dns -> dns.faultAll(DnsFault.refused()));
    assertThat(mxFinding(d, "MX_LOOKUP_FAILED").evidence().get("outcome")).isEqualTo("REFUSED");
  }

  @Test
  void truncatedOverUdp_thenTcpHangs() throws Exception {
    DeliveryDiagnosis d = diagnose(dns -> dns.mx("victim.test", 10, "mx.victim.test").fault("victim.test", "MX", DnsFault.truncateThenHang()));
    assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(mxFinding(d, "MX_LOOKUP_FAILED").evidence().get("outcome")).isEqualTo("TIMEOUT");
    assertThat(ext.server().queries()).extracting(q -> q.transport()).contains("udp", "tcp");
  }

  @Test
  void aResponseWithTheWrongId_isIgnored() throws Exception {
    DeliveryDiagnosis d = diagnose(dns -> dns.mx("victim.test", 10, "mx.victim.test").a("mx.victim.test", "8.8.8.8")
        .fault("victim.test", "MX", DnsFault.wrongId()));
    assertThat(d.verdict()).isEqualTo(Verdict.DELIVERABLE);
    assertThat(d.mx().orElseThrow().hosts()).hasSize(1);
  }

  @Test
  void aResponseForAnotherQuestion_isIgnored() throws Exception {
    DeliveryDiagnosis d = diagnose(dns -> dns.mx("victim.test", 10, "mx.victim.test").a("mx.victim.test", "8.8.8.8")
        .fault("victim.test", "MX", DnsFault.wrongQuestion()));
    assertThat(d.verdict()).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void aCnameLoop_isAnErrorNotAHang() throws Exception {
    DeliveryDiagnosis d = diagnose(dns -> dns.mx("victim.test", 10, "mx.victim.test").cname("mx.victim.test", "a.loop.test")
        .cname("a.loop.test", "b.loop.test").cname("b.loop.test", "a.loop.test"));
    Finding f = mxFinding(d, "MX_TARGET_LOOKUP_FAILED");
    assertThat(f.message()).contains("CNAME loop");
  }

  @Test
  void a64KibTxtAnswer_isReadCompletely() throws Exception {
    String chunk = "x".repeat(250);
    ext.server().mx("victim.test", 10, "mx.victim.test").a("mx.victim.test", "8.8.8.8");
    // 240 records of 254 bytes: a 64,000-byte answer, as much as one DNS message over TCP can carry.
    for (int i = 0; i < 240; i++) {
      ext.server().txt("big.victim.test", String.format("%03d", i) + chunk);
    }
    try (MxResolver mx = MxResolver.create(DiagnosticsConfig.builder().dnsServer(ext.server().address()).timeout(TIMEOUT).build())) {
      dev.maildx.dns.internal.DnsAnswer a = dev.maildx.dns.internal.DnsClient
          .create(dev.maildx.spi.CheckEnvironment.create(DiagnosticsConfig.builder().dnsServer(ext.server().address()).build()))
          .query("big.victim.test", org.xbill.DNS.Type.TXT, dev.maildx.spi.Deadline.after(TIMEOUT)).join();
      assertThat(a.outcome()).as(a.describe()).isEqualTo(DnsOutcome.ANSWER);
      assertThat(a.records()).hasSize(240);
      assertThat(a.message().toWire().length).isGreaterThan(63_000);
      assertThat(mx.resolve("victim.test").hosts()).hasSize(1);
    }
  }

  @Test
  void aCompressionPointerLoop_isIgnoredAsMalformed_andTheLookupEndsOnTime() throws Exception {
    DeliveryDiagnosis d = diagnose(dns -> dns.fault("victim.test", "MX", DnsFault.crafted(HostileDnsTest::pointerLoop)));
    Finding f = mxFinding(d, "MX_LOOKUP_FAILED");
    assertThat(f.evidence().get("outcome")).isEqualTo("TIMEOUT");
    assertThat(f.message()).contains("did not match the query");
  }

  @Test
  void garbageBytes_areIgnored() throws Exception {
    DeliveryDiagnosis d = diagnose(dns -> dns.fault("victim.test", "MX", DnsFault.crafted(q -> new byte[] {1, 2, 3})));
    assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void aHugeMxSet_isBounded() throws Exception {
    DeliveryDiagnosis d = diagnose(dns -> {
      for (int i = 0; i < 300; i++) {
        dns.mx("victim.test", i, "mx" + i + ".victim.test").a("mx" + i + ".victim.test", "8.8." + (i / 250) + "." + (i % 250 + 1));
      }
    });
    MxReport r = d.mx().orElseThrow();
    assertThat(r.findings()).extracting(Finding::code).contains("MX_TOO_MANY");
  }

  /** A response that echoes the query and adds an answer whose owner name is a pointer to itself. */
  static byte[] pointerLoop(byte[] query) {
    ByteBuffer b = ByteBuffer.allocate(query.length + 16);
    b.put(query);
    b.put(2, (byte) 0x81); // QR, RD
    b.put(3, (byte) 0x80); // RA, NOERROR
    b.putShort(6, (short) 1); // ANCOUNT = 1
    b.putShort(10, (short) 0); // ARCOUNT = 0 (drop the query's OPT)
    int at = questionEnd(query);
    b.position(at);
    b.put((byte) (0xc0 | (at >> 8))).put((byte) at); // name: pointer to this very offset
    b.putShort((short) 15).putShort((short) 1).putInt(300).putShort((short) 4).putShort((short) 10).put((byte) 0xc0).put((byte) at);
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  private static int questionEnd(byte[] q) {
    int i = 12;
    while (q[i] != 0) {
      i += (q[i] & 0xff) + 1;
    }
    return i + 1 + 4;
  }
}
