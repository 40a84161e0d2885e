package dev.maildx;

import dev.maildx.LikelyCause.Code;
import dev.maildx.report.AuthReport;
import dev.maildx.report.BounceReport;
import dev.maildx.report.CheckReport;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DmarcOutcomeReport;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.DnsblReport;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.ReverseDnsReport;
import dev.maildx.report.SpfReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the findings and reports of a diagnosis into ranked likely causes.
 *
 * <p>Each {@link Rule} reads the findings and typed reports of one or more checks (its {@code
 * inputs}) and fires at most one {@link LikelyCause}; the rule bodies, each with what it reads, the
 * party it names, its confidence, its effect and the evidence it cites, are in {@link
 * CorrelationRules}. Rules read findings by check name and code, so any module's findings can take
 * part, and typed reports from core (an {@code auth} report joins through {@link
 * DmarcOutcomeReport}).
 *
 * <p>{@link #RULES} is evaluated in order. A rule that fires replaces the causes listed in its
 * {@code replaces} (the weaker reading of the same evidence). The two rules at the end explain what
 * a bounce says when no rule before them cites its finding.
 *
 * <p>Ranking: by confidence (high first), then causes that explain the delivery notice the sender
 * got (they cite the {@code bounce} check) before those that do not, then by effect (undeliverable
 * before at risk), then by the order of {@link #RULES}.
 */
final class Correlator {
  /**
   * One correlation rule.
   *
   * @param code the code of the cause it fires
   * @param inputs the checks whose findings or reports it reads
   * @param replaces codes of causes this one replaces when it fires
   * @param body the rule itself
   */
  record Rule(
      Code code,
      Set<String> inputs,
      Set<Code> replaces,
      Function<CorrelationFacts, Optional<LikelyCause>> body) {
    Optional<LikelyCause> apply(CorrelationFacts facts) {
      Optional<LikelyCause> c = body.apply(facts);
      c.ifPresent(
          x -> {
            if (x.code() != code) {
              throw new IllegalStateException("rule " + code + " fired " + x.code());
            }
          });
      return c;
    }
  }

  /** The rules, in rank order for causes of equal confidence and effect. */
  static final List<Rule> RULES =
      List.of(
          rule(
              Code.RECIPIENT_ACCEPTS_NO_MAIL,
              Set.of(MxReport.CHECK, ProbeReport.CHECK, BounceReport.CHECK),
              CorrelationRules::recipientAcceptsNoMail),
          rule(
              Code.RECIPIENT_DOMAIN_DOES_NOT_EXIST,
              Set.of(MxReport.CHECK, BounceReport.CHECK),
              CorrelationRules::recipientDomainDoesNotExist),
          rule(
              Code.RECIPIENT_HAS_NO_MAIL_SERVER,
              Set.of(MxReport.CHECK),
              CorrelationRules::recipientHasNoMailServer),
          rule(
              Code.RECIPIENT_DNS_NOT_ANSWERING,
              Set.of(MxReport.CHECK),
              CorrelationRules::recipientDnsNotAnswering),
          rule(
              Code.RECIPIENT_MAILBOX_UNKNOWN,
              Set.of(ProbeReport.CHECK, BounceReport.CHECK),
              CorrelationRules::recipientMailboxUnknown),
          rule(
              Code.SENDER_SPF_REJECTED,
              Set.of(BounceReport.CHECK, SpfReport.CHECK, ReverseDnsReport.CHECK),
              Set.of(Code.SENDER_SPF_DOES_NOT_AUTHORIZE_IP),
              CorrelationRules::senderSpfRejected),
          rule(
              Code.SENDER_IP_REPUTATION,
              Set.of(
                  DnsblReport.CHECK, BounceReport.CHECK, ProbeReport.CHECK, ReverseDnsReport.CHECK),
              CorrelationRules::senderIpReputation),
          rule(
              Code.SENDER_DMARC_WILL_REJECT,
              Set.of(
                  DmarcReport.CHECK,
                  DkimKeysReport.CHECK,
                  SpfReport.CHECK,
                  BounceReport.CHECK,
                  AuthReport.CHECK),
              Set.of(Code.SENDER_DMARC_WITHOUT_DKIM),
              CorrelationRules::senderDmarcWillReject),
          rule(
              Code.SENDER_SPF_DOES_NOT_AUTHORIZE_IP,
              Set.of(SpfReport.CHECK, ReverseDnsReport.CHECK),
              CorrelationRules::senderSpfDoesNotAuthorizeIp),
          rule(
              Code.SENDER_SPF_RECORD_BROKEN,
              Set.of(SpfReport.CHECK),
              CorrelationRules::senderSpfRecordBroken),
          rule(
              Code.SENDER_DMARC_WITHOUT_DKIM,
              Set.of(DmarcReport.CHECK, DkimKeysReport.CHECK),
              CorrelationRules::senderDmarcWithoutDkim),
          rule(
              Code.RECIPIENT_GATEWAY_UNRESPONSIVE,
              Set.of(ProbeReport.CHECK, BounceReport.CHECK),
              CorrelationRules::recipientGatewayUnresponsive),
          rule(
              Code.RECIPIENT_MTA_STS_TLS_BROKEN,
              Set.of(ProbeReport.CHECK, MtaStsReport.CHECK),
              CorrelationRules::recipientMtaStsTlsBroken),
          rule(
              Code.RECIPIENT_GREYLISTING,
              Set.of(ProbeReport.CHECK),
              CorrelationRules::recipientGreylisting),
          rule(
              Code.SENDER_MX_HALF_MOVED,
              Set.of(MxReport.SENDER_CHECK),
              CorrelationRules::senderMxHalfMoved),
          rule(
              Code.RECIPIENT_REJECTED_MESSAGE,
              Set.of(BounceReport.CHECK),
              CorrelationRules::recipientRejectedMessage),
          rule(
              Code.RECIPIENT_NOT_ACCEPTING_YET,
              Set.of(BounceReport.CHECK),
              CorrelationRules::recipientNotAcceptingYet));

  private Correlator() {}

  private static Rule rule(
      Code code, Set<String> inputs, Function<CorrelationFacts, Optional<LikelyCause>> body) {
    return new Rule(code, inputs, Set.of(), body);
  }

  private static Rule rule(
      Code code,
      Set<String> inputs,
      Set<Code> replaces,
      Function<CorrelationFacts, Optional<LikelyCause>> body) {
    return new Rule(code, inputs, replaces, body);
  }

  /**
   * Whether a cause explains the delivery notice the sender got (cites a finding of the {@code
   * bounce} check).
   */
  private static boolean explainsNotice(LikelyCause c) {
    return c.evidence().stream().anyMatch(f -> f.check().equals(BounceReport.CHECK));
  }

  static List<LikelyCause> causes(
      DeliveryQuestion q, List<CheckReport> reports, List<Finding> findings) {
    return causes(new CorrelationFacts(q, reports, findings), RULES);
  }

  static List<LikelyCause> causes(CorrelationFacts facts, List<Rule> rules) {
    List<LikelyCause> out = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      Optional<LikelyCause> c;
      try {
        c = r.apply(facts);
      } catch (RuntimeException e) {
        continue; // a bug in one rule must not cost the others; DiagnosisRun reports nothing for it
      }
      if (c.isPresent()) {
        facts.fire(c.get());
        out.add(c.get());
        order.add(i);
      }
    }
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      Code code = out.get(i).code();
      boolean replaced = false;
      for (int j = 0; j < out.size(); j++) {
        if (rules.get(order.get(j)).replaces().contains(code)) {
          replaced = true;
        }
      }
      if (!replaced) {
        keep.add(i);
      }
    }
    keep.sort(
        Comparator.<Integer, LikelyCause.Confidence>comparing(i -> out.get(i).confidence())
            .thenComparing(i -> !explainsNotice(out.get(i)))
            .thenComparing(i -> out.get(i).effect(), Comparator.reverseOrder())
            .thenComparing(order::get));
    return keep.stream().map(out::get).toList();
  }
}
