package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DomainName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The Public Suffix List against its official test vectors ({@code test_psl.txt}). */
class PublicSuffixListTest {
  private static final Pattern CASE =
      Pattern.compile("^checkPublicSuffix\\((null|'[^']*'), (null|'[^']*')\\);");

  @Test
  void officialVectorsPass() throws Exception {
    Path file =
        Path.of(
            System.getProperty("maildx.corpora", "../../shared/corpora"),
            "public-suffix-list",
            "test_psl.txt");
    Assumptions.assumeTrue(Files.isRegularFile(file), "corpus not found at " + file);
    PublicSuffixList psl = PublicSuffixList.bundled();
    int passed = 0;
    List<String> failures = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      Matcher m = CASE.matcher(line.strip());
      if (!m.find()) {
        continue;
      }
      String in = unquote(m.group(1));
      String expected = unquote(m.group(2));
      String got = in == null ? null : psl.registrableDomain(in).orElse(null);
      if (java.util.Objects.equals(got, expected)) {
        passed++;
      } else {
        failures.add(in + " -> " + got + " (expected " + expected + ")");
      }
    }
    System.out.println(
        "[PSL] test_psl.txt: "
            + passed
            + " passed, "
            + failures.size()
            + " failed ("
            + psl.version()
            + ")");
    assertThat(failures).isEmpty();
    assertThat(passed).isGreaterThanOrEqualTo(75);
  }

  @Test
  void organizationalDomain_isTheRegistrableDomainOrTheSuffixItself() {
    PublicSuffixList psl = PublicSuffixList.bundled();
    assertThat(psl.organizationalDomain(DomainName.of("mail.example.co.uk")))
        .isEqualTo(DomainName.of("example.co.uk"));
    assertThat(psl.organizationalDomain(DomainName.of("co.uk"))).isEqualTo(DomainName.of("co.uk"));
    assertThat(psl.organizationalDomain(DomainName.of("a.b.unlisted-tld-example")))
        .isEqualTo(DomainName.of("b.unlisted-tld-example"));
    assertThat(psl.registrableDomain(DomainName.of("www.xn--85x722f.xn--55qx5d.cn")))
        .contains(DomainName.of("xn--85x722f.xn--55qx5d.cn"));
    assertThat(psl.version()).startsWith("publicsuffix.org list ");
  }

  private static String unquote(String s) {
    return s.equals("null") ? null : s.substring(1, s.length() - 1);
  }
}
