package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.MxReport;
import dev.maildx.report.SpfReport;
import dev.maildx.report.SpfResult;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import dev.maildx.testkit.ResourceSnapshot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostile-DNS matrix: every misbehaviour a resolver meets ends in a finding on time, never in a
 * hang, a crash, or a thread left behind.
 */
class HostileDnsTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  private static final Duration TIMEOUT = Duration.ofMillis(1500);
  @RegisterExtension final MockDnsExtension ext = new MockDnsExtension();

  /**
   * Once per JVM, before any snapshot: a lookup over UDP and one over TCP, so that process-wide
   * helpers started on first use (dnsjava's NIO selector and its handles) are not counted as left
   * behind by the first test.
   */
  @BeforeAll
  static void warmUp() throws Exception {
    try (MockDnsServer dns = MockDnsServer.start()) {
      dns.mx("warm.test", 10, "mx.warm.test")
          .a("mx.warm.test", "8.8.8.8")
          .fault("warm.test", "MX", DnsFault.truncate());
      try (MailDiagnostics m =
          MailDiagnostics.builder().dnsServer(dns.address()).timeout(TIMEOUT).build()) {
        m.diagnose(DeliveryQuestion.to("bob@warm.test"));
      }
    }
  }

  /**
   * Runs a diagnosis of {@code bob@victim.test} with the DNS set up by {@code setup}; asserts time
   * and leftovers.
   */
  private DeliveryDiagnosis diagnose(Consumer<MockDnsServer> setup) throws Exception {
    return diagnose(setup, DeliveryQuestion.to("bob@victim.test"));
  }

  /**
   * Runs a diagnosis of {@code question} with the DNS set up by {@code setup}; asserts that it ends
   * within the deadline (10 % grace) and leaves no thread, socket or other file descriptor behind.
   */
  private DeliveryDiagnosis diagnose(Consumer<MockDnsServer> setup, DeliveryQuestion question)
      throws Exception {
    setup.accept(ext.server());
    ResourceSnapshot before = ResourceSnapshot.take();
    DeliveryDiagnosis d;
    long ms;
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .dnsServer(ext.server().address())
            .timeout(TIMEOUT)
            .dnsQueryTimeout(Duration.ofMillis(600))
            .build()) {
      long t0 = System.nanoTime();
      d = m.diagnose(question);
      ms = (System.nanoTime() - t0) / 1_000_000;
    }
    assertThat(ms).as("diagnosis time").isLessThanOrEqualTo(TIMEOUT.toMillis() * 11 / 10);
    before.assertNothingLeftBehind(Duration.ofSeconds(4));
    return d;
  }

  private static Finding mxFinding(DeliveryDiagnosis d, String code) {
    return d.findings().stream()
        .filter(f -> f.code().equals(code) && f.check().equals("mx"))
        .findFirst()
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
    DeliveryDiagnosis d =
        diagnose(
            dns ->
                dns.mx("victim.test", 10, "mx.victim.test")
                    .fault("victim.test", "MX", DnsFault.truncateThenHang()));
    assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(mxFinding(d, "MX_LOOKUP_FAILED").evidence().get("outcome")).isEqualTo("TIMEOUT");
    assertThat(ext.server().queries()).extracting(q -> q.transport()).contains("udp", "tcp");
  }

  @Test
  void aResponseWithTheWrongId_isIgnored() throws Exception {
    DeliveryDiagnosis d =
        diagnose(
            dns ->
                dns.mx("victim.test", 10, "mx.victim.test")
                    .a("mx.victim.test", "8.8.8.8")
                    .fault("victim.test", "MX", DnsFault.wrongId()));
    assertThat(d.verdict()).isEqualTo(Verdict.DELIVERABLE);
    assertThat(d.mx().orElseThrow().hosts()).hasSize(1);
  }

  @Test
  void aResponseForAnotherQuestion_isIgnored() throws Exception {
    DeliveryDiagnosis d =
        diagnose(
            dns ->
                dns.mx("victim.test", 10, "mx.victim.test")
                    .a("mx.victim.test", "8.8.8.8")
                    .fault("victim.test", "MX", DnsFault.wrongQuestion()));
    assertThat(d.verdict()).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void aCnameLoop_isAnErrorNotAHang() throws Exception {
    DeliveryDiagnosis d =
        diagnose(
            dns ->
                dns.mx("victim.test", 10, "mx.victim.test")
                    .cname("mx.victim.test", "a.loop.test")
                    .cname("a.loop.test", "b.loop.test")
                    .cname("b.loop.test", "a.loop.test"));
    Finding f = mxFinding(d, "MX_TARGET_LOOKUP_FAILED");
    assertThat(f.message()).contains("CNAME loop");
  }

  @Test
  void a64KibTxtAnswer_isReadCompletely() throws Exception {
    String chunk = "x".repeat(250);
    ext.server().mx("victim.test", 10, "mx.victim.test").a("mx.victim.test", "8.8.8.8");
    // 240 records of 254 bytes: a 64,000-byte answer, as much as one DNS message over TCP can
    // carry.
    for (int i = 0; i < 240; i++) {
      ext.server().txt("big.victim.test", String.format("%03d", i) + chunk);
    }
    try (MxResolver mx =
        MxResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(ext.server().address())
                    .timeout(TIMEOUT)
                    .build()))) {
      dev.maildx.dns.internal.DnsAnswer a =
          dev.maildx.dns.internal.DnsClient.create(
                  dev.maildx.spi.CheckEnvironment.create(
                      DiagnosticsConfig.builder().dnsServer(ext.server().address()).build()))
              .query(
                  "big.victim.test", org.xbill.DNS.Type.TXT, dev.maildx.spi.Deadline.after(TIMEOUT))
              .join();
      assertThat(a.outcome()).as(a.describe()).isEqualTo(DnsOutcome.ANSWER);
      assertThat(a.records()).hasSize(240);
      assertThat(a.message().toWire().length).isGreaterThan(63_000);
      assertThat(mx.resolve("victim.test").hosts()).hasSize(1);
    }
  }

  @Test
  void aCompressionPointerLoop_isIgnoredAsMalformed_andTheLookupEndsOnTime() throws Exception {
    DeliveryDiagnosis d =
        diagnose(
            dns -> dns.fault("victim.test", "MX", DnsFault.crafted(HostileDnsTest::pointerLoop)));
    Finding f = mxFinding(d, "MX_LOOKUP_FAILED");
    assertThat(f.evidence().get("outcome")).isEqualTo("TIMEOUT");
    assertThat(f.message()).contains("did not match the query");
  }

  @Test
  void garbageBytes_areIgnored() throws Exception {
    DeliveryDiagnosis d =
        diagnose(
            dns -> dns.fault("victim.test", "MX", DnsFault.crafted(q -> new byte[] {1, 2, 3})));
    assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void aHugeMxSet_isBounded() throws Exception {
    DeliveryDiagnosis d =
        diagnose(
            dns -> {
              for (int i = 0; i < 300; i++) {
                dns.mx("victim.test", i, "mx" + i + ".victim.test")
                    .a("mx" + i + ".victim.test", "8.8." + (i / 250) + "." + (i % 250 + 1));
              }
            });
    MxReport r = d.mx().orElseThrow();
    assertThat(r.findings()).extracting(Finding::code).contains("MX_TOO_MANY");
  }

  private static DeliveryQuestion fromVictim() {
    return DeliveryQuestion.builder()
        .from("alice@victim.test")
        .sendingIp("192.0.2.1")
        .to("bob@victim.test")
        .build();
  }

  private static Finding finding(DeliveryDiagnosis d, String check, String code) {
    return d.findings().stream()
        .filter(f -> f.code().equals(code) && f.check().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + check + ":" + code + " in " + d.findings()));
  }

  @Test
  void anSpfIncludeLoop_isAPermerror() throws Exception {
    DeliveryDiagnosis d =
        diagnose(
            dns ->
                dns.mx("victim.test", 10, "mx.victim.test")
                    .a("mx.victim.test", "8.8.8.8")
                    .txt("victim.test", "v=spf1 include:a.loop.test -all")
                    .txt("a.loop.test", "v=spf1 include:b.loop.test -all")
                    .txt("b.loop.test", "v=spf1 include:victim.test -all"),
            fromVictim());
    SpfReport spf = d.spf().orElseThrow();
    assertThat(spf.spfResult()).isEqualTo(SpfResult.PERMERROR);
    assertThat(finding(d, "spf", "SPF_INCLUDE_LOOP").message()).contains("loop");
  }

  @Test
  void anSpfIncludeTreeOfAThousandNames_isStoppedByTheLookupLimit() throws Exception {
    DeliveryDiagnosis d =
        diagnose(
            dns -> {
              dns.mx("victim.test", 10, "mx.victim.test").a("mx.victim.test", "8.8.8.8");
              StringBuilder root = new StringBuilder("v=spf1");
              for (int i = 0; i < 10; i++) {
                root.append(" include:n").append(i).append(".tree.test");
              }
              dns.txt("victim.test", root + " -all");
              // Ten includes of ten includes of ten names: 1,110 names in all, each with its own
              // record.
              for (int i = 0; i < 10; i++) {
                StringBuilder b = new StringBuilder("v=spf1");
                for (int j = 0; j < 10; j++) {
                  b.append(" include:n").append(i).append('-').append(j).append(".tree.test");
                  StringBuilder c = new StringBuilder("v=spf1");
                  for (int k = 0; k < 10; k++) {
                    c.append(" ip4:198.18.").append(i * 10 + j).append('.').append(k);
                    dns.txt(
                        "n" + i + "-" + j + "-" + k + ".tree.test",
                        "v=spf1 ip4:198.19." + (i * 10 + j) + "." + k + " -all");
                  }
                  dns.txt(
                      "n" + i + "-" + j + ".tree.test",
                      c + " include:n" + i + "-" + j + "-0.tree.test -all");
                }
                dns.txt("n" + i + ".tree.test", b + " -all");
              }
            },
            fromVictim());
    SpfReport spf = d.spf().orElseThrow();
    assertThat(spf.spfResult()).isEqualTo(SpfResult.PERMERROR);
    assertThat(spf.dnsLookups()).isEqualTo(11);
    assertThat(d.findings()).extracting(Finding::code).contains("SPF_TOO_MANY_LOOKUPS");
    long txtQueries =
        ext.server().queries().stream()
            .filter(q -> q.type().equals("TXT") && q.name().contains("tree.test"))
            .count();
    assertThat(txtQueries)
        .as("TXT queries for the tree: evaluation and lint are bounded, not 1,110")
        .isLessThan(100);
  }

  @Test
  void aDmarcRecordOfTenThousandTags_isParsedBoundedly() throws Exception {
    StringBuilder record = new StringBuilder("v=DMARC1; p=reject; rua=mailto:d@victim.test");
    // 10,000 tags of 5 bytes each: about 50 KB, as much as a DNS message over TCP can carry.
    for (int i = 0; i < 10_000; i++) {
      record.append("; x=y");
    }
    DeliveryDiagnosis d =
        diagnose(
            dns ->
                dns.mx("victim.test", 10, "mx.victim.test")
                    .a("mx.victim.test", "8.8.8.8")
                    .txt("_dmarc.victim.test", splitTxt(record.toString())),
            fromVictim());
    DmarcReport dmarc = d.dmarc().orElseThrow();
    assertThat(dmarc.record()).as("%s", dmarc.findings()).isNotNull();
    assertThat(dmarc.record().policy()).isEqualTo(DmarcRecord.Policy.REJECT);
    assertThat(finding(d, "dmarc", "DMARC_SYNTAX_ERROR").message()).contains("more than 64 parts");
    assertThat(d.findings().stream().filter(f -> f.check().equals("dmarc")).count())
        .isLessThan(200);
  }

  /** A TXT value as quoted character-strings of at most 255 bytes, for zone text. */
  private static String[] splitTxt(String s) {
    String[] out = new String[(s.length() + 254) / 255];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.substring(i * 255, Math.min(s.length(), (i + 1) * 255));
    }
    return out;
  }

  /**
   * A response that echoes the query and adds an answer whose owner name is a pointer to itself.
   */
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
    b.putShort((short) 15)
        .putShort((short) 1)
        .putInt(300)
        .putShort((short) 4)
        .putShort((short) 10)
        .put((byte) 0xc0)
        .put((byte) at);
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
