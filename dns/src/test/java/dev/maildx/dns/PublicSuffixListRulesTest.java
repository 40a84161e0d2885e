package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import dev.maildx.DomainName;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled list's wildcard, exception and private-section rules, with names made up under rules
 * the list has (each test first checks that the list still has its rules, and in which section),
 * and malformed input.
 */
class PublicSuffixListRulesTest {
  private static final PublicSuffixList PSL = PublicSuffixList.bundled();
  private static List<String> lines;

  @BeforeAll
  static void readTheBundledList() throws Exception {
    try (InputStream in = PublicSuffixList.class.getResourceAsStream("public_suffix_list.dat")) {
      assertThat(in).as("public_suffix_list.dat in the dns jar").isNotNull();
      lines =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).toList();
    }
  }

  /** "ICANN" or "PRIVATE": the section {@code rule} is in; fails if the list does not have it. */
  private static String section(String rule) {
    String section = null;
    for (String line : lines) {
      if (line.startsWith("// ===BEGIN ")) {
        section = line.substring(12, line.indexOf(' ', 12));
      } else if (line.equals(rule)) {
        assertThat(section).as("section of " + rule).isNotNull();
        return section;
      }
    }
    throw new AssertionError("the bundled list has no rule " + rule);
  }

  private static String registrable(String name) {
    return PSL.registrableDomain(name).orElse(null);
  }

  @Test
  void wildcardAndExceptionRules() {
    assertThat(section("*.kawasaki.jp")).isEqualTo("ICANN");
    assertThat(section("!city.kawasaki.jp")).isEqualTo("ICANN");
    assertThat(lines).doesNotContain("kawasaki.jp");
    // "*.kawasaki.jp" makes every label under kawasaki.jp a suffix, but not kawasaki.jp itself
    // ("jp" is)
    assertThat(registrable("kawasaki.jp")).isEqualTo("kawasaki.jp");
    assertThat(registrable("maildx-ward.kawasaki.jp")).isNull();
    assertThat(registrable("shop.maildx-ward.kawasaki.jp"))
        .isEqualTo("shop.maildx-ward.kawasaki.jp");
    assertThat(registrable("www.shop.maildx-ward.kawasaki.jp"))
        .isEqualTo("shop.maildx-ward.kawasaki.jp");
    // "!city.kawasaki.jp" is the exception: city.kawasaki.jp is registrable under kawasaki.jp
    assertThat(registrable("city.kawasaki.jp")).isEqualTo("city.kawasaki.jp");
    assertThat(registrable("www.city.kawasaki.jp")).isEqualTo("city.kawasaki.jp");
    assertThat(registrable("a.b.www.CITY.kawasaki.jp.")).isEqualTo("city.kawasaki.jp");
    // the same through DomainName and the Organizational Domain
    assertThat(PSL.organizationalDomain(DomainName.of("mail.www.city.kawasaki.jp")))
        .isEqualTo(DomainName.of("city.kawasaki.jp"));
    assertThat(PSL.organizationalDomain(DomainName.of("maildx-ward.kawasaki.jp")))
        .isEqualTo(DomainName.of("maildx-ward.kawasaki.jp"));
    assertThat(PSL.registrableDomain(DomainName.of("maildx-ward.kawasaki.jp"))).isEmpty();
  }

  @Test
  void privateSectionRules() {
    assertThat(section("github.io")).isEqualTo("PRIVATE");
    assertThat(registrable("github.io")).isNull();
    assertThat(registrable("maildx.github.io")).isEqualTo("maildx.github.io");
    assertThat(registrable("docs.maildx.github.io")).isEqualTo("maildx.github.io");
    assertThat(PSL.organizationalDomain(DomainName.of("docs.maildx.github.io")))
        .isEqualTo(DomainName.of("maildx.github.io"));

    // a wildcard in the private section, with no rule for its parent
    assertThat(section("*.compute.amazonaws.com")).isEqualTo("PRIVATE");
    assertThat(registrable("maildx-1.compute.amazonaws.com")).isNull();
    assertThat(registrable("host.maildx-1.compute.amazonaws.com"))
        .isEqualTo("host.maildx-1.compute.amazonaws.com");
    assertThat(registrable("a.host.maildx-1.compute.amazonaws.com"))
        .isEqualTo("host.maildx-1.compute.amazonaws.com");

    // a Unicode rule in the private section: its U-label and A-label forms are the same suffix
    assertThat(section("häkkinen.fi")).isEqualTo("PRIVATE");
    assertThat(registrable("häkkinen.fi")).isNull();
    assertThat(registrable("xn--hkkinen-5wa.fi")).isNull();
    assertThat(registrable("www.maildx.häkkinen.fi")).isEqualTo("maildx.häkkinen.fi");
    assertThat(registrable("WWW.MAILDX.HÄKKINEN.FI")).isEqualTo("maildx.häkkinen.fi");
    assertThat(registrable("www.maildx.xn--hkkinen-5wa.fi")).isEqualTo("maildx.xn--hkkinen-5wa.fi");
    assertThat(PSL.registrableDomain(DomainName.of("www.maildx.häkkinen.fi")))
        .contains(DomainName.of("maildx.xn--hkkinen-5wa.fi"));
  }

  @Test
  void idnLabelsMatchInEitherFormEvenMixed() {
    assertThat(section("公司.cn")).isEqualTo("ICANN");
    assertThat(registrable("www.食狮.xn--55qx5d.cn")).isEqualTo("食狮.xn--55qx5d.cn");
    assertThat(registrable("www.xn--85x722f.公司.cn")).isEqualTo("xn--85x722f.公司.cn");
    assertThat(registrable("xn--55qx5d.cn")).isNull();
    assertThat(registrable("XN--55QX5D.CN")).isNull();
  }

  @Test
  void versionNamesTheListAndTheArtifactItCameFrom() {
    String versionLine =
        lines.stream().filter(l -> l.startsWith("// VERSION:")).findFirst().orElseThrow();
    assertThat(PSL.version())
        .startsWith("publicsuffix.org list " + versionLine.substring(11).strip())
        .contains("(commit ")
        .endsWith(" from de.malkusch.whois-server-list:public-suffix-list:2.2.4");
  }

  @Test
  void malformedNames_areNotRegistrableAndDoNotThrow() {
    List<String> malformed =
        new ArrayList<>(
            List.of(
                "",
                ".",
                "..",
                "...",
                ".com",
                ".example.com",
                "a..com",
                "example..com",
                "com..",
                "example.com..",
                "-a.com",
                "a-.com",
                "_a.com",
                "a_.com",
                "a.-com",
                "1.2.3.4",
                "example.123",
                "a b.com",
                "a\tb.com",
                "a/b.com",
                "a@b.com",
                "a:b.com",
                "*.com",
                "!www.ck",
                "\u0000.com",
                "a\u0000.com",
                "%.com",
                "\u3002",
                "\u3002com",
                "a\u3002\u3002com",
                "\uFF0Ecom",
                "a.com\uFF61\uFF61",
                "a".repeat(64) + ".com",
                "a.".repeat(200) + "com",
                "a".repeat(250) + ".com",
                "x".repeat(100_000),
                "a.".repeat(50_000) + "com",
                ".".repeat(10_000)));
    for (String name : malformed) {
      assertThatCode(() -> assertThat(PSL.registrableDomain(name)).as(printable(name)).isEmpty())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void junkDoesNotThrow() {
    List<String> junk =
        List.of(
            "xn--.com",
            "xn--a.com",
            "xn---.com",
            "xn--zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.com",
            "xn--99999999999999999999.com",
            "a.xn--55qx5d-.cn",
            "xn--55qx5d.xn--55qx5d.xn--55qx5d",
            "\uD800.com",
            "a\uDC00b.com",
            "\uFFFF.\uFFFE",
            "食狮..cn",
            "食狮.公司.cn.",
            "😀.😀",
            "www.😀.com",
            "\u202Eevil.com",
            "\u0661\u0662.com",
            "İ.com",
            "ß.de",
            "ｅｘａｍｐｌｅ.com",
            "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.co.uk");
    for (String name : junk) {
      assertThatCode(() -> PSL.registrableDomain(name))
          .as(printable(name))
          .doesNotThrowAnyException();
    }
    // the Unicode labels are kept as given, the dots of other scripts separate labels
    assertThat(registrable("www.😀.com")).isEqualTo("😀.com");
    assertThat(registrable("a\uFF0Eb\u3002co.uk")).isEqualTo("b.co.uk");
  }

  @Test
  void randomStrings_neverThrow_andTheAnswerEndsTheName() {
    Random random = new Random(20261207);
    String alphabet = "abcxyz019-_..*!/ \u3002\uFF0E\uFF61éß食狮公司\uD83D\uDE00\uD800ABC";
    String[] tails = {
      "",
      ".com",
      ".co.uk",
      ".kawasaki.jp",
      ".city.kawasaki.jp",
      ".github.io",
      ".xn--55qx5d.cn",
      ".公司.cn"
    };
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(i % 500 == 0 ? 400 : 24);
      for (int j = 0; j < length; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String name = b + tails[random.nextInt(tails.length)];
      Optional<String> r = PSL.registrableDomain(name);
      if (r.isPresent()) {
        String normalized =
            name.toLowerCase(Locale.ROOT)
                .replace('\u3002', '.')
                .replace('\uFF0E', '.')
                .replace('\uFF61', '.');
        String got = r.get();
        if (!(normalized.endsWith(got) || normalized.endsWith(got + "."))
            || got.startsWith(".")
            || !got.contains(".")) {
          fail(printable(name) + " -> " + got);
        }
      }
      if (i % 10 == 0 && DomainName.isValid(name)) { // isValid throws and catches: slow
        DomainName d = DomainName.of(name);
        if (!d.ascii().endsWith(PSL.organizationalDomain(d).ascii())) {
          fail(d + " -> " + PSL.organizationalDomain(d));
        }
      }
    }
  }

  private static String printable(String s) {
    String head = s.length() > 80 ? s.substring(0, 80) + "… (" + s.length() + " chars)" : s;
    StringBuilder b = new StringBuilder();
    head.chars()
        .forEach(
            c ->
                b.append(
                    c < 0x20 || (c >= 0xD800 && c <= 0xDFFF)
                        ? String.format("\\u%04X", c)
                        : String.valueOf((char) c)));
    return b.toString();
  }
}
