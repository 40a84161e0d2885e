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
