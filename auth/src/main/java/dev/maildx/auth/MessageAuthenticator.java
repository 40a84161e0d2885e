package dev.maildx.auth;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.auth.internal.DkimKeySource;
import dev.maildx.auth.internal.MessageVerification;
import dev.maildx.dns.DkimKeyResolver;
import dev.maildx.dns.DmarcEvaluator;
import dev.maildx.dns.PublicSuffixList;
import dev.maildx.dns.SpfEvaluator;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.dns.internal.TxtStrings;
import dev.maildx.internal.InetAddresses;
import dev.maildx.internal.mail.AddressList;
import dev.maildx.internal.mail.HeaderField;
import dev.maildx.internal.mail.HeaderSection;
import dev.maildx.report.AuthReport;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.DmarcInput;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.SmtpEnvelope;
import dev.maildx.report.SpfReport;
import dev.maildx.report.SpfResult;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates a received message as the receiving MTA does: every DKIM signature verified ({@link
 * DkimVerifier}), SPF for the envelope when the client IP is known ({@link SpfEvaluator}; the MAIL
 * FROM may come from the {@code Return-Path} header field), the RFC5322.From read with its edge
 * cases (no From, several From fields, several mailboxes, groups, no domain, encoded display
 * names), DMARC for the Author Domain(s) through {@link DmarcEvaluator}, the ARC chain (RFC 8617),
 * and the {@code Authentication-Results} header field value (RFC 8601) — with a finding that
 * explains every failure.
 *
 * <pre>{@code
 * try (MailDiagnostics maildx = MailDiagnostics.create()) {  // share one; components borrow its threads
 *   MessageAuthenticator auth = MessageAuthenticator.create(maildx);
 *   AuthReport r = auth.authenticate(Path.of("received.eml"), SmtpEnvelope.of("203.0.113.5", "mail.example.com", "bounce@example.com"));
 *   r.dmarcResult();            // PASS, FAIL, NONE, TEMPERROR, PERMERROR
 *   r.authenticationResults();  // "maildx; dkim=pass ...; spf=pass ...; dmarc=pass ...; arc=none"
 * }
 * }</pre>
 *
 * <p>Findings (check {@code auth}), those of DKIM verification and ARC included: {@link
 * AuthReport.Code}.
 *
 * <p>A message held as a Jakarta Mail {@code Part} (a {@code MimeMessage} read over IMAP): {@link
 * JakartaMailMessages#authenticate}, when Jakarta Mail is on the class path.
 *
 * <p>Thread-safe; share one instance.
 */
public final class MessageAuthenticator implements AutoCloseable {
  static final String CHECK = AuthReport.CHECK;

  /** The most Author Domains evaluated when From has several mailboxes. */
  public static final int MAX_AUTHOR_DOMAINS = 10;

  private final DnsClient dns;
  private final DkimKeySource keys;
  private final SpfEvaluator spf;
  private final DmarcEvaluator dmarc;
  private final AuthOptions options;

  private MessageAuthenticator(DnsClient dns, AuthOptions options) {
    this.dns = dns;
    this.keys = new DnsKeySource(DkimKeyResolver.create(dns), CHECK);
    this.spf = SpfEvaluator.create(dns);
    this.dmarc = DmarcEvaluator.create(dns, PublicSuffixList.bundled());
    this.options = options;
  }

  /**
   * Creates an authenticator on the runtime of a {@code MailDiagnostics}: its DNS client, threads
   * and configuration (the deadline of a blocking call is its {@link DiagnosticsConfig#timeout()}),
   * with its {@link AuthOptions}. The authenticator starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the authenticator
   *     is used, and closing the authenticator leaves it open
   * @return a new authenticator
   */
  public static MessageAuthenticator create(MailDiagnostics maildx) {
    CheckEnvironment env = CheckEnvironment.of(maildx);
    return create(DnsClient.of(env), AuthOptions.of(env));
  }

  /**
   * Creates an authenticator on the runtime of a {@code MailDiagnostics} with other options; it
   * starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the authenticator
   *     is used, and closing the authenticator leaves it open
   * @param options limits, policies and the authserv-id
   * @return a new authenticator
   */
  public static MessageAuthenticator create(MailDiagnostics maildx, AuthOptions options) {
    requireNonNull(options, "options");
    return create(DnsClient.of(CheckEnvironment.of(maildx)), options);
  }

  static MessageAuthenticator create(DnsClient dns, AuthOptions options) {
    return new MessageAuthenticator(dns, options);
  }

  /**
   * Authenticates a message file, blocking up to the configured timeout.
   *
   * @param message the message as received
   * @param envelope the SMTP envelope ({@link SmtpEnvelope#NONE} if unknown)
   * @return the report; a file that cannot be read gives a report with {@code AUTH_READ_FAILED}
   */
  public AuthReport authenticate(Path message, SmtpEnvelope envelope) {
    return authenticateAsync(
            message, envelope, Deadline.after(dns.environment().config().timeout()))
        .join();
  }

  /**
   * Authenticates a message, blocking up to the configured timeout.
   *
   * @param message the message octets
   * @param envelope the SMTP envelope
   * @return the report
   */
  public AuthReport authenticate(byte[] message, SmtpEnvelope envelope) {
    requireNonNull(message, "message");
    return authenticate(message, message.length, "message", envelope);
  }

  /**
   * As {@link #authenticate(byte[], SmtpEnvelope)}, for the first {@code length} octets, named
   * {@code source} ({@link JakartaMailMessages}).
   */
  AuthReport authenticate(byte[] message, int length, String source, SmtpEnvelope envelope) {
    requireNonNull(envelope, "envelope");
    Deadline deadline = Deadline.after(dns.environment().config().timeout());
    Run run = new Run(source, envelope, deadline);
    return dns.environment()
        .within(
            run.start(
                new ByteArrayInputStream(message, 0, length),
                () -> new ByteArrayInputStream(message, 0, length)),
            deadline,
            run::timedOut)
        .join();
  }

  /** The report for a message that could not be read ({@link JakartaMailMessages}). */
  AuthReport unreadable(String source, SmtpEnvelope envelope, IOException e) {
    return new Run(source, envelope, Deadline.after(dns.environment().config().timeout()))
        .unreadable(e);
  }

  /**
   * @return the options ({@link JakartaMailMessages} takes the size limit)
   */
  AuthOptions options() {
    return options;
  }

  /**
   * Authenticates a message read from a stream (not closed), blocking on the stream and up to the
   * configured timeout for the lookups.
   *
   * @param message the message
   * @param source what to call it in the report (a file name, "stdin")
   * @param envelope the SMTP envelope
   * @return the report
   */
  public AuthReport authenticate(InputStream message, String source, SmtpEnvelope envelope) {
    requireNonNull(message, "message");
    requireNonNull(source, "source");
    requireNonNull(envelope, "envelope");
    Deadline deadline = Deadline.after(dns.environment().config().timeout());
    Run run = new Run(source, envelope, deadline);
    return dns.environment().within(run.start(message, null), deadline, run::timedOut).join();
  }

  /**
   * Authenticates a message file: it is read on the environment's executor while the keys, SPF and
   * DMARC are looked up.
   *
   * @param message the message file
   * @param envelope the SMTP envelope
   * @param deadline when to give up; the report then says what could not be finished
   * @return a future that always completes with a report by the deadline
   */
  public CompletableFuture<AuthReport> authenticateAsync(
      Path message, SmtpEnvelope envelope, Deadline deadline) {
    requireNonNull(message, "message");
    return authenticateAsync(
        message.toString(), () -> Files.newInputStream(message), envelope, deadline);
  }

  /**
   * As {@link #authenticateAsync(Path, SmtpEnvelope, Deadline)}, for the message {@code open} opens
   * (a file or bytes).
   */
  @SuppressWarnings(
      "FutureReturnValueIgnored") // the nested future supplyAsync returns is unwrapped by
  // thenCompose
  CompletableFuture<AuthReport> authenticateAsync(
      String source,
      java.util.concurrent.Callable<InputStream> open,
      SmtpEnvelope envelope,
      Deadline deadline) {
    requireNonNull(envelope, "envelope");
    requireNonNull(deadline, "deadline");
    Run run = new Run(source, envelope, deadline);
    CompletableFuture<AuthReport> work =
        CompletableFuture.supplyAsync(
                () -> {
                  try (InputStream in = open.call()) {
                    return run.start(in, open);
                  } catch (IOException e) {
                    return CompletableFuture.completedFuture(run.unreadable(e));
                  } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                  }
                },
                dns.environment().executor())
            .thenCompose(f -> f);
    return dns.environment().within(work, deadline, run::timedOut);
  }

  /** One message's authentication. */
  private final class Run {
    final String source;
    final SmtpEnvelope given;
    final Deadline inner;
    final List<Finding> findings = new ArrayList<>();
    SmtpEnvelope envelope;
    CompletableFuture<@Nullable SpfReport> spfFuture = CompletableFuture.completedFuture(null);

    Run(String source, SmtpEnvelope envelope, Deadline deadline) {
      this.source = source;
      this.given = envelope;
      this.envelope = envelope;
      this.inner = deadline.withMargin(Duration.ofMillis(200));
    }

    CompletableFuture<AuthReport> start(
        InputStream in, java.util.concurrent.@Nullable Callable<InputStream> reopen) {
      MessageVerification m;
      try {
        m =
            MessageVerification.read(
                in, DkimVerifier.limits(options), keys, inner, this::onHeaders);
      } catch (IOException e) {
        return CompletableFuture.completedFuture(unreadable(e));
      }
      if (reopen != null) {
        m.reopenWith(reopen);
      }
      CompletableFuture<MessageVerification.Verified> verified =
          m.verify(DkimVerifier.settings(dns.environment(), options), dns.environment().executor());
      return verified
          .thenCombine(spfFuture, (v, s) -> new Object[] {v, s})
          .thenCompose(
              p -> {
                MessageVerification.Verified v = (MessageVerification.Verified) p[0];
                SpfReport s = (SpfReport) p[1];
                return finish(m, v, s);
              });
    }

    /** The header section is read: settle the envelope and start SPF while the body is hashed. */
    void onHeaders(HeaderSection h) {
      if (envelope.clientIp() == null) {
        findings.add(
            Finding.info(
                    AuthReport.Code.AUTH_SPF_NOT_EVALUATED,
                    CHECK,
                    "No client IP was given, so SPF was not evaluated; DMARC rests on DKIM "
                        + "alone here. Give the IP the message came from (--ip) to check SPF as the receiver did.")
                .rfc("RFC 7208 §2.3")
                .build());
        return;
      }
      if (envelope.mailFrom() == null && options.useReturnPath()) {
        String rp = first(h.fields(), "return-path");
        if (rp != null) {
          String addr = rp.strip();
          int lt = addr.indexOf('<');
          int gt = addr.indexOf('>', Math.max(lt, 0));
          if (lt >= 0 && gt > lt) {
            addr = addr.substring(lt + 1, gt).strip();
          }
          try {
            envelope = envelope.withMailFrom(addr);
            findings.add(
                Finding.info(
                        AuthReport.Code.AUTH_MAIL_FROM_FROM_RETURN_PATH,
                        CHECK,
                        "No MAIL FROM was given; SPF uses the Return-Path of the "
                            + "message, "
                            + (addr.isEmpty()
                                ? "<> (a bounce, so the HELO name is checked)"
                                : "<" + addr + ">")
                            + ", which the delivering server recorded as the envelope sender.")
                    .evidence("returnPath", TxtStrings.printable(rp, 300))
                    .rfc("RFC 5321 §4.4")
                    .build());
          } catch (IllegalArgumentException e) {
            // a Return-Path with control characters is ignored
          }
        }
      }
      String from = envelope.mailFrom();
      String helo = envelope.helo();
      if ((from == null || from.isEmpty()) && (helo == null || helo.isEmpty())) {
        findings.add(
            Finding.info(
                    AuthReport.Code.AUTH_SPF_NOT_EVALUATED,
                    CHECK,
                    "A client IP was given but no MAIL FROM or HELO name, so SPF was not "
                        + "evaluated. Give --mail-from or --helo.")
                .rfc("RFC 7208 §2.4")
                .build());
        return;
      }
      try {
        spfFuture =
            spf.checkAsync(envelope.clientIp(), from == null ? "" : from, helo, inner)
                .thenApply(r -> r);
      } catch (IllegalArgumentException e) {
        findings.add(
            Finding.info(
                    AuthReport.Code.AUTH_SPF_NOT_EVALUATED,
                    CHECK,
                    "SPF was not evaluated: " + e.getMessage() + ".")
                .rfc("RFC 7208 §4")
                .build());
      }
    }

    private CompletableFuture<AuthReport> finish(
        MessageVerification m, MessageVerification.Verified v, @Nullable SpfReport spfReport) {
      HeaderSection h = m.headers();
      readFindings(m);
      Authors authors = readFrom(h);
      AuthReport.From from = authors.from();
      Set<DomainName> domains = new LinkedHashSet<>(from.domains());
      fromFindings(from, authors.mailboxes(), h.tooLarge());

      if (spfReport != null) {
        spfReport.findings().stream()
            .filter(
                f ->
                    spfReport.spfResult() != null && f.is(SpfReport.Code.of(spfReport.spfResult())))
            .findFirst()
            .ifPresent(
                f ->
                    findings.add(
                        new Finding(
                            f.findingCode(),
                            CHECK,
                            f.severity(),
                            f.effect(),
                            f.message(),
                            f.evidence(),
                            f.reference())));
      }
      CompletableFuture<DmarcOutcome> dmarcFuture;
      if (from.fields() != 1 || domains.isEmpty() || h.tooLarge()) {
        dmarcFuture =
            CompletableFuture.completedFuture(
                new DmarcOutcome(null, DmarcEvaluation.Result.PERMERROR));
      } else {
        List<CompletableFuture<DmarcEvaluation>> evals = new ArrayList<>();
        for (DomainName d : domains.stream().limit(MAX_AUTHOR_DOMAINS).toList()) {
          DmarcInput.Builder in = DmarcInput.builder().from(d);
          if (spfReport != null
              && spfReport.spfResult() != null
              && DomainName.isValid(spfReport.domain())) {
            in.spf(spfReport.domain(), spfReport.spfResult() == SpfResult.PASS);
          }
          // only signatures that were verified count, and no more than DmarcInput takes
          v.dkim().stream()
              .filter(r -> r.failure() != AuthReport.DkimSignature.Failure.NOT_VERIFIED)
              .limit(DmarcInput.MAX_IDENTIFIERS)
              .forEach(r -> r.signingDomain().ifPresent(sd -> in.dkim(sd.ascii(), r.pass())));
          evals.add(dmarc.evaluateAsync(in.build(), inner));
        }
        dmarcFuture =
            CompletableFuture.allOf(evals.toArray(CompletableFuture[]::new))
                .thenApply(x -> decide(evals.stream().map(CompletableFuture::join).toList()));
      }
      return dmarcFuture.thenApply(d -> report(m, v, spfReport, from, d));
    }

    private AuthReport report(
        MessageVerification m,
        MessageVerification.Verified v,
        @Nullable SpfReport spfReport,
        AuthReport.From from,
        DmarcOutcome d) {
      long unverified =
          v.dkim().stream()
              .filter(r -> r.failure() == AuthReport.DkimSignature.Failure.NOT_VERIFIED)
              .count();
      boolean first = true;
      for (AuthReport.DkimSignature r : v.dkim()) {
        if (r.failure() == AuthReport.DkimSignature.Failure.NOT_VERIFIED) {
          // one finding for all the signatures left unverified, not one each
          if (first) {
            Finding f = r.findings().get(0);
            findings.add(
                unverified == 1
                    ? f
                    : new Finding(
                        f.findingCode(),
                        f.check(),
                        f.severity(),
                        f.effect(),
                        f.message() + " (" + unverified + " signatures were not verified.)",
                        f.evidence(),
                        f.reference()));
            first = false;
          }
          continue;
        }
        findings.addAll(r.findings());
      }
      findings.addAll(v.arc().findings());
      boolean dmarcPass = d.result == DmarcEvaluation.Result.PASS;
      if (v.dkim().isEmpty() && !m.headers().tooLarge()) {
        findings.add(
            Finding.warning(
                    AuthReport.Code.DKIM_NO_SIGNATURE,
                    CHECK,
                    "The message has no DKIM-Signature. "
                        + (dmarcPass
                            ? "DMARC passes on SPF alone, which breaks when the message is forwarded: sign outgoing mail with DKIM."
                            : "Without DKIM, DMARC depends on SPF alone; large receivers junk or reject unsigned mail."))
                .effect(dmarcPass ? Verdict.DELIVERABLE : Verdict.AT_RISK)
                .rfc("RFC 6376 §6.1")
                .build());
      }
      findings.add(dmarcFinding(d, from, v.arc()));
      String messageId = first(m.headers().fields(), "message-id");
      List<Finding> sorted = new ArrayList<>(findings);
      sorted.sort(Comparator.comparing(Finding::severity));
      return new AuthReport(
          CHECK,
          source,
          m.messageBytes(),
          messageId == null ? "" : TxtStrings.printable(messageId.strip(), 300),
          envelope,
          from,
          v.dkim(),
          spfReport,
          d.evaluation,
          d.result,
          v.arc(),
          authenticationResults(v.dkim(), spfReport, d, from, v.arc()),
          sorted);
    }

    private void readFindings(MessageVerification m) {
      HeaderSection h = m.headers();
      if (h.tooLarge()) {
        findings.add(
            Finding.inconclusive(
                    AuthReport.Code.AUTH_HEADER_TOO_LARGE,
                    CHECK,
                    "The header section is larger than "
                        + options.maxHeaderBytes()
                        + " octets, so the message was not authenticated.")
                .evidence("limit", options.maxHeaderBytes())
                .build());
      } else if (m.truncated()) {
        findings.add(
            Finding.inconclusive(
                    AuthReport.Code.AUTH_MESSAGE_TOO_LARGE,
                    CHECK,
                    "The message is larger than "
                        + options.maxMessageBytes()
                        + " octets, so its signatures were not verified (the body hash needs the whole body).")
                .evidence("limit", options.maxMessageBytes())
                .build());
      }
      if (h.tooManyFields()) {
        findings.add(
            Finding.warning(
                    AuthReport.Code.AUTH_TOO_MANY_HEADER_FIELDS,
                    CHECK,
                    "The message has more than "
                        + MessageVerification.MAX_FIELDS
                        + " header fields; the rest were not read.")
                .build());
      }
      if (h.mboxLine() != null) {
        findings.add(
            Finding.info(
                    AuthReport.Code.AUTH_MBOX_LINE,
                    CHECK,
                    "The file starts with an mbox separator line (\""
                        + h.mboxLine()
                        + "\"), which is "
                        + "not part of the message; it was skipped.")
                .build());
      }
      if (h.malformedLine() != null) {
        findings.add(
            Finding.warning(
                    AuthReport.Code.AUTH_MALFORMED_HEADER,
                    CHECK,
                    "A line in the header section is not a header field (\""
                        + h.malformedLine()
                        + "\"); as an MTA does, maildx took it as the start of the body, so the header fields below it do not count.")
                .evidence("line", h.malformedLine())
                .rfc("RFC 5322 §2.2")
                .build());
      }
      if (h.bareLfLines() > 0) {
        findings.add(
            Finding.info(
                    AuthReport.Code.AUTH_LINE_ENDINGS,
                    CHECK,
                    "The message ends its lines with a bare LF (a file saved on Unix); they were "
                        + "read as CRLF, as an MTA receiving it and dkimpy do. A bare CR is kept as data.")
                .evidence("bareLfLines", h.bareLfLines())
                .rfc("RFC 5322 §2.1")
                .build());
      }
    }

    /**
     * The From field as DMARC needs it (RFC 7489 §6.6.1): exactly one field (RFC 5322 §3.6) naming
     * a mailbox with a domain, ideally one mailbox; then the display names.
     */
    private void fromFindings(AuthReport.From from, List<Author> mailboxes, boolean unread) {
      if (unread) {
        return;
      }
      Finding problem = fromFieldCountProblem(from);
      if (problem == null) {
        problem = authorDomainProblem(from, mailboxes);
      }
      if (problem != null) {
        findings.add(problem);
        return;
      }
      if (mailboxes.size() > 1) {
        findings.add(multipleMailboxesFinding(from, mailboxes));
      }
      displayNameFindings(mailboxes);
    }

    /** No From field, or more than one: RFC 5322 §3.6 requires exactly one. */
    private @Nullable Finding fromFieldCountProblem(AuthReport.From from) {
      if (from.fields() == 0) {
        return Finding.error(
                AuthReport.Code.AUTH_FROM_MISSING,
                CHECK,
                "The message has no From header field: it is not a valid message (RFC 5322 "
                    + "§3.6 requires one), DMARC cannot be evaluated (permerror), and most receivers reject it.")
            .effect(Verdict.AT_RISK)
            .rfc("RFC 5322 §3.6")
            .build();
      }
      if (from.fields() > 1) {
        return Finding.error(
                AuthReport.Code.AUTH_FROM_MULTIPLE,
                CHECK,
                "The message has "
                    + from.fields()
                    + " From header fields; RFC 5322 §3.6 "
                    + "allows exactly one, and with several the author is ambiguous, so DMARC gives permerror and receivers such as Gmail reject "
                    + "the message. (An added From is also how a signed message gets a forged author.)")
            .effect(Verdict.AT_RISK)
            .evidence("fields", from.fields())
            .rfc("RFC 7489 §6.6.1")
            .build();
      }
      return null;
    }

    /** The one From field has no mailbox with a domain, so no Author Domain (RFC 7489 §6.6.1). */
    private @Nullable Finding authorDomainProblem(AuthReport.From from, List<Author> mailboxes) {
      if (!from.domains().isEmpty()) {
        return null;
      }
      return Finding.error(
              AuthReport.Code.AUTH_FROM_NO_DOMAIN,
              CHECK,
              "The From field (\""
                  + from.value()
                  + "\") has no mailbox with a domain "
                  + (mailboxes.isEmpty()
                      ? "(an empty group or no address)"
                      : "(" + String.join(", ", from.addresses()) + ")")
                  + (mailboxes.stream().anyMatch(a -> a.mailbox().domain() != null)
                      ? " written in UTF-8 (its octets are not UTF-8, which a domain in a header"
                          + " field must be, RFC 6532 §3.2)"
                      : "")
                  + ", so there is no Author Domain: DMARC gives permerror and receivers reject or junk the message.")
          .effect(Verdict.AT_RISK)
          .evidence("from", from.value())
          .rfc("RFC 7489 §6.6.1")
          .build();
    }

    /** Several mailboxes in the From field: DMARC applies to each (RFC 7489 §6.6.1). */
    private Finding multipleMailboxesFinding(AuthReport.From from, List<Author> mailboxes) {
      return Finding.warning(
              AuthReport.Code.AUTH_FROM_MULTIPLE_MAILBOXES,
              CHECK,
              "The From field names "
                  + mailboxes.size()
                  + " mailboxes ("
                  + String.join(", ", from.addresses())
                  + ")"
                  + (from.domains().size() > 1
                      ? " in "
                          + from.domains().size()
                          + " domains: DMARC "
                          + "is evaluated for each and the strictest failing policy applies"
                      : "")
                  + ". Many receivers reject such messages.")
          .effect(Verdict.AT_RISK)
          .evidence("from", from.value())
          .rfc("RFC 7489 §6.6.1")
          .build();
    }

    /**
     * A display name that shows an address at another domain than the mailbox's (a lookalike: the
     * reader sees the display name, DMARC authenticates the address, RFC 7489 §3.2).
     */
    private void displayNameFindings(List<Author> mailboxes) {
      for (Author a : mailboxes) {
        String dn = a.mailbox().displayName();
        DomainName domain = a.domain();
        int at = dn.indexOf('@');
        if (at > 0 && domain != null) {
          String shown =
              dn.substring(at + 1).replaceAll("[^A-Za-z0-9.-].*$", "").toLowerCase(Locale.ROOT);
          if (DomainName.isValid(shown)
              && !DomainName.of(shown).equals(domain)
              && !DomainName.of(shown).isSubdomainOf(domain)) {
            findings.add(
                Finding.warning(
                        AuthReport.Code.AUTH_FROM_DISPLAY_NAME_ADDRESS,
                        CHECK,
                        "The From display name \""
                            + dn
                            + "\" shows an address at "
                            + shown
                            + ", but the mail is from "
                            + a.mailbox().address()
                            + ": DMARC authenticates "
                            + domain
                            + ", not what the reader sees.")
                    .evidence("displayName", dn)
                    .evidence("address", a.mailbox().address())
                    .build());
          }
        }
      }
    }

    private Finding dmarcFinding(DmarcOutcome d, AuthReport.From from, AuthReport.Arc arc) {
      DmarcEvaluation e = d.evaluation;
      String author =
          e != null
              ? e.authorDomain().ascii()
              : from.domains().stream().map(DomainName::ascii).collect(Collectors.joining(", "));
      Finding.Builder b;
      switch (d.result) {
        case PASS:
          b = dmarcPass(requireNonNull(e, "a pass has an evaluation"), author);
          break;
        case FAIL:
          b = dmarcFail(requireNonNull(e, "a fail has an evaluation"), author, arc);
          break;
        case NONE:
          b =
              Finding.info(
                  AuthReport.Code.AUTH_DMARC_NONE,
                  CHECK,
                  "No DMARC policy applies to "
                      + author
                      + ": the receiver decides on its own. "
                      + (e == null ? "" : String.join(" ", e.reasons())));
          break;
        case TEMPERROR:
          b =
              Finding.inconclusive(
                  AuthReport.Code.AUTH_DMARC_TEMPERROR,
                  CHECK,
                  "DMARC for "
                      + author
                      + " could not be evaluated: "
                      + (e == null || e.detail().isEmpty() ? "a DNS lookup failed" : e.detail())
                      + ". A receiver would defer the message and retry.");
          break;
        case PERMERROR:
        default:
          b =
              Finding.error(
                      AuthReport.Code.AUTH_DMARC_PERMERROR,
                      CHECK,
                      "DMARC cannot be evaluated: the message has no single usable RFC5322.From "
                          + "(see the From finding), so there is no Author Domain. Receivers reject or junk such messages.")
                  .effect(Verdict.AT_RISK);
          break;
      }
      b.evidence("result", d.result.name().toLowerCase(Locale.ROOT))
          .evidence("authorDomain", author);
      if (e != null) {
        b.evidence("spfAligned", e.spf().aligned()).evidence("dkimAligned", e.dkim().aligned());
        if (e.policy() != null) {
          b.evidence("policy", e.policy().tagValue());
        }
      }
      return b.rfc("RFC 9989 §5.3").build();
    }

    /** DMARC passes: says which aligned identifier carried it (RFC 7489 §3.1). */
    private Finding.Builder dmarcPass(DmarcEvaluation e, String author) {
      String how =
          e.dkim().pass()
              ? "DKIM d=" + e.dkim().aligned() + " aligns"
              : "SPF " + e.spf().aligned() + " aligns";
      return Finding.info(
          AuthReport.Code.AUTH_DMARC_PASS,
          CHECK,
          "DMARC pass for "
              + author
              + ": "
              + how
              + (e.policy() != null ? " (p=" + e.policy().tagValue() + ")" : "")
              + ".");
    }

    /**
     * DMARC fails: what the policy asks the receiver to do (RFC 7489 §6.3 p=), and whether a valid
     * ARC chain may still let it through (RFC 8617 §7.2).
     */
    private Finding.Builder dmarcFail(DmarcEvaluation e, String author, AuthReport.Arc arc) {
      DmarcRecord.Policy dis = e.disposition();
      String ask =
          dis == DmarcRecord.Policy.REJECT
              ? "reject it"
              : dis == DmarcRecord.Policy.QUARANTINE
                  ? "put it in spam or hold it"
                  : "do nothing special (p=none, monitoring only)";
      String arcNote =
          arc.status() == AuthReport.Arc.ChainStatus.PASS
              ? " An ARC chain sealed by "
                  + arc.sets().stream()
                      .map(AuthReport.Arc.ArcSet::sealDomain)
                      .distinct()
                      .collect(Collectors.joining(", "))
                  + " validates: a receiver that trusts it may "
                  + "accept the message anyway (RFC 8617 §7.2)."
              : "";
      String msg =
          "DMARC fail for "
              + author
              + ": the receiver is asked to "
              + ask
              + ". "
              + String.join(" ", e.reasons())
              + arcNote;
      Finding.Builder b =
          dis == DmarcRecord.Policy.NONE
              ? Finding.warning(AuthReport.Code.AUTH_DMARC_FAIL, CHECK, msg).effect(Verdict.AT_RISK)
              : Finding.error(AuthReport.Code.AUTH_DMARC_FAIL, CHECK, msg)
                  .effect(
                      dis == DmarcRecord.Policy.REJECT ? Verdict.UNDELIVERABLE : Verdict.AT_RISK);
      return b.evidence("disposition", dis.tagValue());
    }

    private String authenticationResults(
        List<AuthReport.DkimSignature> dkim,
        @Nullable SpfReport spfReport,
        DmarcOutcome d,
        AuthReport.From from,
        AuthReport.Arc arc) {
      List<String> parts = new ArrayList<>();
      parts.add(options.authservId());
      if (dkim.isEmpty()) {
        parts.add("dkim=none");
      }
      for (AuthReport.DkimSignature r : dkim) {
        parts.add(r.authenticationResult());
      }
      if (spfReport != null && spfReport.spfResult() != null) {
        StringBuilder s =
            new StringBuilder("spf=").append(spfReport.spfResult().name().toLowerCase(Locale.ROOT));
        if (spfReport.ip() != null) {
          s.append(" (client-ip=").append(InetAddresses.toLiteral(spfReport.ip())).append(')');
        }
        if (spfReport.scope() == SpfReport.Scope.MAIL_FROM) {
          s.append(" smtp.mailfrom=").append(pvalue(spfReport.identity()));
        }
        if (spfReport.helo() != null && !spfReport.helo().isEmpty()) {
          s.append(" smtp.helo=").append(pvalue(spfReport.helo()));
        }
        parts.add(s.toString());
      }
      if (d.evaluation != null) {
        parts.add(d.evaluation.authenticationResult());
      } else {
        parts.add(
            "dmarc="
                + d.result.name().toLowerCase(Locale.ROOT)
                + (from.domains().isEmpty()
                    ? ""
                    : " header.from=" + from.domains().get(0).ascii()));
      }
      parts.add(arc.authenticationResult());
      return String.join("; ", parts);
    }

    AuthReport unreadable(IOException e) {
      Finding f =
          Finding.inconclusive(
                  AuthReport.Code.AUTH_READ_FAILED,
                  CHECK,
                  "The message " + source + " could not be read: " + e.getMessage() + ".")
              .evidence("source", source)
              .build();
      return empty(f);
    }

    AuthReport timedOut() {
      Finding f =
          Finding.inconclusive(
                  AuthReport.Code.AUTH_TIMEOUT,
                  CHECK,
                  "The authentication of " + source + " did not finish before the deadline.")
              .evidence("source", source)
              .build();
      return empty(f);
    }

    private AuthReport empty(Finding f) {
      return new AuthReport(
          CHECK,
          source,
          0,
          "",
          given,
          new AuthReport.From(0, "", List.of(), List.of(), List.of()),
          List.of(),
          null,
          null,
          DmarcEvaluation.Result.TEMPERROR,
          AuthReport.Arc.none(),
          options.authservId() + "; dkim=temperror; dmarc=temperror",
          List.of(f));
    }
  }

  /** The deciding DMARC evaluation and the message's result. */
  private record DmarcOutcome(
      @Nullable DmarcEvaluation evaluation, DmarcEvaluation.Result result) {}

  /**
   * Several Author Domains: the strictest failing policy, else a temperror, else a pass, else none
   * (RFC 7489 §6.6.1).
   */
  private static DmarcOutcome decide(List<DmarcEvaluation> evals) {
    DmarcEvaluation worst = null;
    for (DmarcEvaluation e : evals) {
      if (e.result() == DmarcEvaluation.Result.FAIL
          && (worst == null || e.disposition().compareTo(worst.disposition()) > 0)) {
        worst = e;
      }
    }
    if (worst != null) {
      return new DmarcOutcome(worst, DmarcEvaluation.Result.FAIL);
    }
    for (DmarcEvaluation.Result r :
        List.of(
            DmarcEvaluation.Result.TEMPERROR,
            DmarcEvaluation.Result.PASS,
            DmarcEvaluation.Result.NONE)) {
      for (DmarcEvaluation e : evals) {
        if (e.result() == r) {
          return new DmarcOutcome(e, r);
        }
      }
    }
    return new DmarcOutcome(evals.get(0), evals.get(0).result());
  }

  /** A mailbox of the From field and its Author Domain, if it has one. */
  private record Author(AddressList.Mailbox mailbox, @Nullable DomainName domain) {}

  /** The From field as the report shows it, and its mailboxes. */
  private record Authors(AuthReport.From from, List<Author> mailboxes) {}

  /**
   * Reads the first From field (RFC 5322 §3.6.2) as an address list (§3.4) with core's reader,
   * whose tokens keep a quoted display name whole: {@code "Johnson, Joe <joe@joe.com>" joe@joe.com}
   * is one mailbox, joe@joe.com, shown as "Johnson, Joe <joe@joe.com>".
   *
   * <p>The value is shown as core decodes it (UTF-8, else one character per octet, so a Latin-1
   * display name stays readable), but an Author Domain (RFC 7489 §3.2) with characters beyond ASCII
   * counts only if the field's octets are UTF-8: header fields carry non-ASCII text as UTF-8 (RFC
   * 6532 §3.2), and a domain read from octets in some other charset is not a name the author wrote,
   * so it gives no Author Domain (and DMARC permerror), as the old UTF-8 reading with U+FFFD did.
   */
  static Authors readFrom(HeaderSection h) {
    List<HeaderField> fields =
        h.fields().stream().filter(f -> f.lowerName().equals("from")).toList();
    if (fields.isEmpty()) {
      return new Authors(new AuthReport.From(0, "", List.of(), List.of(), List.of()), List.of());
    }
    HeaderField field = fields.get(0);
    boolean utf8 = utf8(field);
    List<Author> authors = new ArrayList<>();
    Set<DomainName> domains = new LinkedHashSet<>();
    for (AddressList.Mailbox mb : AddressList.parse(field.value())) {
      DomainName d = mb.domain();
      if (d != null && !utf8 && !mb.domainPart().chars().allMatch(c -> c < 0x80)) {
        d = null;
      }
      authors.add(new Author(mb, d));
      if (d != null) {
        domains.add(d);
      }
    }
    AuthReport.From from =
        new AuthReport.From(
            fields.size(),
            TxtStrings.printable(field.value(), 2000),
            authors.stream().map(a -> a.mailbox().displayName()).toList(),
            authors.stream().map(a -> a.mailbox().address()).toList(),
            List.copyOf(domains));
    return new Authors(from, List.copyOf(authors));
  }

  /**
   * Whether core read the field's value as UTF-8 (RFC 6532): octets beyond ASCII that are valid
   * UTF-8, or ASCII without the escape sequences core reads as ISO-2022-JP.
   */
  private static boolean utf8(HeaderField f) {
    byte[] raw = f.raw();
    int from = f.colon() + 1;
    boolean eightBit = false;
    boolean escape = false;
    for (int i = from; i < raw.length; i++) {
      eightBit |= raw[i] < 0;
      escape |= raw[i] == 0x1b;
    }
    if (!eightBit) {
      return !escape;
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw, from, raw.length - from));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static @Nullable String first(List<HeaderField> fields, String lowerName) {
    for (HeaderField f : fields) {
      if (f.lowerName().equals(lowerName)) {
        return f.value();
      }
    }
    return null;
  }

  /**
   * An RFC 8601 pvalue: the address as is when it is a plain token with '@' and '.', else quoted.
   */
  private static String pvalue(String v) {
    boolean plain =
        !v.isEmpty()
            && v.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>,;:\\\"[]?= ".indexOf(c) < 0);
    return plain ? v : "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * Does nothing: an authenticator owns no threads, and the runtime it borrows stays open with its
   * {@code MailDiagnostics}.
   */
  @Override
  public void close() {}
}
