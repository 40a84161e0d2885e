package dev.maildx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.Correlator.Rule;
import dev.maildx.LikelyCause.Code;
import dev.maildx.LikelyCause.Confidence;
import dev.maildx.report.BounceReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.SpfReport;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The mechanics of correlation: the rule list, ranking, replacement, the fallbacks and the verdict
 * rules. Each rule itself is tested end to end by {@code DiagnosisCorrelationTest} (smtp module),
 * through real checks against testkit servers.
 */
class CorrelatorTest {
  static final DeliveryQuestion Q =
      DeliveryQuestion.builder().from("alice@corp.example").to("bob@agency.example").build();

  private static Finding f(FindingCode code, String check, Verdict effect) {
    return f(code, check, effect, code.name());
  }

  private static Finding f(FindingCode code, String check, Verdict effect, String message) {
    return Finding.builder(code, check)
        .severity(Severity.ERROR)
        .effect(effect)
        .message(message)
        .build();
  }

  // The ranking tests need distinct codes; which rule each code names does not matter to them.
  private static final Code HIGH_UNDELIVERABLE = Code.RECIPIENT_ACCEPTS_NO_MAIL;
  private static final Code HIGH_AT_RISK = Code.RECIPIENT_DOMAIN_DOES_NOT_EXIST;
  private static final Code HIGH_AT_RISK_LATER = Code.RECIPIENT_HAS_NO_MAIL_SERVER;
  private static final Code MEDIUM = Code.RECIPIENT_DNS_NOT_ANSWERING;
  private static final Code LOW_FIRST_RULE = Code.RECIPIENT_MAILBOX_UNKNOWN;
  private static final Code UNDELIVERABLE_ELSEWHERE = Code.RECIPIENT_GATEWAY_UNRESPONSIVE;
  private static final Code EXPLAINS_NOTICE = Code.RECIPIENT_MTA_STS_TLS_BROKEN;
  private static final Code WEAK_NOTICE = Code.RECIPIENT_GREYLISTING;
  private static final Code STRONG = Code.SENDER_SPF_REJECTED;
  private static final Code WEAK = Code.SENDER_IP_REPUTATION;
  private static final Code OTHER = Code.SENDER_DMARC_WILL_REJECT;
  private static final Code BROKEN = Code.SENDER_SPF_DOES_NOT_AUTHORIZE_IP;
  private static final Code FINE = Code.SENDER_SPF_RECORD_BROKEN;
  private static final Code X = Code.SENDER_DMARC_WITHOUT_DKIM;

  private static Rule rule(Code code, Confidence c, Verdict effect, Set<Code> replaces) {
    return new Rule(
        code,
        Set.of("x"),
        replaces,
        facts ->
            Optional.of(
                new LikelyCause(
                    code,
                    code.name(),
                    Party.SENDER,
                    "act",
                    c,
                    effect,
                    List.of(f(TestCode.F, "x", Verdict.DELIVERABLE, "F_" + code)))));
  }

  @Test
  void everyRuleHasAUniqueUpperSnakeCode_andReadsAtLeastOneCheck() {
    Set<Code> seen = new HashSet<>();
    for (Rule r : Correlator.RULES) {
      assertThat(r.code().name()).matches("[A-Z][A-Z_]+");
      assertThat(seen.add(r.code())).as("duplicate %s", r.code()).isTrue();
      assertThat(r.inputs()).isNotEmpty();
    }
    assertThat(seen)
        .contains(
            Code.RECIPIENT_ACCEPTS_NO_MAIL,
            Code.RECIPIENT_DOMAIN_DOES_NOT_EXIST,
            Code.RECIPIENT_HAS_NO_MAIL_SERVER,
            Code.RECIPIENT_DNS_NOT_ANSWERING,
            Code.SENDER_DMARC_WITHOUT_DKIM,
            Code.SENDER_SPF_DOES_NOT_AUTHORIZE_IP,
            Code.SENDER_SPF_RECORD_BROKEN,
            Code.RECIPIENT_MAILBOX_UNKNOWN,
            Code.RECIPIENT_GATEWAY_UNRESPONSIVE,
            Code.RECIPIENT_MTA_STS_TLS_BROKEN,
            Code.RECIPIENT_GREYLISTING,
            Code.RECIPIENT_NOT_ACCEPTING_YET,
            Code.SENDER_SPF_REJECTED,
            Code.SENDER_DMARC_WILL_REJECT,
            Code.SENDER_IP_REPUTATION,
            Code.SENDER_MX_HALF_MOVED,
            Code.RECIPIENT_REJECTED_MESSAGE);
    // Every code a rule replaces is the code of another rule.
    Correlator.RULES.forEach(r -> assertThat(seen).containsAll(r.replaces()));
  }

  @Test
  void causesAreRankedByConfidence_thenEffect_thenRuleOrder() {
    List<Rule> rules =
        List.of(
            rule(LOW_FIRST_RULE, Confidence.LOW, Verdict.UNDELIVERABLE, Set.of()),
            rule(HIGH_AT_RISK, Confidence.HIGH, Verdict.AT_RISK, Set.of()),
            rule(HIGH_UNDELIVERABLE, Confidence.HIGH, Verdict.UNDELIVERABLE, Set.of()),
            rule(HIGH_AT_RISK_LATER, Confidence.HIGH, Verdict.AT_RISK, Set.of()),
            rule(MEDIUM, Confidence.MEDIUM, Verdict.AT_RISK, Set.of()));

    List<LikelyCause> causes =
        Correlator.causes(new CorrelationFacts(Q, List.of(), List.of()), rules);

    assertThat(causes)
        .extracting(LikelyCause::code)
        .containsExactly(
            HIGH_UNDELIVERABLE, HIGH_AT_RISK, HIGH_AT_RISK_LATER, MEDIUM, LOW_FIRST_RULE);
  }

  @Test
  void atEqualConfidence_aCauseThatExplainsTheNotice_ranksFirst() {
    Rule undeliverable =
        rule(UNDELIVERABLE_ELSEWHERE, Confidence.HIGH, Verdict.UNDELIVERABLE, Set.of());
    Rule notice =
        new Rule(
            EXPLAINS_NOTICE,
            Set.of("bounce"),
            Set.of(),
            facts ->
                Optional.of(
                    new LikelyCause(
                        EXPLAINS_NOTICE,
                        "x",
                        Party.RECIPIENT_POSTMASTER,
                        "x",
                        Confidence.HIGH,
                        Verdict.AT_RISK,
                        List.of(f(BounceReport.Code.BOUNCE_DELAYED, "bounce", Verdict.AT_RISK)))));
    Rule weak =
        new Rule(
            WEAK_NOTICE,
            Set.of("bounce"),
            Set.of(),
            facts ->
                Optional.of(
                    new LikelyCause(
                        WEAK_NOTICE,
                        "x",
                        Party.RECIPIENT_POSTMASTER,
                        "x",
                        Confidence.LOW,
                        Verdict.AT_RISK,
                        List.of(f(BounceReport.Code.BOUNCE_DELAYED, "bounce", Verdict.AT_RISK)))));

    assertThat(
            Correlator.causes(
                new CorrelationFacts(Q, List.of(), List.of()),
                List.of(undeliverable, weak, notice)))
        .extracting(LikelyCause::code)
        .containsExactly(EXPLAINS_NOTICE, UNDELIVERABLE_ELSEWHERE, WEAK_NOTICE);
  }

  @Test
  void aRuleThatFires_replacesTheWeakerReadingOfTheSameEvidence() {
    List<Rule> rules =
        List.of(
            rule(STRONG, Confidence.HIGH, Verdict.UNDELIVERABLE, Set.of(WEAK)),
            rule(WEAK, Confidence.HIGH, Verdict.AT_RISK, Set.of()),
            rule(OTHER, Confidence.LOW, Verdict.AT_RISK, Set.of()));

    assertThat(Correlator.causes(new CorrelationFacts(Q, List.of(), List.of()), rules))
        .extracting(LikelyCause::code)
        .containsExactly(STRONG, OTHER);
  }

  @Test
  void aRuleThatThrows_costsOnlyItsOwnCause() {
    Rule broken =
        new Rule(
            BROKEN,
            Set.of("x"),
            Set.of(),
            facts -> {
              throw new IllegalStateException("bug");
            });
    List<Rule> rules = List.of(broken, rule(FINE, Confidence.HIGH, Verdict.AT_RISK, Set.of()));

    assertThat(Correlator.causes(new CorrelationFacts(Q, List.of(), List.of()), rules))
        .extracting(LikelyCause::code)
        .containsExactly(FINE);
  }

  @Test
  void nullMxFinding_firesRecipientAcceptsNoMail_withTheFindingAsEvidence() {
    Finding nullMx = f(MxReport.Code.MX_NULL, "mx", Verdict.UNDELIVERABLE);

    List<LikelyCause> causes = Correlator.causes(Q, List.of(), List.of(nullMx));

    assertThat(causes)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.code()).isEqualTo(Code.RECIPIENT_ACCEPTS_NO_MAIL);
              assertThat(c.evidence()).containsExactly(nullMx);
              assertThat(c.summary()).contains("agency.example");
              assertThat(c.effect()).isEqualTo(Verdict.UNDELIVERABLE);
            });
  }

  @Test
  void aDelayNoOtherCauseCites_fallsBackToNotAcceptingYet_evenBesideUnrelatedCauses() {
    Finding delay =
        Finding.warning(BounceReport.Code.BOUNCE_DELAYED, "bounce", "delayed")
            .effect(Verdict.AT_RISK)
            .evidence("reason", "expired")
            .build();
    Finding spf =
        Finding.error(SpfReport.Code.SPF_FAIL, "spf", "fail").evidence("ip", "192.0.2.1").build();

    List<LikelyCause> causes = Correlator.causes(Q, List.of(), List.of(spf, delay));

    assertThat(causes)
        .extracting(LikelyCause::code)
        .containsExactly(Code.SENDER_SPF_DOES_NOT_AUTHORIZE_IP, Code.RECIPIENT_NOT_ACCEPTING_YET);
  }

  @Test
  void nothingWrong_noCause() {
    assertThat(
            Correlator.causes(
                Q, List.of(), List.of(Finding.info(MxReport.Code.MX_OK, "mx", "ok").build())))
        .isEmpty();
  }

  // ---------------------------------------------------------------- verdict rules

  private static LikelyCause cause(Confidence c, Verdict effect) {
    return new LikelyCause(
        X, "x", Party.SENDER, "x", c, effect, List.of(f(TestCode.F, "x", Verdict.DELIVERABLE)));
  }

  @Test
  void verdict_isTheGravestFindingEffect() {
    assertThat(
            DiagnosisRun.verdict(
                List.of(
                    f(TestCode.A, "x", Verdict.AT_RISK), f(TestCode.B, "x", Verdict.DELIVERABLE)),
                List.of()))
        .isEqualTo(Verdict.AT_RISK);
    assertThat(
            DiagnosisRun.verdict(
                List.of(
                    f(TestCode.A, "x", Verdict.AT_RISK), f(TestCode.B, "x", Verdict.INCONCLUSIVE)),
                List.of()))
        .isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(
            DiagnosisRun.verdict(
                List.of(
                    f(TestCode.A, "x", Verdict.UNDELIVERABLE),
                    f(TestCode.B, "x", Verdict.INCONCLUSIVE)),
                List.of()))
        .isEqualTo(Verdict.UNDELIVERABLE);
    assertThat(DiagnosisRun.verdict(List.of(), List.of())).isEqualTo(Verdict.DELIVERABLE);
  }

  @Test
  void verdict_aHighConfidenceUndeliverableCause_overrulesInconclusive() {
    assertThat(
            DiagnosisRun.verdict(
                List.of(f(TestCode.B, "x", Verdict.INCONCLUSIVE)),
                List.of(cause(Confidence.HIGH, Verdict.UNDELIVERABLE))))
        .isEqualTo(Verdict.UNDELIVERABLE);
  }

  @Test
  void verdict_aWeakerCause_addsAtMostAtRisk() {
    assertThat(
            DiagnosisRun.verdict(
                List.of(), List.of(cause(Confidence.MEDIUM, Verdict.UNDELIVERABLE))))
        .isEqualTo(Verdict.AT_RISK);
    assertThat(DiagnosisRun.verdict(List.of(), List.of(cause(Confidence.LOW, Verdict.AT_RISK))))
        .isEqualTo(Verdict.AT_RISK);
    assertThat(
            DiagnosisRun.verdict(
                List.of(f(TestCode.B, "x", Verdict.INCONCLUSIVE)),
                List.of(cause(Confidence.MEDIUM, Verdict.UNDELIVERABLE))))
        .isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void likelyCause_withoutAnEffect_isAtRisk() {
    LikelyCause c =
        new LikelyCause(
            X,
            "x",
            Party.SENDER,
            "x",
            Confidence.HIGH,
            List.of(f(TestCode.F, "x", Verdict.DELIVERABLE)));
    assertThat(c.effect()).isEqualTo(Verdict.AT_RISK);
  }

  @Test
  void theGuard_rejectsEmptyValuesAndDoubledParentheses_butNotQuotedRemoteText() {
    // issue 14's sentences, as they were printed
    assertThat(
            CorrelationRules.filled(
                "Remove the MX records of corp.example that point to ; keep mx1.corp.example."))
        .isFalse();
    assertThat(
            CorrelationRules.filled("The operator of 192.0.2.1 (mail.example) (the mail provider)"))
        .isFalse();
    assertThat(CorrelationRules.filled("it authorizes ().")).isFalse();
    assertThat(CorrelationRules.filled("listed on , x")).isFalse();
    assertThat(CorrelationRules.filled("")).isFalse();
    assertThat(CorrelationRules.filled("SPF for null is fail.")).isFalse();
    // a reference may follow a parenthesis
    assertThat(CorrelationRules.filled("refused for policy reasons) (RFC 5321).")).isTrue();
    // a remote server's words are its own: quoted, they are not judged
    assertThat(CorrelationRules.filled("The server said \"550 rejected : spam ()\".")).isTrue();
    assertThat(
            CorrelationRules.filled(
                "Remove the MX records of corp.example that point to mx.old.example; keep mx1.corp.example."))
        .isTrue();
  }

  private static BounceReport.Recipient delayed(Integer reply, String status, String diagnostic) {
    return new BounceReport.Recipient(
        "bob@agency.example",
        null,
        BounceReport.Action.DELAYED,
        dev.maildx.report.EnhancedStatusCode.parse(status),
        reply,
        dev.maildx.report.BounceReason.EXPIRED,
        false,
        null,
        diagnostic,
        null,
        null,
        "delayed",
        Party.RECIPIENT_POSTMASTER,
        "status",
        BounceReport.ReplySource.UNKNOWN);
  }

  @Test
  void aNoticesCodes_arePrintedOnce_andItsTextIsCutAtAWord() {
    // The text carries both codes: they are not printed again in front of it.
    String exim =
        "SMTP error from remote mail server after initial connection: 451 4.4.1 Try later";
    assertThat(CorrelationFacts.codes(delayed(451, "4.4.1", exim))).isEqualTo("\"" + exim + "\"");
    // A text without the codes gets them in front.
    assertThat(CorrelationFacts.codes(delayed(null, "4.4.7", "conversation timed out")))
        .isEqualTo("4.4.7 \"conversation timed out\"");
    // Cut at a word, never mid-word.
    String words = "timed out while receiving the initial server greeting ".repeat(5);
    String cut = CorrelationFacts.codes(delayed(null, "4.4.7", words));
    assertThat(cut).endsWith("...\"").hasSizeLessThanOrEqualTo(160 + 8);
    String last = cut.substring(0, cut.length() - 4);
    assertThat(words).contains(last.substring(last.indexOf('"') + 1) + " ");
  }
}
