package dev.maildx.dns;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.dns.internal.DmarcRecordParser;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.dns.internal.TxtStrings;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.DnsOutcome;
import dev.maildx.spi.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Type;

/**
 * The DNS side of DMARC for one resolution or evaluation: {@code _dmarc} lookups, each made once
 * and shared, and the DNS tree walk of RFC 9989 §4.10 with the Organizational Domain selection of
 * §4.10.2 and the policy discovery of §4.10.1.
 *
 * <p>The lookups of one walk are independent of each other (their names follow from the start name
 * alone), so they are all sent at once; the answers are then read in the order the RFC walks, and
 * stop where it stops. Not shared between operations; thread-safe.
 */
final class DmarcDiscovery {
  /** The most lookups one tree walk makes (RFC 9989 §4.10). */
  static final int MAX_WALK = 8;

  private final DnsClient dns;
  private final String check;
  private final Deadline deadline;
  private final Map<DomainName, CompletableFuture<Step>> lookups = new ConcurrentHashMap<>();

  DmarcDiscovery(DnsClient dns, String check, Deadline deadline) {
    this.dns = dns;
    this.check = check;
    this.deadline = deadline;
  }

  /**
   * One {@code _dmarc} lookup, parsed: the public view plus the record's own findings and what else
   * was at the name.
   */
  static final class Step {
    final DmarcReport.Lookup lookup;
    final List<Finding> recordFindings;
    final List<String> leadingWhitespace = new ArrayList<>();
    final List<String> badVersion = new ArrayList<>();
    final List<String> spf = new ArrayList<>();
    final List<String> other = new ArrayList<>();
    final List<String> dmarcTexts = new ArrayList<>();

    Step(DmarcReport.Lookup lookup, List<Finding> recordFindings) {
      this.lookup = lookup;
      this.recordFindings = recordFindings;
    }

    DomainName domain() {
      return lookup.domain();
    }

    boolean definite() {
      return lookup.outcome().isDefinite();
    }

    @Nullable DmarcRecord record() {
      return lookup.record();
    }
  }

  /**
   * The names a tree walk from {@code start} queries, in order (RFC 9989 §4.10 steps 1–7): the
   * start, then — for fewer than eight labels — each parent, or — for eight or more — the last
   * seven labels and each parent of that, down to the top-level domain.
   *
   * @param start where the walk starts
   * @return at most {@value #MAX_WALK} names
   */
  static List<DomainName> walkNames(DomainName start) {
    List<String> labels = start.labels();
    int x = labels.size();
    List<DomainName> out = new ArrayList<>();
    out.add(start);
    for (int n = x < 8 ? x - 1 : 7; n >= 1; n--) {
      out.add(new DomainName(String.join(".", labels.subList(x - n, x))));
    }
    return out;
  }

  /**
   * The lookup of {@code _dmarc.<domain>}, made at most once per discovery.
   *
   * @param domain the domain
   * @return the parsed lookup
   */
  CompletableFuture<Step> lookup(DomainName domain) {
    return lookups.computeIfAbsent(
        domain,
        d ->
            ("_dmarc." + d.ascii()).length() > 253
                // A name longer than DNS allows cannot hold a record: no query (RFC 1035 §2.3.4).
                ? CompletableFuture.completedFuture(parse(d, DnsOutcome.NXDOMAIN, List.of(), ""))
                : dns.query("_dmarc." + d.ascii(), Type.TXT, deadline)
                    .thenApply(
                        a -> {
                          List<String> texts = TxtStrings.of(a);
                          Step step =
                              parse(
                                  d,
                                  a.outcome(),
                                  texts,
                                  a.outcome().isDefinite() ? "" : a.describe());
                          return step;
                        }));
  }

  private Step parse(DomainName d, DnsOutcome outcome, List<String> texts, String detail) {
    List<String> dmarc = new ArrayList<>();
    List<String> ws = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    List<String> spf = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (String t : texts) {
      switch (DmarcRecordParser.classify(t)) {
        case DMARC:
          dmarc.add(t);
          break;
        case LEADING_WHITESPACE:
          ws.add(t);
          break;
        case BAD_VERSION:
          bad.add(t);
          break;
        case SPF:
          spf.add(t);
          break;
        default:
          other.add(t);
      }
    }
    DmarcRecord record = null;
    List<Finding> findings = List.of();
    if (dmarc.size() == 1) {
      DmarcRecordParser.Parsed p = DmarcRecordParser.parse(dmarc.get(0), check, d);
      record = p.record();
      findings = p.findings();
    }
    Step s =
        new Step(new DmarcReport.Lookup(d, outcome, texts, record, dmarc.size(), detail), findings);
    s.dmarcTexts.addAll(dmarc);
    s.leadingWhitespace.addAll(ws);
    s.badVersion.addAll(bad);
    s.spf.addAll(spf);
    s.other.addAll(other);
    return s;
  }

  /**
   * Walks from {@code start}: sends every lookup of the walk at once and reads the answers in
   * order.
   *
   * @param start where the walk starts
   * @param registrable the registrable domain of {@code start} by the Public Suffix List (see
   *     {@link Walk#of})
   * @return the walk
   */
  CompletableFuture<Walk> walk(DomainName start, DomainName registrable) {
    List<DomainName> names = walkNames(start);
    List<CompletableFuture<Step>> fs = new ArrayList<>();
    for (DomainName n : names) {
      fs.add(lookup(n));
    }
    return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> Walk.of(start, registrable, fs.stream().map(CompletableFuture::join).toList()));
  }

  /** A completed tree walk, read as RFC 9989 §4.10 and §4.10.2 read it. */
  static final class Walk {
    final DomainName start;

    /** Every lookup of the walk, in order. */
    final List<Step> steps;

    /** How many steps the RFC walk reads: up to and including the one where it stops. */
    final int read;

    /** The first step before the stop that failed, or null. */
    final @Nullable Step failed;

    /** The Organizational Domain, or null if a failure left it open. */
    final @Nullable DomainName organizationalDomain;

    private Walk(
        DomainName start,
        List<Step> steps,
        int read,
        @Nullable Step failed,
        @Nullable DomainName org) {
      this.start = start;
      this.steps = steps;
      this.read = read;
      this.failed = failed;
      this.organizationalDomain = org;
    }

    /**
     * Reads a walk. A failed lookup leaves the Organizational Domain open — except a failure at a
     * public suffix (above {@code registrable}) once a record was found below it: a suffix's record
     * can then no longer change the outcome (with psd=y it makes the name below it the
     * Organizational Domain, which the records below already decide; RFC 9989 §4.10.1 note), and an
     * authoritative server asked directly refuses names outside its zones.
     */
    static Walk of(DomainName start, DomainName registrable, List<Step> steps) {
      int read = steps.size();
      Step failed = null;
      List<Step> found = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        Step s = steps.get(i);
        if (!s.definite()) {
          read = i + 1;
          boolean suffix = !s.domain().equals(registrable) && registrable.isSubdomainOf(s.domain());
          if (!(suffix && !found.isEmpty())) {
            failed = s;
          }
          break;
        }
        DmarcRecord r = s.record();
        if (r != null) {
          found.add(s);
          if (r.psd() != DmarcRecord.Psd.U) {
            read = i + 1;
            break;
          }
        }
      }
      if (failed != null) {
        return new Walk(start, steps, read, failed, null);
      }
      return new Walk(start, steps, read, null, select(start, found));
    }

    /**
     * RFC 9989 §4.10.2: psd=n, then psd=y (not at the start), then the record with the fewest
     * labels; else the start.
     */
    private static DomainName select(DomainName start, List<Step> found) {
      for (Step s : found) {
        DmarcRecord r = s.record();
        if (r != null && r.psd() == DmarcRecord.Psd.N) {
          return s.domain();
        }
        if (r != null && r.psd() == DmarcRecord.Psd.Y && !s.domain().equals(start)) {
          return oneBelow(start, s.domain());
        }
      }
      if (!found.isEmpty()) {
        return found.get(found.size() - 1).domain();
      }
      return start;
    }

    /** The name one label below {@code ancestor} on the way to {@code start}. */
    static DomainName oneBelow(DomainName start, DomainName ancestor) {
      List<String> labels = start.labels();
      int n = ancestor.labels().size() + 1;
      return new DomainName(String.join(".", labels.subList(labels.size() - n, labels.size())));
    }

    /** The step of a domain, if the walk queried it. */
    @Nullable Step step(DomainName d) {
      for (Step s : steps) {
        if (s.domain().equals(d)) {
          return s;
        }
      }
      return null;
    }

    /** The step with a psd=y record the walk stopped at, if any. */
    @Nullable Step publicSuffixStep() {
      for (int i = 0; i < read; i++) {
        DmarcRecord r = steps.get(i).record();
        if (r != null && r.psd() == DmarcRecord.Psd.Y && i > 0) {
          return steps.get(i);
        }
      }
      return null;
    }
  }

  /**
   * RFC 9989 §4.10.1 policy discovery from the walk of the Author Domain.
   *
   * @param walk the walk from the Author Domain
   * @return the step whose record applies, or null if none does (or the walk failed: see {@link
   *     Walk#failed})
   */
  static @Nullable Step policyStep(Walk walk) {
    Step first = walk.steps.get(0);
    if (first.record() != null) {
      return first;
    }
    if (walk.organizationalDomain == null) {
      return null;
    }
    Step org = walk.step(walk.organizationalDomain);
    if (org != null && org.record() != null) {
      return org;
    }
    return walk.publicSuffixStep();
  }
}
