package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Verdict;
import dev.maildx.dns.DmarcDiscovery.Step;
import dev.maildx.dns.DmarcDiscovery.Walk;
import dev.maildx.dns.internal.DmarcRecordParser;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.dns.internal.TxtStrings;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.DmarcReport.Destination.Authorization;
import dev.maildx.report.DnsOutcome;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Finds and judges a domain's DMARC policy (RFC 9989, RFC 7489): the record at {@code
 * _dmarc.<domain>} or, failing that, at its Organizational Domain — found both by the RFC 9989 DNS
 * tree walk and by the Public Suffix List as RFC 7489 receivers do, with any disagreement reported
 * — every tag parsed and linted, and each external report destination checked for the authorization
 * record {@code <domain>._report._dmarc.<destination>}.
 *
 * <p>All lookups that do not depend on each other are sent at once: the whole tree walk, the TXT
 * query of the domain itself (for a record published at the wrong name, and for the existence test
 * behind {@code np}), then — in a second round — the report authorizations and the destinations'
 * mail servers.
 *
 * <p>Findings (check {@code dmarc}), the record-level ones of {@link DmarcRecordParser} included:
 * {@link DmarcReport.Code}.
 *
 * <p>Thread-safe; share one instance.
 */
public final class DmarcResolver implements AutoCloseable {
  static final String CHECK = DmarcReport.CHECK;

  /** The most report destinations checked for authorization per record. */
  public static final int MAX_DESTINATIONS = 10;

  private final DnsClient dns;
  private final PublicSuffixList psl;

  private DmarcResolver(DnsClient dns, PublicSuffixList psl) {
    this.dns = dns;
    this.psl = psl;
  }

  /**
   * Creates a resolver on the runtime of a {@code MailDiagnostics}: its DNS client, threads and
   * configuration (the deadline of a blocking call is its {@link DiagnosticsConfig#timeout()}). The
   * resolver starts no threads of its own. It uses the bundled Public Suffix List.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the resolver is
   *     used, and closing the resolver leaves it open
   * @return a new resolver
   */
  public static DmarcResolver create(MailDiagnostics maildx) {
    return create(maildx, PublicSuffixList.bundled());
  }

  /**
   * Creates a resolver on the runtime of a {@code MailDiagnostics} with a Public Suffix List of
   * your own; it starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the resolver is
   *     used, and closing the resolver leaves it open
   * @param publicSuffixList the list for the RFC 7489 Organizational Domain
   * @return a new resolver
   */
  public static DmarcResolver create(MailDiagnostics maildx, PublicSuffixList publicSuffixList) {
    requireNonNull(publicSuffixList, "publicSuffixList");
    return create(DnsClient.of(CheckEnvironment.of(maildx)), publicSuffixList);
  }

  static DmarcResolver create(DnsClient dns, PublicSuffixList psl) {
    return new DmarcResolver(dns, psl);
  }

  /**
   * Finds and judges a domain's DMARC policy, blocking up to the configured timeout.
   *
   * @param domain the domain (the RFC5322.From domain of its mail), Unicode or ASCII
   * @return the report
   * @throws IllegalArgumentException if {@code domain} is not a valid domain name
   */
  public DmarcReport resolve(String domain) {
    DomainName d = DomainName.of(domain);
    return resolveAsync(d, Deadline.after(dns.environment().config().timeout())).join();
  }

  /**
   * Finds and judges a domain's DMARC policy.
   *
   * @param domain the domain
   * @param deadline when to give up; lookups still open then are reported as inconclusive
   * @return a future that always completes with a report, by the deadline
   */
  public CompletableFuture<DmarcReport> resolveAsync(DomainName domain, Deadline deadline) {
    return resolve(domain, CHECK, deadline);
  }

  CompletableFuture<DmarcReport> resolve(DomainName domain, String check, Deadline deadline) {
    requireNonNull(domain, "domain");
    requireNonNull(deadline, "deadline");
    Deadline inner = deadline.withMargin(Duration.ofMillis(100));
    DmarcDiscovery discovery = new DmarcDiscovery(dns, check, inner);
    DomainName pslOrg = psl.organizationalDomain(domain);
    CompletableFuture<Walk> walk = discovery.walk(domain, pslOrg);
    CompletableFuture<Step> pslStep = discovery.lookup(pslOrg);
    CompletableFuture<DnsAnswer> apex = dns.query(domain.ascii(), Type.TXT, inner);
    CompletableFuture<DmarcReport> work =
        walk.thenCombine(pslStep, (w, p) -> new Object[] {w, p})
            .thenCombine(
                apex, (wp, a) -> new Assembly(domain, check, (Walk) wp[0], (Step) wp[1], pslOrg, a))
            .thenCompose(asm -> asm.destinations(inner));
    return dns.environment().within(work, deadline, () -> timedOut(domain, check, pslOrg));
  }

  @SuppressWarnings(
      "NullAway") // javac 17 does not read DmarcRecord.@Nullable Policy from core's class files
  private DmarcReport timedOut(DomainName domain, String check, DomainName pslOrg) {
    return new DmarcReport(
        check,
        domain,
        DnsOutcome.TIMEOUT,
        null,
        null,
        null,
        null,
        pslOrg,
        null,
        true,
        List.of(),
        List.of(),
        null,
        psl.version(),
        List.of(
            Finding.inconclusive(
                    DmarcReport.Code.DMARC_LOOKUP_FAILED,
                    check,
                    "The DMARC lookups for " + domain + " did not finish before the deadline.")
                .evidence("domain", domain)
                .evidence("outcome", DnsOutcome.TIMEOUT)
                .rfc("RFC 9989 §4.10")
                .build()));
  }

  /** Everything known after the first round of lookups. */
  private final class Assembly {
    final DomainName domain;
    final String check;
    final Walk walk;
    final Step pslStep;
    final DomainName pslOrg;
    final DnsAnswer apex;
    final List<Finding> findings = new ArrayList<>();
    @Nullable Step policyStep;
    DmarcRecord.@Nullable Policy policy;
    @Nullable Boolean exists;
    @Nullable DomainName pslPolicyDomain;
    boolean agree = true;

    Assembly(
        DomainName domain,
        String check,
        Walk walk,
        Step pslStep,
        DomainName pslOrg,
        DnsAnswer apex) {
      this.domain = domain;
      this.check = check;
      this.walk = walk;
      this.pslStep = pslStep;
      this.pslOrg = pslOrg;
      this.apex = apex;
      assemble();
    }

    private void assemble() {
      Step own = walk.steps.get(0);
      exists =
          apex.outcome() == DnsOutcome.NXDOMAIN
              ? Boolean.FALSE
              : apex.outcome().isDefinite() ? Boolean.TRUE : null;
      Set<DomainName> linted = new LinkedHashSet<>();
      nameFindings(own, true);
      linted.add(own.domain());
      if (walk.failed != null && (own.record() == null || walk.failed != own)) {
        Step f = walk.failed;
        boolean decisive = own.record() == null;
        findings.add(
            Finding.inconclusive(
                    DmarcReport.Code.DMARC_LOOKUP_FAILED,
                    check,
                    "The DMARC record at "
                        + f.lookup.name()
                        + " could not be looked up: "
                        + f.lookup.detail()
                        + "."
                        + (decisive
                            ? " Whether a DMARC policy applies to " + domain + " is unknown."
                            : " The policy of "
                                + domain
                                + " is known, but its Organizational Domain is not."))
                .evidence("domain", domain)
                .evidence("name", f.lookup.name())
                .evidence("outcome", f.lookup.outcome())
                .evidence("detail", f.lookup.detail())
                .rfc("RFC 9989 §4.10")
                .build());
      }
      policyStep =
          walk.failed != null && own.record() == null ? null : DmarcDiscovery.policyStep(walk);
      // The steps the RFC walk reads up to the policy: their problems matter.
      for (int i = 1; i < walk.read; i++) {
        Step s = walk.steps.get(i);
        // Also the parents up to the registrable domain: what their owner publishes there would
        // count, had it been valid.
        if (policyStep == s
            || (walk.organizationalDomain != null && s.domain().equals(walk.organizationalDomain))
            || s.domain().isSubdomainOf(pslOrg)) {
          nameFindings(s, false);
          linted.add(s.domain());
        }
      }
      DmarcRecord record = policyStep == null ? null : policyStep.record();
      if (record != null && policyStep != null) {
        if (policyStep != own) {
          findings.addAll(policyStep.recordFindings);
        } else {
          findings.addAll(own.recordFindings);
        }
        policy =
            record.usable()
                ? applicablePolicy(record, policyStep.domain().equals(domain), exists)
                : null;
        if (policy != null) {
          okFinding(record, policyStep, policy);
        }
      } else if (walk.failed == null) {
        missing(own);
      }
      apexRecord(own);
      compareWithPsl(record);
      if (pslPolicyDomain != null
          && !linted.contains(pslPolicyDomain)
          && pslStep.record() != null
          && !agree) {
        findings.addAll(pslStep.recordFindings);
      }
    }

    /**
     * The problems of what is published at one {@code _dmarc} name: what makes receivers discard or
     * ignore a record there (RFC 9989 §4.7, §4.10), and what does not belong there (§4.5).
     */
    private void nameFindings(Step s, boolean author) {
      multipleRecords(s, author);
      for (String t : s.badVersion) {
        badVersion(s, t);
      }
      for (String t : s.leadingWhitespace) {
        leadingWhitespace(s, t);
      }
      for (String t : s.spf) {
        spfAtDmarc(s, t);
      }
      if (author && !s.other.isEmpty()) {
        unrelatedTxt(s);
      }
    }

    /** RFC 9989 §4.10: more than one DMARC record at a name, and receivers use none of them. */
    private void multipleRecords(Step s, boolean author) {
      String name = s.lookup.name();
      if (s.lookup.dmarcRecords() > 1) {
        findings.add(
            Finding.error(
                    DmarcReport.Code.DMARC_MULTIPLE_RECORDS,
                    check,
                    name
                        + " holds "
                        + s.lookup.dmarcRecords()
                        + " DMARC records; "
                        + "receivers discard them all, so "
                        + (author
                            ? domain + " has no DMARC policy of its own"
                            : "they do not count")
                        + ".")
                .effect(Verdict.AT_RISK)
                .evidence("domain", s.domain())
                .evidence("name", name)
                .evidence(
                    "records",
                    s.dmarcTexts.stream()
                        .map(t -> TxtStrings.printable(t, 200))
                        .collect(Collectors.joining(" | ")))
                .rfc("RFC 9989 §4.10")
                .build());
      }
    }

    /** RFC 9989 §4.7: a record must start with exactly "v=DMARC1" as its first tag. */
    private void badVersion(Step s, String t) {
      String name = s.lookup.name();
      findings.add(
          Finding.error(
                  DmarcReport.Code.DMARC_VERSION_INVALID,
                  check,
                  "The TXT record \""
                      + TxtStrings.printable(t, 200)
                      + "\" at "
                      + name
                      + " looks like DMARC but does not start with exactly v=DMARC1 (case-sensitive, first tag), so receivers ignore it.")
              .effect(Verdict.AT_RISK)
              .evidence("domain", s.domain())
              .evidence("name", name)
              .evidence("record", TxtStrings.printable(t, 200))
              .rfc("RFC 9989 §4.7")
              .build());
    }

    /** RFC 9989 §4.7: the record starts with "v=DMARC1", so no white space before it. */
    private void leadingWhitespace(Step s, String t) {
      String name = s.lookup.name();
      findings.add(
          Finding.error(
                  DmarcReport.Code.DMARC_RECORD_LEADING_WHITESPACE,
                  check,
                  "The DMARC record at "
                      + name
                      + " starts with white space (\""
                      + TxtStrings.printable(t, 200)
                      + "\"); a record must start with v=DMARC1, so receivers ignore it.")
              .effect(Verdict.AT_RISK)
              .evidence("domain", s.domain())
              .evidence("name", name)
              .evidence("record", TxtStrings.printable(t, 200))
              .rfc("RFC 9989 §4.7")
              .build());
    }

    /** RFC 9989 §4.5: the _dmarc name holds the DMARC record; SPF belongs at the domain. */
    private void spfAtDmarc(Step s, String t) {
      String name = s.lookup.name();
      findings.add(
          Finding.error(
                  DmarcReport.Code.DMARC_SPF_RECORD_AT_DMARC,
                  check,
                  "An SPF record (\""
                      + TxtStrings.printable(t, 200)
                      + "\") is published "
                      + "at "
                      + name
                      + ", where the DMARC record belongs; SPF records go at "
                      + s.domain()
                      + " itself.")
              .effect(Verdict.AT_RISK)
              .evidence("domain", s.domain())
              .evidence("name", name)
              .evidence("record", TxtStrings.printable(t, 200))
              .rfc("RFC 9989 §4.5")
              .build());
    }

    /** RFC 9989 §4.10: receivers ignore the TXT records at _dmarc that are not DMARC records. */
    private void unrelatedTxt(Step s) {
      String name = s.lookup.name();
      findings.add(
          Finding.info(
                  DmarcReport.Code.DMARC_UNRELATED_TXT,
                  check,
                  name
                      + " also holds TXT records that are not DMARC records ("
                      + s.other.stream()
                          .map(t -> "\"" + TxtStrings.printable(t, 80) + "\"")
                          .collect(Collectors.joining(", "))
                      + "); receivers ignore them.")
              .evidence("domain", s.domain())
              .evidence("name", name)
              .evidence(
                  "records",
                  s.other.stream()
                      .map(t -> TxtStrings.printable(t, 200))
                      .collect(Collectors.joining(" | ")))
              .rfc("RFC 9989 §4.10")
              .build());
    }

    private void okFinding(DmarcRecord record, Step policyStep, DmarcRecord.Policy policy) {
      String where =
          policyStep == walk.steps.get(0)
              ? "its own record at _dmarc." + domain
              : "the record of " + policyStep.domain() + " at _dmarc." + policyStep.domain();
      DmarcRecord.Policy effective = record.testing() ? policy.downgraded() : policy;
      findings.add(
          0,
          Finding.info(
                  DmarcReport.Code.DMARC_OK,
                  check,
                  domain
                      + " has the DMARC policy "
                      + policy.tagValue()
                      + (record.testing() && effective != policy
                          ? " (t=y: applied as " + effective.tagValue() + ")"
                          : "")
                      + ", from "
                      + where
                      + ".")
              .evidence("domain", domain)
              .evidence("policyDomain", policyStep.domain())
              .evidence("policy", policy.tagValue())
              .evidence("record", TxtStrings.printable(record.text(), 300))
              .rfc("RFC 9989 §4.10.1")
              .build());
      if (policyStep != walk.steps.get(0)) {
        Step psd = walk.publicSuffixStep();
        if (psd != null && psd == policyStep) {
          findings.add(
              Finding.info(
                      DmarcReport.Code.DMARC_PSD_POLICY,
                      check,
                      domain
                          + " has no DMARC record of its own, nor has its Organizational Domain "
                          + walk.organizationalDomain
                          + "; the record of the public suffix domain "
                          + psd.domain()
                          + " (psd=y) applies.")
                  .evidence("domain", domain)
                  .evidence("policyDomain", psd.domain())
                  .rfc("RFC 9989 §4.10.1")
                  .build());
        } else {
          findings.add(
              Finding.info(
                      DmarcReport.Code.DMARC_INHERITED,
                      check,
                      domain
                          + " has no DMARC record of its own; the record of its Organizational "
                          + "Domain "
                          + policyStep.domain()
                          + " applies, with the "
                          + (Boolean.FALSE.equals(exists) ? "np" : "sp")
                          + " policy for "
                          + (Boolean.FALSE.equals(exists) ? "non-existent " : "")
                          + "subdomains ("
                          + policy.tagValue()
                          + ").")
                  .evidence("domain", domain)
                  .evidence("policyDomain", policyStep.domain())
                  .evidence("policy", policy.tagValue())
                  .rfc("RFC 9989 §4.10.1")
                  .build());
        }
      }
    }

    private void missing(Step own) {
      List<String> asked = new ArrayList<>();
      for (int i = 0; i < walk.read; i++) {
        asked.add(walk.steps.get(i).lookup.name());
      }
      boolean parents = asked.size() > 1;
      findings.add(
          Finding.warning(
                  DmarcReport.Code.DMARC_MISSING,
                  check,
                  domain
                      + " has no DMARC record"
                      + (parents
                          ? ", nor have its parent domains ("
                              + String.join(", ", asked.subList(1, asked.size()))
                              + ")"
                          : "")
                      + ": receivers apply no DMARC policy to its mail, anyone "
                      + "can send as "
                      + domain
                      + ", and mailbox providers that require DMARC (Gmail, Yahoo, Microsoft for bulk senders) filter "
                      + "or reject it. Publish at least \"v=DMARC1; p=none; rua=mailto:...\" at _dmarc."
                      + domain
                      + ".")
              .effect(Verdict.AT_RISK)
              .evidence("domain", domain)
              .evidence("queried", String.join(", ", asked))
              .evidence("outcome", own.lookup.outcome())
              .rfc("RFC 9989 §4.10.1")
              .build());
    }

    private void apexRecord(Step own) {
      if (own.record() != null) {
        return;
      }
      for (String t : TxtStrings.of(apex)) {
        DmarcRecordParser.Kind k = DmarcRecordParser.classify(t);
        if (k == DmarcRecordParser.Kind.DMARC
            || k == DmarcRecordParser.Kind.BAD_VERSION
            || k == DmarcRecordParser.Kind.LEADING_WHITESPACE) {
          findings.add(
              Finding.error(
                      DmarcReport.Code.DMARC_RECORD_AT_APEX,
                      check,
                      "A DMARC record (\""
                          + TxtStrings.printable(t, 200)
                          + "\") is published "
                          + "at "
                          + domain
                          + " itself; receivers look only at _dmarc."
                          + domain
                          + ", so it has no effect. Move it there.")
                  .effect(Verdict.AT_RISK)
                  .evidence("domain", domain)
                  .evidence("record", TxtStrings.printable(t, 200))
                  .rfc("RFC 9989 §4.5")
                  .build());
          return;
        }
      }
    }

    /**
     * RFC 7489 §6.6.3: the domain's own record (exactly one), else the PSL Organizational Domain's.
     */
    private void compareWithPsl(@Nullable DmarcRecord record) {
      Step own = walk.steps.get(0);
      if (own.lookup.dmarcRecords() == 1) {
        pslPolicyDomain = domain;
      } else if (own.lookup.dmarcRecords() == 0
          && !pslOrg.equals(domain)
          && pslStep.record() != null) {
        pslPolicyDomain = pslOrg;
      }
      DomainName treeOrg = walk.organizationalDomain;
      DomainName treePolicy = record == null || policyStep == null ? null : policyStep.domain();
      if (walk.failed != null || !pslStep.definite()) {
        return; // nothing to compare reliably
      }
      boolean orgDiffers = treeOrg != null && !treeOrg.equals(pslOrg);
      boolean policyDiffers = !java.util.Objects.equals(treePolicy, pslPolicyDomain);
      agree = !orgDiffers && !policyDiffers;
      if (agree) {
        return;
      }
      StringBuilder m =
          new StringBuilder(
              "RFC 9989 receivers (DNS tree walk) and RFC 7489 receivers (Public Suffix List) judge "
                  + domain
                  + " differently: ");
      if (orgDiffers && treeOrg != null) {
        m.append("the tree walk makes ")
            .append(treeOrg)
            .append(" its Organizational Domain, the Public Suffix List ")
            .append(pslOrg)
            .append(", so relaxed alignment differs (for example DKIM d=")
            .append(pslOrg)
            .append(" aligns for RFC 7489 receivers only")
            .append(treeOrg.isSubdomainOf(pslOrg) ? "" : " or the other way round")
            .append(")");
      }
      if (policyDiffers) {
        if (orgDiffers) {
          m.append("; and ");
        }
        m.append("the tree walk applies ")
            .append(treePolicy == null ? "no record" : "the record of " + treePolicy)
            .append(", the Public Suffix List ")
            .append(pslPolicyDomain == null ? "no record" : "the record of " + pslPolicyDomain);
      }
      m.append('.');
      findings.add(
          Finding.warning(DmarcReport.Code.DMARC_ORG_DOMAIN_MISMATCH, check, m.toString())
              .evidence("domain", domain)
              .evidence("treeWalkOrganizationalDomain", treeOrg)
              .evidence("pslOrganizationalDomain", pslOrg)
              .evidence("treeWalkPolicyDomain", treePolicy)
              .evidence("pslPolicyDomain", pslPolicyDomain)
              .evidence("pslVersion", psl.version())
              .rfc("RFC 9989 §4.10, RFC 7489 §3.2")
              .build());
    }

    /** The second round: report destinations (authorization and mail servers). */
    CompletableFuture<DmarcReport> destinations(Deadline deadline) {
      DmarcRecord record = policyStep == null ? null : policyStep.record();
      if (record == null || policyStep == null || !record.usable()) {
        return CompletableFuture.completedFuture(report(List.of()));
      }
      DomainName policyDomain = policyStep.domain();
      DomainName policyOrg =
          walk.organizationalDomain != null && policyDomain.isSubdomainOf(walk.organizationalDomain)
              ? walk.organizationalDomain
              : psl.organizationalDomain(policyDomain);
      List<CompletableFuture<DmarcReport.Destination>> out = new ArrayList<>();
      Map<DomainName, CompletableFuture<String>> mxChecks = new LinkedHashMap<>();
      Map<String, CompletableFuture<DnsAnswer>> authChecks = new LinkedHashMap<>();
      int checked = 0;
      for (String tag : List.of("rua", "ruf")) {
        for (String uri :
            tag.equals("rua") ? record.aggregateReportUris() : record.failureReportUris()) {
          DomainName dest = mailtoDomain(uri);
          if (dest == null) {
            out.add(
                CompletableFuture.completedFuture(
                    new DmarcReport.Destination(
                        tag, uri, null, false, Authorization.UNKNOWN, null)));
            continue;
          }
          boolean external =
              !dest.isSubdomainOf(policyOrg)
                  && !psl.organizationalDomain(dest).equals(psl.organizationalDomain(policyDomain));
          if (checked++ >= MAX_DESTINATIONS) {
            out.add(
                CompletableFuture.completedFuture(
                    new DmarcReport.Destination(
                        tag, uri, dest, external, Authorization.UNKNOWN, null)));
            continue;
          }
          mxChecks.computeIfAbsent(dest, d -> mailServer(d, deadline));
          if (!external) {
            out.add(
                CompletableFuture.completedFuture(
                    new DmarcReport.Destination(
                        tag, uri, dest, false, Authorization.NOT_REQUIRED, null)));
            continue;
          }
          String name = policyDomain.ascii() + "._report._dmarc." + dest.ascii();
          if (name.length() > 253) {
            out.add(
                CompletableFuture.completedFuture(
                    unauthorizable(tag, uri, dest, name, policyDomain)));
            continue;
          }
          CompletableFuture<DnsAnswer> auth =
              authChecks.computeIfAbsent(name, n -> dns.query(n, Type.TXT, deadline));
          out.add(auth.thenApply(a -> destination(tag, uri, dest, name, a, policyDomain)));
        }
      }
      List<CompletableFuture<?>> all = new ArrayList<>(out);
      all.addAll(mxChecks.values());
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .thenApply(
              v -> {
                List<DmarcReport.Destination> ds =
                    out.stream().map(CompletableFuture::join).toList();
                for (Map.Entry<DomainName, CompletableFuture<String>> e : mxChecks.entrySet()) {
                  String problem = e.getValue().join();
                  if (!problem.isEmpty()) {
                    mailServerFinding(e.getKey(), problem, ds);
                  }
                }
                return report(ds);
              });
    }

    /**
     * RFC 7489 §7.1: an external destination authorizes reports with a TXT record at {@code <policy
     * domain>._report._dmarc.<destination>}; a name longer than DNS allows (RFC 1035 §2.3.4) cannot
     * exist, so the destination cannot authorize them.
     */
    private DmarcReport.Destination unauthorizable(
        String tag, String uri, DomainName dest, String name, DomainName policyDomain) {
      findings.add(
          Finding.warning(
                  DmarcReport.Code.DMARC_REPORT_DESTINATION_UNAUTHORIZED,
                  check,
                  "The "
                      + tag
                      + " destination "
                      + uri
                      + " is outside "
                      + policyDomain
                      + ", and its authorization name "
                      + name
                      + " is longer than DNS allows, so "
                      + dest
                      + " cannot authorize the reports and receivers will not send them there.")
              .evidence("domain", policyDomain)
              .evidence("uri", uri)
              .evidence("destination", dest)
              .evidence("name", name)
              .rfc("RFC 7489 §7.1")
              .build());
      return new DmarcReport.Destination(tag, uri, dest, true, Authorization.NOT_AUTHORIZED, name);
    }

    /**
     * A report address whose domain cannot receive mail (RFC 5321 §5.1: the domain does not exist,
     * publishes a null MX, or has neither MX nor address), or whose mail servers could not be
     * looked up: then {@code problem}, from {@code mailServer}, starts with "?".
     */
    private void mailServerFinding(
        DomainName destination, String problem, List<DmarcReport.Destination> ds) {
      String tags =
          ds.stream()
              .filter(d -> destination.equals(d.destination()))
              .map(DmarcReport.Destination::tag)
              .distinct()
              .collect(Collectors.joining(" and "));
      String uris =
          ds.stream()
              .filter(d -> destination.equals(d.destination()))
              .map(DmarcReport.Destination::uri)
              .distinct()
              .collect(Collectors.joining(", "));
      if (problem.startsWith("?")) {
        findings.add(
            Finding.inconclusive(
                    DmarcReport.Code.DMARC_REPORT_LOOKUP_FAILED,
                    check,
                    "Whether the "
                        + tags
                        + " destination "
                        + destination
                        + " of "
                        + domain
                        + " can receive mail could not be checked: "
                        + problem.substring(1)
                        + ".")
                .evidence("domain", domain)
                .evidence("destination", destination)
                .evidence("uri", uris)
                .build());
      } else {
        findings.add(
            Finding.warning(
                    DmarcReport.Code.DMARC_REPORT_DESTINATION_NO_MX,
                    check,
                    "The "
                        + tags
                        + " email address ("
                        + uris
                        + ") of "
                        + domain
                        + " cannot receive mail: "
                        + problem
                        + ". Reports sent there are lost.")
                .evidence("domain", domain)
                .evidence("destination", destination)
                .evidence("uri", uris)
                .evidence("problem", problem)
                .rfc("RFC 5321 §5.1")
                .build());
      }
    }

    private DmarcReport.Destination destination(
        String tag,
        String uri,
        DomainName dest,
        String name,
        DnsAnswer a,
        DomainName policyDomain) {
      if (!a.outcome().isDefinite()) {
        findings.add(
            Finding.inconclusive(
                    DmarcReport.Code.DMARC_REPORT_LOOKUP_FAILED,
                    check,
                    "Whether "
                        + dest
                        + " accepts the "
                        + tag
                        + " reports of "
                        + policyDomain
                        + " could not be checked: "
                        + name
                        + " "
                        + a.describe()
                        + ".")
                .evidence("domain", policyDomain)
                .evidence("uri", uri)
                .evidence("name", name)
                .evidence("outcome", a.outcome())
                .build());
        return new DmarcReport.Destination(tag, uri, dest, true, Authorization.UNKNOWN, name);
      }
      boolean ok =
          TxtStrings.of(a).stream()
              .anyMatch(t -> DmarcRecordParser.classify(t) == DmarcRecordParser.Kind.DMARC);
      if (!ok) {
        findings.add(
            Finding.warning(
                    DmarcReport.Code.DMARC_REPORT_DESTINATION_UNAUTHORIZED,
                    check,
                    "The "
                        + tag
                        + " destination "
                        + uri
                        + " is outside "
                        + policyDomain
                        + " and "
                        + dest
                        + " does not authorize it: there is no \"v=DMARC1\" TXT record at "
                        + name
                        + ", so receivers will not send "
                        + (tag.equals("rua") ? "aggregate" : "failure")
                        + " reports there.")
                .evidence("domain", policyDomain)
                .evidence("uri", uri)
                .evidence("destination", dest)
                .evidence("name", name)
                .evidence("outcome", a.outcome())
                .rfc("RFC 7489 §7.1")
                .build());
      }
      return new DmarcReport.Destination(
          tag, uri, dest, true, ok ? Authorization.AUTHORIZED : Authorization.NOT_AUTHORIZED, name);
    }

    @SuppressWarnings(
        "NullAway") // javac 17 does not read DmarcRecord.@Nullable Policy from core's class files
    private DmarcReport report(List<DmarcReport.Destination> destinations) {
      findings.sort(Comparator.comparing(Finding::severity));
      List<DmarcReport.Lookup> lookups = walk.steps.stream().map(s -> s.lookup).toList();
      DmarcRecord record = policyStep == null ? null : policyStep.record();
      return new DmarcReport(
          check,
          domain,
          walk.steps.get(0).lookup.outcome(),
          record,
          policyStep == null ? null : policyStep.domain(),
          policy,
          walk.organizationalDomain,
          pslOrg,
          pslPolicyDomain,
          agree,
          lookups,
          destinations,
          exists,
          psl.version(),
          findings);
    }
  }

  /** The policy that applies to {@code domain} from a record (RFC 9989 §4.10.1), before t=y. */
  static DmarcRecord.Policy applicablePolicy(
      DmarcRecord record, boolean own, @Nullable Boolean exists) {
    if (own) {
      return record.policy();
    }
    return Boolean.FALSE.equals(exists)
        ? record.effectiveNonExistentPolicy()
        : record.effectiveSubdomainPolicy();
  }

  /**
   * Empty when the domain can receive mail; a reason otherwise; "?" and a reason when it could not
   * be checked.
   */
  private CompletableFuture<String> mailServer(DomainName d, Deadline deadline) {
    CompletableFuture<DnsAnswer> mx = dns.query(d.ascii(), Type.MX, deadline);
    CompletableFuture<DnsAnswer> a = dns.query(d.ascii(), Type.A, deadline);
    return mx.thenCombine(
        a,
        (m, x) -> {
          if (m.outcome() == DnsOutcome.NXDOMAIN) {
            return "the domain " + d + " does not exist";
          }
          if (m.outcome() == DnsOutcome.ANSWER) {
            List<MXRecord> recs = m.records(MXRecord.class);
            if (!recs.isEmpty() && recs.stream().allMatch(r -> r.getTarget().equals(Name.root))) {
              return d + " publishes a null MX (it accepts no mail)";
            }
            return "";
          }
          if (!m.outcome().isDefinite()) {
            return "?" + "MX of " + d + ": " + m.describe();
          }
          if (x.outcome() == DnsOutcome.ANSWER) {
            return "";
          }
          if (!x.outcome().isDefinite()) {
            return "?" + "address of " + d + ": " + x.describe();
          }
          return d + " has no MX records and no address";
        });
  }

  static @Nullable DomainName mailtoDomain(String uri) {
    if (!uri.regionMatches(true, 0, "mailto:", 0, 7)) {
      return null;
    }
    String addr = uri.substring(7);
    int q = addr.indexOf('?');
    if (q >= 0) {
      addr = addr.substring(0, q);
    }
    int at = addr.lastIndexOf('@');
    if (at < 0) {
      return null;
    }
    String host = addr.substring(at + 1).toLowerCase(Locale.ROOT);
    return DomainName.isValid(host) ? DomainName.of(host) : null;
  }

  /**
   * Does nothing: a resolver owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
