package dev.maildx.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@link SignedZone} and the DNSSEC answers of {@link MockDnsServer}, asked with dnsjava over real
 * sockets.
 */
class MockDnsServerDnssecTest {
  private MockDnsServer dns;
  private SignedZone zone;

  @BeforeEach
  void start() {
    dns = MockDnsServer.start();
    zone =
        SignedZone.builder("secure.test")
            .records(
                """
        $ORIGIN secure.test.
        @     IN SOA ns hostmaster 1 3600 600 86400 300
        @     IN MX  10 mx1
        mx1   IN A   192.0.2.25
        child IN NS  ns.child
        b.c   IN TXT "deep"
        """)
            .corrupt("mx1", "A")
            .build();
    dns.zone(zone.zoneText());
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  private Message ask(String name, int type, boolean dnssecOk, int... flags) throws Exception {
    SimpleResolver r = new SimpleResolver(dns.address());
    r.setTimeout(Duration.ofSeconds(2));
    r.setEDNS(0, 1232, dnssecOk ? ExtendedFlags.DO : 0, List.of());
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    for (int f : flags) {
      q.getHeader().setFlag(f);
    }
    return r.send(q);
  }

  private DNSKEYRecord key() throws Exception {
    return (DNSKEYRecord) ask("secure.test.", Type.DNSKEY, false).getSection(Section.ANSWER).get(0);
  }

  private static RRset rrset(Message m, int section, String name, int type) throws Exception {
    RRset set = new RRset();
    for (Record r : m.getSection(section)) {
      if (r.getName().equals(Name.fromString(name)) && r.getType() == type) {
        set.addRR(r);
      }
    }
    return set;
  }

  private static RRSIGRecord sig(Message m, int section, int covered) {
    return m.getSection(section).stream()
        .filter(r -> r instanceof RRSIGRecord && ((RRSIGRecord) r).getTypeCovered() == covered)
        .map(RRSIGRecord.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void withDo_answersCarryValidSignatures_withoutDoNone() throws Exception {
    Message signed = ask("secure.test.", Type.MX, true);
    Message plain = ask("secure.test.", Type.MX, false);

    DNSSEC.verify(
        rrset(signed, Section.ANSWER, "secure.test.", Type.MX),
        sig(signed, Section.ANSWER, Type.MX),
        key(),
        Instant.now());
    assertThat(plain.getSection(Section.ANSWER)).noneMatch(r -> r.getType() == Type.RRSIG);
    assertThat(signed.getOPT().getFlags() & ExtendedFlags.DO).isNotZero();
  }

  @Test
  void corruptedRrset_failsVerification() throws Exception {
    Message m = ask("mx1.secure.test.", Type.A, true);

    assertThatThrownBy(
            () ->
                DNSSEC.verify(
                    rrset(m, Section.ANSWER, "mx1.secure.test.", Type.A),
                    sig(m, Section.ANSWER, Type.A),
                    key(),
                    Instant.now()))
        .isInstanceOf(DNSSEC.DNSSECException.class);
  }

  @Test
  void nxdomain_isProvedByCoveringAndWildcardNsec() throws Exception {
    Message m = ask("nope.secure.test.", Type.A, true);

    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    List<NSECRecord> nsecs =
        m.getSection(Section.AUTHORITY).stream()
            .filter(r -> r instanceof NSECRecord)
            .map(NSECRecord.class::cast)
            .toList();
    Name q = Name.fromString("nope.secure.test.");
    Name apex = Name.fromString("secure.test.");
    assertThat(nsecs)
        .anyMatch(
            n ->
                n.getName().compareTo(q) < 0
                    && (q.compareTo(n.getNext()) < 0 || n.getNext().equals(apex)));
    assertThat(m.getSection(Section.AUTHORITY)).anyMatch(r -> r instanceof SOARecord);
    DNSSEC.verify(
        rrset(m, Section.AUTHORITY, "secure.test.", Type.SOA),
        sig(m, Section.AUTHORITY, Type.SOA),
        key(),
        Instant.now());
  }

  @Test
  void nodata_isProvedByTheNsecAtTheName() throws Exception {
    Message m = ask("mx1.secure.test.", Type.TXT, true);

    NSECRecord n =
        (NSECRecord)
            m.getSection(Section.AUTHORITY).stream()
                .filter(r -> r instanceof NSECRecord)
                .findFirst()
                .orElseThrow();
    assertThat(n.getName()).isEqualTo(Name.fromString("mx1.secure.test."));
    assertThat(n.hasType(Type.A)).isTrue();
    assertThat(n.hasType(Type.TXT)).isFalse();
  }

  @Test
  void emptyNonTerminal_isProvedByACoveringNsec() throws Exception {
    Message m = ask("c.secure.test.", Type.A, true);

    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.AUTHORITY)).anyMatch(r -> r instanceof NSECRecord);
  }

  @Test
  void dsAtAnInsecureDelegation_isDeniedByTheParent() throws Exception {
    Message m = ask("child.secure.test.", Type.DS, true);

    SOARecord soa =
        (SOARecord)
            m.getSection(Section.AUTHORITY).stream()
                .filter(r -> r instanceof SOARecord)
                .findFirst()
                .orElseThrow();
    assertThat(soa.getName()).isEqualTo(Name.fromString("secure.test."));
    NSECRecord n =
        (NSECRecord)
            m.getSection(Section.AUTHORITY).stream()
                .filter(r -> r instanceof NSECRecord)
                .findFirst()
                .orElseThrow();
    assertThat(n.hasType(Type.NS)).isTrue();
    assertThat(n.hasType(Type.DS)).isFalse();
    assertThat(zone.zoneText()).doesNotContain("RRSIG\tNS ");
  }

  @Test
  void authenticatedNames_getTheAdBitOnlyWhenAsked() throws Exception {
    dns.authenticated("secure.test");

    assertThat(ask("secure.test.", Type.MX, true).getHeader().getFlag(Flags.AD)).isTrue();
    assertThat(ask("secure.test.", Type.MX, false, Flags.AD).getHeader().getFlag(Flags.AD))
        .isTrue();
    assertThat(ask("secure.test.", Type.MX, false).getHeader().getFlag(Flags.AD)).isFalse();
    assertThat(ask("mx1.secure.test.", Type.A, true).getHeader().getFlag(Flags.AD)).isFalse();
  }

  @Test
  void bogusFault_isServfailUnlessCheckingIsDisabled() throws Exception {
    dns.fault("secure.test", DnsFault.bogus());

    assertThat(ask("secure.test.", Type.MX, true).getRcode()).isEqualTo(Rcode.SERVFAIL);
    Message cd = ask("secure.test.", Type.MX, true, Flags.CD);
    assertThat(cd.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(cd.getSection(Section.ANSWER)).anyMatch(r -> r.getType() == Type.MX);
  }

  @Test
  void zoneWithoutSoa_isRejected() {
    assertThatThrownBy(() -> SignedZone.sign("x.test", "x.test. IN A 192.0.2.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SOA");
  }

  @Test
  void dsRecords_matchTheKey() throws Exception {
    assertThat(zone.dsRecords()).startsWith("secure.test.").contains("DS");
    assertThat(zone.dnskey()).contains("DNSKEY").contains(" 13 ");
  }
}
