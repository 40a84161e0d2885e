package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.dns.internal.DkimKeyParser;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.dns.internal.TxtStrings;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DkimKeysReport.Selector.Source;
import dev.maildx.report.DnsOutcome;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Type;

/**
 * Looks up a domain's DKIM public keys (RFC 6376 §3.6.2.1): the TXT record at {@code
 * <selector>._domainkey.<domain>} for each selector given and — since DNS cannot list selectors —
 * for each of {@link #COMMON_SELECTORS}, all queried concurrently. CNAMEs are followed (cloud
 * providers publish keys by delegation: Microsoft 365's {@code selector1}/{@code selector2}, Amazon
 * SES, SendGrid, ...). Each record is parsed and linted by {@link DkimKeyParser}, whose finding
 * codes apply here as well.
 *
 * <p>Findings (check {@code dkim}): {@link DkimKeysReport.Code}.
 *
 * <p>Thread-safe; share one instance.
 */
public final class DkimKeyResolver implements AutoCloseable {
  static final String CHECK = DkimKeysReport.CHECK;

  /**
   * The selectors tried when none is known, in order. DNS offers no way to list a domain's
   * selectors, so maildx guesses the ones mail providers and software use by default: Microsoft 365
   * ({@code selector1}, {@code selector2}), Google Workspace ({@code google}), SendGrid ({@code
   * s1}, {@code s2}), Mailchimp/Mandrill ({@code k1}, {@code k2}, {@code k3}, {@code mandrill}),
   * Fastmail ({@code fm1}–{@code fm3}), Proton ({@code protonmail}, {@code protonmail2}, {@code
   * protonmail3}), Zoho ({@code zoho}, {@code zmail}), Mailgun ({@code mailo}, {@code mg}), Apple
   * iCloud ({@code sig1}), cPanel and OpenDKIM defaults ({@code default}), and generic names
   * ({@code dkim}, {@code mail}, {@code email}, {@code smtp}, {@code key1}, {@code key2}, {@code
   * dkim1}, {@code dkim2}, {@code s1024}, {@code s2048}).
   */
  public static final List<String> COMMON_SELECTORS =
      List.of(
          "selector1",
          "selector2",
          "google",
          "default",
          "dkim",
          "mail",
          "email",
          "smtp",
          "k1",
          "k2",
          "k3",
          "s1",
          "s2",
          "mandrill",
          "fm1",
          "fm2",
          "fm3",
          "protonmail",
          "protonmail2",
          "protonmail3",
          "zoho",
          "zmail",
          "mailo",
          "mg",
          "sig1",
          "key1",
          "key2",
          "dkim1",
          "dkim2",
          "s1024",
          "s2048");

  /** The most selectors given per lookup. */
  public static final int MAX_SELECTORS = 50;

  private final DnsClient dns;

  private DkimKeyResolver(DnsClient dns) {
    this.dns = dns;
  }

  /**
   * Creates a resolver on the runtime of a {@code MailDiagnostics}: its DNS client, threads and
   * configuration (the deadline of a blocking call is its {@link DiagnosticsConfig#timeout()}). The
   * resolver starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the resolver is
   *     used, and closing the resolver leaves it open
   * @return a new resolver
   */
  public static DkimKeyResolver create(MailDiagnostics maildx) {
    return create(DnsClient.of(CheckEnvironment.of(maildx)));
  }

  /**
   * For maildx's own modules (the auth module's message authentication): a resolver on a DNS client
   * that the caller owns and may share. Not an API ({@code DnsClient} is internal).
   *
   * @param dns the client
   * @return a resolver without threads of its own
   * @hidden
   */
  @SuppressWarnings({
    "exports",
    "InvalidBlockTag"
  }) // @hidden is a javadoc tag (JDK 9+) Error Prone does not know
  public static DkimKeyResolver create(DnsClient dns) {
    return new DkimKeyResolver(dns);
  }

  /**
   * Looks up the keys of the given selectors and of the common ones, blocking up to the configured
   * timeout.
   *
   * @param domain the signing domain
   * @param selectors selectors known to be in use; may be empty
   * @return the report
   * @throws IllegalArgumentException if the domain or a selector is malformed
   */
  public DkimKeysReport resolve(String domain, List<String> selectors) {
    return resolveAsync(
            DomainName.of(domain),
            selectors,
            true,
            Deadline.after(dns.environment().config().timeout()))
        .join();
  }

  /**
   * Looks up DKIM keys.
   *
   * @param domain the signing domain
   * @param selectors selectors known to be in use, in order; may be empty
   * @param discover whether to try {@link #COMMON_SELECTORS} too
   * @param deadline when to give up; lookups still open then are reported as inconclusive
   * @return a future that always completes with a report, by the deadline
   * @throws IllegalArgumentException if a selector is malformed or there are more than {@value
   *     #MAX_SELECTORS}
   */
  public CompletableFuture<DkimKeysReport> resolveAsync(
      DomainName domain, List<String> selectors, boolean discover, Deadline deadline) {
    return resolve(domain, selectors, discover, CHECK, deadline);
  }

  /**
   * For maildx's own modules (the auth module's key lookups for signature verification): {@link
   * #resolveAsync} with the report and its findings under another check's name. Not an API.
   *
   * @param domain the signing domain
   * @param selectors selectors known to be in use, in order; may be empty
   * @param discover whether to try {@link #COMMON_SELECTORS} too
   * @param check the check name of the report and its findings
   * @param deadline when to give up
   * @return a future that always completes with a report, by the deadline
   * @hidden
   */
  @SuppressWarnings(
      "InvalidBlockTag") // @hidden is a javadoc tag (JDK 9+) Error Prone does not know
  public CompletableFuture<DkimKeysReport> resolve(
      DomainName domain,
      List<String> selectors,
      boolean discover,
      String check,
      Deadline deadline) {
    requireNonNull(domain, "domain");
    requireNonNull(deadline, "deadline");
    Map<String, Source> plan = plan(domain, selectors, discover);
    Deadline inner = deadline.withMargin(Duration.ofMillis(100));
    Map<String, CompletableFuture<DnsAnswer>> answers = new LinkedHashMap<>();
    for (String s : plan.keySet()) {
      answers.put(s, dns.query(s + "._domainkey." + domain.ascii(), Type.TXT, inner));
    }
    CompletableFuture<DkimKeysReport> work =
        CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new))
            .thenApply(v -> assemble(domain, check, plan, answers));
    return dns.environment()
        .within(
            work,
            deadline,
            () ->
                new DkimKeysReport(
                    check,
                    domain,
                    List.of(),
                    List.of(
                        Finding.inconclusive(
                                DkimKeysReport.Code.DKIM_LOOKUP_FAILED,
                                check,
                                "The DKIM key lookups for "
                                    + domain
                                    + " did not finish before the deadline.")
                            .evidence("domain", domain)
                            .evidence("outcome", DnsOutcome.TIMEOUT)
                            .rfc("RFC 6376 §3.6.2")
                            .build())));
  }

  private static Map<String, Source> plan(
      DomainName domain, List<String> selectors, boolean discover) {
    requireNonNull(selectors, "selectors");
    if (selectors.size() > MAX_SELECTORS) {
      throw new IllegalArgumentException(
          "at most " + MAX_SELECTORS + " DKIM selectors, were " + selectors.size());
    }
    Map<String, Source> plan = new LinkedHashMap<>();
    for (String s : selectors) {
      plan.putIfAbsent(validSelector(s, domain), Source.GIVEN);
    }
    if (discover) {
      for (String s : COMMON_SELECTORS) {
        plan.putIfAbsent(s, Source.COMMON);
      }
    }
    return plan;
  }

  /**
   * Checks a selector (RFC 6376 §3.1: dot-separated sub-domain labels).
   *
   * @param selector the selector
   * @param domain the domain it goes with (the whole name must fit in 253 characters)
   * @return the selector, lower case
   * @throws IllegalArgumentException saying what is wrong
   */
  static String validSelector(String selector, DomainName domain) {
    requireNonNull(selector, "selector");
    String s = selector.strip().toLowerCase(Locale.ROOT);
    boolean ok =
        !s.isEmpty()
            && !s.startsWith(".")
            && !s.endsWith(".")
            && !s.contains("..")
            && s.chars()
                .allMatch(
                    c ->
                        (c >= 'a' && c <= 'z')
                            || (c >= '0' && c <= '9')
                            || c == '-'
                            || c == '_'
                            || c == '.');
    for (String label : s.split("\\.")) {
      ok &= label.length() <= 63;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "invalid DKIM selector \""
              + TxtStrings.printable(selector, 100)
              + "\": letters, digits, '-' and '_', in dot-separated labels of at most 63 characters");
    }
    if ((s + "._domainkey." + domain.ascii()).length() > 253) {
      throw new IllegalArgumentException(
          "DKIM selector \""
              + s
              + "\" makes the name "
              + s
              + "._domainkey."
              + domain
              + " longer than 253 characters");
    }
    return s;
  }

  private DkimKeysReport assemble(
      DomainName domain,
      String check,
      Map<String, Source> plan,
      Map<String, CompletableFuture<DnsAnswer>> answers) {
    return new Assembly(domain, check, plan).report(answers);
  }

  /**
   * The report from the answers for the planned selectors: one result per selector with what its
   * record says (RFC 6376 §3.6.2), then what the selectors together say (no key found, keys found,
   * Ed25519 only).
   */
  private static final class Assembly {
    final DomainName domain;
    final String check;
    final Map<String, Source> plan;
    final List<Finding> findings = new ArrayList<>();

    /** Common selectors (not given) whose lookup failed: "none found" is then inconclusive. */
    final List<String> failedCommon = new ArrayList<>();

    Assembly(DomainName domain, String check, Map<String, Source> plan) {
      this.domain = domain;
      this.check = check;
      this.plan = plan;
    }

    DkimKeysReport report(Map<String, CompletableFuture<DnsAnswer>> answers) {
      List<DkimKeysReport.Selector> results = new ArrayList<>();
      for (Map.Entry<String, Source> e : plan.entrySet()) {
        DnsAnswer a =
            requireNonNull(answers.get(e.getKey()), "every planned selector is asked").join();
        results.add(selector(e.getKey(), e.getValue(), a));
      }
      List<DkimKeysReport.Selector> found = results.stream().filter(r -> r.key() != null).toList();
      if (found.isEmpty()) {
        noneFound();
      } else {
        found(found);
      }
      findings.sort(Comparator.comparing(Finding::severity));
      return new DkimKeysReport(check, domain, results, findings);
    }

    private DkimKeysReport.Selector selector(String selector, Source source, DnsAnswer a) {
      boolean given = source == Source.GIVEN;
      String name = selector + "._domainkey." + domain.ascii();
      List<String> chain = a.cnameChain().stream().map(n -> n.toString(true)).toList();
      List<String> texts = TxtStrings.of(a);
      DkimKeysReport.Key key = null;
      String detail = a.outcome().isDefinite() ? "" : a.describe();
      if (!a.outcome().isDefinite()) {
        lookupFailed(selector, given, name, a);
      } else if (texts.isEmpty()) {
        noRecord(selector, given, name, chain, a);
      } else {
        key = key(selector, given, name, texts);
      }
      return new DkimKeysReport.Selector(
          selector, domain, source, a.outcome(), chain, texts, key, detail);
    }

    private void lookupFailed(String selector, boolean given, String name, DnsAnswer a) {
      if (given) {
        findings.add(
            Finding.inconclusive(
                    DkimKeysReport.Code.DKIM_LOOKUP_FAILED,
                    check,
                    "The DKIM key of selector "
                        + selector
                        + " ("
                        + name
                        + ") could not be looked up: "
                        + a.describe()
                        + ".")
                .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
                .evidence("domain", domain)
                .evidence("outcome", a.outcome())
                .evidence("detail", a.detail())
                .rfc("RFC 6376 §3.6.2")
                .build());
      } else {
        failedCommon.add(selector + " (" + a.outcome() + ")");
      }
    }

    /** No TXT record at the selector's name: a CNAME to nothing, or a given selector missing. */
    private void noRecord(
        String selector, boolean given, String name, List<String> chain, DnsAnswer a) {
      if (!chain.isEmpty()) {
        String target = chain.get(chain.size() - 1);
        findings.add(
            Finding.builder(DkimKeysReport.Code.DKIM_CNAME_TARGET_MISSING, check)
                .severity(given ? Severity.ERROR : Severity.WARNING)
                .effect(Verdict.AT_RISK)
                .message(
                    "The DKIM selector "
                        + name
                        + " is a CNAME to "
                        + target
                        + ", which has no key ("
                        + a.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + "). The mail provider's key is not published"
                        + " (for Microsoft 365: DKIM signing not enabled for the domain); mail signed with "
                        + selector
                        + " fails DKIM.")
                .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
                .evidence("domain", domain)
                .evidence("cname", String.join(" -> ", chain))
                .evidence("outcome", a.outcome())
                .rfc("RFC 6376 §3.6.2.1")
                .build());
      } else if (given) {
        findings.add(
            Finding.error(
                    DkimKeysReport.Code.DKIM_SELECTOR_NOT_FOUND,
                    check,
                    "There is no DKIM key for the selector "
                        + selector
                        + ": "
                        + name
                        + " "
                        + (a.outcome() == DnsOutcome.NXDOMAIN
                            ? "does not exist"
                            : "has no TXT record")
                        + ". Mail signed with s="
                        + selector
                        + " fails DKIM.")
                .effect(Verdict.AT_RISK)
                .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
                .evidence("domain", domain)
                .evidence(DkimKeysReport.Evidence.NAME, name)
                .evidence("outcome", a.outcome())
                .rfc("RFC 6376 §6.1.2")
                .build());
      }
    }

    /** The key records among the TXT records at the selector's name, the first one parsed. */
    private DkimKeysReport.@Nullable Key key(
        String selector, boolean given, String name, List<String> texts) {
      List<String> keys = texts.stream().filter(DkimKeyParser::looksLikeKey).toList();
      if (keys.isEmpty()) {
        if (given) {
          findings.add(
              Finding.error(
                      DkimKeysReport.Code.DKIM_NOT_A_KEY,
                      check,
                      name
                          + " holds TXT data that is not a DKIM key record (\""
                          + TxtStrings.printable(texts.get(0), 120)
                          + "\"); mail signed with s="
                          + selector
                          + " fails DKIM.")
                  .effect(Verdict.AT_RISK)
                  .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
                  .evidence("domain", domain)
                  .evidence("record", TxtStrings.printable(texts.get(0), 300))
                  .rfc("RFC 6376 §3.6.1")
                  .build());
        }
        return null;
      }
      if (keys.size() > 1) {
        findings.add(
            Finding.warning(
                    DkimKeysReport.Code.DKIM_MULTIPLE_RECORDS,
                    check,
                    name
                        + " holds "
                        + keys.size()
                        + " DKIM key records; verifiers "
                        + "use one of them, so signatures verify only some of the time.")
                .effect(Verdict.AT_RISK)
                .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
                .evidence("domain", domain)
                .evidence(
                    "records",
                    keys.stream()
                        .map(t -> TxtStrings.printable(t, 120))
                        .collect(Collectors.joining(" | ")))
                .rfc("RFC 6376 §3.6.2.2")
                .build());
      }
      DkimKeyParser.Parsed p = DkimKeyParser.parse(keys.get(0), check, selector, domain, given);
      findings.addAll(p.findings());
      return p.key();
    }

    private void noneFound() {
      if (!failedCommon.isEmpty()) {
        findings.add(
            Finding.inconclusive(
                    DkimKeysReport.Code.DKIM_LOOKUP_FAILED,
                    check,
                    "No DKIM key was found for "
                        + domain
                        + ", but "
                        + failedCommon.size()
                        + " of the selectors tried could not be looked up: "
                        + String.join(", ", failedCommon)
                        + ".")
                .evidence("domain", domain)
                .evidence("failed", String.join(", ", failedCommon))
                .rfc("RFC 6376 §3.6.2")
                .build());
      } else if (plan.values().stream().noneMatch(s -> s == Source.GIVEN)) {
        findings.add(
            Finding.warning(
                    DkimKeysReport.Code.DKIM_NO_KEYS_FOUND,
                    check,
                    "No DKIM key was found for "
                        + domain
                        + " under any of the "
                        + plan.size()
                        + " common selectors tried. DNS cannot list selectors, so the domain may use another one: give it with "
                        + "--selector (it is the s= of a DKIM-Signature header). Without DKIM, DMARC depends on SPF alone, which breaks on forwarding.")
                .evidence("domain", domain)
                .evidence("selectors", String.join(", ", plan.keySet()))
                .rfc("RFC 6376 §3.6.2.1")
                .build());
      }
    }

    private void found(List<DkimKeysReport.Selector> found) {
      String list = found.stream().map(r -> describe(r)).collect(Collectors.joining(", "));
      findings.add(
          0,
          Finding.info(
                  DkimKeysReport.Code.DKIM_KEYS_FOUND,
                  check,
                  domain
                      + " publishes DKIM keys under "
                      + found.size()
                      + " selector"
                      + (found.size() == 1 ? "" : "s")
                      + ": "
                      + list
                      + ".")
              .evidence("domain", domain)
              .evidence(
                  "selectors",
                  found.stream()
                      .map(DkimKeysReport.Selector::selector)
                      .collect(Collectors.joining(", ")))
              .evidence("keys", list)
              .rfc("RFC 6376 §3.6.1")
              .build());
      List<DkimKeysReport.Key> live =
          found.stream()
              .map(DkimKeysReport.Selector::key)
              .filter(k -> k.publicKey() != null)
              .toList();
      if (!live.isEmpty()
          && live.stream().allMatch(k -> k.keyType() == DkimKeysReport.Key.KeyType.ED25519)) {
        findings.add(
            Finding.warning(
                    DkimKeysReport.Code.DKIM_ED25519_ONLY,
                    check,
                    "Only Ed25519 DKIM keys were found for "
                        + domain
                        + "; verifiers without "
                        + "RFC 8463 support see no valid signature. Sign with an RSA key as well.")
                .evidence("domain", domain)
                .rfc("RFC 8463 §4")
                .build());
      }
    }
  }

  private static String describe(DkimKeysReport.Selector r) {
    DkimKeysReport.Key k = requireNonNull(r.key(), "only selectors with a key are described");
    StringBuilder b = new StringBuilder(r.selector()).append(" (");
    if (k.revoked()) {
      b.append("revoked");
    } else if (k.publicKey() == null) {
      b.append("unusable");
    } else {
      b.append(k.keyType().name().toLowerCase(Locale.ROOT));
      if (k.keyType() == DkimKeysReport.Key.KeyType.RSA) {
        b.append(' ').append(k.keyBits()).append(" bits");
      }
    }
    if (!r.cnameChain().isEmpty()) {
      b.append(", via CNAME ").append(r.cnameChain().get(r.cnameChain().size() - 1));
    }
    return b.append(')').toString();
  }

  /**
   * Does nothing: a resolver owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
