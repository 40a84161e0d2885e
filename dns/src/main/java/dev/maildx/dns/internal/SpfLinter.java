package dev.maildx.dns.internal;

import static java.util.Objects.requireNonNull;

import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.SpfReport;
import dev.maildx.spi.Deadline;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The SPF record lint: resolves a domain's whole include/redirect tree (every branch at once, not
 * only the path one IP takes) and reports what is wrong with it, independent of any client IP.
 *
 * <p>Its finding codes are listed on {@code dev.maildx.dns.SpfEvaluator}.
 *
 * <p>Bounded: at most {@value #MAX_RECORDS} records and {@value #MAX_TARGET_CHECKS} target checks
 * per lint. Thread-safe.
 */
public final class SpfLinter {
  static final String CHECK = SpfReport.CHECK;

  /** The most records fetched for one tree. */
  public static final int MAX_RECORDS = 40;

  /** The most a/mx/exists targets resolved for the void-lookup check. */
  public static final int MAX_TARGET_CHECKS = 24;

  /** IPv4 addresses a tree may authorize before it is "too permissive" (a /8). */
  public static final long MANY_IPV4 = 1L << 24;

  private final SpfResolver dns;

  /**
   * Creates a linter.
   *
   * @param dns where answers come from
   */
  public SpfLinter(SpfResolver dns) {
    this.dns = dns;
  }

  /**
   * The lint of a tree.
   *
   * @param findings what is wrong
   * @param lookups DNS-querying terms in the tree (all branches), or -1 if there is no record
   * @param voids targets that did not resolve
   * @param trace the tree, every term not evaluated
   */
  public record Lint(
      List<Finding> findings, int lookups, int voids, SpfReport.@Nullable Trace trace) {
    /** Nothing to lint. */
    public static final Lint EMPTY = new Lint(List.of(), -1, 0, null);
  }

  private static final class Node {
    final String domain;
    final SpfReport.Trace.Via via;
    SpfReport.@Nullable Lookup lookup;
    List<String> records = List.of();
    @Nullable SpfRecord record;
    final Map<SpfRecord.Term, Node> children = new LinkedHashMap<>();
    final Map<SpfRecord.Term, String> notes = new LinkedHashMap<>();
    int own;

    Node(String domain, SpfReport.Trace.Via via) {
      this.domain = domain;
      this.via = via;
    }

    int total() {
      int t = own;
      for (Node c : children.values()) {
        t += c.total();
      }
      return t;
    }
  }

  private static final class Walk {
    final Deadline deadline;
    final boolean standalone;
    final AtomicInteger fetched = new AtomicInteger();
    final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());

    Walk(Deadline deadline, boolean standalone) {
      this.deadline = deadline;
      this.standalone = standalone;
    }

    void add(Finding.Builder f) {
      findings.add(f.build());
    }
  }

  /**
   * Lints a domain's tree.
   *
   * @param domain the domain
   * @param recordText a record to lint as if published there, or null to fetch it
   * @param deadline when to give up
   * @param standalone whether no check_host() result accompanies the lint (then a missing record or
   *     a failed lookup is reported here)
   * @return the lint; always completes normally
   */
  public CompletableFuture<Lint> lint(
      String domain, @Nullable String recordText, Deadline deadline, boolean standalone) {
    Walk w = new Walk(deadline, standalone);
    String d = SpfEngine.stripDot(domain);
    CompletableFuture<Node> root = node(w, d, SpfReport.Trace.Via.ROOT, Set.of(), recordText);
    CompletableFuture<Void> rrSpf =
        recordText != null ? CompletableFuture.completedFuture(null) : spfType(w, d);
    return root.thenCombine(rrSpf, (n, v) -> n)
        .thenCompose(n -> targets(w, n).thenApply(voids -> finish(w, n, voids)))
        .exceptionally(
            e ->
                new Lint(
                    List.of(
                        Finding.inconclusive(
                                SpfReport.Code.SPF_LOOKUP_FAILED,
                                CHECK,
                                "The SPF record tree of " + d + " could not be checked: " + e)
                            .build()),
                    -1,
                    0,
                    null));
  }

  private CompletableFuture<Void> spfType(Walk w, String domain) {
    Name n = SpfEngine.toName(domain);
    if (n == null) {
      return CompletableFuture.completedFuture(null);
    }
    return dns.query(n, Type.SPF, w.deadline)
        .thenAccept(
            a -> {
              for (Record r : a.records()) {
                if (r instanceof org.xbill.DNS.SPFRecord) {
                  w.add(
                      Finding.warning(
                              SpfReport.Code.SPF_RR_TYPE_SPF,
                              CHECK,
                              domain
                                  + " publishes an SPF-type (99) DNS record. That type is obsolete: receivers "
                                  + "read only TXT records; remove it and keep the TXT record.")
                          .evidence("domain", domain)
                          .evidence("record", join(r))
                          .rfc("RFC 7208 §3.1"));
                  return;
                }
              }
            });
  }

  /**
   * The record of one domain in the tree (RFC 7208 §4.4 fetches the TXT records, §4.5 selects the
   * one SPF record), or the record the caller gave for the root; then its terms are examined.
   */
  private CompletableFuture<Node> node(
      Walk w,
      String domain,
      SpfReport.Trace.Via via,
      Set<String> ancestors,
      @Nullable String given) {
    Node node = new Node(domain, via);
    Set<String> chain = new HashSet<>(ancestors);
    chain.add(domain.toLowerCase(Locale.ROOT));
    if (given != null) {
      return givenRecord(w, node, given, chain);
    }
    Name name = SpfEngine.toName(domain);
    if (name == null || w.fetched.incrementAndGet() > MAX_RECORDS) {
      return CompletableFuture.completedFuture(node);
    }
    return dns.query(name, Type.TXT, w.deadline).thenCompose(ans -> published(w, node, ans, chain));
  }

  /**
   * A record given as its quoted TXT strings, as if published at the node's domain: each string at
   * most 255 octets (RFC 7208 §3.3), and the whole an SPF record (§4.5).
   */
  private CompletableFuture<Node> givenRecord(Walk w, Node node, String given, Set<String> chain) {
    String domain = node.domain;
    List<String> strings = splitQuoted(given);
    for (String s : strings) {
      int len = s.getBytes(StandardCharsets.UTF_8).length;
      if (len > 255) {
        w.add(
            Finding.error(
                    SpfReport.Code.SPF_TXT_STRING_TOO_LONG,
                    CHECK,
                    "A TXT character-string holds at most 255 octets; this one has "
                        + len
                        + ". Split the record into several quoted strings (\"v=spf1 ...\" \"...\"): receivers join them without spaces.")
                .evidence("domain", domain)
                .evidence("length", len)
                .rfc("RFC 7208 §3.3"));
      }
    }
    String text = String.join("", strings);
    node.lookup = null;
    node.records = SpfRecord.isSpf1(text) ? List.of(text) : List.of();
    if (node.records.isEmpty()) {
      w.add(
          Finding.warning(
                  SpfReport.Code.SPF_NO_RECORD,
                  CHECK,
                  "This is not an SPF record: it does not start with \"v=spf1\" followed by a space "
                      + "or its end, so receivers ignore it and find no SPF record at "
                      + domain
                      + ".")
              .effect(Verdict.AT_RISK)
              .evidence("domain", domain)
              .evidence("record", text)
              .rfc("RFC 7208 §4.5"));
      return CompletableFuture.completedFuture(node);
    }
    return examine(w, node, text, chain);
  }

  /**
   * The TXT records published at the node's domain (RFC 7208 §4.4): the one SPF record among them
   * (§4.5), and what of them makes receivers struggle or fail (§3.4, Appendix D).
   */
  private CompletableFuture<Node> published(Walk w, Node node, DnsAnswer ans, Set<String> chain) {
    String domain = node.domain;
    SpfReport.Trace.Via via = node.via;
    List<String> texts = new ArrayList<>();
    int octets = 0;
    for (TXTRecord r : ans.records(TXTRecord.class)) {
      texts.add(SpfEngine.join(r));
      for (byte[] s : r.getStringsAsByteArrays()) {
        octets += s.length + 1;
      }
    }
    node.lookup = new SpfReport.Lookup(domain, "TXT", ans.outcome(), texts, false);
    if (!ans.outcome().isDefinite()) {
      if (w.standalone || via != SpfReport.Trace.Via.ROOT) {
        w.add(
            Finding.inconclusive(
                    SpfReport.Code.SPF_LOOKUP_FAILED,
                    CHECK,
                    "The TXT records of "
                        + domain
                        + " could not be fetched: "
                        + ans.describe()
                        + ".")
                .evidence("domain", domain)
                .evidence("outcome", ans.outcome())
                .rfc("RFC 7208 §4.4"));
      }
      return CompletableFuture.completedFuture(node);
    }
    for (String t : texts) {
      if (t.regionMatches(true, 0, "spf2.0/", 0, 7)) {
        w.add(
            Finding.warning(
                    SpfReport.Code.SPF_SENDER_ID_RECORD,
                    CHECK,
                    domain
                        + " publishes a Sender ID record ("
                        + t.split(" ")[0]
                        + "). Sender ID "
                        + "(RFC 4406) is obsolete and ignored; remove the record.")
                .evidence("domain", domain)
                .evidence("record", t)
                .rfc("RFC 7208 Appendix D"));
      }
    }
    node.records = texts.stream().filter(SpfRecord::isSpf1).toList();
    if (node.records.isEmpty()) {
      if (via == SpfReport.Trace.Via.ROOT && w.standalone) {
        w.add(
            Finding.warning(
                    SpfReport.Code.SPF_NO_RECORD,
                    CHECK,
                    domain
                        + " publishes no SPF record: receivers get SPF none and cannot tell its mail "
                        + "from forgeries; large receivers reject or junk unauthenticated mail.")
                .effect(Verdict.AT_RISK)
                .evidence("domain", domain)
                .evidence("outcome", ans.outcome())
                .rfc("RFC 7208 §4.5"));
      }
      return CompletableFuture.completedFuture(node);
    }
    if (octets > 450) {
      w.add(
          Finding.warning(
                  SpfReport.Code.SPF_RECORD_TOO_LONG,
                  CHECK,
                  "The TXT records of "
                      + domain
                      + " take "
                      + octets
                      + " octets; above 450 the answer "
                      + "may not fit a UDP packet and resolvers must retry over TCP, which some networks block.")
              .evidence("domain", domain)
              .evidence("octets", octets)
              .rfc("RFC 7208 §3.4"));
    }
    if (node.records.size() > 1) {
      w.add(
          Finding.error(
                  SpfReport.Code.SPF_MULTIPLE_RECORDS,
                  CHECK,
                  domain
                      + " publishes "
                      + node.records.size()
                      + " SPF records; exactly one is "
                      + "allowed, so every receiver gets permerror. Merge them into one record.")
              .effect(Verdict.AT_RISK)
              .evidence("domain", domain)
              .evidence("records", String.join(" | ", node.records))
              .rfc("RFC 7208 §4.5"));
      return CompletableFuture.completedFuture(node);
    }
    return examine(w, node, node.records.get(0), chain);
  }

  private CompletableFuture<Node> examine(Walk w, Node node, String text, Set<String> chain) {
    String domain = node.domain;
    SpfRecord rec = SpfRecord.parse(text);
    node.record = rec;
    if (!rec.valid()) {
      w.add(
          Finding.error(
                  SpfReport.Code.SPF_SYNTAX_ERROR,
                  CHECK,
                  "Syntax error in the SPF record of "
                      + domain
                      + " at column "
                      + rec.errorPosition()
                      + ": "
                      + rec.error()
                      + ". Receivers return permerror for the whole record.")
              .effect(Verdict.AT_RISK)
              .evidence("domain", domain)
              .evidence("record", text)
              .evidence("column", rec.errorPosition())
              .evidence("error", rec.error())
              .rfc("RFC 7208 §4.6"));
      return CompletableFuture.completedFuture(node);
    }
    boolean rootChain = node.via != SpfReport.Trace.Via.INCLUDE;
    SpfRecord.Term all = lintTerms(w, node, rec, domain, rootChain);
    SpfRecord.Term redirect = rec.redirect();
    if (redirect != null && all != null) {
      w.add(
          Finding.warning(
                  SpfReport.Code.SPF_REDIRECT_WITH_ALL,
                  CHECK,
                  "The SPF record of "
                      + domain
                      + " has both \""
                      + all.text()
                      + "\" and \""
                      + redirect.text()
                      + "\": the redirect is never used, because all always matches first.")
              .evidence("domain", domain)
              .evidence("redirect", redirect.text())
              .rfc("RFC 7208 §6.1"));
    }
    boolean followRedirect = redirect != null && all == null;
    if (followRedirect) {
      node.own++;
    }
    if (all == null && redirect == null && rootChain) {
      w.add(
          Finding.warning(
                  SpfReport.Code.SPF_NO_ALL,
                  CHECK,
                  "The SPF record of "
                      + domain
                      + " has no \"all\" mechanism and no redirect: hosts it does not "
                      + "list get neutral. End it with -all (or ~all).")
              .evidence("domain", domain)
              .evidence("record", text)
              .rfc("RFC 7208 §4.7"));
    }
    List<CompletableFuture<Void>> kids =
        follow(w, node, rec, domain, redirect, followRedirect, chain);
    return CompletableFuture.allOf(kids.toArray(CompletableFuture[]::new)).thenApply(v -> node);
  }

  /**
   * The ptr mechanism SHOULD NOT be used and, if it is, SHOULD be one of the last mechanisms
   * checked (RFC 7208 §5.5): the finding names the mechanisms still evaluated after it.
   */
  private static Finding.Builder ptrUsed(SpfRecord rec, SpfRecord.Term ptr, String domain) {
    List<String> after = new ArrayList<>();
    List<SpfRecord.Term> terms = rec.terms();
    for (SpfRecord.Term t : terms.subList(terms.indexOf(ptr) + 1, terms.size())) {
      if (t.mechanism() != null && t.mechanism() != SpfRecord.Mechanism.ALL) {
        after.add(t.text());
      }
    }
    return Finding.warning(
            SpfReport.Code.SPF_PTR_USED,
            CHECK,
            "The SPF record of "
                + domain
                + " uses \""
                + ptr.text()
                + "\": the ptr mechanism is slow, "
                + "unreliable and SHOULD NOT be used; list the addresses with ip4/ip6 or a instead."
                + (after.isEmpty()
                    ? ""
                    : " While it stays, move it after "
                        + String.join(", ", after)
                        + ": if used, ptr SHOULD be one of the last mechanisms checked."))
        .evidence("domain", domain)
        .evidence("term", ptr.text())
        .evidence("mechanismsAfter", after.isEmpty() ? "none" : String.join(" ", after))
        .rfc("RFC 7208 §5.5");
  }

  /**
   * Lints each term of a valid record and counts its own lookups; returns its first "all", if any.
   */
  private static SpfRecord.@Nullable Term lintTerms(
      Walk w, Node node, SpfRecord rec, String domain, boolean rootChain) {
    SpfRecord.Term all = null;
    List<String> afterAll = new ArrayList<>();
    for (SpfRecord.Term t : rec.terms()) {
      if (all != null && !(t.modifier() != null && t.modifier().equals("exp"))) {
        afterAll.add(t.text());
      }
      if (t.mechanism() == SpfRecord.Mechanism.ALL && all == null) {
        all = t;
        if (t.qualifier() == '+') {
          w.add(
              Finding.error(
                      SpfReport.Code.SPF_PASS_ALL,
                      CHECK,
                      "The SPF record of "
                          + domain
                          + " ends in \""
                          + t.text()
                          + "\": it authorizes every host "
                          + "on the Internet to send as "
                          + domain
                          + (node.via == SpfReport.Trace.Via.INCLUDE
                              ? " (and as every domain that includes it)"
                              : "")
                          + ". Use -all or ~all.")
                  .effect(Verdict.AT_RISK)
                  .evidence("domain", domain)
                  .evidence("term", t.text())
                  .rfc("RFC 7208 §5.1"));
        } else if (t.qualifier() == '?' && rootChain) {
          w.add(
              Finding.warning(
                      SpfReport.Code.SPF_NEUTRAL_ALL,
                      CHECK,
                      "The SPF record of "
                          + domain
                          + " ends in \"?all\": hosts it does not list get neutral, "
                          + "which protects nothing. Use ~all or -all once every sender is listed.")
                  .evidence("domain", domain)
                  .evidence("term", t.text())
                  .rfc("RFC 7208 §8.2"));
        }
      }
      if (t.mechanism() == SpfRecord.Mechanism.PTR) {
        w.add(ptrUsed(rec, t, domain));
      }
      if (t.domainSpec() != null && t.domainSpec().uses('p')) {
        w.add(
            Finding.warning(
                    SpfReport.Code.SPF_P_MACRO_USED,
                    CHECK,
                    "The SPF record of "
                        + domain
                        + " uses the %{p} macro in \""
                        + t.text()
                        + "\"; it SHOULD NOT be used: it costs lookups and depends on the client's reverse DNS.")
                .evidence("domain", domain)
                .evidence("term", t.text())
                .rfc("RFC 7208 §7.3"));
      }
      permissive(w, domain, t);
      if (t.mechanism() != null && t.mechanism().countsLookup()) {
        node.own++;
      }
    }
    if (all != null && !afterAll.isEmpty()) {
      w.add(
          Finding.warning(
                  SpfReport.Code.SPF_TERMS_AFTER_ALL,
                  CHECK,
                  "In the SPF record of "
                      + domain
                      + ", "
                      + String.join(" ", afterAll)
                      + " come"
                      + (afterAll.size() == 1 ? "s" : "")
                      + " after \""
                      + all.text()
                      + "\" and "
                      + (afterAll.size() == 1 ? "is" : "are")
                      + " never evaluated.")
              .evidence("domain", domain)
              .evidence("ignored", String.join(" ", afterAll))
              .rfc("RFC 7208 §4.6.2"));
    }
    return all;
  }

  /**
   * Follows the record's include: targets and its redirect (when used): one future per child looked
   * up.
   */
  @SuppressWarnings("ReferenceEquality") // t == redirect: the redirect term of this very record
  private List<CompletableFuture<Void>> follow(
      Walk w,
      Node node,
      SpfRecord rec,
      String domain,
      SpfRecord.@Nullable Term redirect,
      boolean followRedirect,
      Set<String> chain) {
    List<CompletableFuture<Void>> kids = new ArrayList<>();
    for (SpfRecord.Term t : rec.terms()) {
      boolean include = t.mechanism() == SpfRecord.Mechanism.INCLUDE;
      boolean redir = t == redirect && followRedirect;
      if (!include && !redir) {
        continue;
      }
      SpfMacro spec = requireNonNull(t.domainSpec(), "include: and redirect= have a domain-spec");
      if (spec.hasMacros()) {
        node.notes.put(t, "not followed: the target depends on the sender or client (macros)");
        w.add(
            Finding.info(
                    SpfReport.Code.SPF_MACRO_NOT_FOLLOWED,
                    CHECK,
                    "\""
                        + t.text()
                        + "\" in the SPF record of "
                        + domain
                        + " uses macros, so its "
                        + "target depends on the sender; it was not resolved for the lint.")
                .evidence("domain", domain)
                .evidence("term", t.text()));
        continue;
      }
      String target = SpfEngine.targetDomain(spec.text());
      String key = target.toLowerCase(Locale.ROOT);
      SpfReport.Trace.Via via =
          include ? SpfReport.Trace.Via.INCLUDE : SpfReport.Trace.Via.REDIRECT;
      if (chain.contains(key)) {
        node.notes.put(t, "loop: " + target + " is already in the chain");
        w.add(
            Finding.error(
                    include ? SpfReport.Code.SPF_INCLUDE_LOOP : SpfReport.Code.SPF_REDIRECT_LOOP,
                    CHECK,
                    "\""
                        + t.text()
                        + "\" in the SPF record of "
                        + domain
                        + " leads back to "
                        + target
                        + ", which is already being evaluated: a loop, permerror.")
                .effect(Verdict.AT_RISK)
                .evidence("domain", domain)
                .evidence("term", t.text())
                .rfc("RFC 7208 §4.6.4"));
        continue;
      }
      kids.add(
          node(w, target, via, chain, null)
              .thenAccept(
                  child -> {
                    synchronized (node) {
                      node.children.put(t, child);
                    }
                    if (child.lookup != null
                        && child.lookup.outcome().isDefinite()
                        && child.records.isEmpty()) {
                      w.add(
                          Finding.error(
                                  include
                                      ? SpfReport.Code.SPF_INCLUDE_NO_RECORD
                                      : SpfReport.Code.SPF_REDIRECT_NO_RECORD,
                                  CHECK,
                                  "\""
                                      + t.text()
                                      + "\" in the SPF record of "
                                      + domain
                                      + " refers to "
                                      + target
                                      + ", which has no SPF record ("
                                      + (child.lookup.outcome() == DnsOutcome.NXDOMAIN
                                          ? "the domain does not exist"
                                          : "no v=spf1 TXT record")
                                      + "): every receiver that reaches it gets permerror.")
                              .effect(Verdict.AT_RISK)
                              .evidence("domain", domain)
                              .evidence("term", t.text())
                              .evidence("target", target)
                              .rfc(include ? "RFC 7208 §5.2" : "RFC 7208 §6.1"));
                    }
                  }));
    }
    return kids;
  }

  private static void permissive(Walk w, String domain, SpfRecord.Term t) {
    if (t.qualifier() != '+' || t.mechanism() == null) {
      return;
    }
    String why = null;
    if (t.mechanism() == SpfRecord.Mechanism.IP4 && (1L << t.addressBits()) > MANY_IPV4) {
      why = "it authorizes " + String.format("%,d", 1L << t.addressBits()) + " IPv4 addresses";
    } else if (t.mechanism() == SpfRecord.Mechanism.IP6 && t.cidr6() < 24) {
      why = "an IPv6 prefix of /" + t.cidr6() + " covers a large part of the Internet";
    } else if ((t.mechanism() == SpfRecord.Mechanism.A || t.mechanism() == SpfRecord.Mechanism.MX)
        && (t.cidr4() < 8 || t.cidr6() < 24)) {
      why = "its prefix length authorizes huge networks around each address";
    }
    if (why != null) {
      w.add(
          Finding.error(
                  SpfReport.Code.SPF_TOO_PERMISSIVE,
                  CHECK,
                  "\""
                      + t.text()
                      + "\" in the SPF record of "
                      + domain
                      + ": "
                      + why
                      + ". Anyone with an address there can send as "
                      + domain
                      + ".")
              .effect(Verdict.AT_RISK)
              .evidence("domain", domain)
              .evidence("term", t.text())
              .rfc("RFC 7208 §5.6"));
    }
  }

  /** Resolves the literal a/mx/exists targets of the tree, concurrently; returns the void count. */
  private CompletableFuture<Integer> targets(Walk w, Node root) {
    List<String[]> checks = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    collect(root, checks, seen);
    Map<String, CompletableFuture<DnsAnswer>> cache = new ConcurrentHashMap<>();
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (String[] c : checks) {
      futures.add(target(w, c[0], c[1], c[2], c[3], cache));
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              int voids = 0;
              for (CompletableFuture<Integer> f : futures) {
                voids += f.join();
              }
              if (voids > SpfEngine.MAX_VOID_LOOKUPS) {
                w.add(
                    Finding.error(
                            SpfReport.Code.SPF_TOO_MANY_VOID_LOOKUPS,
                            CHECK,
                            "The SPF record tree of "
                                + root.domain
                                + " has "
                                + voids
                                + " targets that do not "
                                + "resolve; receivers stop after "
                                + SpfEngine.MAX_VOID_LOOKUPS
                                + " such void lookups with permerror. Remove the dead entries.")
                        .effect(Verdict.AT_RISK)
                        .evidence("domain", root.domain)
                        .evidence("voidLookups", voids)
                        .rfc("RFC 7208 §4.6.4"));
              }
              return voids;
            });
  }

  private static void collect(Node n, List<String[]> out, Set<String> seen) {
    if (n.record == null) {
      return;
    }
    for (SpfRecord.Term t : n.record.terms()) {
      SpfRecord.Mechanism m = t.mechanism();
      if (m != SpfRecord.Mechanism.A
          && m != SpfRecord.Mechanism.MX
          && m != SpfRecord.Mechanism.EXISTS) {
        continue;
      }
      if (t.domainSpec() != null && t.domainSpec().hasMacros()) {
        continue;
      }
      String target =
          t.domainSpec() == null ? n.domain : SpfEngine.targetDomain(t.domainSpec().text());
      String key = m + " " + target.toLowerCase(Locale.ROOT);
      if (seen.add(key) && out.size() < MAX_TARGET_CHECKS) {
        out.add(new String[] {m.name(), target, n.domain, t.text()});
      }
    }
    for (Node c : n.children.values()) {
      collect(c, out, seen);
    }
  }

  private CompletableFuture<DnsAnswer> cached(
      Walk w, Map<String, CompletableFuture<DnsAnswer>> cache, Name name, int type) {
    return cache.computeIfAbsent(name + "/" + type, k -> dns.query(name, type, w.deadline));
  }

  /**
   * Resolves one literal target of an a, mx or exists mechanism as receivers will (RFC 7208 §5.3,
   * §5.4, §5.7); returns how many void lookups (§4.6.4) it costs.
   */
  private CompletableFuture<Integer> target(
      Walk w,
      String mech,
      String target,
      String domain,
      String term,
      Map<String, CompletableFuture<DnsAnswer>> cache) {
    Name name = SpfEngine.toName(target);
    if (name == null) {
      return CompletableFuture.completedFuture(0);
    }
    if (mech.equals("MX")) {
      return cached(w, cache, name, Type.MX)
          .thenCompose(mx -> mxTarget(w, mx, target, domain, term, cache));
    }
    CompletableFuture<DnsAnswer> a = cached(w, cache, name, Type.A);
    CompletableFuture<DnsAnswer> aaaa =
        mech.equals("A")
            ? cached(w, cache, name, Type.AAAA)
            : CompletableFuture.completedFuture(null);
    return a.thenCombine(
        aaaa,
        (x, y) -> {
          boolean definite = x.outcome().isDefinite() && (y == null || y.outcome().isDefinite());
          boolean empty = x.records().isEmpty() && (y == null || y.records().isEmpty());
          if (definite && empty) {
            voidFinding(
                w,
                domain,
                term,
                target,
                mech.equals("A") ? "has no A or AAAA records" : "does not exist (no A record)");
            return 1;
          }
          return 0;
        });
  }

  /**
   * The mx mechanism's target (RFC 7208 §5.4): its MX records, at most {@code MAX_NAMES} of them
   * (§4.6.4), and the MX hosts without any address, which match nothing.
   */
  private CompletableFuture<Integer> mxTarget(
      Walk w,
      DnsAnswer mx,
      String target,
      String domain,
      String term,
      Map<String, CompletableFuture<DnsAnswer>> cache) {
    if (!mx.outcome().isDefinite()) {
      return CompletableFuture.completedFuture(0);
    }
    if (mx.records().isEmpty()) {
      voidFinding(w, domain, term, target, "has no MX records");
      return CompletableFuture.completedFuture(1);
    }
    List<MXRecord> hosts = mx.records(MXRecord.class);
    if (hosts.size() > SpfEngine.MAX_NAMES) {
      mxTooMany(w, domain, term, target, hosts.size());
      return CompletableFuture.completedFuture(0);
    }
    List<CompletableFuture<Boolean>> hostChecks = new ArrayList<>();
    for (MXRecord r : hosts) {
      if (r.getTarget().equals(Name.root)) {
        continue;
      }
      hostChecks.add(
          cached(w, cache, r.getTarget(), Type.A)
              .thenCombine(
                  cached(w, cache, r.getTarget(), Type.AAAA),
                  (a, aaaa) ->
                      !(a.records().isEmpty()
                          && aaaa.records().isEmpty()
                          && a.outcome().isDefinite()
                          && aaaa.outcome().isDefinite())));
    }
    return CompletableFuture.allOf(hostChecks.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              int voids = 0;
              for (int i = 0; i < hostChecks.size(); i++) {
                if (!hostChecks.get(i).join()) {
                  voids++;
                }
              }
              if (voids > 0) {
                voidFinding(
                    w,
                    domain,
                    term,
                    target,
                    "has " + voids + " MX host" + (voids == 1 ? "" : "s") + " without any address");
              }
              return voids;
            });
  }

  /** RFC 7208 §4.6.4: an mx mechanism may look up at most 10 MX hosts; more is a permerror. */
  private static void mxTooMany(Walk w, String domain, String term, String target, int hosts) {
    w.add(
        Finding.error(
                SpfReport.Code.SPF_MX_TOO_MANY,
                CHECK,
                "\""
                    + term
                    + "\" in the SPF record of "
                    + domain
                    + " points at "
                    + target
                    + ", which has "
                    + hosts
                    + " MX records; an mx mechanism may look up at most "
                    + SpfEngine.MAX_NAMES
                    + ": permerror.")
            .effect(Verdict.AT_RISK)
            .evidence("domain", domain)
            .evidence("term", term)
            .evidence("mxRecords", hosts)
            .rfc("RFC 7208 §4.6.4"));
  }

  private static void voidFinding(Walk w, String domain, String term, String target, String what) {
    w.add(
        Finding.warning(
                SpfReport.Code.SPF_VOID_LOOKUP,
                CHECK,
                "\""
                    + term
                    + "\" in the SPF record of "
                    + domain
                    + ": "
                    + target
                    + " "
                    + what
                    + ". It matches nothing and counts as a void lookup (receivers allow "
                    + SpfEngine.MAX_VOID_LOOKUPS
                    + ").")
            .evidence("domain", domain)
            .evidence("term", term)
            .evidence("target", target)
            .rfc("RFC 7208 §4.6.4"));
  }

  private Lint finish(Walk w, Node root, int voids) {
    int total = root.record == null ? -1 : root.total();
    if (total > SpfEngine.MAX_LOOKUPS) {
      w.add(
          Finding.error(
                  SpfReport.Code.SPF_TOO_MANY_LOOKUPS,
                  CHECK,
                  "The SPF record tree of "
                      + root.domain
                      + " needs "
                      + total
                      + " DNS-querying terms; "
                      + "receivers stop at "
                      + SpfEngine.MAX_LOOKUPS
                      + " with permerror, so mail from any host listed after that point fails SPF. "
                      + "Where they come from: "
                      + tree(root)
                      + ". Replace includes by ip4/ip6 ranges or drop unused ones.")
              .effect(Verdict.AT_RISK)
              .evidence("domain", root.domain)
              .evidence("dnsLookups", total)
              .evidence("tree", tree(root))
              .rfc("RFC 7208 §4.6.4"));
    } else if (total >= SpfEngine.MAX_LOOKUPS - 1) {
      w.add(
          Finding.warning(
                  SpfReport.Code.SPF_LOOKUPS_NEAR_LIMIT,
                  CHECK,
                  "The SPF record tree of "
                      + root.domain
                      + " needs "
                      + total
                      + " of the "
                      + SpfEngine.MAX_LOOKUPS
                      + " DNS-querying terms receivers allow ("
                      + tree(root)
                      + "); one more include, or a provider growing "
                      + "its own record, breaks SPF.")
              .evidence("domain", root.domain)
              .evidence("dnsLookups", total)
              .evidence("tree", tree(root))
              .rfc("RFC 7208 §4.6.4"));
    }
    long v4 = ipv4Space(root, new HashSet<>());
    if (v4 > MANY_IPV4
        && w.findings.stream().noneMatch(f -> f.is(SpfReport.Code.SPF_TOO_PERMISSIVE))) {
      w.add(
          Finding.error(
                  SpfReport.Code.SPF_TOO_PERMISSIVE,
                  CHECK,
                  "The SPF record tree of "
                      + root.domain
                      + " authorizes "
                      + String.format("%,d", v4)
                      + " IPv4 addresses in all; anyone with one of them can send as "
                      + root.domain
                      + ".")
              .effect(Verdict.AT_RISK)
              .evidence("domain", root.domain)
              .evidence("ipv4Addresses", v4)
              .rfc("RFC 7208 §5.6"));
    }
    List<Finding> findings;
    synchronized (w.findings) {
      findings = List.copyOf(w.findings);
    }
    return new Lint(findings, total, voids, trace(root));
  }

  private static long ipv4Space(Node n, Set<Node> seen) {
    if (n.record == null || !seen.add(n)) {
      return 0;
    }
    long sum = 0;
    for (SpfRecord.Term t : n.record.terms()) {
      if (t.mechanism() == SpfRecord.Mechanism.IP4 && t.qualifier() == '+') {
        sum += 1L << t.addressBits();
      }
    }
    for (Node c : n.children.values()) {
      sum += ipv4Space(c, seen);
    }
    return sum;
  }

  /** "example.com 3 (include:_spf.a.example 4, include:_spf.b.example 2)". */
  private static String tree(Node n) {
    StringBuilder b = new StringBuilder(n.domain).append(' ').append(n.total());
    if (!n.children.isEmpty()) {
      b.append(" [own ").append(n.own);
      for (Map.Entry<SpfRecord.Term, Node> e : n.children.entrySet()) {
        b.append("; ")
            .append(e.getKey().text().replaceFirst("^\\+", ""))
            .append(" → ")
            .append(tree(e.getValue()));
      }
      b.append(']');
    }
    return b.toString();
  }

  private static SpfReport.Trace trace(Node n) {
    List<SpfReport.Term> terms = new ArrayList<>();
    if (n.record != null) {
      for (SpfRecord.Term t : n.record.terms()) {
        Node c = n.children.get(t);
        String detail =
            c != null
                ? c.total()
                    + " DNS-querying term"
                    + (c.total() == 1 ? "" : "s")
                    + " below "
                    + c.domain
                : n.notes.getOrDefault(t, "not evaluated: no client IP");
        terms.add(
            new SpfReport.Term(
                t.text(),
                t.position(),
                SpfReport.Term.Outcome.NOT_EVALUATED,
                c == null ? null : c.domain,
                detail,
                List.of(),
                c == null ? null : trace(c)));
      }
    }
    String detail =
        n.record == null
            ? (n.records.size() > 1 ? "more than one SPF record" : "no SPF record")
            : n.record.valid()
                ? n.total() + " DNS-querying terms in this tree"
                : "syntax error at column " + n.record.errorPosition();
    return new SpfReport.Trace(n.domain, n.via, n.lookup, n.records, terms, null, detail);
  }

  /** Splits {@code "a" "b"} into its strings; text without quotes is one string. */
  static List<String> splitQuoted(String s) {
    String t = s.strip();
    if (!t.startsWith("\"")) {
      return List.of(t);
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < t.length()) {
      if (t.charAt(i) != '"') {
        i++;
        continue;
      }
      StringBuilder b = new StringBuilder();
      i++;
      while (i < t.length() && t.charAt(i) != '"') {
        if (t.charAt(i) == '\\' && i + 1 < t.length()) {
          i++;
        }
        b.append(t.charAt(i));
        i++;
      }
      i++;
      out.add(b.toString());
    }
    return out;
  }

  private static String join(Record r) {
    if (r instanceof org.xbill.DNS.SPFRecord) {
      StringBuilder b = new StringBuilder();
      for (byte[] s : ((org.xbill.DNS.SPFRecord) r).getStringsAsByteArrays()) {
        b.append(new String(s, StandardCharsets.ISO_8859_1));
      }
      return b.toString();
    }
    return r.rdataToString();
  }

  @SuppressWarnings("unused")
  private static String literal(java.net.InetAddress a) {
    return InetAddresses.toLiteral(a);
  }
}
