package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.DmarcDiscovery.Step;
import dev.maildx.dns.DmarcDiscovery.Walk;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.report.DmarcEvaluation;
import dev.maildx.report.DmarcEvaluation.IdentifierAlignment;
import dev.maildx.report.DmarcEvaluation.Result;
import dev.maildx.report.DmarcInput;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.DnsOutcome;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Type;

/**
 * DMARC validation of one message (RFC 9989 §5.3): given the RFC5322.From domain and the SPF and
 * DKIM results as plain {@link DmarcInput}, finds the policy that applies, checks identifier
 * alignment (relaxed or strict, with Organizational Domains from the DNS tree walk of RFC 9989
 * §4.10.2), and says pass, fail, none or temperror, the policy to apply ({@code t=y} lowers it one
 * level) and why. The result a Public-Suffix-List receiver (RFC 7489) reaches is given too.
 *
 * <p>Lookups go out concurrently: the tree walk of the Author Domain first, then — only where
 * relaxed alignment needs them — the walks of the authenticated identifiers below the Author
 * Domain's Organizational Domain (names already asked are not asked again) and the existence test
 * for {@code np}. At most {@value #MAX_WALKED} identifiers are walked (the SPF domain first), as a
 * guard against messages built to cause many lookups.
 *
 * <pre>{@code
 * try (MailDiagnostics maildx = MailDiagnostics.create()) {  // share one; components borrow its threads
 *   DmarcEvaluator dmarc = DmarcEvaluator.create(maildx);
 *   DmarcEvaluation e = dmarc.evaluate(DmarcInput.builder()
 *       .from("alice@corp.example")               // RFC5322.From
 *       .spf("bounces.esp.example", true)         // SPF-checked MAIL FROM domain and whether it passed
 *       .dkim("corp.example", true)               // DKIM d= and whether the signature verified
 *       .build());
 *   e.result();       // PASS, FAIL, NONE, TEMPERROR
 *   e.disposition();  // what the receiver is asked to do: NONE, QUARANTINE, REJECT
 *   e.reasons();      // why
 * }
 * }</pre>
 *
 * <p>Thread-safe; share one instance.
 */
public final class DmarcEvaluator implements AutoCloseable {
  /** The most identifiers whose Organizational Domain is looked up per evaluation. */
  public static final int MAX_WALKED = 10;

  private final DnsClient dns;
  private final PublicSuffixList psl;

  private DmarcEvaluator(DnsClient dns, PublicSuffixList psl) {
    this.dns = dns;
    this.psl = psl;
  }

  /**
   * Creates a evaluator on the runtime of a {@code MailDiagnostics}: its DNS client, threads and
   * configuration (the deadline of a blocking call is its {@link DiagnosticsConfig#timeout()}). The
   * evaluator starts no threads of its own. It uses the bundled Public Suffix List.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the evaluator is
   *     used, and closing the evaluator leaves it open
   * @return a new evaluator
   */
  public static DmarcEvaluator create(MailDiagnostics maildx) {
    return create(maildx, PublicSuffixList.bundled());
  }

  /**
   * Creates a evaluator on the runtime of a {@code MailDiagnostics} with a Public Suffix List of
   * your own; it starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the evaluator is
   *     used, and closing the evaluator leaves it open
   * @param publicSuffixList the list for the RFC 7489 Organizational Domain
   * @return a new evaluator
   */
  public static DmarcEvaluator create(MailDiagnostics maildx, PublicSuffixList publicSuffixList) {
    requireNonNull(publicSuffixList, "publicSuffixList");
    return create(DnsClient.of(CheckEnvironment.of(maildx)), publicSuffixList);
  }

  /**
   * For maildx's own modules (the auth module's message authentication): an evaluator on a DNS
   * client that the caller owns and may share. Not an API ({@code DnsClient} is internal).
   *
   * @param dns the client
   * @param publicSuffixList the list for the RFC 7489 comparison
   * @return an evaluator without threads of its own
   * @hidden
   */
  @SuppressWarnings({
    "exports",
    "InvalidBlockTag"
  }) // @hidden is a javadoc tag (JDK 9+) Error Prone does not know
  public static DmarcEvaluator create(DnsClient dns, PublicSuffixList publicSuffixList) {
    return new DmarcEvaluator(dns, publicSuffixList);
  }

  /**
   * Evaluates, blocking up to the configured timeout.
   *
   * @param input the message's From domain and authentication results
   * @return the evaluation
   */
  public DmarcEvaluation evaluate(DmarcInput input) {
    return evaluateAsync(input, Deadline.after(dns.environment().config().timeout())).join();
  }

  /**
   * Evaluates.
   *
   * @param input the message's From domain and authentication results
   * @param deadline when to give up: the evaluation then says temperror
   * @return a future that always completes with an evaluation, by the deadline
   */
  public CompletableFuture<DmarcEvaluation> evaluateAsync(DmarcInput input, Deadline deadline) {
    requireNonNull(input, "input");
    requireNonNull(deadline, "deadline");
    Deadline inner = deadline.withMargin(Duration.ofMillis(50));
    DmarcDiscovery discovery = new DmarcDiscovery(dns, DmarcReport.CHECK, inner);
    CompletableFuture<DmarcEvaluation> work =
        discovery
            .walk(input.authorDomain(), psl.organizationalDomain(input.authorDomain()))
            .thenCompose(w -> new Run(input, discovery, w, inner).run());
    return dns.environment()
        .within(
            work,
            deadline,
            () -> temperror(input, "the DMARC lookups did not finish before the deadline"));
  }

  @SuppressWarnings(
      "NullAway") // javac 17 does not read DmarcRecord.@Nullable Policy from core's class files
  private DmarcEvaluation temperror(DmarcInput in, String detail) {
    IdentifierAlignment none =
        new IdentifierAlignment(DmarcRecord.Alignment.RELAXED, null, null, in.spf());
    IdentifierAlignment noneD =
        new IdentifierAlignment(DmarcRecord.Alignment.RELAXED, null, null, in.dkim());
    return new DmarcEvaluation(
        in.authorDomain(),
        Result.TEMPERROR,
        null,
        null,
        null,
        null,
        null,
        none,
        noneD,
        Result.TEMPERROR,
        List.of("A DNS failure prevented DMARC evaluation: " + detail + "."),
        detail);
  }

  /** One evaluation after the Author Domain's walk. */
  private final class Run {
    final DmarcInput in;
    final DmarcDiscovery discovery;
    final Walk walk;
    final Deadline deadline;
    final DomainName author;
    final List<String> reasons = new ArrayList<>();

    Run(DmarcInput in, DmarcDiscovery discovery, Walk walk, Deadline deadline) {
      this.in = in;
      this.discovery = discovery;
      this.walk = walk;
      this.deadline = deadline;
      this.author = in.authorDomain();
    }

    CompletableFuture<DmarcEvaluation> run() {
      Step own = walk.steps.get(0);
      if (!own.definite() || (own.record() == null && walk.failed != null)) {
        Step f = walk.failed != null ? walk.failed : own;
        return done(
            temperror(
                in,
                f.lookup.name()
                    + " "
                    + f.lookup.outcome()
                    + (f.lookup.detail().isEmpty() ? "" : " (" + f.lookup.detail() + ")")));
      }
      Step policyStep = DmarcDiscovery.policyStep(walk);
      Result legacy = legacyResult();
      if (policyStep == null) {
        return done(noPolicy(own, legacy));
      }
      DmarcRecord record =
          requireNonNull(policyStep.record(), "the policy step is one with a record");
      DomainName policyDomain = policyStep.domain();
      if (!record.usable()) {
        return done(noProcessing(record, policyDomain, legacy));
      }
      boolean ownRecord = policyDomain.equals(author);
      CompletableFuture<@Nullable Boolean> exists = existence(record, ownRecord);
      Map<DomainName, CompletableFuture<Walk>> walks = identifierWalks(record);
      List<CompletableFuture<?>> all = new ArrayList<>(walks.values());
      all.add(exists);
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .thenApply(v -> conclude(record, policyDomain, ownRecord, exists.join(), walks, legacy));
    }

    /** RFC 9989 §4.10: no DMARC Policy Record was found, so DMARC does not apply (none). */
    private DmarcEvaluation noPolicy(Step own, Result legacy) {
      reasons.add(
          "No DMARC Policy Record applies to "
              + author
              + (walk.read > 1 ? " or its parent domains" : "")
              + (own.lookup.dmarcRecords() > 1
                  ? " (its own name holds several records, which are all discarded)"
                  : "")
              + ": DMARC is not applied.");
      return result(
          Result.NONE, null, null, null, null, relaxed(in.spf()), relaxed(in.dkim()), legacy, "");
    }

    /**
     * RFC 9989 §4.10.1: a record with neither a valid policy nor a valid rua calls for no DMARC
     * processing (none).
     */
    private DmarcEvaluation noProcessing(
        DmarcRecord record, DomainName policyDomain, Result legacy) {
      reasons.add(
          "The DMARC record of "
              + policyDomain
              + " has no valid policy and no valid rua, so no DMARC processing applies.");
      return result(
          Result.NONE,
          record,
          policyDomain,
          walk.organizationalDomain,
          null,
          relaxed(in.spf()),
          relaxed(in.dkim()),
          legacy,
          "");
    }

    /**
     * Whether the Author Domain exists, which decides between np and sp (RFC 9989 §4.7): looked up
     * only when the record is not the domain's own and the two policies differ.
     */
    private CompletableFuture<@Nullable Boolean> existence(DmarcRecord record, boolean ownRecord) {
      boolean needExistence =
          !ownRecord
              && record.nonExistentPolicy() != null
              && record.effectiveNonExistentPolicy() != record.effectiveSubdomainPolicy();
      return needExistence
          ? dns.query(author.ascii(), Type.TXT, deadline).thenApply(DmarcEvaluator::exists)
          : CompletableFuture.completedFuture(null);
    }

    /**
     * The tree walks that find the Organizational Domains of the passing identifiers that relaxed
     * alignment (RFC 9989 §4.4) may align, all at once: at most {@code MAX_WALKED}.
     */
    private Map<DomainName, CompletableFuture<Walk>> identifierWalks(DmarcRecord record) {
      Map<DomainName, CompletableFuture<Walk>> walks = new LinkedHashMap<>();
      DomainName authorOrg = walk.organizationalDomain;
      for (int side = 0; side < 2; side++) {
        DmarcRecord.Alignment mode = side == 0 ? record.spfAlignment() : record.dkimAlignment();
        for (DmarcInput.Identifier id : side == 0 ? in.spf() : in.dkim()) {
          if (!id.pass()
              || mode == DmarcRecord.Alignment.STRICT
              || id.domain().equals(author)
              || authorOrg == null
              || !id.domain().isSubdomainOf(authorOrg)
              || walks.size() >= MAX_WALKED) {
            continue;
          }
          walks.computeIfAbsent(id.domain(), d -> discovery.walk(d, psl.organizationalDomain(d)));
        }
      }
      return walks;
    }

    /**
     * The result once the lookups are done: pass when an authenticated identifier aligns (RFC 9989
     * §4.4), temperror when alignment could not be determined, else fail under the applicable
     * policy.
     */
    private DmarcEvaluation conclude(
        DmarcRecord record,
        DomainName policyDomain,
        boolean ownRecord,
        @Nullable Boolean ex,
        Map<DomainName, CompletableFuture<Walk>> walks,
        Result legacy) {
      DomainName authorOrg = walk.organizationalDomain;
      DmarcRecord.Policy published = DmarcResolver.applicablePolicy(record, ownRecord, ex);
      DmarcRecord.Policy applied = record.testing() ? published.downgraded() : published;
      describePolicy(record, policyDomain, ownRecord, ex, published, applied);
      List<String> failures = new ArrayList<>();
      IdentifierAlignment spf =
          align("SPF", in.spf(), record.spfAlignment(), authorOrg, walks, failures);
      IdentifierAlignment dkim =
          align("DKIM", in.dkim(), record.dkimAlignment(), authorOrg, walks, failures);
      Result r;
      String detail = "";
      if (spf.pass() || dkim.pass()) {
        r = Result.PASS;
      } else if (!failures.isEmpty()) {
        r = Result.TEMPERROR;
        detail = String.join("; ", failures);
        reasons.add(
            "No identifier aligned, and whether "
                + String.join(", ", failures)
                + " could not be determined: temperror.");
      } else {
        r = Result.FAIL;
        reasons.add(
            "No SPF- or DKIM-authenticated identifier aligns with "
                + author
                + ": DMARC fails, and the policy "
                + applied.tagValue()
                + " applies.");
      }
      if (record.percent() < 100 && r == Result.FAIL) {
        reasons.add(
            "pct="
                + record.percent()
                + " is historic (RFC 9989 Appendix A.6) and does not change the result; RFC 7489 receivers "
                + "apply "
                + applied.tagValue()
                + " to "
                + record.percent()
                + "% of failing mail and "
                + applied.downgraded().tagValue()
                + " to the rest.");
      }
      if (legacy != r) {
        reasons.add(
            "An RFC 7489 receiver (Public Suffix List) reaches "
                + legacy.name().toLowerCase(java.util.Locale.ROOT)
                + " instead.");
      }
      return result(
          r, record, policyDomain, authorOrg, published, spf, dkim, legacy, detail, applied);
    }

    private void describePolicy(
        DmarcRecord record,
        DomainName policyDomain,
        boolean own,
        @Nullable Boolean exists,
        DmarcRecord.Policy published,
        DmarcRecord.Policy applied) {
      if (own) {
        reasons.add(author + " publishes its own DMARC record: p=" + published.tagValue() + ".");
      } else {
        String tag = Boolean.FALSE.equals(exists) ? "np" : "sp";
        reasons.add(
            author
                + " has no DMARC record of its own; the record of "
                + policyDomain
                + " applies, whose policy for "
                + (Boolean.FALSE.equals(exists) ? "non-existent " : "")
                + "subdomains ("
                + tag
                + ", else p) is "
                + published.tagValue()
                + ".");
      }
      if (record.testing() && applied != published) {
        reasons.add(
            "t=y (testing): the policy is applied one level lower, as " + applied.tagValue() + ".");
      }
    }

    private IdentifierAlignment align(
        String kind,
        List<DmarcInput.Identifier> ids,
        DmarcRecord.Alignment mode,
        @Nullable DomainName authorOrg,
        Map<DomainName, CompletableFuture<Walk>> walks,
        List<String> failures) {
      DomainName aligned = null;
      DomainName alignedOrg = null;
      for (DmarcInput.Identifier id : ids) {
        if (!id.pass()) {
          reasons.add(kind + " " + id.domain() + " did not pass, so it cannot align.");
          continue;
        }
        if (aligned != null) {
          continue;
        }
        if (id.domain().equals(author)) {
          aligned = id.domain();
          alignedOrg = authorOrg != null ? authorOrg : author;
          reasons.add(
              kind + " " + id.domain() + " passed and is identical to the From domain: aligned.");
          continue;
        }
        if (mode == DmarcRecord.Alignment.STRICT) {
          reasons.add(
              kind
                  + " "
                  + id.domain()
                  + " passed but differs from the From domain "
                  + author
                  + ", and alignment is strict ("
                  + (kind.equals("SPF") ? "aspf" : "adkim")
                  + "=s): not aligned.");
          continue;
        }
        if (authorOrg == null) {
          failures.add("the Organizational Domain of " + author);
          continue;
        }
        if (!id.domain().isSubdomainOf(authorOrg)) {
          reasons.add(
              kind
                  + " "
                  + id.domain()
                  + " passed but is not within "
                  + author
                  + "'s Organizational Domain "
                  + authorOrg
                  + ": not aligned.");
          continue;
        }
        CompletableFuture<Walk> w = walks.get(id.domain());
        if (w == null) {
          reasons.add(
              kind
                  + " "
                  + id.domain()
                  + " was not checked: at most "
                  + MAX_WALKED
                  + " identifiers are walked per message.");
          continue;
        }
        Walk iw = w.join();
        if (iw.organizationalDomain == null) {
          Step failed =
              requireNonNull(iw.failed, "a walk without an Organizational Domain has failed");
          failures.add(
              "the Organizational Domain of "
                  + id.domain()
                  + " ("
                  + failed.lookup.name()
                  + " "
                  + failed.lookup.outcome()
                  + ")");
          continue;
        }
        if (iw.organizationalDomain.equals(authorOrg)) {
          aligned = id.domain();
          alignedOrg = authorOrg;
          reasons.add(
              kind
                  + " "
                  + id.domain()
                  + " passed and shares the Organizational Domain "
                  + authorOrg
                  + " with "
                  + author
                  + ": aligned (relaxed).");
        } else {
          reasons.add(
              kind
                  + " "
                  + id.domain()
                  + " passed but its Organizational Domain is "
                  + iw.organizationalDomain
                  + ", not "
                  + authorOrg
                  + ": not aligned.");
        }
      }
      if (ids.isEmpty()) {
        reasons.add("No " + kind + " result was given.");
      }
      return new IdentifierAlignment(mode, aligned, alignedOrg, ids);
    }

    /**
     * The result by RFC 7489: policy discovery (§6.6.3) and relaxed alignment with the Public
     * Suffix List.
     */
    private Result legacyResult() {
      Step own = walk.steps.get(0);
      DomainName pslOrg = psl.organizationalDomain(author);
      DmarcRecord legacy = null;
      if (own.lookup.dmarcRecords() == 1) {
        legacy = own.record();
      } else if (own.lookup.dmarcRecords() == 0 && !pslOrg.equals(author)) {
        Step org = walk.step(pslOrg);
        if (org != null && !org.definite()) {
          return Result.TEMPERROR;
        }
        legacy = org != null ? org.record() : null;
      }
      if (legacy == null || !legacy.usable()) {
        return Result.NONE;
      }
      for (DmarcInput.Identifier id : in.spf()) {
        if (id.pass() && legacyAligned(id.domain(), legacy.spfAlignment(), pslOrg)) {
          return Result.PASS;
        }
      }
      for (DmarcInput.Identifier id : in.dkim()) {
        if (id.pass() && legacyAligned(id.domain(), legacy.dkimAlignment(), pslOrg)) {
          return Result.PASS;
        }
      }
      return Result.FAIL;
    }

    private boolean legacyAligned(DomainName id, DmarcRecord.Alignment mode, DomainName pslOrg) {
      return id.equals(author)
          || (mode == DmarcRecord.Alignment.RELAXED && psl.organizationalDomain(id).equals(pslOrg));
    }

    private IdentifierAlignment relaxed(List<DmarcInput.Identifier> ids) {
      return new IdentifierAlignment(DmarcRecord.Alignment.RELAXED, null, null, ids);
    }

    private DmarcEvaluation result(
        Result r,
        @Nullable DmarcRecord record,
        @Nullable DomainName policyDomain,
        @Nullable DomainName org,
        DmarcRecord.@Nullable Policy published,
        IdentifierAlignment spf,
        IdentifierAlignment dkim,
        Result legacy,
        String detail) {
      return result(r, record, policyDomain, org, published, spf, dkim, legacy, detail, published);
    }

    @SuppressWarnings(
        "NullAway") // javac 17 does not read DmarcRecord.@Nullable Policy from core's class files
    private DmarcEvaluation result(
        Result r,
        @Nullable DmarcRecord record,
        @Nullable DomainName policyDomain,
        @Nullable DomainName org,
        DmarcRecord.@Nullable Policy published,
        IdentifierAlignment spf,
        IdentifierAlignment dkim,
        Result legacy,
        String detail,
        DmarcRecord.@Nullable Policy applied) {
      return new DmarcEvaluation(
          author,
          r,
          record,
          policyDomain,
          org,
          published,
          applied,
          spf,
          dkim,
          legacy,
          reasons,
          detail);
    }

    private CompletableFuture<DmarcEvaluation> done(DmarcEvaluation e) {
      return CompletableFuture.completedFuture(e);
    }
  }

  private static @Nullable Boolean exists(DnsAnswer a) {
    return a.outcome() == DnsOutcome.NXDOMAIN
        ? Boolean.FALSE
        : a.outcome().isDefinite() ? Boolean.TRUE : null;
  }

  /**
   * Does nothing: a evaluator owns no threads, and the runtime it borrows stays open with its
   * {@code MailDiagnostics}.
   */
  @Override
  public void close() {}
}
