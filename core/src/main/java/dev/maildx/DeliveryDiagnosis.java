package dev.maildx;

import static java.util.Objects.requireNonNull;

import dev.maildx.report.AuthReport;
import dev.maildx.report.BimiReport;
import dev.maildx.report.BounceReport;
import dev.maildx.report.CheckReport;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.DnsblReport;
import dev.maildx.report.DnssecReport;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.MxReport;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.ReverseDnsReport;
import dev.maildx.report.SpfReport;
import dev.maildx.report.TlsRptReport;
import dev.maildx.report.TlsaReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to a {@link DeliveryQuestion}: a verdict, the likely causes ranked with who has to
 * act, every finding, and a typed report for each check that ran.
 *
 * <p>Immutable and thread-safe. Reports of checks that did not apply or did not finish before the
 * deadline are absent; a check that missed the deadline leaves an {@linkplain
 * Finding#inconclusive() inconclusive} finding instead.
 *
 * <p>The verdict follows from three rules, in order of gravity {@link Verdict#DELIVERABLE} &lt;
 * {@link Verdict#AT_RISK} &lt; {@link Verdict#INCONCLUSIVE} &lt; {@link Verdict#UNDELIVERABLE} (the
 * graver wins, see {@link Verdict#and}):
 *
 * <ol>
 *   <li>every finding contributes its {@linkplain Finding#effect() effect}: what it means for
 *       delivery on its own (a null MX is undeliverable, an SPF fail at risk, a timeout
 *       inconclusive, a fact deliverable);
 *   <li>every likely cause of {@linkplain LikelyCause.Confidence#HIGH high} confidence contributes
 *       its {@linkplain LikelyCause#effect() effect}: when a bounce shows the recipient's rejection
 *       and a check shows its reason still holds (SPF still fails for the sending IP, the IP is
 *       still listed, the gateway still does not answer), mail is undeliverable as things stand
 *       although no single finding says so;
 *   <li>every other likely cause contributes at most {@link Verdict#AT_RISK}: a suspicion endangers
 *       delivery but proves nothing.
 * </ol>
 *
 * So {@link Verdict#INCONCLUSIVE} (a check that decides deliverability could not run) is overruled
 * only by proof of {@link Verdict#UNDELIVERABLE}, and {@link Verdict#DELIVERABLE} means no finding
 * and no cause says otherwise.
 *
 * @param question what was asked
 * @param verdict the one-word answer
 * @param likelyCauses ranked explanations, most likely first; empty when nothing is wrong
 * @param findings every finding of every check, most severe first
 * @param reports the typed report of each check that completed, in the order the checks are
 *     declared
 * @param startedAt when the diagnosis started, by the configured clock
 * @param elapsed how long it took
 */
public record DeliveryDiagnosis(
    DeliveryQuestion question,
    Verdict verdict,
    List<LikelyCause> likelyCauses,
    List<Finding> findings,
    List<CheckReport> reports,
    Instant startedAt,
    Duration elapsed) {
  /** The check name of findings about the diagnosis as a whole: {@value}. */
  public static final String CHECK = "diagnosis";

  /** Validates and copies. */
  public DeliveryDiagnosis {
    requireNonNull(question, "question");
    requireNonNull(verdict, "verdict");
    likelyCauses = List.copyOf(likelyCauses);
    findings = List.copyOf(findings);
    reports = List.copyOf(reports);
    requireNonNull(startedAt, "startedAt");
    requireNonNull(elapsed, "elapsed");
  }

  /**
   * The recipient domain's MX report.
   *
   * @return the report of the {@code mx} check, if it ran
   */
  public Optional<MxReport> mx() {
    return report(MxReport.CHECK, MxReport.class);
  }

  /**
   * The sender domain's own MX report (where replies and bounces to the sender go).
   *
   * @return the report of the {@code sender-mx} check, if it ran
   */
  public Optional<MxReport> senderMx() {
    return report(MxReport.SENDER_CHECK, MxReport.class);
  }

  /**
   * The sender domain's DMARC policy.
   *
   * @return the report of the {@code dmarc} check, if it ran
   */
  public Optional<DmarcReport> dmarc() {
    return report(DmarcReport.CHECK, DmarcReport.class);
  }

  /**
   * The sender domain's DKIM key records (the signatures of a received message are in {@link
   * #auth()}).
   *
   * @return the report of the {@code dkim} check, if it ran
   */
  public Optional<DkimKeysReport> dkimKeys() {
    return report(DkimKeysReport.CHECK, DkimKeysReport.class);
  }

  /**
   * The SPF evaluation of the sender for the sending IP (RFC 7208), with the lint of the sender
   * domain's record.
   *
   * @return the report of the {@code spf} check, if it ran
   */
  public Optional<SpfReport> spf() {
    return report(SpfReport.CHECK, SpfReport.class);
  }

  /**
   * The SMTP probe of the recipient's mail servers.
   *
   * @return the report of the {@code smtp} check, if it ran
   */
  public Optional<ProbeReport> smtp() {
    return report(ProbeReport.CHECK, ProbeReport.class);
  }

  /**
   * The recipient domain's MTA-STS report (RFC 8461).
   *
   * @return the report of the {@code mta-sts} check, if it ran
   */
  public Optional<MtaStsReport> mtaSts() {
    return report(MtaStsReport.CHECK, MtaStsReport.class);
  }

  /**
   * The recipient domain's SMTP TLS Reporting record (RFC 8460).
   *
   * @return the report of the {@code tls-rpt} check, if it ran
   */
  public Optional<TlsRptReport> tlsRpt() {
    return report(TlsRptReport.CHECK, TlsRptReport.class);
  }

  /**
   * The DNSSEC status of the recipient domain's MX records and MX host addresses.
   *
   * @return the report of the {@code dnssec} check, if it ran
   */
  public Optional<DnssecReport> dnssec() {
    return report(DnssecReport.CHECK, DnssecReport.class);
  }

  /**
   * The TLSA (DANE) records of the recipient's MX hosts (RFC 7672).
   *
   * @return the report of the {@code tlsa} check, if it ran
   */
  public Optional<TlsaReport> tlsa() {
    return report(TlsaReport.CHECK, TlsaReport.class);
  }

  /**
   * The sender domain's BIMI record.
   *
   * @return the report of the {@code bimi} check, if it ran
   */
  public Optional<BimiReport> bimi() {
    return report(BimiReport.CHECK, BimiReport.class);
  }

  /**
   * The reverse DNS (PTR, forward-confirmed) of the sending IP.
   *
   * @return the report of the {@code ptr} check, if it ran
   */
  public Optional<ReverseDnsReport> ptr() {
    return report(ReverseDnsReport.CHECK, ReverseDnsReport.class);
  }

  /**
   * The reverse DNS (PTR, forward-confirmed) of the recipient's MX addresses.
   *
   * @return the report of the {@code mx-ptr} check, if it ran
   */
  public Optional<ReverseDnsReport> mxPtr() {
    return report(ReverseDnsReport.MX_CHECK, ReverseDnsReport.class);
  }

  /**
   * The sending IP and sender domain on DNS blocklists (RFC 5782).
   *
   * @return the report of the {@code dnsbl} check, if it ran
   */
  public Optional<DnsblReport> dnsbl() {
    return report(DnsblReport.CHECK, DnsblReport.class);
  }

  /**
   * The bounce or delay notice the sender received, parsed and classified.
   *
   * @return the report of the {@code bounce} check, if the question had a bounce
   */
  public Optional<BounceReport> bounce() {
    return report(BounceReport.CHECK, BounceReport.class);
  }

  /**
   * The authentication of the received message (DKIM, SPF, DMARC, ARC), as its receiver computes
   * it.
   *
   * @return the report of the {@code auth} check, if the question had a message
   */
  public Optional<AuthReport> auth() {
    return report(AuthReport.CHECK, AuthReport.class);
  }

  /**
   * The report of the named check, if it ran and is of the given type.
   *
   * @param check the check name
   * @param type the report type
   * @param <T> the report type
   * @return the report, or empty
   */
  public <T extends CheckReport> Optional<T> report(String check, Class<T> type) {
    for (CheckReport r : reports) {
      if (r.check().equals(check) && type.isInstance(r)) {
        return Optional.of(type.cast(r));
      }
    }
    return Optional.empty();
  }

  /**
   * The findings with the given code.
   *
   * @param code a finding code such as {@code MX_NULL}
   * @return the matching findings, possibly empty
   */
  public List<Finding> findings(String code) {
    return findings.stream().filter(f -> f.code().equals(code)).toList();
  }

  /**
   * The findings with the given code.
   *
   * @param code a declared code such as {@link MxReport.Code#MX_NULL}
   * @return the matching findings, possibly empty
   */
  public List<Finding> findings(FindingCode code) {
    return findings.stream().filter(f -> f.is(code)).toList();
  }

  /**
   * The codes of the findings core makes about the diagnosis itself rather than about mail: a check
   * that failed or missed the deadline, a question no check applies to. Their check is the one
   * concerned, or {@value DeliveryDiagnosis#CHECK}.
   */
  public enum Code implements FindingCode {
    CHECK_FAILED(
        false,
        "A check (or the diagnosis itself) failed unexpectedly, a bug in maildx or a check of your own: its result is unknown."),
    CHECK_DEADLINE_EXCEEDED(
        false,
        "A check did not finish, or could not start, before the deadline of the diagnosis: its result is unknown."),
    NOTHING_TO_CHECK(
        true,
        "No installed check applies to the question (no recipient given, or maildx-dns and maildx-smtp are not on the class path).");

    private final boolean ownCheck;
    private final String meaning;

    Code(boolean ownCheck, String meaning) {
      this.ownCheck = ownCheck;
      this.meaning = meaning;
    }

    @Override
    public List<String> checks() {
      return ownCheck ? List.of(CHECK) : List.of();
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Verdict effect() {
      return Verdict.INCONCLUSIVE;
    }

    @Override
    public String meaning() {
      return meaning;
    }

    @Override
    public Optional<String> reference() {
      return Optional.empty();
    }
  }
}
