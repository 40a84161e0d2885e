package dev.maildx.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.report.SpfResult;
import dev.maildx.spi.Deadline;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * The SPF record grammar (RFC 7208 §12), macro expansion (§7) and robustness against hostile
 * records.
 */
class SpfRecordTest {

  @Test
  void validRecord_keepsTermsQualifiersAndPrefixLengths() {
    SpfRecord r =
        SpfRecord.parse(
            "v=spf1 a/24//64 -mx:mail.example.com/28 ~ip4:192.0.2.0/24 ?ip6:2001:db8::/32 include:_spf.example.com "
                + "exists:%{i}.bl.example.com ptr redirect=other.example.com exp=why.example.com moo=bar");

    assertThat(r.valid()).isTrue();
    List<SpfRecord.Term> t = r.terms();
    assertThat(t.get(0).mechanism()).isEqualTo(SpfRecord.Mechanism.A);
    assertThat(t.get(0).cidr4()).isEqualTo(24);
    assertThat(t.get(0).cidr6()).isEqualTo(64);
    assertThat(t.get(1).qualifier()).isEqualTo('-');
    assertThat(t.get(1).domainSpec().text()).isEqualTo("mail.example.com");
    assertThat(t.get(1).cidr4()).isEqualTo(28);
    assertThat(t.get(2).qualifier()).isEqualTo('~');
    assertThat(t.get(3).cidr6()).isEqualTo(32);
    assertThat(r.redirect().text()).isEqualTo("redirect=other.example.com");
    assertThat(r.exp().text()).isEqualTo("exp=why.example.com");
    assertThat(t.get(t.size() - 1).modifier()).isEqualTo("moo");
  }

  @Test
  void syntaxErrors_giveTheColumnOfTheProblem() {
    assertThat(error("v=spf1 ip4:192.0.2.1 -all moo")).isEqualTo(27);
    assertThat(error("v=spf1 ip4:192.0.2.1/33")).isEqualTo(21);
    assertThat(error("v=spf1 a:foo.example.com\rptr")).isEqualTo(25);
    assertThat(error("v=spf1 exists:%{z}.example.com")).isEqualTo(17);
    assertThat(error("v=spf1 redirect=a.example redirect=b.example")).isEqualTo(27);
    assertThat(error("v=spf1 include")).isEqualTo(15);
    assertThat(SpfRecord.parse("v=spf1 ip4:8.8.8.8~all").error()).contains("8.8.8.8~all");
  }

  private static int error(String record) {
    SpfRecord r = SpfRecord.parse(record);
    assertThat(r.valid()).as(record).isFalse();
    return r.errorPosition();
  }

  @Test
  void versionSelection_isCaseInsensitiveAndNeedsASpaceOrTheEnd() {
    assertThat(SpfRecord.isSpf1("V=SPF1 -all")).isTrue();
    assertThat(SpfRecord.isSpf1("v=spf1")).isTrue();
    assertThat(SpfRecord.isSpf1("v=spf10 -all")).isFalse();
    assertThat(SpfRecord.isSpf1("v=spf1mx")).isFalse();
    assertThat(SpfRecord.isSpf1("spf2.0/pra -all")).isFalse();
  }

  /** RFC 7208 §7.4: sender strong-bad@email.example.com, IP 192.0.2.3. */
  @Test
  void macroExpansion_followsTheExamplesOfRfc7208() throws Exception {
    Map<Character, String> v =
        Map.of(
            's',
            "strong-bad@email.example.com",
            'l',
            "strong-bad",
            'o',
            "email.example.com",
            'd',
            "email.example.com",
            'i',
            "192.0.2.3",
            'v',
            "in-addr");
    SpfMacro.Values values = c -> v.getOrDefault(c, "");
    Map<String, String> examples =
        Map.ofEntries(
            Map.entry("%{s}", "strong-bad@email.example.com"),
            Map.entry("%{o}", "email.example.com"),
            Map.entry("%{d}", "email.example.com"),
            Map.entry("%{d4}", "email.example.com"),
            Map.entry("%{d3}", "email.example.com"),
            Map.entry("%{d2}", "example.com"),
            Map.entry("%{d1}", "com"),
            Map.entry("%{dr}", "com.example.email"),
            Map.entry("%{d2r}", "example.email"),
            Map.entry("%{l}", "strong-bad"),
            Map.entry("%{l-}", "strong.bad"),
            Map.entry("%{lr}", "strong-bad"),
            Map.entry("%{lr-}", "bad.strong"),
            Map.entry("%{l1r-}", "strong"),
            Map.entry("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"),
            Map.entry("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
            Map.entry(
                "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
                "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"),
            Map.entry(
                "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"),
            Map.entry(
                "%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"),
            Map.entry("%%%_%-", "% %20"),
            Map.entry("%{L}", "strong-bad"),
            Map.entry("%{S}", "strong-bad%40email.example.com"));
    for (Map.Entry<String, String> e : examples.entrySet()) {
      assertThat(SpfMacro.parse(e.getKey(), false).expand(values))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void macroErrors_areSyntaxErrors() {
    for (String bad : List.of("%", "%x", "%{", "%{d", "%{q}", "%{d0}", "%{c}", "a b", "%{dr*}")) {
      assertThatThrownBy(() -> SpfMacro.parse(bad, false))
          .as(bad)
          .isInstanceOf(SpfMacro.SyntaxException.class);
    }
  }

  @Test
  void domainSpec_mustEndInATopLabelOrAMacro() throws Exception {
    assertThat(SpfMacro.parseDomainSpec("foo.example.xn--zckzah").text())
        .isEqualTo("foo.example.xn--zckzah");
    assertThat(SpfMacro.parseDomainSpec("%{d}").hasMacros()).isTrue();
    for (String bad :
        List.of("museum", "museum.", "abc.123", "example.-com", "example.com:8080", "")) {
      assertThatThrownBy(() -> SpfMacro.parseDomainSpec(bad))
          .as(bad)
          .isInstanceOf(SpfMacro.SyntaxException.class);
    }
  }

  /**
   * Random records from SPF's alphabet: parsing never throws, evaluation always completes with a
   * result.
   */
  @Test
  void randomRecords_neverThrowAndAlwaysComplete() throws Exception {
    Random rnd = new Random(4408);
    String[] pieces = {
      "v=spf1",
      " ",
      "  ",
      "a",
      "mx",
      "ptr",
      "all",
      "include:",
      "exists:",
      "redirect=",
      "exp=",
      "ip4:",
      "ip6:",
      "-",
      "+",
      "~",
      "?",
      ":",
      "/",
      "//",
      "=",
      "%{",
      "}",
      "%%",
      "%-",
      "%_",
      "%{d}",
      "%{i}",
      "%{l2r-}",
      ".",
      "x.test",
      "example.com",
      "1",
      "24",
      "32",
      "129",
      "192.0.2.1",
      "::",
      "2001:db8::",
      "\u0000",
      "\u00e9",
      "\r",
      "\"",
      "%{p}",
      "%{h}",
      "z=",
      "v=spf1 "
    };
    Name self = Name.fromString("self.test.");
    java.util.concurrent.ConcurrentHashMap<Name, List<Record>> zone =
        new java.util.concurrent.ConcurrentHashMap<>();
    SpfEngine engine = new SpfEngine(SpfResolver.inMemory(zone), "rcv.test", Clock.systemUTC());
    for (int i = 0; i < 3000; i++) {
      StringBuilder b = new StringBuilder(rnd.nextInt(4) == 0 ? "" : "v=spf1 ");
      int n = rnd.nextInt(12);
      for (int k = 0; k < n; k++) {
        b.append(pieces[rnd.nextInt(pieces.length)]);
      }
      String rec = b.toString();
      SpfRecord parsed = SpfRecord.parse(rec);
      assertThat(parsed.valid() || parsed.errorPosition() >= 1).isTrue();
      zone.put(self, List.of(new TXTRecord(self, DClass.IN, 300, List.of(rec.replace("\\", "")))));
      SpfEngine.Outcome o =
          engine
              .checkHost(
                  InetAddress.getByName(rnd.nextBoolean() ? "192.0.2.1" : "2001:db8::1"),
                  "self.test",
                  "a@self.test",
                  "h.test",
                  Deadline.after(Duration.ofSeconds(5)))
              .get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(o.result).isIn((Object[]) SpfResult.values());
    }
  }
}
