package dev.maildx.smtp.internal;

import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.EnhancedStatusCode;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.SmtpReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the conversations into findings that explain, in words, what each server did and what it
 * means for a sender. The codes are documented on {@code SmtpProber}.
 */
final class ProbeFindings {
  static final String CHECK = ProbeReport.CHECK;

  /** What a certificate problem means for delivery, said after it. */
  private static final String OPPORTUNISTIC =
      " Most senders use TLS opportunistically and deliver anyway; senders that enforce MTA-STS do not.";

  private static final Pattern URL = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"')]+");
  private static final Pattern BLOCKLIST =
      Pattern.compile(
          "(?i)spamhaus|spamcop|barracuda|sorbs|uceprotect|abuseat|senderscore|mailspike|block ?list|black ?list|\\bdnsbl\\b|\\brbl\\b"
              + "|listed (?:at|on|in|by)|\\bblocked using\\b|poor reputation|bad reputation|\\breputation\\b");
  private static final Pattern GREYLIST =
      Pattern.compile(
          "(?i)gr[ea]y[ -]?list|try again later|please (?:try again|retry)|come back later|temporar(?:il)?y (?:rejected|deferred|refused)");
  private static final Pattern UNKNOWN_USER =
      Pattern.compile(
          "(?i)user unknown|unknown user|no such (?:user|mailbox|recipient)|mailbox (?:unavailable|not found|does not exist)|does not exist"
              + "|recipient (?:not found|unknown|rejected: user)|unknown recipient|invalid recipient|no mailbox|address rejected|not a valid mailbox");
  private static final Set<ProbeReport.Outcome> UNUSABLE =
      EnumSet.of(
          ProbeReport.Outcome.CONNECT_REFUSED,
          ProbeReport.Outcome.CONNECT_TIMEOUT,
          ProbeReport.Outcome.NO_BANNER,
          ProbeReport.Outcome.BANNER_REJECTED,
          ProbeReport.Outcome.EHLO_REJECTED,
          ProbeReport.Outcome.DISCONNECTED,
          ProbeReport.Outcome.PROTOCOL_ERROR);

  /** What the findings need to know about the probe as a whole. */
  record Context(
      String target,
      @Nullable DomainName domain,
      int port,
      @Nullable EmailAddress recipient,
      MtaStsReport.@Nullable Policy mtaSts,
      ProbeSettings settings) {}

  /** An address that was not probed, and why. */
  record Skipped(String name, java.net.InetAddress address, String reason, boolean inconclusive) {}

  private ProbeFindings() {}

  static List<Finding> of(
      Context ctx, List<Conversation.Result> results, List<Skipped> skipped, List<Finding> before) {
    List<Finding> out = new ArrayList<>(before);
    boolean anyConnected = results.stream().anyMatch(r -> r.host().outcome().connected());
    for (Conversation.Result r : results) {
      host(ctx, r, anyConnected, results, out);
    }
    for (Skipped s : skipped) {
      String label = s.name() + " [" + InetAddresses.toLiteral(s.address()) + "]";
      Finding.Builder b =
          s.inconclusive()
              ? Finding.inconclusive(
                  ProbeReport.Code.SMTP_NOT_PROBED,
                  CHECK,
                  label + " was not probed: " + s.reason() + "; its behaviour is unknown.")
              : Finding.info(
                  ProbeReport.Code.SMTP_ADDRESS_NOT_PROBED,
                  CHECK,
                  label + " was not probed: " + s.reason() + ".");
      out.add(
          b.evidence("host", s.name())
              .evidence("address", InetAddresses.toLiteral(s.address()))
              .build());
    }
    aggregate(ctx, results, skipped, anyConnected, out);
    out.sort(Comparator.comparing(Finding::severity));
    return out;
  }

  private static void aggregate(
      Context ctx,
      List<Conversation.Result> results,
      List<Skipped> skipped,
      boolean anyConnected,
      List<Finding> out) {
    String what = ctx.domain() != null ? "the mail servers of " + ctx.domain() : ctx.target();
    if (results.isEmpty()) {
      if (skipped.isEmpty()) {
        out.add(
            Finding.info(
                    ProbeReport.Code.SMTP_NOTHING_TO_PROBE,
                    CHECK,
                    "There is no mail server address to probe for " + ctx.target() + ".")
                .evidence("target", ctx.target())
                .build());
      }
      return;
    }
    if (!anyConnected) {
      boolean allUnreachable = results.stream().allMatch(Conversation.Result::unreachable);
      out.add(
          Finding.inconclusive(
                  ProbeReport.Code.SMTP_UNREACHABLE,
                  CHECK,
                  "maildx could not connect to any of "
                      + what
                      + " on port "
                      + ctx.port()
                      + " ("
                      + results.size()
                      + " address"
                      + (results.size() == 1 ? "" : "es")
                      + " tried). "
                      + (allUnreachable
                          ? "The network here has no route to them."
                          : "Either they are all down or filtered, or outbound port "
                              + ctx.port()
                              + " is blocked where maildx runs (common with ISPs and cloud providers): rerun from a host that can send mail."))
              .evidence("target", ctx.target())
              .evidence("port", ctx.port())
              .rfc("RFC 5321 §5.1")
              .build());
      return;
    }
    boolean allUnusable =
        results.stream()
            .allMatch(
                r ->
                    UNUSABLE.contains(r.host().outcome())
                        && !(r.host().timedOut()
                            && !r.phaseLimitHit()
                            && r.host().phase() != ProbeReport.Phase.GREETING));
    boolean probeIpListed = out.stream().anyMatch(f -> f.is(ProbeReport.Code.SMTP_PROBE_IP_LISTED));
    if (allUnusable && !probeIpListed) {
      out.add(
          Finding.error(
                  ProbeReport.Code.SMTP_NO_HOST_ACCEPTS,
                  CHECK,
                  "None of "
                      + what
                      + " completed an SMTP conversation with maildx ("
                      + results.size()
                      + " address"
                      + (results.size() == 1 ? "" : "es")
                      + "). Senders queue the mail and retry; the sender gets "
                      + "'delivery delayed' notices and, after days, a bounce.")
              .effect(Verdict.AT_RISK)
              .evidence("target", ctx.target())
              .evidence(
                  "outcomes",
                  String.join(
                      ", ",
                      results.stream()
                          .map(r -> r.host().label() + " " + outcome(r.host().outcome()))
                          .toList()))
              .rfc("RFC 5321 §4.5.4.1")
              .build());
    }
  }

  private static void host(
      Context ctx,
      Conversation.Result r,
      boolean anyConnected,
      List<Conversation.Result> results,
      List<Finding> out) {
    ProbeReport.Host h = r.host();
    String who = h.label();
    if (notGreeted(r, who, anyConnected, results, out)) {
      return;
    }
    greetingTiming(ctx, h, who, out);
    noEsmtp(h, who, out);
    ending(ctx, r, who, out);
    noStartTls(ctx, h, who, out);
    if (h.tls() != null) {
      tls(h, h.tls(), who, out);
    }
    mtaSts(ctx, h, who, h.ehlo() != null && h.outcome() != ProbeReport.Outcome.EHLO_REJECTED, out);
    dane(h, who, out);
  }

  /**
   * A host that never greeted: no connection, or no banner, or a refusing one (RFC 5321 §3.1).
   * Returns whether it was one; nothing else is then said about it.
   */
  private static boolean notGreeted(
      Conversation.Result r,
      String who,
      boolean anyConnected,
      List<Conversation.Result> results,
      List<Finding> out) {
    ProbeReport.Host h = r.host();
    switch (h.outcome()) {
      case CONNECT_REFUSED:
        if (r.unreachable()) {
          String msg =
              who
                  + " could not be reached from here: "
                  + h.detail()
                  + ". This says more about the network maildx runs on "
                  + "(for example no IPv6 route) than about the server.";
          out.add(
              ev(
                      anyConnected
                          ? Finding.info(ProbeReport.Code.SMTP_CONNECT_UNREACHABLE, CHECK, msg)
                          : Finding.inconclusive(
                              ProbeReport.Code.SMTP_CONNECT_UNREACHABLE, CHECK, msg),
                      h)
                  .build());
        } else {
          String msg =
              who
                  + " refused the connection: nothing listens on port "
                  + h.port()
                  + ", or a firewall rejects it.";
          out.add(
              ev(
                      connectFailure(
                          anyConnected,
                          backup(h, results),
                          ProbeReport.Code.SMTP_CONNECT_REFUSED,
                          msg),
                      h)
                  .rfc("RFC 5321 §5.1")
                  .build());
        }
        return true;
      case CONNECT_TIMEOUT:
        {
          String msg =
              who
                  + " did not answer the TCP connection within "
                  + ms(h.timings().get(ProbeReport.Phase.CONNECT))
                  + ": port "
                  + h.port()
                  + " is blocked or filtered (by its firewall, or on the way out from here), or the host is down.";
          out.add(
              ev(
                      connectFailure(
                          anyConnected,
                          backup(h, results),
                          ProbeReport.Code.SMTP_CONNECT_TIMEOUT,
                          msg),
                      h)
                  .rfc("RFC 5321 §5.1")
                  .build());
          return true;
        }
      case NO_BANNER:
        noBanner(r, who, out);
        return true;
      case BANNER_REJECTED:
        bannerRejected(h, who, out);
        return true;
      default:
        return false;
    }
  }

  /** A server that answered EHLO with an error and HELO with success (RFC 5321 §4.1.1.1). */
  private static void noEsmtp(ProbeReport.Host h, String who, List<Finding> out) {
    if (h.ehlo() != null && !h.esmtp() && h.outcome() != ProbeReport.Outcome.EHLO_REJECTED) {
      out.add(
          ev(
                  Finding.warning(
                      ProbeReport.Code.SMTP_NO_ESMTP,
                      CHECK,
                      who
                          + " refused EHLO and accepted only HELO: no extensions, so no STARTTLS, "
                          + "no 8BITMIME, no SMTPUTF8, no size declaration."),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, h.ehlo())
              .rfc("RFC 5321 §4.1.1.1")
              .build());
    }
  }

  /** How the conversation ended: the phase it failed at, or the answer to RCPT TO. */
  private static void ending(Context ctx, Conversation.Result r, String who, List<Finding> out) {
    ProbeReport.Host h = r.host();
    switch (h.outcome()) {
      case EHLO_REJECTED:
        out.add(
            ev(
                    Finding.error(
                            ProbeReport.Code.SMTP_EHLO_REJECTED,
                            CHECK,
                            who
                                + " refused "
                                + (h.phase() == ProbeReport.Phase.TLS_EHLO
                                    ? "EHLO after STARTTLS"
                                    : "EHLO")
                                + (h.ehlo() != null
                                    ? " (" + h.ehlo().code() + " " + h.ehlo().text() + ")"
                                    : "")
                                + "; senders cannot go on.")
                        .effect(Verdict.AT_RISK),
                    h)
                .evidence(ProbeReport.Evidence.REPLY, h.ehlo())
                .rfc("RFC 5321 §4.1.1.1")
                .build());
        break;
      case TLS_FAILED:
        out.add(
            ev(
                    Finding.error(
                            h.detail().startsWith("STARTTLS was refused")
                                ? ProbeReport.Code.SMTP_STARTTLS_REJECTED
                                : ProbeReport.Code.SMTP_TLS_FAILED,
                            CHECK,
                            who
                                + " offers STARTTLS but "
                                + lowerFirst(h.detail())
                                + ". Senders that require TLS (MTA-STS, DANE) will not deliver to it; "
                                + "most others retry without TLS.")
                        .effect(Verdict.AT_RISK),
                    h)
                .evidence("detail", h.detail())
                .rfc("RFC 3207 §4")
                .build());
        break;
      case DISCONNECTED:
        disconnected(r, who, out);
        break;
      case PROTOCOL_ERROR:
        out.add(
            ev(
                    Finding.error(
                            ProbeReport.Code.SMTP_PROTOCOL_ERROR,
                            CHECK,
                            who
                                + " broke the SMTP protocol during "
                                + phase(h.phase())
                                + ": "
                                + h.detail()
                                + ". Senders give up on such a server and retry later.")
                        .effect(Verdict.AT_RISK),
                    h)
                .evidence("detail", h.detail())
                .rfc("RFC 5321 §4.2")
                .build());
        break;
      case RCPT_REJECTED:
        rejected(ctx, h, who, out);
        break;
      case RCPT_DEFERRED:
        deferred(h, who, out);
        break;
      case ACCEPTED:
        accepted(ctx, r, who, out);
        break;
      default:
        break;
    }
  }

  /** An ESMTP server that does not offer STARTTLS when the probe asked for it (RFC 3207 §4). */
  private static void noStartTls(Context ctx, ProbeReport.Host h, String who, List<Finding> out) {
    boolean pastEhlo =
        h.esmtp()
            && h.outcome() != ProbeReport.Outcome.EHLO_REJECTED
            && h.phase() != ProbeReport.Phase.EHLO;
    if (pastEhlo && ctx.settings().startTls() && !h.extensions().startTls()) {
      out.add(
          ev(
                  Finding.warning(
                      ProbeReport.Code.SMTP_NO_STARTTLS,
                      CHECK,
                      who
                          + " does not offer STARTTLS: mail to it travels unencrypted, and senders "
                          + "that require TLS will not deliver to it."),
                  h)
              .evidence("extensions", String.join(", ", h.extensions().keywords()))
              .rfc("RFC 3207 §4")
              .build());
    }
  }

  /**
   * A connect failure: inconclusive when nothing could be reached (perhaps port 25 is blocked
   * here); at risk when a server with a better or equal preference failed while others work
   * (senders wait, then fall back); no effect for a backup behind a working primary.
   */
  private static Finding.Builder connectFailure(
      boolean anyConnected, boolean backup, ProbeReport.Code code, String msg) {
    if (!anyConnected) {
      return Finding.inconclusive(code, CHECK, msg);
    }
    if (backup) {
      return Finding.warning(
          code,
          CHECK,
          msg
              + " It is a backup behind a server that works, so this only matters when that one fails.");
    }
    return Finding.warning(
            code,
            CHECK,
            msg
                + " Senders try it first, wait, then fall back to the other servers: mail is delayed.")
        .effect(Verdict.AT_RISK);
  }

  /** Whether a server with a lower preference value (tried earlier) accepted the probe. */
  private static boolean backup(ProbeReport.Host h, List<Conversation.Result> results) {
    return results.stream()
        .anyMatch(
            o ->
                o.host().outcome() == ProbeReport.Outcome.ACCEPTED
                    && o.host().preference() < h.preference());
  }

  private static void noBanner(Conversation.Result r, String who, List<Finding> out) {
    ProbeReport.Host h = r.host();
    Duration waited = h.timings().getOrDefault(ProbeReport.Phase.GREETING, Duration.ZERO);
    if (r.failure() == ProbeFailure.Kind.STALLED || !r.partial().isEmpty()) {
      out.add(
          ev(
                  Finding.error(
                          ProbeReport.Code.SMTP_TARPIT,
                          CHECK,
                          who
                              + " accepted the connection but trickles its greeting"
                              + (h.greetingFirstByte() != null
                                  ? " (first byte after " + ms(h.greetingFirstByte()) + ")"
                                  : "")
                              + " and had not completed it after "
                              + ms(waited)
                              + ": a tarpit. Senders time out and retry, so mail is delayed for hours and finally bounced.")
                      .effect(Verdict.AT_RISK),
                  h)
              .evidence("received", Transcript.printable(r.partial(), 100))
              .rfc("RFC 5321 §4.5.3.2.1")
              .build());
      return;
    }
    out.add(
        ev(
                Finding.error(
                        ProbeReport.Code.SMTP_NO_BANNER,
                        CHECK,
                        who
                            + " accepted the TCP connection but sent no greeting in "
                            + ms(waited)
                            + ": a black hole. Senders wait (RFC 5321 allows 5 minutes), give up and retry, so mail is delayed and finally bounced."
                            + (waited.compareTo(Duration.ofSeconds(10)) < 0
                                ? " (maildx waited only "
                                    + ms(waited)
                                    + "; a longer timeout makes this surer.)"
                                : ""))
                    .effect(Verdict.AT_RISK),
                h)
            .rfc("RFC 5321 §4.5.3.2.1")
            .build());
  }

  private static void bannerRejected(ProbeReport.Host h, String who, List<Finding> out) {
    SmtpReply b = h.banner();
    if (b == null) {
      return;
    }
    if (b.isTransient()) {
      out.add(
          ev(
                  Finding.warning(
                          ProbeReport.Code.SMTP_GREETING_DEFERRED,
                          CHECK,
                          who
                              + " greeted with "
                              + b.code()
                              + " ("
                              + b.text()
                              + "): a temporary "
                              + "refusal. The server is overloaded, in maintenance, or limiting or refusing this client for now; senders retry later, so mail is delayed.")
                      .effect(Verdict.AT_RISK),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, b)
              .rfc("RFC 5321 §3.1")
              .build());
    } else {
      out.add(
          ev(
                  Finding.error(
                          ProbeReport.Code.SMTP_GREETING_REJECTED,
                          CHECK,
                          who
                              + " greeted with "
                              + b.code()
                              + " ("
                              + b.text()
                              + "): it refuses "
                              + "to talk to this client at all.")
                      .effect(Verdict.AT_RISK),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, b)
              .rfc("RFC 5321 §3.1")
              .build());
    }
    blocklisted(h, b, who, "at the greeting", out);
  }

  private static void blocklisted(
      ProbeReport.Host h, SmtpReply reply, String who, String when, List<Finding> out) {
    String text = reply.text();
    if (!BLOCKLIST.matcher(text).find()) {
      return;
    }
    Matcher url = URL.matcher(text);
    out.add(
        ev(
                Finding.inconclusive(
                    ProbeReport.Code.SMTP_PROBE_IP_LISTED,
                    CHECK,
                    who
                        + " refused maildx "
                        + when
                        + " because the probing IP address "
                        + "is on a blocklist or has a poor reputation ("
                        + reply.code()
                        + " "
                        + text
                        + "). That is about the machine maildx runs on, "
                        + "not about the sender's servers: the probe could not see what the sender sees."),
                h)
            .evidence(ProbeReport.Evidence.REPLY, reply)
            .evidence("url", url.find() ? url.group() : "")
            .build());
  }

  private static void greetingTiming(
      Context ctx, ProbeReport.Host h, String who, List<Finding> out) {
    Duration g = h.timings().get(ProbeReport.Phase.GREETING);
    if (h.banner() != null && g != null && g.compareTo(ctx.settings().slowGreeting()) > 0) {
      out.add(
          ev(
                  Finding.warning(
                      ProbeReport.Code.SMTP_SLOW_GREETING,
                      CHECK,
                      who
                          + " took "
                          + ms(g)
                          + " to greet"
                          + (h.greetingFirstByte() != null
                              ? " (first byte after " + ms(h.greetingFirstByte()) + ")"
                              : "")
                          + ". Senders wait up to 5 minutes, but a slow greeting is a sign of overload or of a deliberate delay against spammers."),
                  h)
              .evidence("greetingMs", g.toMillis())
              .rfc("RFC 5321 §4.5.3.2.1")
              .build());
    }
  }

  private static void disconnected(Conversation.Result r, String who, List<Finding> out) {
    ProbeReport.Host h = r.host();
    Duration waited = h.timings().getOrDefault(h.phase(), Duration.ZERO);
    if (r.failure() == ProbeFailure.Kind.STALLED) {
      out.add(
          ev(
                  Finding.error(
                          ProbeReport.Code.SMTP_TARPIT,
                          CHECK,
                          who
                              + " trickles its reply to "
                              + phase(h.phase())
                              + " a few bytes at a time: a tarpit. "
                              + "Senders time out and retry, so mail is delayed.")
                      .effect(Verdict.AT_RISK),
                  h)
              .evidence("received", Transcript.printable(r.partial(), 100))
              .rfc("RFC 5321 §4.5.3.2")
              .build());
    } else if (h.timedOut() && r.phaseLimitHit()) {
      out.add(
          ev(
                  Finding.error(
                          ProbeReport.Code.SMTP_TIMEOUT,
                          CHECK,
                          who
                              + " stopped answering during "
                              + phase(h.phase())
                              + ": no reply within "
                              + ms(waited)
                              + ". Senders give up on the connection and retry later.")
                      .effect(Verdict.AT_RISK),
                  h)
              .rfc("RFC 5321 §4.5.3.2")
              .build());
    } else if (h.timedOut()) {
      out.add(
          ev(
                  Finding.inconclusive(
                      ProbeReport.Code.SMTP_PROBE_INCOMPLETE,
                      CHECK,
                      "maildx's deadline ran out while "
                          + who
                          + " had not yet answered "
                          + phase(h.phase())
                          + " (waited "
                          + ms(waited)
                          + "; RFC 5321 lets senders wait minutes). Rerun with a longer timeout."),
                  h)
              .rfc("RFC 5321 §4.5.3.2")
              .build());
    } else {
      out.add(
          ev(
                  Finding.error(
                          ProbeReport.Code.SMTP_DISCONNECTED,
                          CHECK,
                          who
                              + " closed the connection during "
                              + phase(h.phase())
                              + " without a reply ("
                              + h.detail()
                              + "). Senders retry later; if it always does this, mail is delayed and finally bounced.")
                      .effect(Verdict.AT_RISK),
                  h)
              .rfc("RFC 5321 §3.8")
              .build());
    }
  }

  private static void rejected(Context ctx, ProbeReport.Host h, String who, List<Finding> out) {
    if (h.phase() == ProbeReport.Phase.MAIL) {
      mailRejected(ctx, h, who, out);
    } else {
      rcptRejected(ctx, h, who, out);
    }
  }

  /** Refused at MAIL FROM: an internationalized address not sent, or the sender refused. */
  private static void mailRejected(Context ctx, ProbeReport.Host h, String who, List<Finding> out) {
    if (h.mailFrom() == null) {
      out.add(
          ev(
                  Finding.error(
                          ProbeReport.Code.SMTP_UTF8_UNSUPPORTED,
                          CHECK,
                          who
                              + " does not announce SMTPUTF8, so mail to the internationalized address "
                              + ctx.recipient()
                              + " cannot be delivered to it; maildx did not send the address.")
                      .effect(Verdict.UNDELIVERABLE),
                  h)
              .evidence("recipient", ctx.recipient())
              .rfc("RFC 6531 §3.4")
              .build());
    } else {
      SmtpReply m = requireNonNull(h.mailFrom(), "a host stopped at MAIL has the reply to it");
      out.add(
          ev(
                  Finding.error(
                          ProbeReport.Code.SMTP_MAIL_REJECTED,
                          CHECK,
                          who
                              + " refused MAIL FROM:<"
                              + senderText(ctx)
                              + "> ("
                              + m.code()
                              + " "
                              + m.text()
                              + ")"
                              + (ctx.settings().mailFrom() == null
                                  ? ": a server must accept the null sender, which bounces come from"
                                  : "")
                              + ".")
                      .effect(Verdict.AT_RISK),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, m)
              .rfc("RFC 5321 §4.5.5")
              .build());
      blocklisted(h, m, who, "at MAIL FROM", out);
    }
  }

  /** Refused at RCPT TO: a blocklist, a null MX, an unknown user, or another reason (RFC 3463). */
  private static void rcptRejected(Context ctx, ProbeReport.Host h, String who, List<Finding> out) {
    SmtpReply r = h.rcpt();
    if (r == null) {
      return;
    }
    EnhancedStatusCode s = r.status();
    boolean listed = BLOCKLIST.matcher(r.text()).find();
    if (listed) {
      blocklisted(h, r, who, "at RCPT TO", out);
      return;
    }
    if (s != null && s.subject() == 1 && s.detail() == 10) {
      out.add(
          ev(
                  Finding.error(
                          ProbeReport.Code.SMTP_RCPT_NULL_MX,
                          CHECK,
                          who
                              + " says the recipient's domain accepts no mail ("
                              + r.code()
                              + " "
                              + r.text()
                              + ").")
                      .effect(Verdict.UNDELIVERABLE),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, r)
              .rfc("RFC 7505 §4.3")
              .build());
    } else if ((s != null && s.subject() == 1 && (s.detail() == 1 || s.detail() == 0))
        || (s == null && UNKNOWN_USER.matcher(r.text()).find())) {
      out.add(
          ev(
                  Finding.error(
                          ProbeReport.Code.SMTP_RCPT_USER_UNKNOWN,
                          CHECK,
                          who
                              + " rejected "
                              + ctx.recipient()
                              + ": no such mailbox ("
                              + r.code()
                              + " "
                              + r.text()
                              + "). Mail to this address bounces; check it for a typo.")
                      .effect(Verdict.UNDELIVERABLE),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, r)
              .evidence("status", s)
              .rfc("RFC 3463 §3.2")
              .build());
    } else {
      out.add(
          ev(
                  Finding.error(
                          ProbeReport.Code.SMTP_RCPT_REJECTED,
                          CHECK,
                          who
                              + " rejected "
                              + ctx.recipient()
                              + " ("
                              + r.code()
                              + " "
                              + r.text()
                              + ")"
                              + (s != null && s.subject() == 7
                                  ? ": for policy or security reasons, which may concern the probing address rather than the sender."
                                  : ".")
                              + " Mail to it bounces.")
                      .effect(Verdict.AT_RISK),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, r)
              .evidence("status", s)
              .rfc("RFC 5321 §4.2.2")
              .build());
    }
  }

  private static void deferred(ProbeReport.Host h, String who, List<Finding> out) {
    if (h.phase() == ProbeReport.Phase.MAIL) {
      SmtpReply m = requireNonNull(h.mailFrom(), "a host stopped at MAIL has the reply to it");
      out.add(
          ev(
                  Finding.warning(
                          ProbeReport.Code.SMTP_MAIL_DEFERRED,
                          CHECK,
                          who
                              + " temporarily refused MAIL FROM ("
                              + m.code()
                              + " "
                              + m.text()
                              + "); senders retry later, so mail is delayed.")
                      .effect(Verdict.AT_RISK),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, m)
              .rfc("RFC 5321 §4.2.1")
              .build());
      return;
    }
    SmtpReply r = h.rcpt();
    if (r == null) {
      return;
    }
    EnhancedStatusCode s = r.status();
    boolean grey =
        GREYLIST.matcher(r.text()).find()
            || (s != null
                && ((s.subject() == 7 && s.detail() == 1)
                    || (s.subject() == 2 && s.detail() == 0)
                    || (s.subject() == 7 && s.detail() == 0)));
    if (grey) {
      out.add(
          ev(
                  Finding.warning(
                          ProbeReport.Code.SMTP_RCPT_GREYLISTED,
                          CHECK,
                          who
                              + " deferred the recipient with "
                              + r.code()
                              + " "
                              + r.text()
                              + ": probably greylisting. The first delivery attempt from a new sender is refused for a while; the sender's server retries "
                              + "and the mail arrives after a delay of minutes (sometimes hours).")
                      .effect(Verdict.AT_RISK),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, r)
              .evidence("status", s)
              .rfc("RFC 6647 §2")
              .build());
    } else {
      out.add(
          ev(
                  Finding.warning(
                          ProbeReport.Code.SMTP_RCPT_DEFERRED,
                          CHECK,
                          who
                              + " temporarily refused the recipient ("
                              + r.code()
                              + " "
                              + r.text()
                              + "); senders retry later, so mail is delayed.")
                      .effect(Verdict.AT_RISK),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, r)
              .evidence("status", s)
              .rfc("RFC 5321 §4.2.1")
              .build());
    }
  }

  private static void accepted(Context ctx, Conversation.Result r, String who, List<Finding> out) {
    ProbeReport.Host h = r.host();
    StringBuilder m =
        new StringBuilder(who + " accepted the probe: greeting, " + (h.esmtp() ? "EHLO" : "HELO"));
    if (h.tls() != null) {
      m.append(", STARTTLS (").append(h.tls().protocol()).append(')');
    }
    if (h.rcpt() != null) {
      m.append(", RCPT TO:<")
          .append(ctx.recipient())
          .append("> (")
          .append(h.rcpt().code())
          .append(' ')
          .append(h.rcpt().text())
          .append(')');
    }
    m.append('.');
    if (r.failure() != null) {
      m.append(" Then: ").append(h.detail()).append('.');
    }
    out.add(
        ev(Finding.info(ProbeReport.Code.SMTP_ACCEPTED, CHECK, m.toString()), h)
            .evidence("banner", h.banner())
            .evidence(ProbeReport.Evidence.RCPT, h.rcpt())
            .build());
    SmtpReply c = h.catchAll();
    if (c != null && c.isPositive()) {
      out.add(
          ev(
                  Finding.info(
                      ProbeReport.Code.SMTP_CATCH_ALL,
                      CHECK,
                      who
                          + " also accepted a random address at the same domain ("
                          + c.code()
                          + " "
                          + c.text()
                          + "): it accepts every address at RCPT time, so accepting "
                          + (ctx.recipient() != null ? ctx.recipient() : "an address")
                          + " does not prove the mailbox exists; a bounce may still come later."),
                  h)
              .evidence(ProbeReport.Evidence.REPLY, c)
              .build());
    }
  }

  private static void tls(ProbeReport.Host h, ProbeReport.Tls t, String who, List<Finding> out) {
    ProbeReport.Certificate leaf = t.leaf();
    out.add(
        ev(
                Finding.info(
                    ProbeReport.Code.TLS_OK,
                    CHECK,
                    who
                        + " negotiated "
                        + t.protocol()
                        + " with "
                        + t.cipherSuite()
                        + (leaf != null
                            ? "; certificate "
                                + leaf.subject()
                                + ", issued by "
                                + leaf.issuer()
                                + ", valid until "
                                + leaf.notAfter()
                            : "")
                        + "."),
                h)
            .evidence("protocol", t.protocol())
            .evidence("cipher", t.cipherSuite())
            .build());
    if (leaf == null) {
      return;
    }
    trust(h, t, leaf, who, out);
    validity(h, t, leaf, who, out);
    nameAndKey(h, t, leaf, who, out);
  }

  /**
   * Whether the certificate chains to a trusted root (RFC 5280 §6); self-signed is its own case.
   */
  private static void trust(
      ProbeReport.Host h,
      ProbeReport.Tls t,
      ProbeReport.Certificate leaf,
      String who,
      List<Finding> out) {
    if (t.selfSigned()) {
      out.add(
          ev(
                  Finding.warning(
                      ProbeReport.Code.TLS_CERT_SELF_SIGNED,
                      CHECK,
                      who
                          + " presents a self-signed certificate ("
                          + leaf.subject()
                          + ")."
                          + OPPORTUNISTIC),
                  h)
              .evidence("subject", leaf.subject())
              .rfc("RFC 8461 §4.2")
              .build());
    } else if (!t.trusted()) {
      out.add(
          ev(
                  Finding.warning(
                      ProbeReport.Code.TLS_CERT_UNTRUSTED,
                      CHECK,
                      who
                          + "'s certificate is not trusted: "
                          + t.trustProblem()
                          + "."
                          + OPPORTUNISTIC),
                  h)
              .evidence("subject", leaf.subject())
              .evidence("issuer", leaf.issuer())
              .evidence("problem", t.trustProblem())
              .rfc("RFC 5280 §6")
              .build());
    }
  }

  /** Whether the certificate is within its validity period (RFC 5280 §4.1.2.5), or soon not. */
  private static void validity(
      ProbeReport.Host h,
      ProbeReport.Tls t,
      ProbeReport.Certificate leaf,
      String who,
      List<Finding> out) {
    if (t.expired()) {
      out.add(
          ev(
                  Finding.warning(
                      ProbeReport.Code.TLS_CERT_EXPIRED,
                      CHECK,
                      who
                          + "'s certificate is outside its validity period ("
                          + leaf.notBefore()
                          + " to "
                          + leaf.notAfter()
                          + ")."
                          + OPPORTUNISTIC),
                  h)
              .evidence("notAfter", leaf.notAfter())
              .rfc("RFC 5280 §4.1.2.5")
              .build());
    } else if (t.expiresSoon()) {
      out.add(
          ev(
                  Finding.warning(
                      ProbeReport.Code.TLS_CERT_EXPIRES_SOON,
                      CHECK,
                      who
                          + "'s certificate expires on "
                          + leaf.notAfter()
                          + ": renew it before senders that check certificates stop delivering."),
                  h)
              .evidence("notAfter", leaf.notAfter())
              .build());
    }
  }

  /** Whether the certificate names the host (RFC 6125 §6.4), and its RSA key size. */
  private static void nameAndKey(
      ProbeReport.Host h,
      ProbeReport.Tls t,
      ProbeReport.Certificate leaf,
      String who,
      List<Finding> out) {
    if (!t.hostnameMatches()) {
      out.add(
          ev(
                  Finding.warning(
                      ProbeReport.Code.TLS_CERT_NAME_MISMATCH,
                      CHECK,
                      who
                          + "'s certificate does not name "
                          + h.name()
                          + " (it names "
                          + names(leaf)
                          + ")."
                          + OPPORTUNISTIC),
                  h)
              .evidence("names", names(leaf))
              .rfc("RFC 6125 §6.4")
              .build());
    }
    if ("RSA".equals(leaf.keyAlgorithm()) && leaf.keySize() > 0 && leaf.keySize() < 2048) {
      out.add(
          ev(
                  Finding.warning(
                      ProbeReport.Code.TLS_WEAK_KEY,
                      CHECK,
                      who
                          + "'s certificate has a "
                          + leaf.keySize()
                          + "-bit RSA key; 2048 bits is the minimum "
                          + "senders accept."),
                  h)
              .evidence("keySize", leaf.keySize())
              .build());
    }
  }

  private static void mtaSts(
      Context ctx, ProbeReport.Host h, String who, boolean greeted, List<Finding> out) {
    MtaStsReport.Policy p = ctx.mtaSts();
    if (p == null || p.mode() == MtaStsReport.Policy.Mode.NONE || !greeted) {
      return;
    }
    boolean enforce = p.mode() == MtaStsReport.Policy.Mode.ENFORCE;
    String consequence =
        enforce
            ? " The domain's MTA-STS policy is in enforce mode: senders that honour it (Gmail, Outlook.com and others) will not deliver to this host."
            : " The domain's MTA-STS policy is in testing mode: senders deliver anyway but report the failure.";
    ProbeReport.Tls t = h.tls();
    if (t == null) {
      String why =
          h.outcome() == ProbeReport.Outcome.TLS_FAILED
              ? "TLS failed (" + h.detail() + ")"
              : "it does not offer STARTTLS";
      out.add(
          ev(
                  mtaStsFinding(
                      enforce,
                      ProbeReport.Code.SMTP_MTA_STS_TLS_FAILED,
                      who + ": " + why + "." + consequence),
                  h)
              .evidence("mode", enforce ? "enforce" : "testing")
              .rfc("RFC 8461 §4.2")
              .build());
      return;
    }
    List<String> problems = new ArrayList<>();
    if (!t.trusted()) {
      problems.add("the certificate is not trusted (" + t.trustProblem() + ")");
    }
    if (!t.hostnameMatches()) {
      problems.add("the certificate does not name " + h.name());
    }
    if (t.expired() && t.trusted()) {
      problems.add("the certificate has expired");
    }
    if (!problems.isEmpty()) {
      out.add(
          ev(
                  mtaStsFinding(
                      enforce,
                      ProbeReport.Code.SMTP_MTA_STS_CERT_INVALID,
                      who + ": " + String.join("; ", problems) + "." + consequence),
                  h)
              .evidence("mode", enforce ? "enforce" : "testing")
              .rfc("RFC 8461 §4.2")
              .build());
    }
  }

  private static Finding.Builder mtaStsFinding(
      boolean enforce, ProbeReport.Code code, String message) {
    return enforce
        ? Finding.error(code, CHECK, message).effect(Verdict.AT_RISK)
        : Finding.warning(code, CHECK, message);
  }

  private static void dane(ProbeReport.Host h, String who, List<Finding> out) {
    ProbeReport.Dane d = h.dane();
    if (d == null || d.status() == ProbeReport.Dane.Status.NO_RECORDS) {
      return;
    }
    String ad =
        d.authenticated()
            ? ""
            : " (The TLSA answer was not DNSSEC-authenticated by the resolver; DANE senders only use validated records.)";
    switch (d.status()) {
      case MATCHED:
        out.add(
            ev(Finding.info(ProbeReport.Code.DANE_OK, CHECK, who + ": " + d.detail() + "." + ad), h)
                .evidence("tlsa", d.matched())
                .rfc("RFC 7672 §3")
                .build());
        break;
      case NOT_MATCHED:
        out.add(
            ev(
                    Finding.error(
                            ProbeReport.Code.DANE_MISMATCH,
                            CHECK,
                            who
                                + ": "
                                + d.detail()
                                + ". Senders that validate DANE will not deliver to this host."
                                + ad)
                        .effect(Verdict.AT_RISK),
                    h)
                .evidence("tlsa", records(d))
                .rfc("RFC 7672 §3")
                .build());
        break;
      case NO_TLS:
        out.add(
            ev(
                    Finding.error(
                            ProbeReport.Code.DANE_NO_TLS, CHECK, who + ": " + d.detail() + "." + ad)
                        .effect(Verdict.AT_RISK),
                    h)
                .evidence("tlsa", records(d))
                .rfc("RFC 7672 §2.2")
                .build());
        break;
      case UNUSABLE:
        out.add(
            ev(
                    Finding.warning(
                        ProbeReport.Code.DANE_UNUSABLE,
                        CHECK,
                        who
                            + ": "
                            + d.detail()
                            + "; DANE senders treat the host as if it had no usable "
                            + "TLSA records but still require TLS."),
                    h)
                .evidence("tlsa", records(d))
                .rfc("RFC 7672 §3.1.3")
                .build());
        break;
      case LOOKUP_FAILED:
        out.add(
            ev(
                    Finding.inconclusive(
                        ProbeReport.Code.DANE_LOOKUP_FAILED,
                        CHECK,
                        who
                            + ": the TLSA lookup failed ("
                            + d.detail()
                            + "); DANE senders "
                            + "defer mail when it fails for them too."),
                    h)
                .rfc("RFC 7672 §2.2")
                .build());
        break;
      default:
        break;
    }
  }

  private static String records(ProbeReport.Dane d) {
    return String.join("; ", d.records().stream().map(Object::toString).toList());
  }

  private static String names(ProbeReport.Certificate c) {
    List<String> n = new ArrayList<>(c.dnsNames());
    n.addAll(c.ipAddresses());
    return n.isEmpty() ? c.subject() : String.join(", ", n);
  }

  private static Finding.Builder ev(Finding.Builder b, ProbeReport.Host h) {
    return b.evidence("host", h.name())
        .evidence("address", InetAddresses.toLiteral(h.address()))
        .evidence("port", h.port())
        .evidence("outcome", outcome(h.outcome()))
        .evidence("phase", phase(h.phase()));
  }

  private static String senderText(Context ctx) {
    return ctx.settings().mailFrom() == null ? "" : ctx.settings().mailFrom().toString();
  }

  static String outcome(ProbeReport.Outcome o) {
    return o.name().toLowerCase(Locale.ROOT);
  }

  static String phase(ProbeReport.Phase p) {
    switch (p) {
      case CONNECT:
        return "the connect";
      case GREETING:
        return "the greeting";
      case EHLO:
        return "EHLO";
      case STARTTLS:
        return "STARTTLS";
      case TLS_EHLO:
        return "EHLO after STARTTLS";
      case MAIL:
        return "MAIL FROM";
      case RCPT:
        return "RCPT TO";
      case CATCH_ALL:
        return "the catch-all test";
      case RSET:
        return "RSET";
      default:
        return "QUIT";
    }
  }

  private static String ms(@Nullable Duration d) {
    return d == null ? "?" : Conversation.ms(d);
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
