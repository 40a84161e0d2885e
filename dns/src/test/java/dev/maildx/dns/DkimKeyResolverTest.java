package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.dns.internal.DkimKeyParser;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DKIM key records against a real DNS server on loopback (RFC 6376 §3.6, RFC 8301, RFC 8463). */
class DkimKeyResolverTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();

  /** RFC 8463 Appendix A.2: the example Ed25519 key. */
  static final String ED25519 = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  @RegisterExtension final MockDnsExtension dnsExtension = new MockDnsExtension();

  private DkimKeyResolver resolver;

  private DkimKeyResolver resolver() {
    resolver =
        DkimKeyResolver.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns().address())
                    .timeout(Duration.ofSeconds(3))
                    .dnsQueryTimeout(Duration.ofMillis(700))
                    .build()));
    return resolver;
  }

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
  }

  private MockDnsServer dns() {
    return dnsExtension.server();
  }

  /**
   * An RSA public key of the given size in SubjectPublicKeyInfo, base64 (any odd modulus will do
   * for a key record).
   */
  static String rsa(int bits) {
    BigInteger n = new BigInteger(bits, new Random(bits)).setBit(bits - 1).setBit(0);
    try {
      return Base64.getEncoder()
          .encodeToString(
              KeyFactory.getInstance("RSA")
                  .generatePublic(new RSAPublicKeySpec(n, BigInteger.valueOf(65537)))
                  .getEncoded());
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static String[] chunks(String s) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < s.length(); i += 250) {
      out.add(s.substring(i, Math.min(s.length(), i + 250)));
    }
    return out.toArray(String[]::new);
  }

  private static Arguments key(
      String code, String record, boolean given, Severity severity, Verdict effect) {
    return Arguments.of(
        code,
        (Consumer<MockDnsServer>) d -> d.txt("sel._domainkey.example.com", chunks(record)),
        given,
        severity,
        effect);
  }

  private static Arguments zone(
      String code, Consumer<MockDnsServer> zone, boolean given, Severity severity, Verdict effect) {
    return Arguments.of(code, zone, given, severity, effect);
  }

  static Stream<Arguments> everyCode() {
    Severity e = Severity.ERROR;
    Severity w = Severity.WARNING;
    Severity i = Severity.INFO;
    Verdict ok = Verdict.DELIVERABLE;
    Verdict risk = Verdict.AT_RISK;
    String k2048 = rsa(2048);
    return Stream.of(
        key("DKIM_KEYS_FOUND", "v=DKIM1; k=rsa; p=" + k2048, true, i, ok),
        key("DKIM_SYNTAX_ERROR", "v=DKIM1; k=rsa; garbage; p=" + k2048, true, e, risk),
        key("DKIM_DUPLICATE_TAG", "v=DKIM1; p=" + k2048 + "; p=" + k2048, true, e, risk),
        key("DKIM_INVALID_VERSION", "v=DKIM2; p=" + k2048, true, e, risk),
        key("DKIM_MISSING_KEY", "v=DKIM1; k=rsa; n=no key here", true, e, risk),
        key("DKIM_KEY_REVOKED", "v=DKIM1; k=rsa; p=", true, e, risk),
        key("DKIM_UNKNOWN_KEY_TYPE", "v=DKIM1; k=ed25519-sha256; p=" + k2048, true, e, risk),
        key("DKIM_MALFORMED_KEY", "v=DKIM1; k=rsa; p=not*base64!", true, e, risk),
        key(
            "DKIM_BARE_RSA_KEY",
            "v=DKIM1; p=MIGJAoGBALVI635dLK4cJJAH3Lx6upo3X/Lm1tQz3mezcWTA3BUBnyIsdnRf57aD5BtNmhPrYYDlWlzw3UgnKisIxktkk5+iMQMl"
                + "FtAS10JB8L3YadXNJY+JBcbeSi5TgJe4WFzNgW95FWDAuSTRXSWZfA/8xjflbTLDx0euFZOM7C4T0GwLAgMBAAE=",
            true,
            w,
            ok),
        key("DKIM_KEY_TOO_SHORT", "v=DKIM1; k=rsa; p=" + rsa(768), true, e, risk),
        key("DKIM_KEY_WEAK", "v=DKIM1; k=rsa; p=" + rsa(1024), true, w, ok),
        key("DKIM_KEY_TOO_LONG", "v=DKIM1; k=rsa; p=" + rsa(4608), true, w, ok),
        key("DKIM_HASH_NOT_SHA256", "v=DKIM1; h=sha1; p=" + k2048, true, e, risk),
        key("DKIM_SERVICE_NOT_EMAIL", "v=DKIM1; s=other; p=" + k2048, true, e, risk),
        key("DKIM_TESTING", "v=DKIM1; t=y; p=" + k2048, true, w, ok),
        key("DKIM_UNKNOWN_TAG", "v=DKIM1; g=*; p=" + k2048, true, i, ok),
        zone("DKIM_NO_KEYS_FOUND", d -> d.mx("example.com", 10, "mx.example.com"), false, w, ok),
        zone(
            "DKIM_SELECTOR_NOT_FOUND",
            d -> d.mx("example.com", 10, "mx.example.com"),
            true,
            e,
            risk),
        zone(
            "DKIM_CNAME_TARGET_MISSING",
            d ->
                d.cname(
                    "sel._domainkey.example.com", "sel-example-com._domainkey.provider.example"),
            true,
            e,
            risk),
        zone(
            "DKIM_NOT_A_KEY",
            d -> d.txt("sel._domainkey.example.com", "v=spf1 -all"),
            true,
            e,
            risk),
        zone(
            "DKIM_MULTIPLE_RECORDS",
            d ->
                d.txt("sel._domainkey.example.com", chunks("v=DKIM1; p=" + k2048))
                    .txt("sel._domainkey.example.com", chunks("v=DKIM1; p=" + rsa(3072))),
            true,
            w,
            risk),
        key("DKIM_ED25519_ONLY", "v=DKIM1; k=ed25519; p=" + ED25519, true, w, ok),
        zone(
            "DKIM_LOOKUP_FAILED",
            d -> d.fault("sel._domainkey.example.com", DnsFault.servfail()),
            true,
            w,
            Verdict.INCONCLUSIVE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCode")
  void everyFindingCode_isProducedOverRealSockets(
      String code, Consumer<MockDnsServer> zone, boolean given, Severity severity, Verdict effect) {
    zone.accept(dns());

    DkimKeysReport r =
        resolver()
            .resolveAsync(
                DomainName.of("example.com"),
                given ? List.of("sel") : List.of(),
                !given,
                dev.maildx.spi.Deadline.after(Duration.ofSeconds(3)))
            .join();

    Finding f =
        r.findings().stream()
            .filter(x -> x.code().equals(code))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + code + " in " + r.findings()));
    assertThat(f.severity()).as(code).isEqualTo(severity);
    assertThat(f.effect()).as(code).isEqualTo(effect);
    assertThat(f.check()).isEqualTo("dkim");
  }

  @Test
  void everyDeclaredCode_hasAScenario() {
    Set<String> documented = new LinkedHashSet<>();
    // DKIM_SELECTOR_INVALID is the dkim check's, about the selectors of a question
    // (DmarcDkimDiagnosisTest)
    Stream.of(DkimKeysReport.Code.values())
        .filter(c -> c != DkimKeysReport.Code.DKIM_SELECTOR_INVALID)
        .forEach(c -> documented.add(c.name()));
    Set<String> tested = new LinkedHashSet<>();
    everyCode().forEach(a -> tested.add((String) a.get()[0]));
    assertThat(documented).hasSizeGreaterThan(20);
    assertThat(tested).containsAll(documented);
  }

  @Test
  void commonSelectors_areQueriedConcurrentlyAndKeysFound() {
    dns()
        .txt("selector1._domainkey.example.com", chunks("v=DKIM1; k=rsa; p=" + rsa(2048)))
        .txt("google._domainkey.example.com", chunks("v=DKIM1; k=rsa; p=" + rsa(1024)));

    DkimKeysReport r = resolver().resolve("example.com", List.of());

    assertThat(r.found())
        .extracting(DkimKeysReport.Selector::selector)
        .containsExactly("selector1", "google");
    assertThat(r.found().get(0).key().keyBits()).isEqualTo(2048);
    assertThat(r.found().get(0).source()).isEqualTo(DkimKeysReport.Selector.Source.COMMON);
    assertThat(r.selectors()).hasSize(DkimKeyResolver.COMMON_SELECTORS.size());
    assertThat(r.findings()).extracting(Finding::code).contains("DKIM_KEYS_FOUND", "DKIM_KEY_WEAK");
  }

  @Test
  void cnameDelegatedKey_isFollowedAndShown() {
    dns()
        .cname(
            "selector1._domainkey.example.com",
            "selector1-example-com._domainkey.tenant.onmicrosoft.example")
        .txt(
            "selector1-example-com._domainkey.tenant.onmicrosoft.example",
            chunks("v=DKIM1; k=rsa; p=" + rsa(2048)));

    DkimKeysReport r = resolver().resolve("example.com", List.of("selector1"));

    DkimKeysReport.Selector s = r.found().get(0);
    assertThat(s.source()).isEqualTo(DkimKeysReport.Selector.Source.GIVEN);
    assertThat(s.cnameChain())
        .containsExactly("selector1-example-com._domainkey.tenant.onmicrosoft.example");
    assertThat(s.key().publicKey()).isNotNull();
    assertThat(r.findings().get(0).message())
        .contains("via CNAME selector1-example-com._domainkey.tenant.onmicrosoft.example");
  }

  @Test
  void ed25519Key_isDecodedFromItsRaw32Bytes() {
    dns().txt("brisbane._domainkey.example.com", "v=DKIM1; k=ed25519; p=" + ED25519);

    DkimKeysReport.Key k =
        resolver().resolve("example.com", List.of("brisbane")).found().get(0).key();

    assertThat(k.keyType()).isEqualTo(DkimKeysReport.Key.KeyType.ED25519);
    assertThat(k.keyBits()).isEqualTo(256);
    assertThat(k.publicKey())
        .satisfies(pk -> assertThat(pk.getAlgorithm()).isIn("EdDSA", "Ed25519"));
  }

  @Test
  void spkiWrappedEd25519_isMalformed() {
    byte[] raw = Base64.getDecoder().decode(ED25519);
    byte[] spki = new byte[44];
    System.arraycopy(java.util.HexFormat.of().parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
    System.arraycopy(raw, 0, spki, 12, 32);
    dns()
        .txt(
            "x._domainkey.example.com",
            "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(spki));

    DkimKeysReport r = resolver().resolve("example.com", List.of("x"));

    assertThat(r.findings())
        .anyMatch(
            f -> f.code().equals("DKIM_MALFORMED_KEY") && f.message().contains("raw 32 bytes"));
  }

  @Test
  void revokedGuessedSelector_isOnlyANote() {
    dns().txt("default._domainkey.example.com", "v=DKIM1; p=");

    DkimKeysReport r = resolver().resolve("example.com", List.of());

    Finding f =
        r.findings().stream()
            .filter(x -> x.code().equals("DKIM_KEY_REVOKED"))
            .findFirst()
            .orElseThrow();
    assertThat(f.severity()).isEqualTo(Severity.INFO);
    assertThat(f.effect()).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void wildcardTxt_underGuessedSelectors_isIgnored() {
    dns().txt("*._domainkey.example.com", "v=spf1 -all");

    DkimKeysReport r = resolver().resolve("example.com", List.of());

    assertThat(r.found()).isEmpty();
    assertThat(r.findings()).extracting(Finding::code).containsExactly("DKIM_NO_KEYS_FOUND");
  }

  @Test
  void invalidSelector_isRejected() {
    assertThatThrownBy(() -> resolver().resolve("example.com", List.of("bad selector")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid DKIM selector");
    assertThatThrownBy(() -> resolver().resolve("example.com", List.of("a".repeat(64))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void corpusKeyRecords_parseAsTheirVectorsExpect() throws IOException {
    Path root = Path.of(System.getProperty("maildx.corpora", "../../shared/corpora"), "dkim");
    Assumptions.assumeTrue(Files.isDirectory(root), "corpus not found at " + root);
    int parsed = 0;
    try (Stream<Path> dirs = Files.list(root.resolve("vectors"))) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Path dnsTxt = dir.resolve("dns.txt");
        if (!Files.isRegularFile(dnsTxt)) {
          continue;
        }
        for (String line : Files.readAllLines(dnsTxt)) {
          if (line.isBlank()) {
            continue;
          }
          String[] parts = line.split("\t", 2);
          String selector = parts[0].substring(0, parts[0].indexOf("._domainkey."));
          DomainName domain =
              DomainName.of(parts[0].substring(parts[0].indexOf("._domainkey.") + 12));
          DkimKeyParser.Parsed p = DkimKeyParser.parse(parts[1], "dkim", selector, domain, true);
          assertThat(p.usable()).as(line).isTrue();
          assertThat(p.findings()).as(line).noneMatch(f -> f.severity() == Severity.ERROR);
          parsed++;
        }
      }
    }
    // dkimpy's deliberately bad records.
    Path data = root.resolve("dkimpy-data");
    assertThat(
            DkimKeyParser.parse(
                    Files.readString(data.resolve("badk.txt")).strip(),
                    "dkim",
                    "s",
                    DomainName.of("example.com"),
                    true)
                .findings())
        .extracting(Finding::code)
        .contains("DKIM_UNKNOWN_KEY_TYPE");
    assertThat(
            DkimKeyParser.parse(
                    Files.readString(data.resolve("badversion.txt")).strip(),
                    "dkim",
                    "s",
                    DomainName.of("example.com"),
                    true)
                .usable())
        .isFalse();
    assertThat(
            DkimKeyParser.parse(
                    Files.readString(data.resolve("test.txt")).strip(),
                    "dkim",
                    "s",
                    DomainName.of("example.com"),
                    true)
                .usable())
        .isTrue();
    System.out.println(
        "[dkim] corpus key records: "
            + parsed
            + " vector keys usable, dkimpy bad records rejected");
    assertThat(parsed).isGreaterThanOrEqualTo(8);
  }
}
