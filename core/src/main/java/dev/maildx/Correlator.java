package dev.maildx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns findings into ranked likely causes. Each rule is documented by its code and tested; the
 * rules read finding codes, so any module's findings can take part.
 *
 * <p>Ranking: by confidence, then by the order of the rules below (which puts causes that stop
 * delivery outright before those that endanger it).
 */
final class Correlator {
  private Correlator() {}

  static List<LikelyCause> causes(DeliveryQuestion q, List<CheckReport> reports, List<Finding> findings) {
    List<LikelyCause> out = new ArrayList<>();
    String recipientDomain = q.recipientDomain().map(DomainName::ascii).orElse("the recipient domain");

    // The recipient domain accepts no mail at all (RFC 7505).
    first(findings, code("MX_NULL").and(check("mx"))).ifPresent(f -> out.add(new LikelyCause("RECIPIENT_ACCEPTS_NO_MAIL",
        recipientDomain + " publishes a null MX: it declares that it accepts no email at all.",
        Party.SENDER,
        "Mail to this domain will always bounce. Ask the recipient for an address at a domain that receives mail.",
        LikelyCause.Confidence.HIGH, List.of(f))));

    // The recipient domain does not exist.
    first(findings, code("MX_NXDOMAIN").and(check("mx"))).ifPresent(f -> out.add(new LikelyCause("RECIPIENT_DOMAIN_DOES_NOT_EXIST",
        recipientDomain + " does not exist in the DNS.",
        Party.SENDER,
        "Check the recipient address for a typo; if the domain is new or was just renewed, its owner must fix its DNS delegation.",
        LikelyCause.Confidence.HIGH, List.of(f))));

    // No usable mail server.
    List<Finding> noHost = findings.stream().filter(code("MX_NO_USABLE_HOST").or(code("MX_NONE")).and(check("mx"))).toList();
    if (!noHost.isEmpty()) {
      out.add(new LikelyCause("RECIPIENT_HAS_NO_MAIL_SERVER",
          recipientDomain + " has no mail server that a sender could connect to.",
          Party.RECIPIENT_DNS_ADMIN,
          "The recipient's DNS administrator must publish MX records whose hosts resolve to public addresses.",
          LikelyCause.Confidence.HIGH, noHost));
    }

    // The recipient's MX could not be looked up.
    first(findings, code("MX_LOOKUP_FAILED").and(check("mx"))).ifPresent(f -> out.add(new LikelyCause("RECIPIENT_DNS_NOT_ANSWERING",
        "The MX records of " + recipientDomain + " could not be looked up (" + f.evidence().getOrDefault("outcome", "no answer")
            + "); sending servers that see the same will queue the mail and retry.",
        Party.RECIPIENT_DNS_ADMIN,
        "Check that the recipient domain's name servers answer. If only your resolver fails, retry with another one (--dns).",
        LikelyCause.Confidence.LOW, List.of(f))));

    // The sender enforces DMARC, but its mail provider's DKIM keys are missing: DMARC then rests on SPF alone.
    java.util.Optional<Finding> enforced = first(findings, code("DMARC_OK").and(check("dmarc"))
        .and(f -> List.of("reject", "quarantine").contains(f.evidence().getOrDefault("policy", ""))));
    List<Finding> dkimGone = findings.stream().filter(code("DKIM_CNAME_TARGET_MISSING").or(code("DKIM_SELECTOR_NOT_FOUND"))
        .or(code("DKIM_NO_KEYS_FOUND")).and(check("dkim"))).toList();
    if (enforced.isPresent() && !dkimGone.isEmpty()) {
      String sender = q.senderDomain().map(DomainName::ascii).orElse("the sender domain");
      boolean delegated = dkimGone.stream().anyMatch(code("DKIM_CNAME_TARGET_MISSING").or(code("DKIM_SELECTOR_NOT_FOUND")));
      List<Finding> evidence = new ArrayList<>();
      evidence.add(enforced.get());
      evidence.addAll(dkimGone);
      out.add(new LikelyCause("SENDER_DMARC_WITHOUT_DKIM",
          sender + " tells receivers to " + enforced.get().evidence().get("policy") + " mail that fails DMARC, but "
              + (delegated ? "the DKIM keys its mail provider should sign with are not published" : "no DKIM key of it was found")
              + ": DMARC then passes only where SPF passes and aligns, so mail the provider sends from servers SPF does not list is "
              + ("reject".equals(enforced.get().evidence().get("policy")) ? "rejected." : "quarantined."),
          Party.SENDER_MAIL_PROVIDER,
          "Enable DKIM signing for " + sender + " at the mail provider and publish its keys (the CNAME targets must exist); until then "
              + "make sure SPF authorizes every server that sends for " + sender + ".",
          delegated ? LikelyCause.Confidence.MEDIUM : LikelyCause.Confidence.LOW, evidence));
    }

    // The sender's SPF does not authorize the sending IP, or its record is broken (RFC 7208).
    String senderDomain = q.senderDomain().map(DomainName::ascii).orElse("the sender domain");
    java.util.Optional<Finding> spfFail = first(findings, code("SPF_FAIL").and(check("spf")));
    spfFail.ifPresent(f -> out.add(new LikelyCause("SENDER_SPF_DOES_NOT_AUTHORIZE_IP",
        "The SPF record of " + senderDomain + " does not authorize the IP address the mail is sent from ("
            + f.evidence().getOrDefault("ip", "?") + "); receivers that enforce SPF or DMARC reject or drop it.",
        Party.SENDER_DNS_ADMIN,
        "Add the sending provider's SPF include (or its ip4/ip6 ranges) to the SPF record of " + senderDomain
            + ", and remove includes of providers no longer used.",
        LikelyCause.Confidence.HIGH, List.of(f))));
    List<Finding> spfBroken = findings.stream().filter(check("spf").and(code("SPF_PERMERROR").or(code("SPF_MULTIPLE_RECORDS"))
        .or(code("SPF_SYNTAX_ERROR")).or(code("SPF_TOO_MANY_LOOKUPS")).or(code("SPF_TOO_MANY_VOID_LOOKUPS")).or(code("SPF_MX_TOO_MANY"))
        .or(code("SPF_INCLUDE_NO_RECORD")).or(code("SPF_REDIRECT_NO_RECORD")).or(code("SPF_INCLUDE_LOOP")).or(code("SPF_REDIRECT_LOOP"))))
        .toList();
    if (spfFail.isEmpty() && !spfBroken.isEmpty()) {
      out.add(new LikelyCause("SENDER_SPF_RECORD_BROKEN",
          "The SPF record of " + senderDomain + " is broken (" + spfBroken.get(0).code() + "): receivers that reach the broken part get "
              + "permerror and treat it like a failed SPF check.",
          Party.SENDER_DNS_ADMIN,
          "Fix the SPF record of " + senderDomain + " as the SPF findings say (one record, valid syntax, at most 10 DNS-querying terms, "
              + "includes that exist).",
          spfBroken.stream().anyMatch(code("SPF_PERMERROR")) ? LikelyCause.Confidence.HIGH : LikelyCause.Confidence.MEDIUM, spfBroken));
    }
    smtp(q, findings, out, recipientDomain);

    // A delay notice and nothing else known: the recipient's gateway has not accepted the message (yet).
    List<Finding> delayed = findings.stream().filter(code("BOUNCE_DELAYED").and(check("bounce"))).toList();
    if (!delayed.isEmpty() && out.isEmpty()) {
      out.add(new LikelyCause("RECIPIENT_NOT_ACCEPTING_YET",
          "The sender's mail server could not hand the message to the recipient's mail server and is still retrying ("
              + delayed.get(0).evidence().getOrDefault("reason", "cause not stated") + ").",
          Party.RECIPIENT_POSTMASTER,
          "Ask the recipient's postmaster whether their gateway receives mail from the sender's servers; if it stays this way, "
              + "the sender's server gives up when its queue lifetime ends (typically after 5 days) and sends a bounce.",
          LikelyCause.Confidence.LOW, delayed));
    }

    out.sort(Comparator.comparing(LikelyCause::confidence));
    return List.copyOf(out);
  }

  /** Rules over the SMTP probe's findings (check {@code smtp}). */
  private static void smtp(DeliveryQuestion q, List<Finding> findings, List<LikelyCause> out, String recipientDomain) {
    String recipient = q.recipient().map(EmailAddress::toString).orElse("the recipient");

    // The recipient's server says the mailbox does not exist (550 5.1.1).
    List<Finding> unknown = findings.stream().filter(code("SMTP_RCPT_USER_UNKNOWN").and(check("smtp"))).toList();
    if (!unknown.isEmpty()) {
      out.add(new LikelyCause("RECIPIENT_MAILBOX_UNKNOWN",
          "The recipient's mail server says " + recipient + " does not exist.",
          Party.SENDER,
          "Check the address for a typo, or ask the recipient for the right one.",
          LikelyCause.Confidence.HIGH, unknown));
    }

    // Every gateway accepts the connection and then never completes the conversation (black hole, tarpit).
    first(findings, code("SMTP_NO_HOST_ACCEPTS").and(check("smtp"))).ifPresent(all -> {
      List<Finding> evidence = new ArrayList<>();
      evidence.add(all);
      findings.stream().filter(code("SMTP_NO_BANNER").or(code("SMTP_TARPIT")).or(code("SMTP_TIMEOUT")).or(code("SMTP_DISCONNECTED"))
          .or(code("SMTP_PROTOCOL_ERROR")).or(code("SMTP_GREETING_REJECTED")).or(code("SMTP_GREETING_DEFERRED")).and(check("smtp")))
          .forEach(evidence::add);
      out.add(new LikelyCause("RECIPIENT_GATEWAY_UNRESPONSIVE",
          "The mail servers of " + recipientDomain + " accept connections but never complete an SMTP conversation: senders queue the "
              + "mail and retry, which is why 'delivery delayed' notices arrive and the mail finally bounces.",
          Party.RECIPIENT_POSTMASTER,
          "The recipient's postmaster must check the gateway (overloaded, misconfigured, or deliberately delaying some senders); "
              + "send them the probe's transcript and its time.",
          LikelyCause.Confidence.MEDIUM, evidence));
    });

    // MTA-STS in enforce mode while TLS or the certificate is broken: large senders stop delivering.
    List<Finding> sts = findings.stream().filter(code("SMTP_MTA_STS_TLS_FAILED").or(code("SMTP_MTA_STS_CERT_INVALID")).and(check("smtp"))
        .and(f -> f.severity() == Severity.ERROR)).toList();
    if (!sts.isEmpty()) {
      out.add(new LikelyCause("RECIPIENT_MTA_STS_TLS_BROKEN",
          recipientDomain + " enforces MTA-STS, but its mail server's TLS or certificate fails the policy: senders that honour it "
              + "(Gmail, Outlook.com and others) do not deliver.",
          Party.RECIPIENT_POSTMASTER,
          "Install a certificate from a public authority that names the MX host, or switch the MTA-STS policy to testing until it is fixed.",
          LikelyCause.Confidence.HIGH, sts));
    }

    // Greylisting: the first attempt is deferred on purpose.
    List<Finding> grey = findings.stream().filter(code("SMTP_RCPT_GREYLISTED").and(check("smtp"))).toList();
    if (!grey.isEmpty()) {
      out.add(new LikelyCause("RECIPIENT_GREYLISTING",
          "The recipient's mail server defers new senders for a while (greylisting): the first mail arrives late.",
          Party.NOBODY,
          "Nothing to fix: the sender's server retries and the mail arrives after minutes (sometimes hours).",
          LikelyCause.Confidence.LOW, grey));
    }
  }

  private static Predicate<Finding> code(String code) {
    return f -> f.code().equals(code);
  }

  private static Predicate<Finding> check(String check) {
    return f -> f.check().equals(check);
  }

  private static java.util.Optional<Finding> first(List<Finding> findings, Predicate<Finding> p) {
    return findings.stream().filter(p).findFirst();
  }
}
