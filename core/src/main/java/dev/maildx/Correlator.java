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

    smtp(q, findings, out, recipientDomain);

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
