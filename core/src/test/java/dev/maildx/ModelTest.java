package dev.maildx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.internal.InetAddresses;
import dev.maildx.report.EnhancedStatusCode;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.TlsaRecord;
import dev.maildx.spi.Deadline;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value types: validation at the boundary, immutability, the forms users and the wire need. */
class ModelTest {

  @Test
  void domainName_normalisesCaseTrailingDotAndUnicode() {
    assertThat(DomainName.of("Example.COM.").ascii()).isEqualTo("example.com");
    assertThat(DomainName.of("bücher.example").ascii()).isEqualTo("xn--bcher-kva.example");
    assertThat(DomainName.of("xn--bcher-kva.example").unicode()).isEqualTo("bücher.example");
    assertThat(DomainName.of("mx1.example.com").labels()).containsExactly("mx1", "example", "com");
    assertThat(DomainName.of("a.b.example.com").isSubdomainOf(DomainName.of("example.com")))
        .isTrue();
    assertThat(DomainName.of("badexample.com").isSubdomainOf(DomainName.of("example.com")))
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "exa mple.com",
        "example..com",
        "-x.com",
        "x-.com",
        "under_score.com",
        "192.0.2.1",
        "a\r\nb.com",
        "x\u0000.com"
      })
  void domainName_rejectsIllegalNamesWithAClearMessage(String name) {
    assertThatThrownBy(() -> DomainName.of(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid domain name");
    assertThat(DomainName.isValid(name)).isFalse();
  }

  @Test
  void domainName_rejectsOverlongNames() {
    assertThatThrownBy(() -> DomainName.of("a".repeat(64) + ".com"))
        .hasMessageContaining("longer than 63");
    String longName = ("a".repeat(60) + ".").repeat(5) + "com";
    assertThatThrownBy(() -> DomainName.of(longName)).hasMessageContaining("longer than 253");
  }

  @Test
  void emailAddress_parsesWithOrWithoutBrackets() {
    EmailAddress a = EmailAddress.parse("<Bob.Smith+tag@Agency.Example>");
    assertThat(a.localPart()).isEqualTo("Bob.Smith+tag");
    assertThat(a.domain().ascii()).isEqualTo("agency.example");
    assertThat(a).hasToString("Bob.Smith+tag@agency.example");
    assertThat(EmailAddress.parse("\"john doe\"@example.com").localPart())
        .isEqualTo("\"john doe\"");
    assertThat(EmailAddress.parse("用户@例子.example").international()).isTrue();
    assertThat(EmailAddress.parse("用户@例子.example").domain().ascii()).startsWith("xn--");
  }

  @Test
  void emailAddress_rejectsEveryCharacterThatCouldInjectACommand() {
    assertThatThrownBy(() -> EmailAddress.parse("bob@example.com\r\nDATA"))
        .hasMessageContaining("CR (U+000D)");
    assertThatThrownBy(() -> EmailAddress.parse("bob\n@example.com"))
        .hasMessageContaining("LF (U+000A)");
    assertThatThrownBy(() -> EmailAddress.parse("bo\u0000b@example.com"))
        .hasMessageContaining("NUL (U+0000)");
    assertThatThrownBy(() -> new EmailAddress("\"a\rb\"", DomainName.of("example.com")))
        .hasMessageContaining("CR");
    assertThatThrownBy(() -> EmailAddress.parse("bob smith@example.com"))
        .hasMessageContaining("not allowed");
    assertThatThrownBy(() -> EmailAddress.parse("bob<x>@example.com"))
        .hasMessageContaining("not allowed");
    assertThatThrownBy(() -> EmailAddress.parse("no-at-sign")).hasMessageContaining("no '@'");
    assertThatThrownBy(() -> EmailAddress.parse("a..b@example.com")).hasMessageContaining("dot");
    assertThatThrownBy(() -> EmailAddress.parse("x".repeat(65) + "@example.com"))
        .hasMessageContaining("64 octets");
    assertThatThrownBy(() -> EmailAddress.parse("bob@[192.0.2.1]"))
        .hasMessageContaining("address literals");
  }

  @Test
  void deliveryQuestion_acceptsAnAddressOrADomainAsRecipient() {
    DeliveryQuestion q =
        DeliveryQuestion.builder()
            .from("alice@corp.example")
            .sendingIp("203.0.113.5")
            .to("bob@agency.example")
            .dkimSelectors("selector1", "selector1", "s2")
            .bounce(Path.of("delayed.eml"))
            .build();
    assertThat(q.recipient()).map(EmailAddress::toString).contains("bob@agency.example");
    assertThat(q.recipientDomain()).map(DomainName::ascii).contains("agency.example");
    assertThat(q.senderDomain()).map(DomainName::ascii).contains("corp.example");
    assertThat(q.sendingIp()).map(InetAddresses::toLiteral).contains("203.0.113.5");
    assertThat(q.dkimSelectors()).containsExactly("selector1", "s2");
    assertThat(q.smtpProbe()).isTrue();
    assertThat(q.smtpPort()).isEqualTo(25);
    assertThat(q.toBuilder().build()).isEqualTo(q);

    DeliveryQuestion d = DeliveryQuestion.to("agency.example");
    assertThat(d.recipient()).isEmpty();
    assertThat(d.recipientDomain()).map(DomainName::ascii).contains("agency.example");
  }

  @Test
  void deliveryQuestion_rejectsMalformedInputWithWhatIsWrong() {
    assertThatThrownBy(() -> DeliveryQuestion.builder().sendingIp("mail.example.com"))
        .hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> DeliveryQuestion.builder().sendingIp("256.1.1.1"))
        .hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> DeliveryQuestion.builder().to("bob@exa mple.com"))
        .hasMessageContaining("white space");
    assertThatThrownBy(() -> DeliveryQuestion.builder().dkimSelectors("sel\r\n"))
        .hasMessageContaining("invalid DKIM selector");
    assertThatThrownBy(() -> DeliveryQuestion.builder().smtpPort(70000))
        .hasMessageContaining("65535");
  }

  @Test
  void deliveryQuestion_takesABounceOrMessageInMemory_copiedAndNamed() throws Exception {
    byte[] notice =
        "From: MAILER-DAEMON@provider.example\r\n\r\nundeliverable\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] received = "From: alice@corp.example\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
    DeliveryQuestion q =
        DeliveryQuestion.builder().bounce(notice).message(received.clone(), "INBOX#42").build();
    notice[0] = 'X';

    DeliveryQuestion.Source bounce = q.bounceSource().orElseThrow();
    assertThat(bounce.name()).isEqualTo(DeliveryQuestion.Source.IN_MEMORY_BOUNCE);
    assertThat(bounce.file()).isEmpty();
    assertThat(q.bounce()).isEmpty();
    try (InputStream in = bounce.openStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
          .startsWith("From: MAILER-DAEMON");
    }
    assertThat(q.messageSource().map(DeliveryQuestion.Source::name)).contains("INBOX#42");
    assertThat(q.message()).isEmpty();
    assertThat(q.toString())
        .contains("bounce=in-memory bounce (" + notice.length + " bytes)", "message=INBOX#42");
    assertThat(DeliveryQuestion.builder().bounce(notice).message(received, "INBOX#42").build())
        .isNotEqualTo(q);
    notice[0] = 'F';
    assertThat(DeliveryQuestion.builder().bounce(notice).message(received, "INBOX#42").build())
        .isEqualTo(q)
        .hasSameHashCodeAs(q);
    assertThat(q.toBuilder().build()).isEqualTo(q).hasSameHashCodeAs(q);
    assertThat(
            DeliveryQuestion.builder()
                .message(received)
                .build()
                .messageSource()
                .map(DeliveryQuestion.Source::name))
        .contains(DeliveryQuestion.Source.IN_MEMORY_MESSAGE);
  }

  @Test
  void deliveryQuestion_readsNoFileWhenBuilt(@TempDir Path dir) {
    Path gone = dir.resolve("gone.eml");
    DeliveryQuestion q = DeliveryQuestion.builder().bounce(gone).build();

    assertThat(q.bounce()).contains(gone);
    assertThat(q.bounceSource().orElseThrow().name()).isEqualTo(gone.toString());
    assertThat(q.bounceSource().orElseThrow().file()).contains(gone);
    assertThatThrownBy(() -> q.bounceSource().orElseThrow().openStream())
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void deliveryQuestion_rejectsABlankOrControlCharacterName() {
    byte[] m = new byte[] {'x'};
    assertThatThrownBy(() -> DeliveryQuestion.builder().bounce(m, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> DeliveryQuestion.builder().message(m, "a\r\nb"))
        .hasMessageContaining("control character");
    assertThatThrownBy(() -> DeliveryQuestion.builder().bounce((byte[]) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void ipLiterals_areParsedWithoutDns_andPrintedCanonically() {
    assertThat(InetAddresses.tryParse("mail.example.com")).isNull();
    assertThat(InetAddresses.tryParse("01.2.3.4")).isNull();
    assertThat(InetAddresses.tryParse("1.2.3")).isNull();
    assertThat(InetAddresses.tryParse("fe80::1%eth0")).isNull();
    assertThat(InetAddresses.tryParse("1::2::3")).isNull();
    assertThat(InetAddresses.toLiteral(InetAddresses.parse("2001:DB8:0:0:0:0:0:1")))
        .isEqualTo("2001:db8::1");
    assertThat(InetAddresses.toLiteral(InetAddresses.parse("[::ffff:192.0.2.1]")))
        .isEqualTo("192.0.2.1");
    assertThat(InetAddresses.toLiteral(InetAddresses.parse("::"))).isEqualTo("::");
    assertThat(InetAddresses.toLiteral(InetAddresses.parse("2001:db8:0:1:0:0:0:1")))
        .isEqualTo("2001:db8:0:1::1");
  }

  @Test
  void specialRanges_areRecognised() {
    assertThat(InetAddresses.specialRange(InetAddresses.parse("127.0.0.1"))).isEqualTo("loopback");
    assertThat(InetAddresses.specialRange(InetAddresses.parse("10.9.8.7"))).isEqualTo("private");
    assertThat(InetAddresses.specialRange(InetAddresses.parse("172.31.0.1"))).isEqualTo("private");
    assertThat(InetAddresses.specialRange(InetAddresses.parse("172.32.0.1"))).isNull();
    assertThat(InetAddresses.specialRange(InetAddresses.parse("100.64.0.1")))
        .isEqualTo("shared address space");
    assertThat(InetAddresses.specialRange(InetAddresses.parse("198.51.100.1")))
        .isEqualTo("documentation");
    assertThat(InetAddresses.specialRange(InetAddresses.parse("::1"))).isEqualTo("loopback");
    assertThat(InetAddresses.specialRange(InetAddresses.parse("fd00::1"))).startsWith("private");
    assertThat(InetAddresses.specialRange(InetAddresses.parse("::ffff:10.0.0.1")))
        .isEqualTo("private");
    assertThat(InetAddresses.specialRange(InetAddresses.parse("2a00:1450::1"))).isNull();
    assertThat(InetAddresses.specialRange(InetAddresses.parse("8.8.8.8"))).isNull();
  }

  @Test
  void enhancedStatusCodes_areParsedAndFoundInReplies() {
    assertThat(EnhancedStatusCode.parse("5.7.26")).isEqualTo(new EnhancedStatusCode(5, 7, 26));
    assertThat(EnhancedStatusCode.find("550 5.1.1 <bob@example.com>: Recipient address rejected"))
        .map(Object::toString)
        .contains("5.1.1");
    assertThat(
            EnhancedStatusCode.find("450 4.7.1 Client host rejected: try again later")
                .orElseThrow()
                .isTransient())
        .isTrue();
    assertThat(EnhancedStatusCode.find("version 1.2.3.4 of something")).isEmpty();
    assertThat(EnhancedStatusCode.tryParse("3.1.1")).isEmpty();
    assertThat(EnhancedStatusCode.tryParse("5.1000.1")).isEmpty();
  }

  @Test
  void mtaStsPatterns_matchExactlyOrOneWildcardLabel() {
    MtaStsReport.Policy p =
        new MtaStsReport.Policy(
            MtaStsReport.Policy.Mode.ENFORCE,
            List.of("mx1.example.com", "*.mail.example.com"),
            Duration.ofDays(7),
            "1");
    assertThat(p.matches("MX1.example.com.")).isTrue();
    assertThat(p.matches("a.mail.example.com")).isTrue();
    assertThat(p.matches("a.b.mail.example.com")).isFalse();
    assertThat(p.matches("mail.example.com")).isFalse();
  }

  @Test
  void findings_areImmutableAndKeepEvidenceOrder() {
    Finding f =
        Finding.error(MxReport.Code.MX_NULL, "mx", "no mail")
            .effect(Verdict.UNDELIVERABLE)
            .evidence("z", 1)
            .evidence("a", null)
            .rfc("RFC 7505 §3")
            .build();
    assertThat(f.evidence().keySet()).containsExactly("z", "a");
    assertThat(f.evidence().get("a")).isEmpty();
    assertThatThrownBy(() -> f.evidence().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> Finding.info(TestCode.mx_null, "mx", "x").build())
        .hasMessageContaining("upper snake case");
    assertThat(Finding.inconclusive(TestCode.X, "mx", "timeout").build().inconclusive()).isTrue();
  }

  @Test
  void verdictsCombineToTheGraver() {
    assertThat(Verdict.DELIVERABLE.and(Verdict.AT_RISK)).isEqualTo(Verdict.AT_RISK);
    assertThat(Verdict.AT_RISK.and(Verdict.INCONCLUSIVE)).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(Verdict.UNDELIVERABLE.and(Verdict.INCONCLUSIVE)).isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void deadlines_neverGoNegative_andMarginsAreBounded() throws Exception {
    Deadline d = Deadline.after(Duration.ofMillis(50));
    assertThat(d.remaining()).isLessThanOrEqualTo(Duration.ofMillis(50));
    assertThat(d.withMargin(Duration.ofMillis(100)).remaining())
        .isLessThanOrEqualTo(Duration.ofMillis(46));
    assertThat(d.limit(Duration.ofMillis(10)).compareTo(d)).isNegative();
    Thread.sleep(60);
    assertThat(d.expired()).isTrue();
    assertThat(d.remaining()).isEqualTo(Duration.ZERO);
    assertThat(d.remainingMillis()).isZero();
  }

  @Test
  void tlsaRecords_copyTheirData() {
    byte[] data = {1, 2, 3};
    TlsaRecord r = new TlsaRecord(3, 1, 1, data);
    data[0] = 9;
    assertThat(r.hex()).isEqualTo("010203");
    assertThat(r)
        .hasToString("3 1 1 010203")
        .isEqualTo(new TlsaRecord(3, 1, 1, new byte[] {1, 2, 3}));
  }

  @Test
  void smtpExtensions_sizeIsANumberOfOctetsOrAbsent() {
    assertThat(new ProbeReport.Extensions(List.of("SIZE 10240000")).size()).hasValue(10_240_000);
    assertThat(new ProbeReport.Extensions(List.of("SIZE")).size()).hasValue(0);
    // A sign is not part of size-param (RFC 1870 §4); a negative limit would be nonsense (found by
    // the EHLO fuzz target).
    assertThat(new ProbeReport.Extensions(List.of("SIZE -5")).size()).isEmpty();
    assertThat(new ProbeReport.Extensions(List.of("SIZE +5")).size()).isEmpty();
    assertThat(new ProbeReport.Extensions(List.of("SIZE 99999999999999999999999")).size())
        .isEmpty();
    assertThat(new ProbeReport.Extensions(List.of("PIPELINING")).size()).isEmpty();
  }
}
