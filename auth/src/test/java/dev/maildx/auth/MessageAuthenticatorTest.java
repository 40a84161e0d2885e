package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.DkimSignature.Failure;
import dev.maildx.report.AuthReport.DkimSignature.Result;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.SmtpEnvelope;
import dev.maildx.testkit.DkimSigner;
import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsExtension;
import dev.maildx.testkit.MockDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiving-side evaluation of a message (DKIM, SPF, DMARC, ARC, Authentication-Results)
 * against a real DNS server on loopback, with messages signed by the test signer.
 */
class MessageAuthenticatorTest {
  @RegisterExtension final TestRuntime runtime = new TestRuntime();
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static KeyPair rsa;
  static KeyPair rsa2;
  static KeyPair ed;

  @RegisterExtension final MockDnsExtension dnsExtension = new MockDnsExtension();
  private MessageAuthenticator auth;

  static final String MESSAGE =
      """
      From: Alice Example <alice@example.test>
      To: bob@agency.test
      Subject: Quarterly report
      Date: Sun, 01 Mar 2026 11:59:00 +0000
      Message-ID: <q1@example.test>
      MIME-Version: 1.0
      Content-Type: text/plain; charset=utf-8

      Hello Bob,

      the report is attached.\t \r
      Alice


      """
          .replace("\r\n", "\n")
          .replace("\n", "\r\n");

  @BeforeAll
  static void keys() {
    rsa = DkimSigner.rsaKeyPair(2048);
    rsa2 = DkimSigner.rsaKeyPair(2048);
    ed = DkimSigner.ed25519KeyPair();
  }

  @AfterEach
  void close() {
    if (auth != null) {
      auth.close();
    }
  }

  private MockDnsServer dns() {
    return dnsExtension.server();
  }

  private MessageAuthenticator auth() {
    return auth(AuthOptions.defaults());
  }

  private MessageAuthenticator auth(AuthOptions options) {
    auth =
        MessageAuthenticator.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns().address())
                    .timeout(Duration.ofSeconds(4))
                    .dnsQueryTimeout(Duration.ofMillis(800))
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .build()),
            options);
    return auth;
  }

  private void publishDomain() {
    dns()
        .txt(
            "sel._domainkey.example.test",
            DkimSigner.txtStrings(DkimSigner.keyRecord(rsa.getPublic())))
        .txt("ed._domainkey.example.test", DkimSigner.keyRecord(ed.getPublic()))
        .txt("_dmarc.example.test", "v=DMARC1; p=reject; rua=mailto:dmarc@example.test")
        .txt("example.test", "v=spf1 ip4:192.0.2.0/24 -all");
  }

  private static DkimSigner.Builder signer() {
    return DkimSigner.builder("example.test", "sel", rsa.getPrivate());
  }

  private static String sign(DkimSigner.Builder b, String message) {
    return b.build().sign(message);
  }

  private AuthReport run(String message, SmtpEnvelope envelope) {
    return (auth == null ? auth() : auth)
        .authenticate(message.getBytes(StandardCharsets.UTF_8), envelope);
  }

  private static List<String> codes(AuthReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  @Test
  void signedMessageFromAuthorizedIp_passesDkimSpfAndDmarc() {
    publishDomain();
    String signed = sign(signer(), MESSAGE);

    AuthReport r =
        run(signed, SmtpEnvelope.of("192.0.2.10", "mail.example.test", "bounces@example.test"));

    assertThat(r.dkim())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.result()).isEqualTo(Result.PASS);
              assertThat(s.keyBits()).isEqualTo(2048);
              assertThat(s.bodyHashMatches()).isTrue();
              assertThat(s.signedHeaderBlock())
                  .startsWith("from:Alice Example <alice@example.test>\r\n")
                  .contains("dkim-signature:v=1;");
            });
    assertThat(r.spf().spfResult()).isEqualTo(dev.maildx.report.SpfResult.PASS);
    assertThat(r.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PASS);
    assertThat(r.arc().status()).isEqualTo(AuthReport.Arc.ChainStatus.NONE);
    assertThat(r.authenticationResults())
        .isEqualTo(
            "maildx; dkim=pass (2048-bit key) header.d=example.test header.i=@example.test "
                + "header.s=sel header.a=rsa-sha256; spf=pass (client-ip=192.0.2.10) smtp.mailfrom=bounces@example.test smtp.helo=mail.example.test; "
                + "dmarc=pass (p=reject dis=none) header.from=example.test; arc=none");
    assertThat(r.authenticationResultsHeader())
        .startsWith("Authentication-Results: maildx;\r\n\tdkim=pass");
    assertThat(codes(r))
        .contains("DKIM_PASS", "SPF_PASS", "AUTH_DMARC_PASS")
        .doesNotContain("DKIM_NO_SIGNATURE");
    assertThat(r.findings()).allMatch(f -> f.effect() == Verdict.DELIVERABLE);
    assertThat(r.messageId()).isEqualTo("<q1@example.test>");
    assertThat(r.from().authorDomain())
        .hasValueSatisfying(d -> assertThat(d.ascii()).isEqualTo("example.test"));
  }

  @Test
  void bodyChanged_isABodyHashMismatchWithBothHashes_andDmarcRejects() {
    publishDomain();
    String signed =
        sign(signer(), MESSAGE).replace("the report is attached.", "the report is NOT attached.");

    AuthReport r = run(signed, SmtpEnvelope.NONE);

    AuthReport.DkimSignature s = r.dkim().get(0);
    assertThat(s.result()).isEqualTo(Result.FAIL);
    assertThat(s.failure()).isEqualTo(Failure.BODY_HASH_MISMATCH);
    assertThat(s.bodyHashComputed()).isNotEqualTo(s.bodyHashClaimed()).isNotEmpty();
    assertThat(s.reason())
        .contains(
            "The body changed after signing",
            s.bodyHashComputed(),
            s.bodyHashClaimed(),
            "signed header fields are intact");
    assertThat(s.changedHeaders()).isEmpty();
    assertThat(r.dmarcResult()).isEqualTo(DmarcEvaluation.Result.FAIL);
    Finding dmarc =
        r.findings().stream()
            .filter(f -> f.code().equals("AUTH_DMARC_FAIL"))
            .findFirst()
            .orElseThrow();
    assertThat(dmarc.effect()).isEqualTo(Verdict.UNDELIVERABLE);
    assertThat(dmarc.message()).contains("reject it");
    assertThat(r.authenticationResults())
        .contains(
            "dkim=fail reason=\"body hash did not verify\" header.d=example.test",
            "dmarc=fail (p=reject dis=reject)");
    assertThat(codes(r)).contains("DKIM_BODY_HASH_MISMATCH", "AUTH_SPF_NOT_EVALUATED");
  }

  @Test
  void footerAddedByAList_isFoundByReReadingTheBody_forEachCanonicalization() {
    publishDomain();
    for (String canon : List.of("simple/simple", "relaxed/relaxed")) {
      String signed = sign(signer().canonicalization(canon), MESSAGE);
      String footer = "-- \r\nstaff mailing list\r\nhttps://lists.example.test/staff\r\n";

      AuthReport.DkimSignature s = run(signed + footer, SmtpEnvelope.NONE).dkim().get(0);

      assertThat(s.failure()).as(canon).isEqualTo(Failure.BODY_HASH_MISMATCH);
      assertThat(s.reason())
          .as(canon)
          .contains("The body as signed is still there", "were added after them", "mailing list");
      assertThat(s.findings().get(0).evidence()).containsKey("appendedOctets");
    }
    AuthReport.DkimSignature edited =
        run(sign(signer(), MESSAGE).replace("Hello Bob", "Hello Rob"), SmtpEnvelope.NONE)
            .dkim()
            .get(0);
    assertThat(edited.reason()).doesNotContain("still there");
  }

  @Test
  void subjectTaggedByAList_isNamedAsTheChangedHeader_rsaAndEd25519() {
    publishDomain();
    for (DkimSigner.Builder b :
        List.of(signer(), DkimSigner.builder("example.test", "ed", ed.getPrivate()))) {
      String signed =
          sign(b, MESSAGE)
              .replace("Subject: Quarterly report", "Subject: [staff] Quarterly report");

      AuthReport.DkimSignature s = run(signed, SmtpEnvelope.NONE).dkim().get(0);

      assertThat(s.failure()).as(s.algorithm()).isEqualTo(Failure.SIGNATURE_MISMATCH);
      assertThat(s.bodyHashMatches()).isTrue();
      assertThat(s.changedHeaders()).containsExactly("subject");
      assertThat(s.reason())
          .contains("a list tag was added to the Subject", "[staff] Quarterly report");
    }
  }

  @Test
  void headerAddedBelowTheSignedOne_isFound_andAnAddedFromBreaksTheOverSignedFrom() {
    publishDomain();
    String signed = sign(signer(), MESSAGE);
    String addedSubject =
        signed.replace("MIME-Version: 1.0", "MIME-Version: 1.0\r\nSubject: Urgent: wire the money");
    String addedFrom = "From: ceo@example.test\r\n" + signed;

    AuthReport.DkimSignature s1 = run(addedSubject, SmtpEnvelope.NONE).dkim().get(0);
    AuthReport r2 = run(addedFrom, SmtpEnvelope.NONE);

    assertThat(s1.failure()).isEqualTo(Failure.SIGNATURE_MISMATCH);
    assertThat(s1.changedHeaders()).containsExactly("subject");
    assertThat(s1.reason()).contains("a Subject header field was added after signing");
    assertThat(r2.dkim().get(0).failure()).isEqualTo(Failure.SIGNATURE_MISMATCH);
    assertThat(r2.dkim().get(0).changedHeaders()).containsExactly("from");
    assertThat(r2.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PERMERROR);
    assertThat(codes(r2)).contains("AUTH_FROM_MULTIPLE", "AUTH_DMARC_PERMERROR");
  }

  @Test
  void changedHeaderWithACopyInZ_isNamed_andTheSignedDigestIsRecovered() {
    publishDomain();
    String signed =
        sign(signer().copyHeaders(), MESSAGE)
            .replace("To: bob@agency.test", "To: mallory@agency.test");

    AuthReport.DkimSignature s = run(signed, SmtpEnvelope.NONE).dkim().get(0);

    assertThat(s.failure()).isEqualTo(Failure.SIGNATURE_MISMATCH);
    assertThat(s.changedHeaders()).containsExactly("to");
    assertThat(s.reason()).contains("differs from its copy in z=", "bob@agency.test");
    assertThat(s.headerHashSigned()).isNotEmpty().isNotEqualTo(s.headerHashComputed());
  }

  @Test
  void unexplainedHeaderChange_isASignatureMismatchWithTheHashesAndTheBlock() {
    publishDomain();
    String signed =
        sign(signer(), MESSAGE)
            .replace(
                "Date: Sun, 01 Mar 2026 11:59:00 +0000", "Date: Sun, 01 Mar 2026 11:59:01 +0000");

    AuthReport.DkimSignature s = run(signed, SmtpEnvelope.NONE).dkim().get(0);

    assertThat(s.failure()).isEqualTo(Failure.SIGNATURE_MISMATCH);
    assertThat(s.changedHeaders()).isEmpty();
    assertThat(s.reason())
        .contains(
            "a signed header field (h=",
            s.headerHashComputed(),
            "the signer signed " + s.headerHashSigned());
    assertThat(s.signedHeaderBlock()).contains("date:Sun, 01 Mar 2026 11:59:01 +0000\r\n");
  }

  @Test
  void keyReplacedInTheDns_isAWrongKey() {
    publishDomain();
    dns()
        .remove("sel._domainkey.example.test")
        .txt(
            "sel._domainkey.example.test",
            DkimSigner.txtStrings(DkimSigner.keyRecord(rsa2.getPublic())));

    AuthReport.DkimSignature s = run(sign(signer(), MESSAGE), SmtpEnvelope.NONE).dkim().get(0);

    assertThat(s.failure()).isEqualTo(Failure.WRONG_KEY);
    assertThat(s.reason())
        .contains("does not decrypt under the key published at sel._domainkey.example.test");
  }

  @Test
  void rsaSha1_isRefusedByPolicy_evenThoughItVerifies() {
    publishDomain();
    AuthReport r = run(sign(signer().algorithm("rsa-sha1"), MESSAGE), SmtpEnvelope.NONE);

    AuthReport.DkimSignature s = r.dkim().get(0);
    assertThat(s.result()).isEqualTo(Result.POLICY);
    assertThat(s.failure()).isEqualTo(Failure.ALGORITHM_REFUSED);
    assertThat(s.reason()).contains("verifies", "rsa-sha1", "RFC 8301");
    assertThat(codes(r)).contains("DKIM_RSA_SHA1_REFUSED");
    assertThat(r.dmarcResult()).isEqualTo(DmarcEvaluation.Result.FAIL);
  }

  @Test
  void shortRsaKey_isRefusedByPolicy() {
    KeyPair small = DkimSigner.rsaKeyPair(512);
    dns().txt("small._domainkey.example.test", DkimSigner.keyRecord(small.getPublic()));

    AuthReport.DkimSignature s =
        run(
                sign(DkimSigner.builder("example.test", "small", small.getPrivate()), MESSAGE),
                SmtpEnvelope.NONE)
            .dkim()
            .get(0);

    assertThat(s.result()).isEqualTo(Result.POLICY);
    assertThat(s.failure()).isEqualTo(Failure.KEY_TOO_SHORT);
    assertThat(s.keyBits()).isEqualTo(512);
  }

  @Test
  void expiredAndFutureSignatures_areJudgedByTheInjectedClock() {
    publishDomain();
    String expired =
        sign(
            signer().timestamp(NOW.minusSeconds(7200)).expiration(NOW.minusSeconds(3600)), MESSAGE);
    String future = sign(signer().timestamp(NOW.plusSeconds(3600)), MESSAGE);
    String fine =
        sign(signer().timestamp(NOW.minusSeconds(60)).expiration(NOW.plusSeconds(60)), MESSAGE);
    String justExpired =
        sign(signer().timestamp(NOW.minusSeconds(7200)).expiration(NOW.minusSeconds(60)), MESSAGE);

    assertThat(run(expired, SmtpEnvelope.NONE).dkim().get(0))
        .satisfies(
            s -> {
              assertThat(s.result()).isEqualTo(Result.NEUTRAL);
              assertThat(s.failure()).isEqualTo(Failure.EXPIRED);
              assertThat(s.expiration()).isEqualTo(NOW.minusSeconds(3600));
            });
    assertThat(run(future, SmtpEnvelope.NONE).dkim().get(0).failure())
        .isEqualTo(Failure.BAD_TIMESTAMP);
    assertThat(run(fine, SmtpEnvelope.NONE).dkim().get(0).result()).isEqualTo(Result.PASS);
    assertThat(run(justExpired, SmtpEnvelope.NONE).dkim().get(0).result())
        .as("within the 5 minute skew")
        .isEqualTo(Result.PASS);
  }

  @Test
  void bodyLength_passesWithAWarningForTheUnsignedTail_orIsRefusedByOption() {
    publishDomain();
    String signed =
        sign(signer().bodyLength(), MESSAGE) + "-- \r\nunsigned footer added by a list\r\n";

    AuthReport r = run(signed, SmtpEnvelope.NONE);
    assertThat(r.dkim().get(0).result()).isEqualTo(Result.PASS);
    assertThat(r.dkim().get(0).bodyLength()).isNotNull();
    assertThat(codes(r)).contains("DKIM_BODY_LENGTH_PARTIAL");

    close();
    auth(AuthOptions.builder().acceptPartialBody(false).build());
    AuthReport.DkimSignature refused = run(signed, SmtpEnvelope.NONE).dkim().get(0);
    assertThat(refused.result()).isEqualTo(Result.POLICY);
    assertThat(refused.failure()).isEqualTo(Failure.PARTIAL_BODY);
  }

  @Test
  void bodyCutShorterThanL_isTruncated() {
    publishDomain();
    String signed = sign(signer().bodyLength(), MESSAGE).replace("Alice\r\n", "");

    assertThat(run(signed, SmtpEnvelope.NONE).dkim().get(0).failure())
        .isEqualTo(Failure.BODY_TRUNCATED);
  }

  @Test
  void identityOutsideTheSigningDomain_isNeutral() {
    publishDomain();
    AuthReport.DkimSignature s =
        run(sign(signer().identity("alice@other.test"), MESSAGE), SmtpEnvelope.NONE).dkim().get(0);

    assertThat(s.result()).isEqualTo(Result.NEUTRAL);
    assertThat(s.failure()).isEqualTo(Failure.IDENTITY_MISMATCH);
  }

  @Test
  void strictKey_refusesAnIdentityInASubdomain() {
    dns()
        .txt(
            "sel._domainkey.example.test",
            DkimSigner.txtStrings(DkimSigner.keyRecord(rsa.getPublic()) + "; t=s"));

    AuthReport.DkimSignature sub =
        run(sign(signer().identity("@mail.example.test"), MESSAGE), SmtpEnvelope.NONE)
            .dkim()
            .get(0);
    AuthReport.DkimSignature same =
        run(sign(signer().identity("@example.test"), MESSAGE), SmtpEnvelope.NONE).dkim().get(0);

    assertThat(sub.result()).isEqualTo(Result.PERMERROR);
    assertThat(sub.failure()).isEqualTo(Failure.KEY_UNUSABLE);
    assertThat(sub.reason()).contains("t=s");
    assertThat(same.result()).isEqualTo(Result.PASS);
  }

  @Test
  void keyAbsentRevokedOrUnreachable_givesPermerrorOrTemperror() {
    String signed = sign(signer(), MESSAGE);
    AuthReport absent = run(signed, SmtpEnvelope.NONE);
    dns().txt("sel._domainkey.example.test", "v=DKIM1; k=rsa; p=");
    AuthReport revoked = run(signed, SmtpEnvelope.NONE);
    dns()
        .remove("sel._domainkey.example.test")
        .fault("sel._domainkey.example.test", DnsFault.servfail());
    AuthReport unreachable = run(signed, SmtpEnvelope.NONE);

    assertThat(absent.dkim().get(0).result()).isEqualTo(Result.PERMERROR);
    assertThat(absent.dkim().get(0).failure()).isEqualTo(Failure.KEY_NOT_FOUND);
    assertThat(absent.dkim().get(0).reason())
        .contains("sel._domainkey.example.test does not exist");
    assertThat(revoked.dkim().get(0).failure()).isEqualTo(Failure.KEY_REVOKED);
    assertThat(unreachable.dkim().get(0).result()).isEqualTo(Result.TEMPERROR);
    assertThat(unreachable.findings())
        .anyMatch(f -> f.code().equals("DKIM_KEY_TEMPERROR") && f.inconclusive());
  }

  @Test
  void keyRecordWarnings_areReported_weakKeyAndTesting() {
    KeyPair k1024 = DkimSigner.rsaKeyPair(1024);
    dns().txt("old._domainkey.example.test", DkimSigner.keyRecord(k1024.getPublic()) + "; t=y");

    AuthReport r =
        run(
            sign(DkimSigner.builder("example.test", "old", k1024.getPrivate()), MESSAGE),
            SmtpEnvelope.NONE);

    assertThat(r.dkim().get(0).result()).isEqualTo(Result.PASS);
    assertThat(r.dkim().get(0).keyTesting()).isTrue();
    assertThat(codes(r)).contains("DKIM_KEY_WEAK", "DKIM_TESTING");
    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("DKIM_KEY_WEAK"))
        .allMatch(f -> f.check().equals("auth"));
  }

  @Test
  void crlfLfAndMboxForms_ofOneMessage_allVerify() {
    publishDomain();
    String signed = sign(signer().canonicalization("simple/simple"), MESSAGE);
    String lf = signed.replace("\r\n", "\n");

    assertThat(run(signed, SmtpEnvelope.NONE).dkim().get(0).result()).isEqualTo(Result.PASS);
    AuthReport lfReport = run(lf, SmtpEnvelope.NONE);
    assertThat(lfReport.dkim().get(0).result()).isEqualTo(Result.PASS);
    assertThat(codes(lfReport)).contains("AUTH_LINE_ENDINGS");
    AuthReport mbox =
        run("From alice@example.test Sun Mar  1 11:59:00 2026\n" + lf, SmtpEnvelope.NONE);
    assertThat(mbox.dkim().get(0).result()).isEqualTo(Result.PASS);
    assertThat(codes(mbox)).contains("AUTH_MBOX_LINE");
  }

  @Test
  void whitespaceChanges_breakSimpleButNotRelaxed() {
    publishDomain();
    for (String canon : List.of("simple/simple", "relaxed/relaxed")) {
      String signed = sign(signer().canonicalization(canon), MESSAGE);
      String respaced =
          signed
                  .replace("Hello Bob,", "Hello  Bob,  ")
                  .replace("Subject: Quarterly report", "Subject:  Quarterly\r\n report")
              + "\r\n\r\n";

      AuthReport.DkimSignature s = run(respaced, SmtpEnvelope.NONE).dkim().get(0);

      if (canon.startsWith("simple")) {
        assertThat(s.result()).isEqualTo(Result.FAIL);
        assertThat(s.failure()).isEqualTo(Failure.BODY_HASH_MISMATCH);
        assertThat(s.reason()).contains("simple");
      } else {
        assertThat(s.result()).isEqualTo(Result.PASS);
      }
    }
  }

  @Test
  void signingAnAbsentHeader_breaksWhenItIsAddedLater() {
    publishDomain();
    String signed = sign(signer().headers("from", "to", "subject", "reply-to"), MESSAGE);
    String withReplyTo =
        signed.replace("MIME-Version: 1.0", "Reply-To: mallory@evil.test\r\nMIME-Version: 1.0");

    assertThat(run(signed, SmtpEnvelope.NONE).dkim().get(0).result()).isEqualTo(Result.PASS);
    AuthReport.DkimSignature s = run(withReplyTo, SmtpEnvelope.NONE).dkim().get(0);
    assertThat(s.failure()).isEqualTo(Failure.SIGNATURE_MISMATCH);
    assertThat(s.changedHeaders()).containsExactly("reply-to");
    assertThat(s.reason()).contains("signed its absence");
  }

  @Test
  void signatureWithoutFromInH_isNeutral_andMalformedTagsAreNamed() {
    publishDomain();
    String noFrom = sign(signer().headers("to", "subject"), MESSAGE);
    String dupTag =
        MESSAGE.replace(
            "From:",
            "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; d=example.test; s=sel; h=from; bh=AA==; b=AA==\r\nFrom:");
    String unknownAlg =
        MESSAGE.replace(
            "From:",
            "DKIM-Signature: v=1; a=rsa-sha512; d=example.test; s=sel; h=from; bh=AA==; b=AA==\r\nFrom:");

    assertThat(run(noFrom, SmtpEnvelope.NONE).dkim().get(0).failure())
        .isEqualTo(Failure.FROM_NOT_SIGNED);
    AuthReport.DkimSignature dup = run(dupTag, SmtpEnvelope.NONE).dkim().get(0);
    assertThat(dup.result()).isEqualTo(Result.NEUTRAL);
    assertThat(dup.reason()).contains("d= appears more than once");
    assertThat(run(unknownAlg, SmtpEnvelope.NONE).dkim().get(0).failure())
        .isEqualTo(Failure.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void twoSignatures_oneBroken_isAWarningWhileTheOtherPasses() {
    publishDomain();
    dns()
        .txt(
            "esp._domainkey.esp.test",
            DkimSigner.txtStrings(DkimSigner.keyRecord(rsa2.getPublic())));
    String once =
        sign(
            DkimSigner.builder("esp.test", "esp", rsa2.getPrivate())
                .headers("from", "to", "subject"),
            MESSAGE);
    String twice =
        sign(signer(), once)
            .replace(
                "Date: Sun, 01 Mar 2026 11:59:00 +0000", "Date: Sun, 01 Mar 2026 12:00:00 +0000");

    AuthReport r = run(twice, SmtpEnvelope.NONE);

    assertThat(r.dkim())
        .extracting(AuthReport.DkimSignature::result)
        .containsExactly(Result.FAIL, Result.PASS);
    assertThat(r.dkim()).extracting(AuthReport.DkimSignature::index).containsExactly(1, 2);
    Finding broken =
        r.findings().stream()
            .filter(f -> f.code().equals("DKIM_SIGNATURE_MISMATCH"))
            .findFirst()
            .orElseThrow();
    assertThat(broken.severity()).isEqualTo(dev.maildx.Severity.WARNING);
    assertThat(broken.effect()).isEqualTo(Verdict.DELIVERABLE);
    assertThat(r.dmarcResult())
        .as("esp.test does not align with example.test")
        .isEqualTo(DmarcEvaluation.Result.FAIL);
  }

  @Test
  void moreSignaturesThanTheLimit_areNotVerified() {
    publishDomain();
    String m = MESSAGE;
    for (int i = 0; i < 3; i++) {
      m = sign(signer(), m);
    }
    close();
    auth(AuthOptions.builder().maxSignatures(2).build());

    AuthReport r = run(m, SmtpEnvelope.NONE);

    assertThat(r.dkim())
        .extracting(AuthReport.DkimSignature::failure)
        .containsExactly(Failure.NONE, Failure.NONE, Failure.NOT_VERIFIED);
    assertThat(dns().queryCount("sel._domainkey.example.test", "TXT")).isEqualTo(1);
  }

  @Test
  void noSignature_isDkimNone_andDmarcRestsOnSpf() {
    publishDomain();
    AuthReport pass = run(MESSAGE, SmtpEnvelope.of("192.0.2.10", null, "alice@example.test"));
    AuthReport fail = run(MESSAGE, SmtpEnvelope.of("198.51.100.7", null, "alice@example.test"));

    assertThat(pass.dkim()).isEmpty();
    assertThat(pass.authenticationResults()).contains("dkim=none", "spf=pass", "dmarc=pass");
    assertThat(pass.findings())
        .anyMatch(f -> f.code().equals("DKIM_NO_SIGNATURE") && f.effect() == Verdict.DELIVERABLE);
    assertThat(fail.dmarcResult()).isEqualTo(DmarcEvaluation.Result.FAIL);
    assertThat(fail.findings())
        .anyMatch(f -> f.code().equals("DKIM_NO_SIGNATURE") && f.effect() == Verdict.AT_RISK);
    assertThat(codes(fail)).contains("SPF_FAIL");
  }

  @Test
  void returnPathStandsInForMailFrom_andANullSenderIsCheckedByHelo() {
    publishDomain();
    dns().txt("mail.example.test", "v=spf1 ip4:192.0.2.10 -all");
    AuthReport rp =
        run(
            "Return-Path: <bounce@example.test>\r\n" + MESSAGE,
            SmtpEnvelope.of("192.0.2.10", null, null));
    AuthReport bounce =
        run(
            "Return-Path: <>\r\n" + MESSAGE,
            SmtpEnvelope.of("192.0.2.10", "mail.example.test", null));

    assertThat(rp.envelope().mailFrom()).isEqualTo("bounce@example.test");
    assertThat(codes(rp)).contains("AUTH_MAIL_FROM_FROM_RETURN_PATH", "SPF_PASS");
    assertThat(bounce.spf().scope()).isEqualTo(dev.maildx.report.SpfReport.Scope.HELO);
    assertThat(bounce.authenticationResults())
        .contains("spf=pass (client-ip=192.0.2.10) smtp.helo=mail.example.test");
  }

  @Test
  void fromEdgeCases_noneGroupNoDomainSeveralMailboxesAndEncodedNames() {
    publishDomain();
    dns().txt("_dmarc.other.test", "v=DMARC1; p=quarantine");
    String noFrom = MESSAGE.replace("From: Alice Example <alice@example.test>\r\n", "");
    String group =
        MESSAGE.replace(
            "From: Alice Example <alice@example.test>", "From: undisclosed-recipients:;");
    String localOnly = MESSAGE.replace("From: Alice Example <alice@example.test>", "From: alice");
    String two =
        sign(
            signer(),
            MESSAGE.replace(
                "From: Alice Example <alice@example.test>",
                "From: Alice <alice@example.test>, \"Bob, Other\" <bob@other.test>"));
    String encoded =
        sign(
            signer(),
            MESSAGE.replace(
                "From: Alice Example <alice@example.test>",
                "From: =?UTF-8?B?QWxpY2UgTcO8bGxlcg==?= (Vertrieb) <alice@example.test>"));
    String spoof =
        MESSAGE.replace(
            "From: Alice Example <alice@example.test>",
            "From: \"ceo@bank.test\" <alice@example.test>");

    AuthReport r0 = run(noFrom, SmtpEnvelope.NONE);
    assertThat(r0.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PERMERROR);
    assertThat(codes(r0)).contains("AUTH_FROM_MISSING");
    assertThat(r0.authenticationResults()).contains("dmarc=permerror");
    assertThat(codes(run(group, SmtpEnvelope.NONE)))
        .contains("AUTH_FROM_NO_DOMAIN", "AUTH_DMARC_PERMERROR");
    assertThat(codes(run(localOnly, SmtpEnvelope.NONE))).contains("AUTH_FROM_NO_DOMAIN");
    AuthReport r2 = run(two, SmtpEnvelope.NONE);
    assertThat(r2.from().domains())
        .extracting(d -> d.ascii())
        .containsExactly("example.test", "other.test");
    assertThat(r2.from().displayNames()).containsExactly("Alice", "Bob, Other");
    assertThat(r2.dmarcResult())
        .as("other.test is not signed: the strictest failing policy applies")
        .isEqualTo(DmarcEvaluation.Result.FAIL);
    assertThat(r2.dmarc().authorDomain().ascii()).isEqualTo("other.test");
    assertThat(codes(r2)).contains("AUTH_FROM_MULTIPLE_MAILBOXES");
    AuthReport r3 = run(encoded, SmtpEnvelope.NONE);
    assertThat(r3.from().displayNames()).containsExactly("Alice Müller");
    assertThat(r3.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PASS);
    assertThat(codes(run(spoof, SmtpEnvelope.NONE))).contains("AUTH_FROM_DISPLAY_NAME_ADDRESS");
  }

  private AuthReport run(byte[] message) {
    return (auth == null ? auth() : auth).authenticate(message, SmtpEnvelope.NONE);
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void quotedDisplayNameWithCommaAndAngleAddress_isTheNameOfTheAddressAfterIt() {
    // RFC 5322 §3.4: a quoted-string display name is text, its comma, <, > and @ included
    publishDomain();
    String signed =
        sign(
            signer(),
            MESSAGE.replace(
                "From: Alice Example <alice@example.test>",
                "From: \"Johnson, Joe <joe@example.test>\" joe@example.test"));

    AuthReport r = run(signed, SmtpEnvelope.NONE);

    assertThat(r.from().fields()).isEqualTo(1);
    assertThat(r.from().addresses()).containsExactly("joe@example.test");
    assertThat(r.from().displayNames()).containsExactly("Johnson, Joe <joe@example.test>");
    assertThat(r.from().domains()).extracting(d -> d.ascii()).containsExactly("example.test");
    assertThat(r.from().authorDomain())
        .hasValueSatisfying(d -> assertThat(d.ascii()).isEqualTo("example.test"));
    assertThat(r.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PASS);
    assertThat(codes(r))
        .doesNotContain(
            "AUTH_FROM_MULTIPLE_MAILBOXES",
            "AUTH_FROM_NO_DOMAIN",
            "AUTH_FROM_DISPLAY_NAME_ADDRESS");
  }

  @Test
  void quotedDisplayNameShowingAnotherDomainsAddress_isALookalike_notASecondMailbox() {
    publishDomain();
    String lookalike =
        sign(
            signer(),
            MESSAGE.replace(
                "From: Alice Example <alice@example.test>",
                "From: \"Payments, Bank <billing@bank.test>\" alice@example.test"));

    AuthReport r = run(lookalike, SmtpEnvelope.NONE);

    assertThat(r.from().addresses()).containsExactly("alice@example.test");
    assertThat(r.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PASS);
    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("AUTH_FROM_DISPLAY_NAME_ADDRESS"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.message()).contains("shows an address at bank.test");
              assertThat(f.evidence()).containsEntry("address", "alice@example.test");
            });
    assertThat(codes(r)).doesNotContain("AUTH_FROM_MULTIPLE_MAILBOXES");
  }

  @Test
  void fromInOctetsThatAreNotUtf8_showsTheNameAsLatin1_butADomainInThemIsNoAuthorDomain() {
    publishDomain();
    String name = "From: J\u00f6rg M\u00fcller <alice@example.test>";
    byte[] latin1Name =
        signer()
            .build()
            .sign(latin1(MESSAGE.replace("From: Alice Example <alice@example.test>", name)));
    byte[] latin1Domain =
        latin1(
            MESSAGE.replace(
                "From: Alice Example <alice@example.test>", "From: a@b\u00fccher.test"));
    String utf8Domain =
        MESSAGE.replace("From: Alice Example <alice@example.test>", "From: a@b\u00fccher.test");

    AuthReport named = run(latin1Name);
    AuthReport latin1 = run(latin1Domain);
    AuthReport utf8 = run(utf8Domain, SmtpEnvelope.NONE);

    // an unlabelled 8-bit name is shown one character per octet, not as U+FFFD
    assertThat(named.from().value()).isEqualTo("J\u00f6rg M\u00fcller <alice@example.test>");
    assertThat(named.from().displayNames()).containsExactly("J\u00f6rg M\u00fcller");
    assertThat(named.from().addresses()).containsExactly("alice@example.test");
    assertThat(named.dkim().get(0).result()).isEqualTo(Result.PASS);
    assertThat(named.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PASS);
    // a domain in octets that are not UTF-8 (RFC 6532 §3.2) is not a name the author wrote
    assertThat(latin1.from().addresses()).containsExactly("a@b\u00fccher.test");
    assertThat(latin1.from().domains()).isEmpty();
    assertThat(latin1.findings())
        .filteredOn(f -> f.code().equals("AUTH_FROM_NO_DOMAIN"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("a@b\u00fccher.test", "not UTF-8"));
    assertThat(latin1.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PERMERROR);
    // the same domain in UTF-8 is an internationalized Author Domain
    assertThat(utf8.from().domains())
        .extracting(d -> d.ascii())
        .containsExactly("xn--bcher-kva.test");
  }

  @Test
  void encodedDisplayNameInAnUnknownCharset_isDecodedWithReplacementCharacters() {
    // RFC 2047 §6.2: a word in a charset the reader does not know may be shown as best it can; the
    // domain is outside the encoded word and unaffected
    publishDomain();
    String signed =
        sign(
            signer(),
            MESSAGE.replace(
                "From: Alice Example <alice@example.test>",
                "From: =?x-unknown-charset?Q?Alice_M=FCller?= <alice@example.test>"));

    AuthReport r = run(signed, SmtpEnvelope.NONE);

    assertThat(r.from().displayNames()).containsExactly("Alice M\ufffdller");
    assertThat(r.from().addresses()).containsExactly("alice@example.test");
    assertThat(r.dmarcResult()).isEqualTo(DmarcEvaluation.Result.PASS);
  }

  @Test
  void signedFieldWithOctetsThatAreNotUtf8_verifies_andAListTagOnItIsNamed() {
    // RFC 6376 §3.4.1, §3.4.2: canonicalization works on octets; none may be decoded and re-encoded
    publishDomain();
    byte[] message =
        latin1(
            MESSAGE.replace(
                "Subject: Quarterly report", "Subject: Gr\u00fc\u00dfe aus M\u00fcnchen"));
    for (String canon : List.of("simple/simple", "relaxed/relaxed")) {
      byte[] signed = signer().canonicalization(canon).build().sign(message);
      byte[] tagged = latin1(latin1(signed).replace("Subject: Gr", "Subject: [team] Gr"));

      AuthReport.DkimSignature ok = run(signed).dkim().get(0);
      AuthReport.DkimSignature s = run(tagged).dkim().get(0);

      assertThat(ok.result()).as(canon).isEqualTo(Result.PASS);
      assertThat(s.failure()).as(canon).isEqualTo(Failure.SIGNATURE_MISMATCH);
      assertThat(s.changedHeaders()).as(canon).containsExactly("subject");
      assertThat(s.reason()).as(canon).contains("list tag");
    }
  }

  @Test
  void signedFieldLongerThan64KiB_isReadWhole_andVerifies() {
    // the core reader cuts a field at 64 KiB by default; authentication must not (RFC 6376 §3.4)
    publishDomain();
    StringBuilder refs = new StringBuilder("References:");
    for (int i = 0; refs.length() < 80 * 1024; i++) {
      refs.append(" <message-").append(i).append("@example.test>\r\n");
    }
    String message =
        MESSAGE.replace(
            "MIME-Version: 1.0\r\n", refs.toString().stripTrailing() + "\r\nMIME-Version: 1.0\r\n");
    for (String canon : List.of("simple/simple", "relaxed/relaxed")) {
      String signed =
          sign(
              signer().canonicalization(canon).headers("from", "to", "subject", "references"),
              message);

      AuthReport.DkimSignature s = run(signed, SmtpEnvelope.NONE).dkim().get(0);

      assertThat(s.result()).as(canon).isEqualTo(Result.PASS);
    }
  }

  @Test
  void signedFieldFoldedWithBareLf_isNotCut_whileTheHeaderSectionFitsTheLimit() {
    // the reader stores folding as CRLF: a field of short bare-LF lines is a third longer stored
    // than read, so a per-field bound equal to the header limit would cut it
    publishDomain();
    StringBuilder folded = new StringBuilder("X-Folded: start");
    for (int i = 0; i < 1100; i++) {
      folded.append("\r\n x");
    }
    String message = "From: alice@example.test\r\n" + folded + "\r\n\r\nHello\r\n";
    String signed =
        sign(
                DkimSigner.builder("example.test", "ed", ed.getPrivate())
                    .algorithm("ed25519-sha256")
                    .canonicalization("simple/simple")
                    .headers("from", "x-folded"),
                message)
            .replace("\r\n", "\n");
    int limit = 4096;
    assertThat(signed.indexOf("\n\n") + 2).isLessThan(limit);
    assertThat(folded.length()).isGreaterThan(limit);

    AuthReport r =
        auth(AuthOptions.builder().maxHeaderBytes(limit).build())
            .authenticate(latin1(signed), SmtpEnvelope.NONE);

    assertThat(codes(r)).doesNotContain("AUTH_HEADER_TOO_LARGE").contains("AUTH_LINE_ENDINGS");
    assertThat(r.dkim().get(0).result()).isEqualTo(Result.PASS);
  }

  @Test
  void dmarcLookupsFailing_isTemperror_reportedAsInconclusive() {
    publishDomain();
    dns().fault("_dmarc.example.test", DnsFault.servfail());

    AuthReport r = run(sign(signer(), MESSAGE), SmtpEnvelope.NONE);

    assertThat(r.dmarcResult()).isEqualTo(DmarcEvaluation.Result.TEMPERROR);
    assertThat(r.findings())
        .anyMatch(f -> f.code().equals("AUTH_DMARC_TEMPERROR") && f.inconclusive());
  }

  @Test
  void unreadableFile_isInconclusive(@TempDir Path dir) {
    AuthReport r = auth().authenticate(dir.resolve("missing.eml"), SmtpEnvelope.NONE);

    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo("AUTH_READ_FAILED");
              assertThat(f.inconclusive()).isTrue();
            });
  }

  @Test
  void fileInput_isReadOnTheExecutor_andGivesTheSameResult(@TempDir Path dir) throws Exception {
    publishDomain();
    Path f = dir.resolve("m.eml");
    Files.writeString(f, sign(signer(), MESSAGE));

    AuthReport r = auth().authenticate(f, SmtpEnvelope.NONE);

    assertThat(r.source()).isEqualTo(f.toString());
    assertThat(r.dkim().get(0).result()).isEqualTo(Result.PASS);
    assertThat(r.messageBytes()).isEqualTo(Files.size(f));
  }

  @Test
  void slowDns_endsByTheDeadline_withTemperrors() {
    publishDomain();
    dns().delayAll(Duration.ofSeconds(3));
    auth =
        MessageAuthenticator.create(
            runtime.of(
                DiagnosticsConfig.builder()
                    .dnsServer(dns().address())
                    .timeout(Duration.ofMillis(600))
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .build()));

    long t0 = System.nanoTime();
    AuthReport r = run(sign(signer(), MESSAGE), SmtpEnvelope.NONE);
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(ms).isLessThan(1500);
    assertThat(r.findings()).anyMatch(Finding::inconclusive);
    assertThat(r.dkim()).allMatch(s -> s.result() == Result.TEMPERROR);
  }
}
