package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.MtaStsReport;
import dev.maildx.report.MxReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Type;

/**
 * Checks a domain's MTA-STS deployment (RFC 8461): the {@code _mta-sts.<domain>} TXT record ({@code
 * v=STSv1; id=...}, §3.1), then the policy fetched from {@code
 * https://mta-sts.<domain>/.well-known/mta-sts.txt} (§3.2, §3.3) with {@code
 * java.net.http.HttpClient}: certificate validated for {@code mta-sts.<domain>}, redirects refused,
 * media type {@code text/plain}, size and time limited ({@link PolicyOptions}); then every MX host
 * against the policy's {@code mx} patterns (§4.1).
 *
 * <p>Senders that enforce MTA-STS (the large mailbox providers do) deliver only to MX hosts that
 * match a pattern of an {@code enforce} policy and present a valid certificate; a policy that
 * cannot be fetched is ignored by new senders but cached ones keep applying the old one, so a
 * broken policy host plus changed MX hosts loses mail. The TLS of the MX hosts themselves is the
 * SMTP probe's part; it reads {@link MtaStsReport#policy()}.
 *
 * <p>Findings (check {@code mta-sts}): {@link MtaStsReport.Code}.
 *
 * <p>Thread-safe; share one instance.
 */
public final class MtaStsResolver implements AutoCloseable {
  static final String CHECK = MtaStsReport.CHECK;
  private static final String VERSION = "v=STSv1";
  private static final long ONE_DAY = 86_400;

  private final DnsClient dns;
  private final PolicyFetcher fetcher;

  private MtaStsResolver(DnsClient dns, PolicyOptions options) {
    this.dns = dns;
    this.fetcher = new PolicyFetcher(dns, options);
  }

  /**
   * Creates a resolver on the runtime of a {@code MailDiagnostics}: its DNS client, threads and
   * configuration (the deadline of a blocking call is its {@link DiagnosticsConfig#timeout()}). The
   * resolver starts no threads of its own. Its {@link PolicyOptions} are those of the {@code
   * MailDiagnostics}.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the resolver is
   *     used, and closing the resolver leaves it open
   * @return a new resolver
   */
  public static MtaStsResolver create(MailDiagnostics maildx) {
    CheckEnvironment env = CheckEnvironment.of(maildx);
    return create(DnsClient.of(env), PolicyOptions.of(env));
  }

  /**
   * Creates a resolver on the runtime of a {@code MailDiagnostics} with other options; it starts no
   * threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the resolver is
   *     used, and closing the resolver leaves it open
   * @param options trust store and limits of the policy fetch
   * @return a new resolver
   */
  public static MtaStsResolver create(MailDiagnostics maildx, PolicyOptions options) {
    requireNonNull(options, "options");
    return create(DnsClient.of(CheckEnvironment.of(maildx)), options);
  }

  static MtaStsResolver create(DnsClient dns, PolicyOptions options) {
    return new MtaStsResolver(dns, options);
  }

  /**
   * Checks a domain's MTA-STS record, policy and MX hosts, blocking up to the configured timeout.
   *
   * @param domain the domain
   * @return the report
   * @throws IllegalArgumentException if {@code domain} is not a valid domain name
   */
  public MtaStsReport check(String domain) {
    return checkAsync(DomainName.of(domain), Deadline.after(dns.environment().config().timeout()))
        .join();
  }

  /**
   * Checks a domain's MTA-STS record and policy, and its MX hosts: their names are looked up
   * alongside the record, so the whole check takes one round trip before the HTTPS fetch.
   *
   * @param domain the domain
   * @param deadline when to give up
   * @return a future that always completes with a report, by the deadline
   */
  public CompletableFuture<MtaStsReport> checkAsync(DomainName domain, Deadline deadline) {
    requireNonNull(domain, "domain");
    requireNonNull(deadline, "deadline");
    Deadline inner = deadline.withMargin(Duration.ofMillis(150));
    CompletableFuture<@Nullable List<String>> hosts =
        dns.query(domain.ascii(), Type.MX, inner).thenApply(a -> mxNames(domain, a));
    return run(domain, hosts, deadline);
  }

  /**
   * Checks a domain's MTA-STS record and policy, matching the MX hosts of an MX report already
   * made.
   *
   * @param domain the domain
   * @param mx the domain's MX report, or null to skip matching
   * @param deadline when to give up
   * @return a future that always completes with a report, by the deadline
   */
  public CompletableFuture<MtaStsReport> checkAsync(
      DomainName domain, @Nullable MxReport mx, Deadline deadline) {
    requireNonNull(domain, "domain");
    requireNonNull(deadline, "deadline");
    List<String> hosts =
        mx == null || (mx.hosts().isEmpty() && !mx.lookup().isDefinite())
            ? null
            : mx.hosts().stream().map(MxReport.Host::name).toList();
    return run(domain, CompletableFuture.completedFuture(hosts), deadline);
  }

  /**
   * The MX host names of an MX answer (RFC 5321 §5.1): the domain itself if there are none; null if
   * unknown.
   */
  private static @Nullable List<String> mxNames(DomainName domain, DnsAnswer a) {
    switch (a.outcome()) {
      case ANSWER:
        return a.records(MXRecord.class).stream()
            .sorted(Comparator.comparingInt(MXRecord::getPriority))
            .map(r -> Text.host(r.getTarget()))
            .filter(h -> !h.isEmpty())
            .distinct()
            .toList();
      case NO_DATA:
        return List.of(domain.ascii());
      case NXDOMAIN:
        return List.of();
      default:
        return null;
    }
  }

  private CompletableFuture<MtaStsReport> run(
      DomainName domain, CompletableFuture<@Nullable List<String>> mx, Deadline deadline) {
    Deadline inner = deadline.withMargin(Duration.ofMillis(150));
    String name = "_mta-sts." + domain.ascii();
    String host = "mta-sts." + domain.ascii();
    String url = "https://" + host + PolicyPath.PATH;
    // The policy host's address is looked up alongside the TXT record, to save a round trip.
    CompletableFuture<PolicyFetcher.Addresses> addresses = fetcher.resolve(host, inner);
    CompletableFuture<MtaStsReport> work =
        dns.query(name, Type.TXT, inner)
            .thenCompose(
                txt -> {
                  State s = new State(domain, name, host, url);
                  s.lookup = txt.outcome();
                  if (!record(s, txt)) {
                    return mx.thenApply(m -> s.report());
                  }
                  return fetcher
                      .fetch(host, PolicyPath.PATH, addresses, inner)
                      .thenCombine(
                          mx,
                          (fetch, m) -> {
                            policy(s, fetch);
                            match(s, m);
                            return s.report();
                          });
                });
    return dns.environment()
        .within(
            work,
            deadline,
            () -> {
              State s = new State(domain, name, host, url);
              s.lookup = DnsOutcome.TIMEOUT;
              s.findings.add(
                  Finding.inconclusive(
                          MtaStsReport.Code.MTA_STS_POLICY_TIMEOUT,
                          CHECK,
                          "The MTA-STS check of " + domain + " did not finish before the deadline.")
                      .evidence("url", url)
                      .rfc("RFC 8461 §3.3")
                      .build());
              return s.report();
            });
  }

  /** Where the policy lives (RFC 8461 §3.2). */
  private static final class PolicyPath {
    static final String PATH = "/.well-known/mta-sts.txt";
  }

  /** What the check has found so far. */
  static final class State {
    final DomainName domain;
    final String name;
    final String host;
    final String url;
    DnsOutcome lookup = DnsOutcome.TIMEOUT;
    List<String> records = List.of();
    @Nullable String id;
    int status;
    MtaStsReport.@Nullable Policy policy;
    List<String> notMatching = List.of();
    final List<Finding> findings = new ArrayList<>();

    State(DomainName domain, String name, String host, String url) {
      this.domain = domain;
      this.name = name;
      this.host = host;
      this.url = url;
    }

    MtaStsReport report() {
      findings.sort(Comparator.comparing(Finding::severity));
      return new MtaStsReport(
          CHECK,
          domain,
          lookup,
          records,
          id,
          url,
          status,
          Optional.ofNullable(policy),
          notMatching,
          findings);
    }
  }

  /**
   * Evaluates the TXT record; returns whether a valid record was found and the policy should be
   * fetched.
   */
  static boolean record(State s, DnsAnswer txt) {
    if (!txt.outcome().isDefinite()) {
      s.findings.add(
          Finding.inconclusive(
                  MtaStsReport.Code.MTA_STS_LOOKUP_FAILED,
                  CHECK,
                  "The MTA-STS record "
                      + s.name
                      + " could not be looked up: "
                      + txt.describe()
                      + ".")
              .evidence("name", s.name)
              .evidence("outcome", txt.outcome())
              .rfc("RFC 8461 §3.1")
              .build());
      return false;
    }
    List<String> records = new ArrayList<>();
    for (String t : Text.txt(txt)) {
      if (t.startsWith(VERSION)) {
        records.add(t);
      }
    }
    s.records = records;
    if (records.isEmpty()) {
      s.findings.add(
          Finding.info(
                  MtaStsReport.Code.MTA_STS_NONE,
                  CHECK,
                  s.domain
                      + " publishes no MTA-STS record ("
                      + s.name
                      + "): senders do not require TLS for mail to it.")
              .evidence("name", s.name)
              .evidence("outcome", txt.outcome())
              .rfc("RFC 8461 §3.1")
              .build());
      return false;
    }
    if (records.size() > 1) {
      s.findings.add(
          Finding.error(
                  MtaStsReport.Code.MTA_STS_RECORD_MULTIPLE,
                  CHECK,
                  s.name
                      + " has "
                      + records.size()
                      + " MTA-STS records; with more than "
                      + "one, senders treat the domain as having no MTA-STS policy, and those that cached one keep the stale copy.")
              .evidence("name", s.name)
              .evidence(
                  "records",
                  records.stream().map(Text::printable).collect(Collectors.joining(" | ")))
              .rfc("RFC 8461 §3.1")
              .build());
      return false;
    }
    String record = records.get(0);
    TagList tags = TagList.parse(record);
    List<String> problems = problems(record, tags);
    String id = tags.get("id");
    if (!problems.isEmpty()) {
      s.findings.add(
          Finding.error(
                  MtaStsReport.Code.MTA_STS_RECORD_SYNTAX,
                  CHECK,
                  "The MTA-STS record of "
                      + s.domain
                      + " is malformed ("
                      + Text.list(problems, "; ")
                      + "); senders treat the domain as having no MTA-STS policy.")
              .evidence("name", s.name)
              .evidence("record", Text.printable(record))
              .evidence("problems", Text.list(problems, "; "))
              .rfc("RFC 8461 §3.1")
              .build());
      return false;
    }
    s.id = id;
    return true;
  }

  /** What makes the record invalid (RFC 8461 §3.1): the version, the id, the extension fields. */
  private static List<String> problems(String record, TagList tags) {
    List<String> problems = new ArrayList<>();
    if (!record.startsWith(VERSION + ";")) {
      problems.add("the record must begin with \"" + VERSION + ";\"");
    }
    problems.addAll(tags.problems);
    for (String d : tags.duplicates()) {
      problems.add("field \"" + d + "\" occurs more than once");
    }
    String id = tags.get("id");
    if (id == null) {
      problems.add("no id field");
    } else if (!id.matches("[A-Za-z0-9]{1,32}")) {
      problems.add("id must be 1 to 32 letters and digits, was \"" + Text.printable(id) + "\"");
    }
    for (TagList.Tag t : tags.tags) {
      if (!t.name().equals("v")
          && !t.name().equals("id")
          && (!TagList.validExtensionName(t.name()) || !TagList.validExtensionValue(t.value()))) {
        problems.add(
            "field \""
                + Text.printable(t.name() + "=" + t.value())
                + "\" is not a valid extension");
      }
    }
    return problems;
  }

  private static void policy(State s, PolicyFetcher.Fetch f) {
    s.status = f.status();
    if (fetchFailed(s, f)) {
      return;
    }
    if (httpRefused(s, f)) {
      return;
    }
    if (notPlainText(s, f)) {
      return;
    }
    String text = new String(f.body(), StandardCharsets.UTF_8);
    MtaStsPolicyParser.Parsed p = MtaStsPolicyParser.parse(text, s.id == null ? "" : s.id);
    if (!p.problems().isEmpty()) {
      s.findings.add(
          Finding.error(
                  MtaStsReport.Code.MTA_STS_POLICY_SYNTAX,
                  CHECK,
                  "The MTA-STS policy "
                      + s.url
                      + " is malformed: "
                      + Text.list(p.problems(), "; ")
                      + (p.policy() == null ? ". Senders cannot use it." : "."))
              .evidence("url", s.url)
              .evidence("problems", Text.list(p.problems(), "; "))
              .evidence("policy", Text.printable(text))
              .rfc("RFC 8461 §3.2")
              .build());
    }
    s.policy = p.policy();
    if (p.policy() == null) {
      return;
    }
    policyFindings(s, p, p.policy());
  }

  /** Whether the policy could not be fetched at all; if so, says why in {@code s.findings}. */
  private static boolean fetchFailed(State s, PolicyFetcher.Fetch f) {
    String addrs =
        f.addresses().stream().map(InetAddresses::toLiteral).collect(Collectors.joining(", "));
    switch (f.kind()) {
      case NO_ADDRESS:
        s.findings.add(
            Finding.error(
                    MtaStsReport.Code.MTA_STS_POLICY_HOST_MISSING,
                    CHECK,
                    s.domain
                        + " publishes an MTA-STS record, but the policy host "
                        + s.host
                        + " has no address ("
                        + f.detail()
                        + "), so no sender can fetch the policy.")
                .evidence("host", s.host)
                .evidence("outcome", f.addressLookup())
                .rfc("RFC 8461 §3.3")
                .build());
        return true;
      case NOT_PUBLIC:
        s.findings.add(
            Finding.error(
                    MtaStsReport.Code.MTA_STS_POLICY_HOST_NOT_PUBLIC,
                    CHECK,
                    "The MTA-STS policy host "
                        + s.host
                        + " resolves only to "
                        + "addresses senders on the Internet cannot reach ("
                        + f.detail()
                        + ").")
                .evidence("host", s.host)
                .evidence("addresses", addrs)
                .rfc("RFC 8461 §3.3")
                .build());
        return true;
      case DNS_FAILED:
      case CONNECT_FAILED:
      case ERROR:
        s.findings.add(
            notFetched(
                MtaStsReport.Code.MTA_STS_POLICY_UNREACHABLE, "could not be fetched", s, f, addrs));
        return true;
      case TIMEOUT:
        s.findings.add(
            notFetched(
                MtaStsReport.Code.MTA_STS_POLICY_TIMEOUT, "did not arrive in time", s, f, addrs));
        return true;
      case TLS_FAILED:
        s.findings.add(
            Finding.error(
                    MtaStsReport.Code.MTA_STS_POLICY_TLS_FAILED,
                    CHECK,
                    "The MTA-STS policy host "
                        + s.host
                        + " failed TLS validation: "
                        + f.detail()
                        + ". Senders must not use a policy fetched without a valid certificate for "
                        + s.host
                        + ".")
                .evidence("url", s.url)
                .evidence("detail", f.detail())
                .rfc("RFC 8461 §3.3")
                .build());
        return true;
      case TOO_LARGE:
        s.findings.add(
            Finding.error(
                    MtaStsReport.Code.MTA_STS_POLICY_TOO_LARGE,
                    CHECK,
                    "The MTA-STS policy "
                        + s.url
                        + " is larger than "
                        + "a policy can reasonably be ("
                        + f.detail()
                        + "); senders give up on it.")
                .evidence("url", s.url)
                .evidence("status", f.status())
                .rfc("RFC 8461 §3.3")
                .build());
        return true;
      default:
        break;
    }
    return false;
  }

  /** An inconclusive finding for a policy that got no response: what happened and to which URL. */
  private static Finding notFetched(
      MtaStsReport.Code code, String what, State s, PolicyFetcher.Fetch f, String addrs) {
    return Finding.inconclusive(
            code, CHECK, "The MTA-STS policy " + s.url + " " + what + ": " + f.detail() + ".")
        .evidence("url", s.url)
        .evidence("addresses", addrs)
        .evidence("detail", f.detail())
        .rfc("RFC 8461 §3.3")
        .build();
  }

  /** Whether the policy URL answered other than HTTP 200; if so, says so in {@code s.findings}. */
  private static boolean httpRefused(State s, PolicyFetcher.Fetch f) {
    int st = f.status();
    if (st >= 300 && st < 400) {
      String location =
          f.headers() == null
              ? ""
              : f.headers().getOrDefault("location", List.of("")).stream().findFirst().orElse("");
      s.findings.add(
          Finding.error(
                  MtaStsReport.Code.MTA_STS_POLICY_REDIRECT,
                  CHECK,
                  "The MTA-STS policy "
                      + s.url
                      + " answers with a redirect (HTTP "
                      + st
                      + (location.isEmpty() ? "" : " to " + Text.printable(location))
                      + "); senders must not follow redirects, so they have no policy.")
              .evidence("url", s.url)
              .evidence("status", st)
              .evidence("location", Text.printable(location))
              .rfc("RFC 8461 §3.3")
              .build());
      return true;
    }
    if (st != 200) {
      Finding.Builder b =
          st >= 500
              ? Finding.inconclusive(
                  MtaStsReport.Code.MTA_STS_POLICY_HTTP_ERROR,
                  CHECK,
                  "The MTA-STS policy server " + s.host + " failed (HTTP " + st + ").")
              : Finding.error(
                  MtaStsReport.Code.MTA_STS_POLICY_HTTP_ERROR,
                  CHECK,
                  "The MTA-STS policy "
                      + s.url
                      + " is not served (HTTP "
                      + st
                      + "), so senders have no policy.");
      s.findings.add(b.evidence("url", s.url).evidence("status", st).rfc("RFC 8461 §3.3").build());
      return true;
    }
    return false;
  }

  /** Whether the policy is not served as text/plain; if so, says so in {@code s.findings}. */
  private static boolean notPlainText(State s, PolicyFetcher.Fetch f) {
    String type = f.contentType();
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!media.equals("text/plain")) {
      s.findings.add(
          Finding.error(
                  MtaStsReport.Code.MTA_STS_POLICY_CONTENT_TYPE,
                  CHECK,
                  "The MTA-STS policy "
                      + s.url
                      + " is served as "
                      + (type == null ? "no media type" : "\"" + Text.printable(type) + "\"")
                      + ", not text/plain; senders reject it.")
              .evidence("url", s.url)
              .evidence("contentType", type == null ? "" : Text.printable(type))
              .rfc("RFC 8461 §3.2")
              .build());
      return true;
    }
    return false;
  }

  /**
   * The findings about a parsed policy: its max_age, its mode and, when it has no problems, the
   * summary.
   */
  private static void policyFindings(
      State s, MtaStsPolicyParser.Parsed p, MtaStsReport.Policy policy) {
    if (p.maxAgeSeconds() > MtaStsPolicyParser.MAX_AGE_LIMIT) {
      s.findings.add(
          Finding.warning(
                  MtaStsReport.Code.MTA_STS_MAX_AGE_OUT_OF_RANGE,
                  CHECK,
                  "max_age "
                      + p.maxAgeSeconds()
                      + " is above the limit of "
                      + MtaStsPolicyParser.MAX_AGE_LIMIT
                      + " seconds; senders cap it.")
              .evidence("maxAge", p.maxAgeSeconds())
              .rfc("RFC 8461 §3.2")
              .build());
    } else if (p.maxAgeSeconds() < ONE_DAY && policy.mode() != MtaStsReport.Policy.Mode.NONE) {
      s.findings.add(
          Finding.warning(
                  MtaStsReport.Code.MTA_STS_MAX_AGE_SHORT,
                  CHECK,
                  "max_age is only "
                      + p.maxAgeSeconds()
                      + " seconds: senders forget the "
                      + "policy quickly, so it protects little against a downgrade between fetches (weeks are recommended).")
              .evidence("maxAge", p.maxAgeSeconds())
              .rfc("RFC 8461 §3.2")
              .build());
    }
    String patterns = String.join(", ", policy.mx());
    switch (policy.mode()) {
      case TESTING:
        s.findings.add(
            Finding.info(
                    MtaStsReport.Code.MTA_STS_TESTING,
                    CHECK,
                    "The MTA-STS policy of "
                        + s.domain
                        + " is in mode testing: senders report "
                        + "TLS failures but still deliver.")
                .evidence("url", s.url)
                .evidence("mx", patterns)
                .rfc("RFC 8461 §5")
                .build());
        break;
      case NONE:
        s.findings.add(
            Finding.info(
                    MtaStsReport.Code.MTA_STS_MODE_NONE,
                    CHECK,
                    "The MTA-STS policy of "
                        + s.domain
                        + " is in mode none: it has been withdrawn.")
                .evidence("url", s.url)
                .rfc("RFC 8461 §5")
                .build());
        break;
      default:
        break;
    }
    if (p.problems().isEmpty()) {
      s.findings.add(
          Finding.info(
                  MtaStsReport.Code.MTA_STS_OK,
                  CHECK,
                  s.domain
                      + " publishes an MTA-STS policy in mode "
                      + policy.mode().name().toLowerCase(Locale.ROOT)
                      + " for "
                      + (patterns.isEmpty() ? "no MX patterns" : patterns)
                      + ", max_age "
                      + p.maxAgeSeconds()
                      + " s.")
              .evidence("url", s.url)
              .evidence("id", s.id)
              .evidence("mode", policy.mode())
              .evidence("mx", patterns)
              .evidence("maxAge", p.maxAgeSeconds())
              .rfc("RFC 8461 §3.2")
              .build());
    }
  }

  private static void match(State s, @Nullable List<String> hosts) {
    MtaStsReport.Policy p = s.policy;
    if (p == null || p.mode() == MtaStsReport.Policy.Mode.NONE) {
      return;
    }
    if (hosts == null) {
      s.findings.add(
          Finding.info(
                  MtaStsReport.Code.MTA_STS_MX_UNKNOWN,
                  CHECK,
                  "The MX hosts of "
                      + s.domain
                      + " are not known, so they were not matched "
                      + "against the MTA-STS policy.")
              .evidence("mx", String.join(", ", p.mx()))
              .rfc("RFC 8461 §4.1")
              .build());
      return;
    }
    if (hosts.isEmpty()) {
      return;
    }
    List<String> unmatched = hosts.stream().filter(h -> !p.matches(h)).toList();
    s.notMatching = unmatched;
    if (unmatched.isEmpty()) {
      return;
    }
    boolean enforce = p.mode() == MtaStsReport.Policy.Mode.ENFORCE;
    boolean none = unmatched.size() == hosts.size();
    Finding.Builder b =
        Finding.builder(MtaStsReport.Code.MTA_STS_MX_MISMATCH, CHECK)
            .severity(enforce ? Severity.ERROR : Severity.WARNING)
            .effect(!enforce ? Verdict.DELIVERABLE : none ? Verdict.UNDELIVERABLE : Verdict.AT_RISK)
            .message(
                (none
                        ? "None of the MX hosts of " + s.domain
                        : "The MX host"
                            + (unmatched.size() > 1 ? "s " : " ")
                            + String.join(", ", unmatched)
                            + " of "
                            + s.domain
                            + (unmatched.size() > 1 ? " do" : " does"))
                    + " not match the MTA-STS policy's mx patterns ("
                    + String.join(", ", p.mx())
                    + "). "
                    + (enforce
                        ? (none
                                ? "Senders that enforce MTA-STS (Gmail, Outlook.com and others) deliver nothing to this domain."
                                : "Senders that enforce MTA-STS skip "
                                    + (unmatched.size() > 1 ? "these hosts." : "this host."))
                            + " Add the hosts to the policy and change its id in the "
                            + s.name
                            + " record."
                        : "In mode testing senders only report this."))
            .evidence("unmatched", String.join(", ", unmatched))
            .evidence("patterns", String.join(", ", p.mx()))
            .evidence("mode", p.mode())
            .rfc("RFC 8461 §4.1");
    s.findings.add(b.build());
  }

  /**
   * Does nothing: a resolver owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
