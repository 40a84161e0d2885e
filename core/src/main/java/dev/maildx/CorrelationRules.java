package dev.maildx;

import static dev.maildx.CorrelationFacts.join;
import static dev.maildx.report.BounceReport.Code.*;
import static dev.maildx.report.DkimKeysReport.Code.*;
import static dev.maildx.report.DmarcReport.Code.*;
import static dev.maildx.report.DnsblReport.Code.*;
import static dev.maildx.report.MtaStsReport.Code.*;
import static dev.maildx.report.MxReport.Code.*;
import static dev.maildx.report.ProbeReport.Code.*;
import static dev.maildx.report.ReverseDnsReport.Code.*;
import static dev.maildx.report.SpfReport.Code.*;

import dev.maildx.LikelyCause.Code;
import dev.maildx.LikelyCause.Confidence;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.AuthReport;
import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.DmarcOutcomeReport;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.DnsblReport;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.ReverseDnsReport;
import dev.maildx.report.SpfReport;
import dev.maildx.report.SpfResult;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The correlation rules, one method each. Every method documents what it reads (the checks and
 * finding codes), the party it names, its confidence, its effect and the evidence it cites; it
 * returns a cause or nothing. {@link Correlator#RULES} lists them in rank order.
 */
final class CorrelationRules {
  private CorrelationRules() {}

  private static LikelyCause cause(
      Code code,
      String summary,
      Party party,
      String action,
      Confidence confidence,
      Verdict effect,
      List<Finding> evidence) {
    return cause(code, summary, party, action, confidence, effect, evidence, "");
  }

  /**
   * A cause whose sentences carry {@code foreign} text written elsewhere (a notice's explanation
   * from the bounce module), which the guard does not judge.
   */
  private static LikelyCause cause(
      Code code,
      String summary,
      Party party,
      String action,
      Confidence confidence,
      Verdict effect,
      List<Finding> evidence,
      String foreign) {
    // Checked wherever assertions are on (every test run): a hole is a bug in the rule.
    assert filled(own(summary, foreign)) : code + " renders an empty value into: " + summary;
    assert filled(own(action, foreign)) : code + " renders an empty value into: " + action;
    return new LikelyCause(code, summary, party, action, confidence, effect, evidence);
  }

  private static String own(String text, String foreign) {
    return foreign.isEmpty() ? text : text.replace(foreign, "\"q\"");
  }

  /**
   * A value missing from a sentence: an empty list or value between its words ("point to ;", "()",
   * "(, x)"), a doubled parenthesis ("(a) (b)"; a reference such as "(RFC 5321)" may follow one),
   * or {@code null} printed.
   */
  private static final java.util.regex.Pattern HOLE =
      java.util.regex.Pattern.compile(
          "\\(\\s*\\)|\\(\\s*,|,\\s*\\)|\\s[;,.:](?=\\s|$)|[;,:]\\s*[;,.]|\\)\\s*\\((?!RFC )|\\bnull\\b(?!\\s+MX)|\"\"");

  /**
   * The guard every cause passes: advice must not render an empty value into a sentence (issue 14:
   * "Remove the MX records of corp.example that point to ; keep ..."). Text quoted from a notice or
   * a server is the remote's and not judged.
   *
   * @return whether {@code text} is a sentence without holes
   */
  static boolean filled(String text) {
    String own = text.replaceAll("\"[^\"]+\"", "\"q\"");
    return !own.isBlank() && !HOLE.matcher(own).find();
  }

  // ================================================================ recipient domain

  /**
   * {@code RECIPIENT_ACCEPTS_NO_MAIL}: the recipient domain publishes a null MX (RFC 7505 §3).
   * Reads {@code mx} ({@code MX_NULL}); also cites the probe's {@code SMTP_RCPT_NULL_MX} and bounce
   * recipients with status 5.1.10. Party: the sender. Confidence high; undeliverable.
   */
  static Optional<LikelyCause> recipientAcceptsNoMail(CorrelationFacts f) {
    return f.first(MxReport.CHECK, MX_NULL)
        .map(
            nullMx -> {
              List<Finding> bounced =
                  f.dsnFindings(
                      f.dsnRecipients().stream()
                          .filter(
                              d ->
                                  d.status() != null
                                      && d.status().subject() == 1
                                      && d.status().detail() == 10)
                          .toList());
              return cause(
                  Code.RECIPIENT_ACCEPTS_NO_MAIL,
                  f.recipientDomain()
                      + " publishes a null MX: it declares that it accepts no email at all.",
                  Party.SENDER,
                  "Mail to this domain will always bounce. Ask the recipient for an address at a domain that receives mail.",
                  Confidence.HIGH,
                  Verdict.UNDELIVERABLE,
                  join(List.of(nullMx), f.all(ProbeReport.CHECK, SMTP_RCPT_NULL_MX), bounced));
            });
  }

  /**
   * {@code RECIPIENT_DOMAIN_DOES_NOT_EXIST}: the recipient domain does not exist. Reads {@code mx}
   * ({@code MX_NXDOMAIN}); also cites bounce recipients with reason {@code hostunknown}. Party: the
   * sender (a typo) — or the domain's owner, as the action says. Confidence high; undeliverable.
   */
  static Optional<LikelyCause> recipientDomainDoesNotExist(CorrelationFacts f) {
    return f.first(MxReport.CHECK, MX_NXDOMAIN)
        .map(
            nx ->
                cause(
                    Code.RECIPIENT_DOMAIN_DOES_NOT_EXIST,
                    f.recipientDomain() + " does not exist in the DNS.",
                    Party.SENDER,
                    "Check the recipient address for a typo; if the domain is new or was just renewed, its owner must fix its DNS delegation.",
                    Confidence.HIGH,
                    Verdict.UNDELIVERABLE,
                    join(
                        List.of(nx),
                        f.dsnFindings(
                            f.dsnRecipients().stream()
                                .filter(d -> d.reason() == BounceReason.HOST_UNKNOWN)
                                .toList()))));
  }

  /**
   * {@code RECIPIENT_HAS_NO_MAIL_SERVER}: no MX host a sender could connect to. Reads {@code mx}
   * ({@code MX_NO_USABLE_HOST}, {@code MX_NONE}). Party: the recipient's DNS administrator.
   * Confidence high; undeliverable.
   */
  static Optional<LikelyCause> recipientHasNoMailServer(CorrelationFacts f) {
    List<Finding> noHost = f.all(MxReport.CHECK, MX_NO_USABLE_HOST, MX_NONE);
    // A host that completed an SMTP conversation with the probe is a mail server a sender can
    // connect to (the user's test server, probed on loopback): saying otherwise contradicts it.
    if (noHost.isEmpty() || f.has(ProbeReport.CHECK, SMTP_ACCEPTED)) {
      return Optional.empty();
    }
    String hosts =
        f.report(MxReport.CHECK, MxReport.class).map(MxReport::hosts).orElse(List.of()).stream()
            .map(h -> h.preference() + " " + h.name() + " (" + describe(f, MxReport.CHECK, h) + ")")
            .collect(Collectors.joining(", "));
    return Optional.of(
        cause(
            Code.RECIPIENT_HAS_NO_MAIL_SERVER,
            f.recipientDomain()
                + " has no mail server that a sender could connect to"
                + (hosts.isEmpty() ? " (no MX record and no address)" : ": " + hosts)
                + ".",
            Party.RECIPIENT_DNS_ADMIN,
            "The recipient's DNS administrator must publish MX records whose hosts resolve to public addresses.",
            Confidence.HIGH,
            Verdict.UNDELIVERABLE,
            noHost));
  }

  /**
   * {@code RECIPIENT_DNS_NOT_ANSWERING}: the recipient's MX could not be looked up. Reads {@code
   * mx} ({@code MX_LOOKUP_FAILED}). Party: the recipient's DNS administrator. Confidence low (it
   * may be only this resolver); at risk.
   */
  static Optional<LikelyCause> recipientDnsNotAnswering(CorrelationFacts f) {
    return f.first(MxReport.CHECK, MX_LOOKUP_FAILED)
        .map(
            x ->
                cause(
                    Code.RECIPIENT_DNS_NOT_ANSWERING,
                    "The MX records of "
                        + f.recipientDomain()
                        + " could not be looked up ("
                        + x.evidence().getOrDefault(MxReport.Evidence.OUTCOME, "no answer")
                        + "); sending servers that see the same will queue the mail and retry.",
                    Party.RECIPIENT_DNS_ADMIN,
                    "Check that the recipient domain's name servers answer. If only your resolver fails, retry with another one (--dns).",
                    Confidence.LOW,
                    Verdict.AT_RISK,
                    List.of(x)));
  }

  // ================================================================ recipient servers

  /**
   * {@code RECIPIENT_MAILBOX_UNKNOWN}: the mailbox does not exist. Reads {@code smtp} ({@code
   * SMTP_RCPT_USER_UNKNOWN}: the RCPT probe rejected the address) and {@code bounce} (recipients
   * with 5.1.1 or reason {@code userunknown}). Party: the sender. Confidence high when the probe
   * rejects the address, or when the bounce says so and the probe did not contradict it; medium
   * when the probe's RCPT was accepted by a server that is no catch-all. Undeliverable when high.
   */
  static Optional<LikelyCause> recipientMailboxUnknown(CorrelationFacts f) {
    List<Finding> probe = f.all(ProbeReport.CHECK, SMTP_RCPT_USER_UNKNOWN);
    List<BounceReport.Recipient> bounced =
        f.dsnRecipients().stream()
            .filter(d -> f.failed(d) && CorrelationFacts.userUnknown(d))
            .toList();
    if (probe.isEmpty() && bounced.isEmpty()) {
      return Optional.empty();
    }
    List<Finding> evidence = join(probe, f.dsnFindings(bounced));
    String recipient = f.recipient();
    if (!probe.isEmpty()) {
      return Optional.of(
          cause(
              Code.RECIPIENT_MAILBOX_UNKNOWN,
              "The recipient's mail server says "
                  + recipient
                  + " does not exist"
                  + (bounced.isEmpty()
                      ? ""
                      : ", as the bounce did (" + CorrelationFacts.codes(bounced.get(0)) + ")")
                  + ".",
              Party.SENDER,
              "Check the address for a typo, or ask the recipient for the right one.",
              Confidence.HIGH,
              Verdict.UNDELIVERABLE,
              evidence));
    }
    BounceReport.Recipient d = bounced.get(0);
    boolean catchAll = f.has(ProbeReport.CHECK, SMTP_CATCH_ALL);
    List<Finding> accepted =
        f.all(ProbeReport.CHECK, SMTP_ACCEPTED).stream()
            .filter(x -> !x.evidence().getOrDefault(ProbeReport.Evidence.RCPT, "").isEmpty())
            .toList();
    if (!accepted.isEmpty() && !catchAll && f.question().recipient().isPresent()) {
      return Optional.of(
          cause(
              Code.RECIPIENT_MAILBOX_UNKNOWN,
              "The bounce says "
                  + (d.recipient().isEmpty() ? recipient : d.recipient())
                  + " does not exist ("
                  + CorrelationFacts.codes(d)
                  + "), but the recipient's server accepted the address in maildx's probe just now: the mailbox may have been created since, "
                  + "or the gateway accepts every address and a server behind it rejects unknown ones.",
              Party.SENDER,
              "Resend once; if it bounces again, ask the recipient to confirm the address.",
              Confidence.MEDIUM,
              Verdict.AT_RISK,
              join(evidence, accepted)));
    }
    return Optional.of(
        cause(
            Code.RECIPIENT_MAILBOX_UNKNOWN,
            "The recipient's mail server said "
                + (d.recipient().isEmpty() ? recipient : d.recipient())
                + " does not exist ("
                + CorrelationFacts.codes(d)
                + ")"
                + (catchAll
                    ? "; its gateway accepts every address, so only the server behind it knows"
                    : "")
                + ".",
            Party.SENDER,
            "Check the address for a typo, or ask the recipient for the right one.",
            Confidence.HIGH,
            Verdict.UNDELIVERABLE,
            join(evidence, f.all(ProbeReport.CHECK, SMTP_CATCH_ALL))));
  }

  private static final Set<ProbeReport.Outcome> NOT_ACCEPTING =
      EnumSet.of(
          ProbeReport.Outcome.NO_BANNER,
          ProbeReport.Outcome.CONNECT_TIMEOUT,
          ProbeReport.Outcome.CONNECT_REFUSED,
          ProbeReport.Outcome.DISCONNECTED,
          ProbeReport.Outcome.BANNER_REJECTED,
          ProbeReport.Outcome.PROTOCOL_ERROR);

  /**
   * {@code RECIPIENT_GATEWAY_UNRESPONSIVE}: the recipient's gateways do not accept mail, so mail
   * waits in the sender's queue and then bounces. Reads {@code smtp} ({@code SMTP_NO_HOST_ACCEPTS},
   * or {@code SMTP_UNREACHABLE} when every host timed out; cites {@code SMTP_NO_BANNER}, {@code
   * SMTP_TARPIT}, {@code SMTP_TIMEOUT}, {@code SMTP_CONNECT_TIMEOUT} ...) and {@code bounce} (a
   * delay or expiry whose status is 4.4.x or 5.4.x, or whose reason is {@code expired} or {@code
   * networkerror}). Party: the recipient's postmaster. Confidence high when the notice and the
   * probe agree (then undeliverable: the sender's server gives up at the end of its queue
   * lifetime); medium on the probe alone (at risk). A connect timeout seen only by the probe may be
   * this network's outbound port 25, so it needs the notice.
   */
  static Optional<LikelyCause> recipientGatewayUnresponsive(CorrelationFacts f) {
    Optional<Finding> none = f.first(ProbeReport.CHECK, SMTP_NO_HOST_ACCEPTS);
    List<BounceReport.Recipient> waiting =
        f.dsnRecipients().stream()
            .filter(d -> (f.delayed(d) || f.failed(d)) && CorrelationFacts.networkDelay(d))
            .toList();
    Optional<ProbeReport> probe = f.smtp();
    boolean allTimedOut =
        probe
            .map(
                p ->
                    !p.hosts().isEmpty()
                        && p.hosts().stream().allMatch(h -> NOT_ACCEPTING.contains(h.outcome())))
            .orElse(false);
    Optional<Finding> unreachable = f.first(ProbeReport.CHECK, SMTP_UNREACHABLE);
    boolean corroborated =
        !waiting.isEmpty() && (none.isPresent() || (unreachable.isPresent() && allTimedOut));
    if (none.isEmpty() && !corroborated) {
      return Optional.empty();
    }
    List<Finding> hosts =
        f.all(
            ProbeReport.CHECK,
            SMTP_NO_BANNER,
            SMTP_TARPIT,
            SMTP_TIMEOUT,
            SMTP_DISCONNECTED,
            SMTP_PROTOCOL_ERROR,
            SMTP_GREETING_REJECTED,
            SMTP_GREETING_DEFERRED,
            SMTP_CONNECT_TIMEOUT,
            SMTP_CONNECT_REFUSED);
    String outcomes = probe.map(CorrelationRules::seenOn).orElse("");
    String state = gatewayState(probe);
    if (!corroborated) {
      return Optional.of(
          cause(
              Code.RECIPIENT_GATEWAY_UNRESPONSIVE,
              "The mail servers of "
                  + f.recipientDomain()
                  + " "
                  + state
                  + ", as maildx's probe saw "
                  + outcomes
                  + ": senders queue the mail and retry, which is why 'delivery delayed' notices arrive and the mail finally bounces.",
              Party.RECIPIENT_POSTMASTER,
              "The recipient's postmaster must check the gateway (overloaded, misconfigured, or deliberately delaying some senders); "
                  + "send them the probe's transcript and its time.",
              Confidence.MEDIUM,
              Verdict.AT_RISK,
              join(List.of(none.get()), hosts)));
    }
    BounceReport.Recipient d = waiting.get(0);
    boolean expired = f.failed(d);
    List<Finding> evidence =
        join(
            f.dsnFindings(waiting),
            none.map(List::of).orElse(List.of()),
            unreachable.map(List::of).orElse(List.of()),
            hosts);
    // The gateway sent no reply the notice could quote: its codes and text are the sending
    // server's own account of the attempt, so they are attributed to the sending server.
    String mta = f.bounce().map(BounceReport::reportingMta).orElse(null);
    String notice =
        (mta != null ? mta + ", the sender's server," : "The sender's server")
            + (expired ? " gave up and reports " : " is still retrying and reports ")
            + CorrelationFacts.codes(d);
    return Optional.of(
        cause(
            Code.RECIPIENT_GATEWAY_UNRESPONSIVE,
            "The recipient's gateways "
                + state
                + ": "
                + notice
                + ", and maildx's probe of "
                + f.recipientDomain()
                + " sees the same "
                + outcomes
                + ". "
                + (expired
                    ? "Your mail waited in the queue and has bounced."
                    : "Your mail will wait in the sender's queue and then bounce."),
            Party.RECIPIENT_POSTMASTER,
            "The recipient's postmaster must fix the gateway or stop it from delaying your servers (send them the probe's transcript and the "
                + "notice); until then resend later or reach the recipient another way.",
            Confidence.HIGH,
            Verdict.UNDELIVERABLE,
            evidence));
  }

  /**
   * Where the probe saw it: "on mx1, mx2" when every host ended the same way, else each host with
   * its outcome in parentheses.
   */
  private static String seenOn(ProbeReport p) {
    List<String> names = p.hosts().stream().map(ProbeReport.Host::name).distinct().toList();
    if (p.hosts().stream().map(ProbeReport.Host::outcome).distinct().count() <= 1) {
      return "on " + String.join(", ", names);
    }
    return "("
        + p.hosts().stream()
            .map(h -> h.name() + ": " + words(h.outcome()))
            .distinct()
            .collect(Collectors.joining(", "))
        + ")";
  }

  /** A probe outcome in words: {@code NO_BANNER} is "no banner". */
  private static String words(ProbeReport.Outcome o) {
    return o.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /**
   * What the probe saw of the gateways, as a predicate: a TCP connection accepted without a
   * greeting is "no banner" (RFC 5321 §3.1: the server opens the session with its greeting), not a
   * refused connection.
   */
  private static String gatewayState(Optional<ProbeReport> probe) {
    List<ProbeReport.Outcome> seen =
        probe
            .map(p -> p.hosts().stream().map(ProbeReport.Host::outcome).distinct().toList())
            .orElse(List.of());
    if (!seen.isEmpty() && seen.stream().allMatch(o -> o == ProbeReport.Outcome.NO_BANNER)) {
      return "accept TCP connections but send no SMTP greeting (no banner)";
    }
    if (!seen.isEmpty()
        && seen.stream()
            .allMatch(
                o ->
                    o == ProbeReport.Outcome.CONNECT_TIMEOUT
                        || o == ProbeReport.Outcome.CONNECT_REFUSED)) {
      return "do not accept connections";
    }
    return "never complete an SMTP conversation";
  }

  /**
   * {@code RECIPIENT_MTA_STS_TLS_BROKEN}: the recipient enforces MTA-STS (RFC 8461 §5) while TLS or
   * the certificate of its MX hosts fails the policy. Reads {@code smtp} ({@code
   * SMTP_MTA_STS_TLS_FAILED}, {@code SMTP_MTA_STS_CERT_INVALID} as errors, i.e. under an enforced
   * policy) and cites {@code mta-sts} ({@code MTA_STS_OK}: the policy) and the TLS findings. Party:
   * the recipient's postmaster. Confidence high; at risk (senders that do not honour MTA-STS still
   * deliver).
   */
  static Optional<LikelyCause> recipientMtaStsTlsBroken(CorrelationFacts f) {
    List<Finding> sts =
        f.all(ProbeReport.CHECK, SMTP_MTA_STS_TLS_FAILED, SMTP_MTA_STS_CERT_INVALID).stream()
            .filter(x -> x.severity() == Severity.ERROR)
            .toList();
    if (sts.isEmpty()) {
      return Optional.empty();
    }
    List<Finding> evidence =
        join(
            sts,
            f.all(MtaStsReport.CHECK, MTA_STS_OK),
            f.all(
                ProbeReport.CHECK,
                SMTP_TLS_FAILED,
                SMTP_STARTTLS_REJECTED,
                SMTP_NO_STARTTLS,
                TLS_CERT_SELF_SIGNED,
                TLS_CERT_UNTRUSTED,
                TLS_CERT_EXPIRED,
                TLS_CERT_NAME_MISMATCH));
    return Optional.of(
        cause(
            Code.RECIPIENT_MTA_STS_TLS_BROKEN,
            f.recipientDomain()
                + " enforces MTA-STS, but its mail server's TLS or certificate fails the policy: senders that honour it "
                + "(Gmail, Outlook.com and others) do not deliver.",
            Party.RECIPIENT_POSTMASTER,
            "Install a certificate from a public authority that names the MX host, or switch the MTA-STS policy to testing until it is fixed.",
            Confidence.HIGH,
            Verdict.AT_RISK,
            evidence));
  }

  /**
   * {@code RECIPIENT_GREYLISTING}: the first attempt is deferred on purpose (RFC 6647). Reads
   * {@code smtp} ({@code SMTP_RCPT_GREYLISTED}). Party: nobody. Confidence low; at risk (delay).
   */
  static Optional<LikelyCause> recipientGreylisting(CorrelationFacts f) {
    List<Finding> grey = f.all(ProbeReport.CHECK, SMTP_RCPT_GREYLISTED);
    if (grey.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        cause(
            Code.RECIPIENT_GREYLISTING,
            "The recipient's mail server defers new senders for a while (greylisting): the first mail arrives late.",
            Party.NOBODY,
            "Nothing to fix: the sender's server retries and the mail arrives after minutes (sometimes hours).",
            Confidence.LOW,
            Verdict.AT_RISK,
            grey));
  }

  // ================================================================ sender authentication

  /**
   * {@code SENDER_SPF_REJECTED}: the recipient rejected (or deferred) the message for SPF or DMARC,
   * and this sending IP's SPF result says why: the SPF record does not authorize the provider the
   * sender sends through now (typically after a move to a new provider). Reads {@code bounce}
   * (status 5.7.23/5.7.24, 5.7.26, or 5.7.x/5xx whose text names SPF or DMARC), {@code spf} (the
   * result for the sending IP and what the record authorizes), {@code ptr} (the IP's name). Party:
   * the sender's DNS administrator. Confidence high, undeliverable, when SPF still does not pass
   * for the IP; medium (at risk) when SPF was not evaluated for an IP, or when it passes (then the
   * mail left from another IP, or DMARC failed on alignment or DKIM, and the party is the sender's
   * mail provider). Replaces {@code SENDER_SPF_DOES_NOT_AUTHORIZE_IP}.
   */
  static Optional<LikelyCause> senderSpfRejected(CorrelationFacts f) {
    List<BounceReport.Recipient> auth =
        f.dsnRecipients().stream()
            .filter(
                d ->
                    (f.failed(d) || f.delayed(d))
                        && (CorrelationFacts.pointsAtSpf(d) || CorrelationFacts.pointsAtDmarc(d)))
            .toList();
    if (auth.isEmpty() || f.question().senderDomain().isEmpty()) {
      return Optional.empty();
    }
    BounceReport.Recipient d = auth.get(0);
    String what = CorrelationFacts.pointsAtSpf(d) ? "SPF" : "DMARC";
    String rejected =
        (f.failed(d) ? "rejected" : "deferred")
            + " the message for "
            + what
            + " ("
            + CorrelationFacts.codes(d)
            + ")";
    List<Finding> bounced = f.dsnFindings(auth);
    Optional<SpfResult> result = f.spfResult();
    String sender = f.senderDomain();
    if (result.isEmpty()) {
      return Optional.of(
          cause(
              Code.SENDER_SPF_REJECTED,
              "The recipient's server "
                  + rejected
                  + ". Which server sent it is not known here, so maildx could not evaluate SPF for it.",
              Party.SENDER_DNS_ADMIN,
              "Find the sending IP in the bounce's returned headers (the first Received line of your provider) and diagnose again with --ip; "
                  + "make sure the SPF record of "
                  + sender
                  + " authorizes every provider that sends for it (it authorizes "
                  + f.spfAuthorizesPhrase()
                  + ").",
              Confidence.MEDIUM,
              Verdict.AT_RISK,
              join(bounced, f.all(SpfReport.CHECK, SPF_NOT_EVALUATED, SPF_NO_RECORD))));
    }
    String ip = f.sendingIpWithName().orElse("?");
    if (result.get() == SpfResult.PASS) {
      return Optional.of(
          cause(
              Code.SENDER_SPF_REJECTED,
              "The recipient's server "
                  + rejected
                  + ", yet SPF passes for "
                  + ip
                  + ": the message left from another server, or DMARC failed "
                  + "because SPF is not aligned with the From domain and DKIM did not pass.",
              Party.SENDER_MAIL_PROVIDER,
              "Check the bounce's returned headers for the server that really sent it and its Authentication-Results; enable DKIM signing for "
                  + sender
                  + " at the mail provider.",
              Confidence.MEDIUM,
              Verdict.AT_RISK,
              join(bounced, f.all(SpfReport.CHECK, SPF_PASS))));
    }
    List<Finding> spf =
        f.all(
            SpfReport.CHECK,
            SPF_FAIL,
            SPF_SOFTFAIL,
            SPF_NEUTRAL,
            SPF_NONE,
            SPF_PERMERROR,
            SPF_TEMPERROR);
    if (result.get() == SpfResult.TEMPERROR) {
      return Optional.of(
          cause(
              Code.SENDER_SPF_REJECTED,
              "The recipient's server "
                  + rejected
                  + "; SPF for "
                  + ip
                  + " could not be evaluated now (temperror), so whether the record "
                  + "authorizes it is unknown.",
              Party.SENDER_DNS_ADMIN,
              "Make sure the name servers of " + sender + " answer, then diagnose again.",
              Confidence.LOW,
              Verdict.AT_RISK,
              join(bounced, spf)));
    }
    return Optional.of(spfNotPassing(f, result.get(), rejected, ip, bounced, spf));
  }

  /**
   * {@code SENDER_SPF_REJECTED} when SPF does not pass for the IP: the cause follows the result —
   * permerror, the record is broken; none, there is no record; fail (or softfail, neutral), the
   * record does not authorize the provider.
   */
  private static LikelyCause spfNotPassing(
      CorrelationFacts f,
      SpfResult result,
      String rejected,
      String ip,
      List<Finding> bounced,
      List<Finding> spf) {
    String sender = f.senderDomain();
    if (result == SpfResult.PERMERROR) {
      return cause(
          Code.SENDER_SPF_REJECTED,
          "The recipient's server "
              + rejected
              + ", and the SPF record of "
              + sender
              + " is broken: SPF for "
              + ip
              + " is permerror because "
              + spfBrokenBecause(f)
              + ".",
          Party.SENDER_DNS_ADMIN,
          spfRepair(f) + " Then resend.",
          Confidence.HIGH,
          Verdict.UNDELIVERABLE,
          join(bounced, spf, spfBroken(f)));
    }
    if (result == SpfResult.NONE) {
      return cause(
          Code.SENDER_SPF_REJECTED,
          "The recipient's server " + rejected + ", and " + sender + " publishes no SPF record.",
          Party.SENDER_DNS_ADMIN,
          "Publish an SPF record for "
              + sender
              + " that authorizes the provider that sends from "
              + ip
              + " (its SPF include or its ip4/ip6 ranges), then resend.",
          Confidence.HIGH,
          Verdict.UNDELIVERABLE,
          join(bounced, spf, f.all(ReverseDnsReport.CHECK, PTR_OK)));
    }
    String res = result.name().toLowerCase(Locale.ROOT);
    return cause(
        Code.SENDER_SPF_REJECTED,
        "Your SPF does not authorize the provider you send through now: the recipient's server "
            + rejected
            + ", and SPF for "
            + ip
            + " is still "
            + res
            + " — the SPF record of "
            + sender
            + " authorizes "
            + f.spfAuthorizesPhrase()
            + ".",
        Party.SENDER_DNS_ADMIN,
        "Add the SPF include (or ip4/ip6 ranges) of the provider that sends from "
            + ip
            + " to the SPF record of "
            + sender
            + ", remove the includes of providers no longer used, then resend.",
        Confidence.HIGH,
        Verdict.UNDELIVERABLE,
        join(bounced, spf, f.all(ReverseDnsReport.CHECK, PTR_OK)));
  }

  /** The findings that say how the sender's SPF record is broken (RFC 7208 §4.6, §4.6.4). */
  private static List<Finding> spfBroken(CorrelationFacts f) {
    return f.all(
        SpfReport.CHECK,
        SPF_PERMERROR,
        SPF_MULTIPLE_RECORDS,
        SPF_SYNTAX_ERROR,
        SPF_TOO_MANY_LOOKUPS,
        SPF_TOO_MANY_VOID_LOOKUPS,
        SPF_MX_TOO_MANY,
        SPF_INCLUDE_NO_RECORD,
        SPF_REDIRECT_NO_RECORD,
        SPF_INCLUDE_LOOP,
        SPF_REDIRECT_LOOP);
  }

  /** Whether the record needs more DNS-querying terms than receivers allow (RFC 7208 §4.6.4). */
  private static boolean tooManyLookups(CorrelationFacts f) {
    return f.has(SpfReport.CHECK, SPF_TOO_MANY_LOOKUPS)
        || f.spfLookupCosts().stream().mapToInt(CorrelationFacts.SpfCost::cost).sum()
            > SpfReport.MAX_DNS_LOOKUPS;
  }

  /**
   * Why the record is broken, as a clause: for the lookup limit, what each term costs in record
   * order; else what the first finding about the record says.
   */
  private static String spfBrokenBecause(CorrelationFacts f) {
    List<CorrelationFacts.SpfCost> costs = f.spfLookupCosts();
    if (tooManyLookups(f) && !costs.isEmpty()) {
      int total = costs.stream().mapToInt(CorrelationFacts.SpfCost::cost).sum();
      return "the record needs "
          + total
          + " DNS lookups where receivers stop at "
          + SpfReport.MAX_DNS_LOOKUPS
          + " (RFC 7208 §4.6.4), so no term after the 10th lookup is ever checked; in record order: "
          + costs.stream()
              .map(CorrelationFacts.SpfCost::toString)
              .collect(Collectors.joining(", "));
    }
    return spfBroken(f).stream()
        .filter(x -> !x.is(SPF_PERMERROR))
        .findFirst()
        .or(() -> spfBroken(f).stream().findFirst())
        .map(x -> x.code() + ": " + x.message().replaceAll("[.\\s]+$", ""))
        .orElse("the record cannot be evaluated");
  }

  /**
   * What to do about a broken record: for the lookup limit, the costliest includes to flatten or
   * remove until the record fits (never adding a term); else fix what the findings name.
   */
  private static String spfRepair(CorrelationFacts f) {
    String sender = f.senderDomain();
    List<CorrelationFacts.SpfCost> costs = f.spfLookupCosts();
    int total = costs.stream().mapToInt(CorrelationFacts.SpfCost::cost).sum();
    if (!tooManyLookups(f) || total <= SpfReport.MAX_DNS_LOOKUPS) {
      return "Fix the SPF record of "
          + sender
          + " as the SPF findings say (one record, valid syntax, at most 10 DNS lookups, "
          + "includes that exist).";
    }
    List<CorrelationFacts.SpfCost> pick = new java.util.ArrayList<>();
    int left = total;
    List<CorrelationFacts.SpfCost> byCost =
        costs.stream()
            .filter(c -> c.term().toLowerCase(Locale.ROOT).matches("include:.*|redirect=.*"))
            .sorted(java.util.Comparator.comparingInt(CorrelationFacts.SpfCost::cost).reversed())
            .toList();
    for (CorrelationFacts.SpfCost c : byCost) {
      if (left <= SpfReport.MAX_DNS_LOOKUPS) {
        break;
      }
      pick.add(c);
      left -= c.cost();
    }
    if (pick.isEmpty() || left > SpfReport.MAX_DNS_LOOKUPS) {
      return "Bring the SPF record of "
          + sender
          + " down to at most 10 DNS lookups: replace includes by the ip4/ip6 ranges they publish "
          + "(flatten them) and remove terms of providers no longer used; adding a term makes it worse.";
    }
    List<String> named = pick.stream().map(CorrelationFacts.SpfCost::toString).toList();
    if (named.size() > 3) {
      return "Bring the SPF record of "
          + sender
          + " down to at most 10 DNS lookups from "
          + total
          + ": flatten (replace by the ip4/ip6 ranges they publish) or remove at least "
          + named.size()
          + " of its includes, the costliest first: "
          + String.join(", ", named.subList(0, 3))
          + ". Adding another include makes it worse.";
    }
    String listed =
        named.size() == 1
            ? named.get(0)
            : String.join(", ", named.subList(0, named.size() - 1))
                + " and "
                + named.get(named.size() - 1);
    return "Bring the SPF record of "
        + sender
        + " down to at most 10 DNS lookups: flatten "
        + listed
        + " — replace "
        + (named.size() == 1 ? "it" : "each")
        + " by the ip4/ip6 ranges it publishes, or remove it if that provider is no longer used — "
        + "which brings the record from "
        + total
        + " to "
        + left
        + " lookups. Adding another include makes it worse.";
  }

  /**
   * {@code SENDER_SPF_DOES_NOT_AUTHORIZE_IP}: the sender's SPF record does not authorize the
   * sending IP (RFC 7208 §8.4). Reads {@code spf} ({@code SPF_FAIL}) and {@code ptr}. Party: the
   * sender's DNS administrator. Confidence high; at risk (receivers that enforce SPF or DMARC
   * reject it).
   */
  static Optional<LikelyCause> senderSpfDoesNotAuthorizeIp(CorrelationFacts f) {
    return f.first(SpfReport.CHECK, SPF_FAIL)
        .map(
            x -> {
              String ip =
                  f.sendingIpWithName()
                      .or(() -> f.spf().map(SpfReport::ip).map(InetAddresses::toLiteral))
                      .orElse("?");
              return cause(
                  Code.SENDER_SPF_DOES_NOT_AUTHORIZE_IP,
                  "The SPF record of "
                      + f.senderDomain()
                      + " does not authorize "
                      + ip
                      + ", the address the mail is sent from: it authorizes "
                      + f.spfAuthorizesPhrase()
                      + ". Receivers that enforce SPF or DMARC reject or drop the mail.",
                  Party.SENDER_DNS_ADMIN,
                  "Add the sending provider's SPF include (or its ip4/ip6 ranges) to the SPF record of "
                      + f.senderDomain()
                      + ", and remove includes of providers no longer used.",
                  Confidence.HIGH,
                  Verdict.AT_RISK,
                  join(List.of(x), f.all(ReverseDnsReport.CHECK, PTR_OK)));
            });
  }

  /**
   * {@code SENDER_SPF_RECORD_BROKEN}: the sender's SPF record is broken (RFC 7208 §4.6, §4.6.4).
   * Reads {@code spf} ({@code SPF_PERMERROR}, {@code SPF_MULTIPLE_RECORDS}, {@code
   * SPF_SYNTAX_ERROR}, the lookup limits, missing include/redirect targets, loops) when SPF did not
   * simply fail. Party: the sender's DNS administrator. Confidence high on permerror, else medium;
   * at risk.
   */
  static Optional<LikelyCause> senderSpfRecordBroken(CorrelationFacts f) {
    if (f.has(SpfReport.CHECK, SPF_FAIL)) {
      return Optional.empty();
    }
    List<Finding> broken = spfBroken(f);
    boolean toldByRejection =
        f.spfResult().filter(r -> r == SpfResult.PERMERROR).isPresent()
            && f.fired().stream().anyMatch(c -> c.code() == Code.SENDER_SPF_REJECTED);
    if (broken.isEmpty() || toldByRejection) {
      return Optional.empty();
    }
    return Optional.of(
        cause(
            Code.SENDER_SPF_RECORD_BROKEN,
            "The SPF record of "
                + f.senderDomain()
                + " is broken: "
                + spfBrokenBecause(f)
                + ". Receivers that reach the broken part get permerror and treat it like a failed "
                + "SPF check.",
            Party.SENDER_DNS_ADMIN,
            spfRepair(f),
            broken.stream().anyMatch(x -> x.is(SPF_PERMERROR))
                ? Confidence.HIGH
                : Confidence.MEDIUM,
            Verdict.AT_RISK,
            broken));
  }

  /**
   * {@code SENDER_DMARC_WILL_REJECT}: the sender's DMARC policy is {@code p=reject} (or
   * quarantine), DKIM cannot pass (the keys the provider should sign with are missing, or no key
   * was found; or the message's own DKIM result failed) and SPF does not pass for the sending IP
   * (so it cannot align): receivers that enforce DMARC reject (or junk) the mail (RFC 9989 §5.3).
   * Reads {@code dmarc} ({@code DMARC_OK} with its policy), {@code dkim} ({@code
   * DKIM_CNAME_TARGET_MISSING}, {@code DKIM_SELECTOR_NOT_FOUND}, {@code DKIM_NO_KEYS_FOUND}, {@code
   * DKIM_KEY_REVOKED}), {@code spf} (not {@code pass} for the sending IP), {@code bounce} (a
   * rejection citing DMARC or DKIM) and any {@link DmarcOutcomeReport} (a message's real DMARC
   * result). Party: the sender's mail provider when its delegated keys are missing, else the
   * sender's DNS administrator. Confidence high (medium when keys were only not found among guessed
   * selectors); undeliverable for reject at high confidence, else at risk. Replaces {@code
   * SENDER_DMARC_WITHOUT_DKIM}.
   */
  static Optional<LikelyCause> senderDmarcWillReject(CorrelationFacts f) {
    for (DmarcOutcomeReport r : f.reportsOf(DmarcOutcomeReport.class)) {
      Optional<DmarcEvaluation> e = Optional.ofNullable(r.dmarc());
      if (e.isPresent()
          && e.get().result() == DmarcEvaluation.Result.FAIL
          && e.get().disposition() != DmarcRecord.Policy.NONE) {
        return Optional.of(fromMessage(f, r, e.get()));
      }
    }
    Optional<Finding> enforced = enforcedDmarc(f);
    Optional<SpfResult> spf = f.spfResult();
    if (enforced.isEmpty()
        || spf.isEmpty()
        || spf.get() == SpfResult.PASS
        || spf.get() == SpfResult.TEMPERROR) {
      return Optional.empty();
    }
    List<Finding> delegated =
        f.all(
            DkimKeysReport.CHECK,
            DKIM_CNAME_TARGET_MISSING,
            DKIM_SELECTOR_NOT_FOUND,
            DKIM_KEY_REVOKED);
    List<Finding> noKeys = f.all(DkimKeysReport.CHECK, DKIM_NO_KEYS_FOUND);
    if (delegated.isEmpty() && noKeys.isEmpty()) {
      return Optional.empty();
    }
    String policy = f.dmarcPolicy().map(DmarcRecord.Policy::tagValue).orElse("reject");
    boolean reject = policy.equals("reject");
    List<BounceReport.Recipient> cited =
        f.dsnRecipients().stream()
            .filter(
                d ->
                    (f.failed(d) || f.delayed(d))
                        && (CorrelationFacts.pointsAtDmarc(d) || CorrelationFacts.pointsAtDkim(d)))
            .toList();
    Confidence confidence =
        !delegated.isEmpty() || !cited.isEmpty() ? Confidence.HIGH : Confidence.MEDIUM;
    String sender = f.senderDomain();
    String dkim =
        !delegated.isEmpty()
            ? "the DKIM keys its mail provider should sign with are not published ("
                + selectors(delegated)
                + ")"
            : "no DKIM key of it was found under the selectors tried";
    String ip = f.sendingIpWithName().orElse("the sending IP");
    List<Finding> evidence =
        join(
            List.of(enforced.get()),
            delegated,
            noKeys,
            f.all(SpfReport.CHECK, SPF_FAIL, SPF_SOFTFAIL, SPF_NEUTRAL, SPF_NONE, SPF_PERMERROR),
            f.dsnFindings(cited));
    return Optional.of(
        cause(
            Code.SENDER_DMARC_WILL_REJECT,
            "Your messages will be "
                + (reject ? "rejected" : "quarantined")
                + ": "
                + sender
                + " publishes DMARC p="
                + policy
                + ", "
                + dkim
                + ", and SPF "
                + spfVerb(spf.get())
                + " for "
                + ip
                + ", so neither DKIM nor SPF can align and every "
                + "receiver that enforces DMARC "
                + (reject ? "refuses" : "junks")
                + " the mail"
                + (cited.isEmpty()
                    ? "."
                    : " — as the recipient's server did ("
                        + CorrelationFacts.codes(cited.get(0))
                        + ")."),
            !delegated.isEmpty() ? Party.SENDER_MAIL_PROVIDER : Party.SENDER_DNS_ADMIN,
            "Enable DKIM signing for "
                + sender
                + " at the mail provider and publish its keys (the CNAME targets must exist), and "
                + (spf.get() == SpfResult.PERMERROR
                    ? "repair the SPF record (it is broken)"
                    : spf.get() == SpfResult.NONE
                        ? "publish an SPF record that authorizes the provider"
                        : "add the provider to the SPF record")
                + "; either one aligned and passing makes DMARC pass.",
            confidence,
            reject && confidence == Confidence.HIGH ? Verdict.UNDELIVERABLE : Verdict.AT_RISK,
            evidence));
  }

  /** The selectors (or names) of DKIM findings, for a sentence. */
  private static String selectors(List<Finding> dkim) {
    return dkim.stream()
        .map(
            x ->
                x.evidence()
                    .getOrDefault(
                        DkimKeysReport.Evidence.SELECTOR,
                        x.evidence().getOrDefault(DkimKeysReport.Evidence.NAME, x.code())))
        .distinct()
        .collect(Collectors.joining(", "));
  }

  /** The SPF result as a verb phrase: "fails", "is permerror (the record is broken)". */
  private static String spfVerb(SpfResult r) {
    switch (r) {
      case FAIL:
        return "fails";
      case SOFTFAIL:
        return "soft-fails";
      case NEUTRAL:
        return "is neutral";
      case NONE:
        return "finds no record";
      case PERMERROR:
        return "is permerror (the record is broken)";
      default:
        return "is " + r.name().toLowerCase(Locale.ROOT);
    }
  }

  private static LikelyCause fromMessage(
      CorrelationFacts f, DmarcOutcomeReport r, DmarcEvaluation e) {
    boolean reject = e.disposition() == DmarcRecord.Policy.REJECT;
    List<Finding> evidence =
        join(
            r.findings().stream().filter(x -> x.severity() != Severity.INFO).toList(),
            enforcedDmarc(f).map(List::of).orElse(List.of()));
    if (evidence.isEmpty()) {
      evidence =
          r.findings().isEmpty()
              ? List.of(
                  Finding.error(AuthReport.Code.DMARC_FAIL, r.check(), e.authenticationResult())
                      .build())
              : r.findings();
    }
    return cause(
        Code.SENDER_DMARC_WILL_REJECT,
        "Your messages will be "
            + (reject ? "rejected" : "quarantined")
            + ": the message fails DMARC for "
            + e.authorDomain()
            + " ("
            + e.authenticationResult()
            + "): "
            + String.join(" ", e.reasons()),
        Party.SENDER_MAIL_PROVIDER,
        "Make DKIM pass with a key of "
            + e.authorDomain()
            + " (enable signing at the mail provider) or SPF pass for an aligned envelope "
            + "sender.",
        Confidence.HIGH,
        reject ? Verdict.UNDELIVERABLE : Verdict.AT_RISK,
        evidence);
  }

  private static Optional<Finding> enforcedDmarc(CorrelationFacts f) {
    return f.all(DmarcReport.CHECK, DMARC_OK).stream()
        .filter(
            x ->
                f.dmarcPolicy()
                    .filter(
                        p -> p == DmarcRecord.Policy.REJECT || p == DmarcRecord.Policy.QUARANTINE)
                    .isPresent())
        .findFirst()
        .filter(
            x ->
                f.dmarc()
                    .flatMap(DmarcReport::effectivePolicy)
                    .map(p -> p != DmarcRecord.Policy.NONE)
                    .orElse(true));
  }

  /**
   * {@code SENDER_DMARC_WITHOUT_DKIM}: the sender enforces DMARC but its DKIM keys are missing, so
   * DMARC rests on SPF alone. Reads {@code dmarc} ({@code DMARC_OK} with reject or quarantine) and
   * {@code dkim} ({@code DKIM_CNAME_TARGET_MISSING}, {@code DKIM_SELECTOR_NOT_FOUND}, {@code
   * DKIM_NO_KEYS_FOUND}). Party: the sender's mail provider. Confidence medium when delegated keys
   * are missing, low when none was found; at risk.
   */
  static Optional<LikelyCause> senderDmarcWithoutDkim(CorrelationFacts f) {
    Optional<Finding> enforced = enforcedDmarc(f);
    List<Finding> dkimGone =
        f.all(
            DkimKeysReport.CHECK,
            DKIM_CNAME_TARGET_MISSING,
            DKIM_SELECTOR_NOT_FOUND,
            DKIM_NO_KEYS_FOUND);
    if (enforced.isEmpty() || dkimGone.isEmpty()) {
      return Optional.empty();
    }
    String sender = f.senderDomain();
    String policy = f.dmarcPolicy().map(DmarcRecord.Policy::tagValue).orElse("reject");
    boolean delegated = dkimGone.stream().anyMatch(x -> !x.is(DKIM_NO_KEYS_FOUND));
    return Optional.of(
        cause(
            Code.SENDER_DMARC_WITHOUT_DKIM,
            sender
                + " tells receivers to "
                + policy
                + " mail that fails DMARC, but "
                + (delegated
                    ? "the DKIM keys its mail provider should sign with are not published"
                    : "no DKIM key of it was found")
                + ": DMARC then passes only where SPF passes and aligns, so mail the provider sends from servers SPF does not list is "
                + ("reject".equals(policy) ? "rejected." : "quarantined."),
            Party.SENDER_MAIL_PROVIDER,
            "Enable DKIM signing for "
                + sender
                + " at the mail provider and publish its keys (the CNAME targets must exist); until then "
                + "make sure SPF authorizes every server that sends for "
                + sender
                + ".",
            delegated ? Confidence.MEDIUM : Confidence.LOW,
            Verdict.AT_RISK,
            join(List.of(enforced.get()), dkimGone)));
  }

  // ================================================================ reputation

  /**
   * {@code SENDER_IP_REPUTATION}: receivers refuse the sender for its reputation. Reads {@code
   * dnsbl} ({@code DNSBL_LISTED}: the sending IP or the sender domain on a blocklist), {@code
   * bounce} (a rejection that names or links a blocklist, or whose reason is {@code badreputation})
   * and {@code smtp} (a 5xx greeting, {@code SMTP_GREETING_REJECTED}, or a reply naming a
   * blocklist, {@code SMTP_PROBE_IP_LISTED} — about maildx's own address, which is the sending IP
   * only when maildx runs on the sending server). Party: the sender's mail provider (the operator
   * of the IP). Confidence high when the notice's rejection and a listing agree (undeliverable:
   * this receiver refuses the IP as things stand); medium when a listing meets the probe's
   * rejection, or a notice cites a blocklist that the lists asked do not show; low on a listing
   * alone (at risk).
   */
  static Optional<LikelyCause> senderIpReputation(CorrelationFacts f) {
    List<Finding> listed = f.all(DnsblReport.CHECK, DNSBL_LISTED);
    List<BounceReport.Recipient> cites =
        f.dsnRecipients().stream()
            .filter(d -> (f.failed(d) || f.delayed(d)) && CorrelationFacts.citesBlocklist(d))
            .toList();
    List<Finding> probe = f.all(ProbeReport.CHECK, SMTP_GREETING_REJECTED, SMTP_PROBE_IP_LISTED);
    if (listed.isEmpty() && cites.isEmpty()) {
      return Optional.empty();
    }
    String lists =
        listed.stream()
            .map(
                x ->
                    x.evidence().getOrDefault(DnsblReport.Evidence.LIST, "?")
                        + " ("
                        + x.evidence().getOrDefault(DnsblReport.Evidence.CODES, "")
                        + ")")
            .distinct()
            .collect(Collectors.joining(", "));
    String ip = f.sendingIpWithName().orElse("the sending IP");
    String action =
        "The sender's mail provider, which operates "
            + ip
            + ", must stop what got it listed and request removal from "
            + (listed.isEmpty() ? "the list the rejection names" : "each list")
            + "; meanwhile send through another server or provider.";
    if (!listed.isEmpty() && !cites.isEmpty()) {
      BounceReport.Recipient d = cites.get(0);
      // The link once: the quoted rejection already shows it when it carries one.
      String url =
          CorrelationFacts.url(d.diagnosticCode())
              .filter(u -> !CorrelationFacts.codes(d).contains(u))
              .map(u -> ", see " + u)
              .orElse("");
      return Optional.of(
          cause(
              Code.SENDER_IP_REPUTATION,
              "The recipient's server refused the mail for reputation ("
                  + CorrelationFacts.codes(d)
                  + url
                  + "), and "
                  + ip
                  + " is listed on "
                  + lists
                  + ".",
              Party.SENDER_MAIL_PROVIDER,
              action,
              Confidence.HIGH,
              Verdict.UNDELIVERABLE,
              join(f.dsnFindings(cites), listed, probe)));
    }
    if (!listed.isEmpty() && !probe.isEmpty()) {
      return Optional.of(
          cause(
              Code.SENDER_IP_REPUTATION,
              ip
                  + " is listed on "
                  + lists
                  + ", and the recipient's servers refused maildx's probe at the greeting too ("
                  + probe.get(0).evidence().getOrDefault(ProbeReport.Evidence.REPLY, "5xx")
                  + ") — the same happens to the sender's mail if maildx ran from the "
                  + "sending server.",
              Party.SENDER_MAIL_PROVIDER,
              action,
              Confidence.MEDIUM,
              Verdict.AT_RISK,
              join(listed, probe)));
    }
    if (!listed.isEmpty()) {
      return Optional.of(
          cause(
              Code.SENDER_IP_REPUTATION,
              ip
                  + " is listed on "
                  + lists
                  + ": receivers that use "
                  + (listed.size() == 1 ? "this list" : "these lists")
                  + " reject or junk its mail.",
              Party.SENDER_MAIL_PROVIDER,
              action,
              Confidence.LOW,
              Verdict.AT_RISK,
              listed));
    }
    return Optional.of(citedOnly(f, cites.get(0), ip, action, probe));
  }

  /**
   * {@code SENDER_IP_REPUTATION} on the notice alone: it cites a blocklist or the sender's
   * reputation, and no list maildx asked shows the IP.
   */
  private static LikelyCause citedOnly(
      CorrelationFacts f, BounceReport.Recipient d, String ip, String action, List<Finding> probe) {
    List<BounceReport.Recipient> cites = List.of(d);
    String url =
        CorrelationFacts.url(d.diagnosticCode())
            .map(
                u ->
                    CorrelationFacts.codes(d).contains(u)
                        ? ": look the address up at the link it gives"
                        : ": look the address up at " + u)
            .orElse("");
    boolean checked = f.dnsbl().isPresent();
    return cause(
        Code.SENDER_IP_REPUTATION,
        "The recipient's server refused the mail citing a blocklist or the sender's reputation ("
            + CorrelationFacts.codes(d)
            + ")"
            + url
            + "; "
            + (checked
                ? "the blocklists maildx asked do not list "
                    + ip
                    + ", so it is another list or the receiver's own."
                : "maildx did not check blocklists (no sending IP given)."),
        Party.SENDER_MAIL_PROVIDER,
        action,
        Confidence.MEDIUM,
        Verdict.AT_RISK,
        join(f.dsnFindings(cites), f.all(DnsblReport.CHECK, DNSBL_NOT_LISTED), probe));
  }

  // ================================================================ sender domain

  /**
   * {@code SENDER_MX_HALF_MOVED}: some of the sender domain's MX hosts have no address while others
   * work — typically a move to a new provider that left the old provider's MX in place. Replies and
   * delivery notices to the sender are delayed or lost, and receivers that verify the sender's
   * domain may refuse its mail. Reads {@code sender-mx} ({@code MX_TARGET_NO_ADDRESS}, {@code
   * MX_TARGET_NOT_PUBLIC}, {@code MX_TARGET_IP_LITERAL}, {@code MX_NO_USABLE_HOST}). Party: the
   * sender's DNS administrator. Confidence medium; at risk.
   */
  static Optional<LikelyCause> senderMxHalfMoved(CorrelationFacts f) {
    List<Finding> deadFindings =
        f.all(
            MxReport.SENDER_CHECK,
            MX_TARGET_NO_ADDRESS,
            MX_TARGET_NOT_PUBLIC,
            MX_TARGET_IP_LITERAL,
            MX_NO_USABLE_HOST);
    Optional<MxReport> mx = f.report(MxReport.SENDER_CHECK, MxReport.class);
    if (deadFindings.isEmpty() || mx.isEmpty() || mx.get().nullMx()) {
      return Optional.empty();
    }
    List<MxReport.Host> hosts = mx.get().hosts();
    // A host works when a sender can connect to one of its addresses: an address without an
    // MX_TARGET_NOT_PUBLIC finding (loopback, private and reserved space, RFC 6890, is reachable
    // from nowhere on the Internet; routed addresses have no such finding).
    List<MxReport.Host> broken = hosts.stream().filter(h -> !works(f, h)).toList();
    List<MxReport.Host> working = hosts.stream().filter(h -> works(f, h)).toList();
    if (broken.isEmpty()) {
      return Optional.empty();
    }
    String sender = f.senderDomain();
    String describe =
        hosts.stream()
            .map(
                h ->
                    h.preference()
                        + " "
                        + h.name()
                        + " ("
                        + describe(f, MxReport.SENDER_CHECK, h)
                        + ")")
            .collect(Collectors.joining(", "));
    boolean firstBroken =
        !working.isEmpty() && broken.get(0).preference() <= working.get(0).preference();
    String summary =
        working.isEmpty()
            ? "No MX host of "
                + sender
                + " works ("
                + describe
                + "): replies and delivery notices to the sender are lost, and receivers that "
                + "verify the sender's domain refuse its mail."
            : "The MX records of "
                + sender
                + " are half-moved ("
                + describe
                + "): "
                + (firstBroken
                    ? "senders try the dead host first, so replies and delivery notices to the sender are delayed"
                    : "a dead host remains beside the working ones")
                + ", and receivers that verify the sender's domain may refuse its mail.";
    String dead =
        broken.stream().map(MxReport.Host::name).distinct().collect(Collectors.joining(", "));
    String action =
        working.isEmpty()
            ? "Point the MX records of "
                + sender
                + " at the servers of the current mail provider: none of "
                + dead
                + " has an address senders on the Internet can reach."
            : "Remove the MX records of "
                + sender
                + " that point to "
                + dead
                + "; keep "
                + working.stream().map(MxReport.Host::name).collect(Collectors.joining(", "))
                + ".";
    return Optional.of(
        cause(
            Code.SENDER_MX_HALF_MOVED,
            summary,
            Party.SENDER_DNS_ADMIN,
            action,
            Confidence.MEDIUM,
            Verdict.AT_RISK,
            deadFindings));
  }

  /** The addresses of a sender MX host that the MX check found not public. */
  private static List<String> notPublic(CorrelationFacts f, MxReport.Host h) {
    return f.all(MxReport.SENDER_CHECK, MX_TARGET_NOT_PUBLIC).stream()
        .filter(x -> h.name().equalsIgnoreCase(x.evidence().getOrDefault("host", "")))
        .map(x -> x.evidence().getOrDefault("address", ""))
        .toList();
  }

  private static boolean works(CorrelationFacts f, MxReport.Host h) {
    List<String> unreachable = notPublic(f, h);
    return h.addresses().stream()
        .map(InetAddresses::toLiteral)
        .anyMatch(a -> !unreachable.contains(a));
  }

  /** A host's addresses for a sentence: "198.51.100.20", "127.0.0.1: loopback", "no address". */
  private static String describe(CorrelationFacts f, String check, MxReport.Host h) {
    if (h.addresses().isEmpty()) {
      return "no address";
    }
    return h.addresses().stream()
        .map(InetAddresses::toLiteral)
        .map(
            a ->
                f.all(check, MX_TARGET_NOT_PUBLIC).stream()
                    .filter(
                        x ->
                            h.name().equalsIgnoreCase(x.evidence().getOrDefault("host", ""))
                                && a.equals(x.evidence().get("address")))
                    .findFirst()
                    .map(x -> a + ": " + x.evidence().getOrDefault("range", "not public"))
                    .orElse(a))
        .collect(Collectors.joining(", "));
  }

  // ================================================================ fallbacks for a notice nothing
  // else explains

  /**
   * {@code RECIPIENT_REJECTED_MESSAGE}: the bounce reports a failure that no rule above explains;
   * the cause is what the notice itself says. Reads {@code bounce} ({@code BOUNCE_HARD}, {@code
   * BOUNCE_FAILED} not cited by another cause). Party: the party the notice's classification names
   * (the recipient's postmaster if none). Confidence medium; undeliverable for a hard bounce, else
   * at risk.
   */
  static Optional<LikelyCause> recipientRejectedMessage(CorrelationFacts f) {
    List<BounceReport.Recipient> failed =
        f.dsnRecipients().stream()
            .filter(d -> f.failed(d) && f.dsnFinding(d).map(x -> !f.explained(x)).orElse(false))
            .toList();
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    BounceReport.Recipient d = failed.get(0);
    return Optional.of(
        cause(
            Code.RECIPIENT_REJECTED_MESSAGE,
            "Delivery to "
                + (d.recipient().isEmpty() ? f.recipient() : d.recipient())
                + " failed ("
                + d.reason().id()
                + ", "
                + CorrelationFacts.codes(d)
                + "): "
                + d.explanation(),
            d.party() == null ? Party.RECIPIENT_POSTMASTER : d.party(),
            "Act on what the notice says: " + d.explanation(),
            Confidence.MEDIUM,
            d.hardBounce() ? Verdict.UNDELIVERABLE : Verdict.AT_RISK,
            f.dsnFindings(failed),
            d.explanation()));
  }

  /**
   * {@code RECIPIENT_NOT_ACCEPTING_YET}: a delay notice that no rule above explains: the
   * recipient's gateway has not accepted the message yet. Reads {@code bounce} ({@code
   * BOUNCE_DELAYED} not cited by another cause). Party: the recipient's postmaster. Confidence low;
   * at risk.
   */
  static Optional<LikelyCause> recipientNotAcceptingYet(CorrelationFacts f) {
    List<Finding> delayed =
        f.all(BounceReport.CHECK, BOUNCE_DELAYED).stream().filter(x -> !f.explained(x)).toList();
    if (delayed.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        cause(
            Code.RECIPIENT_NOT_ACCEPTING_YET,
            "The sender's mail server could not hand the message to the recipient's mail server and is still retrying ("
                + delayed
                    .get(0)
                    .evidence()
                    .getOrDefault(BounceReport.Evidence.REASON, "cause not stated")
                + ").",
            Party.RECIPIENT_POSTMASTER,
            "Ask the recipient's postmaster whether their gateway receives mail from the sender's servers; if it stays this way, "
                + "the sender's server gives up when its queue lifetime ends (typically after 5 days) and sends a bounce.",
            Confidence.LOW,
            Verdict.AT_RISK,
            delayed));
  }
}
