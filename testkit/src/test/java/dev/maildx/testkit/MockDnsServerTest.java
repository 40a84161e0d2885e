package dev.maildx.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** MockDnsServer answers like an authoritative server, over real UDP and TCP. */
class MockDnsServerTest {
  @RegisterExtension final MockDnsExtension ext = new MockDnsExtension();

  private Message ask(String name, int type, boolean tcp) throws Exception {
    SimpleResolver r = new SimpleResolver(ext.server().address());
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(2));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  @Test
  void answersFromZoneText_overUdpAndTcp() throws Exception {
    ext.server()
        .zone(
            """
        $ORIGIN example.test.
        $TTL 60
        @     IN SOA ns1 hostmaster 1 3600 600 86400 60
        @     IN MX 10 mx1
        mx1   IN A 192.0.2.1
        @     IN TXT ( "v=spf1 " "-all" )
        """);

    for (boolean tcp : new boolean[] {false, true}) {
      Message m = ask("example.test.", Type.MX, tcp);
      assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(m.getSection(Section.ANSWER))
          .extracting(Record::rdataToString)
          .containsExactly("10 mx1.example.test.");
    }
    assertThat(
            ((org.xbill.DNS.TXTRecord)
                    ask("example.test.", Type.TXT, false).getSection(Section.ANSWER).get(0))
                .getStrings())
        .containsExactly("v=spf1 ", "-all");
    assertThat(ext.server().queryCount("example.test", "MX")).isEqualTo(2);
    assertThat(ext.server().queries())
        .extracting(DnsQueryLog::transport)
        .containsSequence("udp", "tcp");
  }

  @Test
  void negativeAnswers_distinguishNxdomainFromNodata_andCarryASoa() throws Exception {
    ext.server()
        .zone("example.test", "@ IN SOA ns1 hostmaster 1 3600 600 86400 60\nmx1 IN A 192.0.2.1\n");

    Message nodata = ask("mx1.example.test.", Type.AAAA, false);
    Message nx = ask("nope.example.test.", Type.A, false);

    assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
    assertThat(nodata.getSection(Section.AUTHORITY))
        .extracting(Record::getType)
        .containsExactly(Type.SOA);
    assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(nx.getSection(Section.AUTHORITY))
        .extracting(Record::getType)
        .containsExactly(Type.SOA);
  }

  @Test
  void emptyNonTerminals_areNodataNotNxdomain() throws Exception {
    ext.server().txt("_dmarc.sub.example.test", "v=DMARC1; p=none");

    assertThat(ask("sub.example.test.", Type.TXT, false).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void cnamesAreFollowedWithinItsData() throws Exception {
    ext.server().cname("www.example.test", "host.example.test").a("host.example.test", "192.0.2.7");

    Message m = ask("www.example.test.", Type.A, false);

    assertThat(m.getSection(Section.ANSWER))
        .extracting(Record::getType)
        .containsExactly(Type.CNAME, Type.A);
  }

  @Test
  void wildcardsAnswerForNamesBelowThem() throws Exception {
    ext.server().txt("*.wild.test", "hello");

    Message m = ask("anything.wild.test.", Type.TXT, false);

    assertThat(m.getSection(Section.ANSWER)).hasSize(1);
    assertThat(m.getSection(Section.ANSWER).get(0).getName().toString())
        .isEqualTo("anything.wild.test.");
  }

  @Test
  void faults_servfailRefusedNxdomain() throws Exception {
    ext.server()
        .a("a.test", "192.0.2.1")
        .fault("a.test", DnsFault.servfail())
        .fault("b.test", DnsFault.refused())
        .fault("c.test", "A", DnsFault.nxdomain());

    assertThat(ask("a.test.", Type.A, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(ask("b.test.", Type.A, false).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ask("c.test.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(ask("c.test.", Type.MX, false).getRcode()).isNotEqualTo(Rcode.NXDOMAIN + 100);
  }

  @Test
  void delayFault_delaysTheAnswer() throws Exception {
    ext.server()
        .a("slow.test", "192.0.2.1")
        .fault("slow.test", DnsFault.delay(Duration.ofMillis(200)));

    long t0 = System.nanoTime();
    ask("slow.test.", Type.A, false);
    assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(190);
  }

  @Test
  void timeoutFault_neverAnswers() {
    ext.server().fault("hang.test", DnsFault.timeout());

    assertThatThrownBy(
            () -> {
              SimpleResolver r = new SimpleResolver(ext.server().address());
              r.setTimeout(Duration.ofMillis(300));
              r.send(
                  Message.newQuery(
                      Record.newRecord(Name.fromString("hang.test."), Type.A, DClass.IN)));
            })
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void truncateFault_setsTcOverUdp_andTcpAnswersFully() throws Exception {
    ext.server().a("big.test", "192.0.2.1").fault("big.test", DnsFault.truncate());
    byte[] q =
        Message.newQuery(Record.newRecord(Name.fromString("big.test."), Type.A, DClass.IN))
            .toWire();
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(2000);
      s.send(new DatagramPacket(q, q.length, ext.server().address()));
      DatagramPacket p = new DatagramPacket(new byte[512], 512);
      s.receive(p);
      Message m = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
      assertThat(m.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }
    assertThat(ask("big.test.", Type.A, true).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void bigAnswers_areTruncatedOverUdpLikeARealServer() throws Exception {
    for (int i = 0; i < 40; i++) {
      ext.server()
          .txt("many.test", "record number " + i + " with some padding to make it long enough");
    }
    byte[] q =
        Message.newQuery(Record.newRecord(Name.fromString("many.test."), Type.TXT, DClass.IN))
            .toWire();
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(2000);
      s.send(new DatagramPacket(q, q.length, ext.server().address()));
      DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
      s.receive(p);
      assertThat(p.getLength()).isLessThanOrEqualTo(512);
      assertThat(
              new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()))
                  .getHeader()
                  .getFlag(Flags.TC))
          .isTrue();
    }
    // dnsjava retries over TCP by itself and gets all of them.
    assertThat(ask("many.test.", Type.TXT, false).getSection(Section.ANSWER)).hasSize(40);
  }

  @Test
  void recordsCanBeRemovedAndTheServerReset() throws Exception {
    ext.server().a("x.test", "192.0.2.1").txt("x.test", "t");
    ext.server().remove("x.test", "A");
    assertThat(ask("x.test.", Type.A, false).getSection(Section.ANSWER)).isEmpty();
    ext.server().reset();
    assertThat(ask("x.test.", Type.TXT, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(ext.server().queryCount()).isEqualTo(1);
  }

  @Test
  void badZoneText_isAClearError() {
    assertThatThrownBy(
            () -> ext.server().zone("example.test. IN MX notanumber mx1.example.test.\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zone text does not parse");
  }

  @Test
  void closing_freesThePortAndEndsItsThreads() throws Exception {
    long before = mockdnsThreads();
    MockDnsServer s = MockDnsServer.start();
    int port = s.port();
    assertThat(mockdnsThreads()).isGreaterThan(before);
    s.close();
    assertThat(mockdnsThreads()).isEqualTo(before);
    assertThat(s.hostPort()).endsWith(":" + port);
    try (DatagramSocket again =
        new DatagramSocket(port, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  private static long mockdnsThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("mockdns-") && t.isAlive())
        .count();
  }
}
