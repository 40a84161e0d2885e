package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.dns.internal.DkimKeyParser;
import dev.maildx.dns.internal.DmarcRecordParser;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.FuzzRecords;
import dev.maildx.report.BimiReport;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DnssecMethod;
import dev.maildx.report.DnssecStatus;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.TlsRptReport;
import dev.maildx.report.TlsaRecord;
import dev.maildx.report.TlsaReport;
import dev.maildx.testkit.FuzzInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Fuzz targets for the policy records maildx reads from DNS: DMARC (RFC 9989), DKIM keys (RFC 6376
 * §3.6.1), the MTA-STS policy file and {@code _mta-sts} record (RFC 8461), TLS-RPT (RFC 8460), BIMI
 * and TLSA (RFC 6698, RFC 7672). Each asserts the parser's contract: never an exception, a result
 * whose invariants hold (codes of the check, values in range, evidence bounded), within a time and
 * allocation budget.
 *
 * <p>Seeds: {@code src/test/resources/dev/maildx/dns/PolicyRecordsFuzzTestInputs/<method>/}. For
 * the TXT-record targets each line of the input is one TXT record and a tab starts a new
 * character-string.
 */
class PolicyRecordsFuzzTest {
  private static final Duration TIME = Duration.ofMillis(500);
  private static final DomainName DOMAIN = DomainName.of("fz.test");

  /** The longest finding message or evidence value accepted: quotes are cut, lists are bounded. */
  private static final int MAX_TEXT = 16 * 1024;

  private static long alloc(byte[] data) {
    return FuzzInput.allocationBudget(data.length);
  }

  @FuzzTest(maxDuration = "5m")
  void dmarcRecord(byte[] data) {
    String text = FuzzInput.text(data);
    DmarcRecordParser.Kind kind =
        FuzzInput.withinBudget(TIME, alloc(data), () -> DmarcRecordParser.classify(text));
    if (kind != DmarcRecordParser.Kind.DMARC) {
      return;
    }
    DmarcRecordParser.Parsed p =
        FuzzInput.withinBudget(
            TIME, alloc(data), () -> DmarcRecordParser.parse(text, "dmarc", DOMAIN));
    DmarcRecord r = p.record();
    assertThat(r.text()).isEqualTo(text);
    assertThat(r.percent()).isBetween(0, 100);
    assertThat(r.tags().size()).isLessThanOrEqualTo(DmarcRecordParser.MAX_TAGS + 1);
    assertThat(r.tags().keySet()).allMatch(k -> k.matches("[a-z]+"));
    assertThat(r.tags().get("v")).isEqualTo("DMARC1");
    assertThat(r.aggregateReportUris().size()).isLessThanOrEqualTo(DmarcRecordParser.MAX_URIS);
    assertThat(r.failureReportUris().size()).isLessThanOrEqualTo(DmarcRecordParser.MAX_URIS);
    assertThat(r.reportInterval().isNegative()).isFalse();
    if (!r.usable()) {
      assertThat(p.findings()).extracting(Finding::code).contains("DMARC_NO_POLICY");
    }
    findings(p.findings(), "dmarc", "DMARC_", 3 * DmarcRecordParser.MAX_TAGS + 40);
  }

  @FuzzTest(maxDuration = "5m")
  void dkimKey(byte[] data) {
    String text = FuzzInput.text(data);
    boolean looks =
        FuzzInput.withinBudget(TIME, alloc(data), () -> DkimKeyParser.looksLikeKey(text));
    DkimKeyParser.Parsed p =
        FuzzInput.withinBudget(
            TIME, alloc(data), () -> DkimKeyParser.parse(text, "dkim", "sel", DOMAIN, true));
    if (p.usable()) {
      DkimKeysReport.Key k = p.key();
      assertThat(k).isNotNull();
      assertThat(k.publicKey()).as("a usable key has a key").isNotNull();
      assertThat(k.keyBits()).isPositive();
      assertThat(k.keyType()).isNotNull();
      assertThat(k.revoked()).isFalse();
      assertThat(k.allowsEmail()).isTrue();
      assertThat(k.allowsHash("sha256")).isTrue();
      assertThat(k.keyData()).isNotEmpty();
      assertThat(looks).isTrue();
    }
    if (p.key() != null) {
      assertThat(p.key().tags().size()).isLessThanOrEqualTo(DkimKeyParser.MAX_TAGS);
    }
    findings(p.findings(), "dkim", "DKIM_", 3 * DkimKeyParser.MAX_TAGS + 40);
  }

  @FuzzTest(maxDuration = "5m")
  void mtaStsPolicy(byte[] data) {
    String text = FuzzInput.text(data);
    MtaStsPolicyParser.Parsed p =
        FuzzInput.withinBudget(TIME, alloc(data), () -> MtaStsPolicyParser.parse(text, "id1"));
    assertThat(p.problems().size())
        .isLessThanOrEqualTo(MtaStsPolicyParser.MAX_LINES + MtaStsPolicyParser.MAX_MX + 8);
    assertThat(p.problems()).allMatch(x -> x.length() <= MAX_TEXT);
    MtaStsReport.Policy policy = p.policy();
    if (policy == null) {
      assertThat(p.problems()).isNotEmpty();
      return;
    }
    assertThat(policy.mode()).isNotNull();
    assertThat(policy.maxAge().getSeconds()).isBetween(0L, MtaStsPolicyParser.MAX_AGE_LIMIT);
    assertThat(p.maxAgeSeconds()).isBetween(0L, 9_999_999_999L);
    assertThat(policy.mx().size()).isLessThanOrEqualTo(MtaStsPolicyParser.MAX_MX);
    if (policy.mode() != MtaStsReport.Policy.Mode.NONE) {
      assertThat(policy.mx()).isNotEmpty();
    }
    for (String mx : policy.mx()) {
      String host = mx.startsWith("*.") ? mx.substring(2) : mx;
      assertThat(DomainName.isValid(host)).as(mx).isTrue();
      assertThat(host).doesNotContain("*");
    }
  }

  @FuzzTest(maxDuration = "5m")
  void mtaStsRecord(byte[] data) {
    DnsAnswer a = FuzzRecords.txtAnswer("_mta-sts.fz.test", FuzzInput.text(data), 64);
    MtaStsResolver.State s =
        new MtaStsResolver.State(
            DOMAIN, "_mta-sts.fz.test", "mta-sts.fz.test", "https://mta-sts.fz.test/");
    boolean valid = FuzzInput.withinBudget(TIME, alloc(data), () -> MtaStsResolver.record(s, a));
    if (valid) {
      assertThat(s.id).matches("[A-Za-z0-9]{1,32}");
      assertThat(s.findings).noneMatch(f -> f.severity() == dev.maildx.Severity.ERROR);
    } else {
      assertThat(s.findings).isNotEmpty();
    }
    assertThat(s.records.size()).isLessThanOrEqualTo(Text.MAX_TXT_RECORDS);
    findings(s.findings, "mta-sts", "MTA_STS_", 8);
  }

  @FuzzTest(maxDuration = "5m")
  void tlsRptRecord(byte[] data) {
    DnsAnswer a = FuzzRecords.txtAnswer("_smtp._tls.fz.test", FuzzInput.text(data), 64);
    TlsRptReport r =
        FuzzInput.withinBudget(
            TIME, alloc(data), () -> TlsRptResolver.evaluate(DOMAIN, "_smtp._tls.fz.test", a));
    assertThat(r.records().size()).isLessThanOrEqualTo(Text.MAX_TXT_RECORDS);
    for (String uri : r.rua()) {
      assertThat(TlsRptResolver.uriProblem(uri)).as(uri).isNull();
    }
    if (!r.rua().isEmpty()) {
      assertThat(r.findings()).extracting(Finding::code).contains("TLSRPT_OK");
    }
    findings(r.findings(), "tls-rpt", "TLSRPT_", 8);
  }

  @FuzzTest(maxDuration = "5m")
  void bimiRecord(byte[] data) {
    DnsAnswer a = FuzzRecords.txtAnswer("default._bimi.fz.test", FuzzInput.text(data), 64);
    BimiReport r =
        FuzzInput.withinBudget(
            TIME,
            alloc(data),
            () -> BimiResolver.evaluate(DOMAIN, "default", "default._bimi.fz.test", a));
    assertThat(r.records().size()).isLessThanOrEqualTo(Text.MAX_TXT_RECORDS);
    if (r.location() != null) {
      assertThat(r.location()).isNotEmpty();
    }
    if (r.declined()) {
      assertThat(r.location()).isNull();
    }
    findings(r.findings(), "bimi", "BIMI_", 8);
  }

  /**
   * TLSA records from bytes: the first byte picks the DNSSEC status; then records, each a length
   * byte and that many bytes of RDATA (usage, selector, matching type, data).
   */
  @FuzzTest(maxDuration = "5m")
  void tlsaRecord(byte[] data) {
    if (data.length == 0) {
      return;
    }
    DnssecStatus status = DnssecStatus.values()[(data[0] & 0xff) % DnssecStatus.values().length];
    Name owner = FuzzRecords.name("_25._tcp.mx.fz.test");
    List<Record> records = new ArrayList<>();
    int i = 1;
    while (i < data.length) {
      int len = Math.min(data[i] & 0xff, data.length - i - 1);
      byte[] rdata = java.util.Arrays.copyOfRange(data, i + 1, i + 1 + len);
      i += 1 + len;
      try {
        Record rec = Record.newRecord(owner, Type.TLSA, DClass.IN, 300, rdata);
        if (rec != null) {
          records.add(rec);
        }
      } catch (RuntimeException e) {
        // dnsjava rejects RDATA that is not a TLSA record while parsing the message: maildx never
        // sees it
      }
    }
    DnsAnswer a = FuzzRecords.answer(owner, Type.TLSA, records);
    Dnssec.Result result = new Dnssec.Result(a, status, "fuzzed", DnssecMethod.LOCAL_VALIDATION);
    List<Finding> findings = new ArrayList<>();
    TlsaReport.Host h =
        FuzzInput.withinBudget(
            TIME, alloc(data), () -> TlsaResolver.host("mx.fz.test", result, findings));
    assertThat(h.records().size()).isLessThanOrEqualTo(Math.min(records.size(), 20));
    assertThat(h.records()).containsAll(h.usable());
    for (TlsaRecord t : h.usable()) {
      assertThat(t.usage()).isIn(2, 3);
      assertThat(t.selector()).isIn(0, 1);
      assertThat(t.matchingType()).isIn(0, 1, 2);
      assertThat(t.data().length)
          .isEqualTo(t.matchingType() == 1 ? 32 : t.matchingType() == 2 ? 64 : t.data().length)
          .isPositive();
    }
    if (!h.usable().isEmpty()) {
      assertThat(h.dnssec()).isEqualTo(DnssecStatus.SECURE);
    }
    findingsWithin(findings, "tlsa", "TLSA_", 2 * 20 + 4, 512 * 1024);
  }

  private static void findings(List<Finding> findings, String check, String prefix, int max) {
    findingsWithin(findings, check, prefix, max, MAX_TEXT);
  }

  private static void findingsWithin(
      List<Finding> findings, String check, String prefix, int max, int maxText) {
    assertThat(findings.size()).isLessThanOrEqualTo(max);
    for (Finding f : findings) {
      assertThat(f.check()).isEqualTo(check);
      assertThat(f.code()).startsWith(prefix).matches("[A-Z0-9_]+");
      assertThat(f.message().length()).as("message of %s", f.code()).isLessThanOrEqualTo(maxText);
      for (String v : f.evidence().values()) {
        assertThat(v.length()).as("evidence of %s", f.code()).isLessThanOrEqualTo(maxText);
      }
    }
  }
}
