package dev.maildx;

import dev.maildx.internal.InetAddresses;
import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import dev.maildx.report.CheckReport;
import dev.maildx.report.DmarcOutcomeReport;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DmarcReport;
import dev.maildx.report.DnsblReport;
import dev.maildx.report.EnhancedStatusCode;
import dev.maildx.report.ProbeReport;
import dev.maildx.report.ReverseDnsReport;
import dev.maildx.report.SpfReport;
import dev.maildx.report.SpfResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What the correlation rules read: the question, every check's typed report and every finding, with
 * the small queries the rules share (findings by check and code, the bounce's recipients and what
 * their status codes and texts point at, what the sender's SPF record authorizes).
 *
 * <p>The causes fired so far are kept too, so that the fallback rules at the end of the list can
 * tell what is already explained.
 */
final class CorrelationFacts {
  /** Words and links in a server reply that name a blocklist or a reputation service. */
  static final Pattern BLOCKLIST =
      Pattern.compile(
          "(?i)spamhaus|spamcop|barracuda|sorbs|uceprotect|abuseat|senderscore|mailspike|surbl|block ?list|black ?list|\\bdnsbl\\b|\\brbl\\b"
              + "|listed (?:at|on|in|by)|\\bblocked using\\b|poor reputation|bad reputation|\\breputation\\b");

  /** A link in a reply (blocklists put a lookup URL in their rejections). */
  static final Pattern URL = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"')]+");

  private static final Pattern SPF_WORDS =
      Pattern.compile(
          "(?i)\\bspf\\b|sender policy framework|not (?:authorized|permitted|designated) "
              + "(?:to send|as a permitted sender|sender)|designates .* as permitted");
  private static final Pattern DMARC_WORDS =
      Pattern.compile(
          "(?i)\\bdmarc\\b|unauthenticated (?:e-?mail|message|sender)"
              + "|authentication (?:failed|failure|required|checks? failed)|did not pass authentication");

  /** One part of the SPF linter's tree: {@code include:x → x 2 [...]}. */
  private static final Pattern TREE_PART = Pattern.compile("^\\s*(\\S+) → \\S+ (\\d+)");

  private static final Pattern DKIM_WORDS = Pattern.compile("(?i)\\bdkim\\b|domainkeys");

  private final DeliveryQuestion question;
  private final List<CheckReport> reports;
  private final List<Finding> findings;
  private final List<LikelyCause> fired = new ArrayList<>();

  CorrelationFacts(DeliveryQuestion question, List<CheckReport> reports, List<Finding> findings) {
    this.question = question;
    this.reports = List.copyOf(reports);
    this.findings = List.copyOf(findings);
  }

  DeliveryQuestion question() {
    return question;
  }

  List<Finding> findings() {
    return findings;
  }

  /** The causes fired by the rules evaluated so far. */
  List<LikelyCause> fired() {
    return fired;
  }

  void fire(LikelyCause c) {
    fired.add(c);
  }

  /** Whether a cause fired so far cites this finding. */
  boolean explained(Finding f) {
    return fired.stream().anyMatch(c -> c.evidence().contains(f));
  }

  // ---------------------------------------------------------------- findings

  /** The findings of {@code check} with any of {@code codes}. */
  List<Finding> all(String check, FindingCode... codes) {
    Set<FindingCode> wanted = Set.of(codes);
    return findings.stream()
        .filter(f -> f.check().equals(check) && wanted.contains(f.findingCode()))
        .toList();
  }

  /** The first finding of {@code check} with any of {@code codes}. */
  Optional<Finding> first(String check, FindingCode... codes) {
    return all(check, codes).stream().findFirst();
  }

  boolean has(String check, FindingCode... codes) {
    return first(check, codes).isPresent();
  }

  // ---------------------------------------------------------------- reports

  <T extends CheckReport> Optional<T> report(String check, Class<T> type) {
    for (CheckReport r : reports) {
      if (r.check().equals(check) && type.isInstance(r)) {
        return Optional.of(type.cast(r));
      }
    }
    return Optional.empty();
  }

  /**
   * Every report of the given type, whatever its check (for interfaces such as {@link
   * DmarcOutcomeReport}).
   */
  <T> List<T> reportsOf(Class<T> type) {
    return reports.stream().filter(type::isInstance).map(type::cast).toList();
  }

  Optional<SpfReport> spf() {
    return report(SpfReport.CHECK, SpfReport.class);
  }

  Optional<ProbeReport> smtp() {
    return report(ProbeReport.CHECK, ProbeReport.class);
  }

  Optional<BounceReport> bounce() {
    return report(BounceReport.CHECK, BounceReport.class);
  }

  Optional<DnsblReport> dnsbl() {
    return report(DnsblReport.CHECK, DnsblReport.class);
  }

  Optional<DmarcReport> dmarc() {
    return report(DmarcReport.CHECK, DmarcReport.class);
  }

  /**
   * The policy the sender's DMARC record publishes for the domain ({@code p}, {@code sp} or {@code
   * np}), if there is one.
   */
  Optional<DmarcRecord.Policy> dmarcPolicy() {
    return dmarc().map(DmarcReport::policy);
  }

  // ---------------------------------------------------------------- names

  String recipientDomain() {
    return question.recipientDomain().map(DomainName::ascii).orElse("the recipient domain");
  }

  String senderDomain() {
    return question.senderDomain().map(DomainName::ascii).orElse("the sender domain");
  }

  String recipient() {
    return question.recipient().map(EmailAddress::toString).orElse("the recipient");
  }

  /**
   * The sending IP as a literal, with its forward-confirmed reverse name when the {@code ptr} check
   * found one.
   */
  Optional<String> sendingIpWithName() {
    return question
        .sendingIp()
        .map(
            ip -> {
              String lit = InetAddresses.toLiteral(ip);
              return ptrName().map(n -> lit + " (" + n + ")").orElse(lit);
            });
  }

  /** The reverse DNS name of the sending IP (forward-confirmed if possible). */
  Optional<String> ptrName() {
    return report(ReverseDnsReport.CHECK, ReverseDnsReport.class)
        .flatMap(r -> r.results().stream().findFirst())
        .flatMap(
            r -> {
              if (!r.confirmed().isEmpty()) {
                return Optional.of(r.confirmed().get(0));
              }
              return r.host() != null ? Optional.of(r.host()) : r.names().stream().findFirst();
            });
  }

  // ---------------------------------------------------------------- SPF

  /** The SPF result for the sending IP, if SPF was evaluated for one. */
  Optional<SpfResult> spfResult() {
    return spf().map(SpfReport::spfResult);
  }

  /**
   * What the sender domain's SPF record authorizes, as its top-level terms without {@code all} (for
   * example {@code include:_spf.oldhost.example}); empty if there is no record.
   */
  List<String> spfAuthorizes() {
    return spf()
        .map(SpfReport::trace)
        .map(
            t ->
                t.terms().stream()
                    .map(SpfReport.Term::term)
                    .filter(x -> !x.toLowerCase(Locale.ROOT).matches("[-+~?]?all"))
                    .toList())
        .orElse(List.of());
  }

  /**
   * A phrase naming what the sender's SPF record authorizes, term by term in record order, each
   * include with the terms of the record it includes (RFC 7208 §5.2), for example {@code only
   * include:_spf.old.example (ip4:192.0.2.128/25)}.
   */
  String spfAuthorizesPhrase() {
    Optional<SpfReport.Trace> root = spf().map(SpfReport::trace);
    List<String> terms =
        root.map(t -> t.terms().stream().filter(x -> !isAll(x.term())).map(this::authorizes))
            .map(Stream::toList)
            .orElse(List.of());
    if (terms.isEmpty()) {
      return "no sending server";
    }
    return (terms.size() == 1 ? "only " : "") + String.join(", ", terms);
  }

  private String authorizes(SpfReport.Term t) {
    String term = t.term().replaceFirst("^\\+", "");
    String lower = term.toLowerCase(Locale.ROOT);
    SpfReport.Trace child = t.child();
    if ((lower.startsWith("include:") || lower.startsWith("redirect=")) && child != null) {
      List<String> inner =
          child.terms().stream()
              .map(SpfReport.Term::term)
              .filter(x -> !isAll(x))
              .map(x -> x.replaceFirst("^\\+", ""))
              .toList();
      return inner.isEmpty() ? term + " (nothing)" : term + " (" + String.join(", ", inner) + ")";
    }
    String domain = spf().map(SpfReport::domain).orElse("the domain");
    if (lower.equals("mx")) {
      return "mx (the MX hosts of " + domain + ")";
    }
    if (lower.equals("a")) {
      return "a (the addresses of " + domain + ")";
    }
    return term;
  }

  private static boolean isAll(String term) {
    return term.toLowerCase(Locale.ROOT).matches("[-+~?]?all");
  }

  /**
   * The DNS-querying terms of the sender's SPF record in record order, each with what it costs
   * against the limit of 10 (RFC 7208 §4.6.4: {@code include}, {@code a}, {@code mx}, {@code ptr},
   * {@code exists} and {@code redirect} count one each, an include or redirect also everything its
   * target's record costs). Costs below a term come from the linter's whole-tree count (the {@code
   * tree} evidence of {@code SPF_TOO_MANY_LOOKUPS}) where the evaluation stopped early, else from
   * the evaluation trace.
   */
  List<SpfCost> spfLookupCosts() {
    Optional<SpfReport.Trace> root = spf().map(SpfReport::trace);
    if (root.isEmpty()) {
      return List.of();
    }
    java.util.Map<String, Integer> below = lintedCosts();
    List<SpfCost> out = new ArrayList<>();
    for (SpfReport.Term t : root.get().terms()) {
      String term = t.term().replaceFirst("^[+]", "");
      if (!queriesDns(term)) {
        continue;
      }
      Integer linted = below.get(term.toLowerCase(Locale.ROOT));
      int cost = 1 + (linted != null ? linted : t.child() == null ? 0 : costOf(t.child().terms()));
      out.add(new SpfCost(term, cost));
    }
    return out;
  }

  /** A DNS-querying term of an SPF record and what it costs against the limit of 10. */
  record SpfCost(String term, int cost) {
    @Override
    public String toString() {
      return term + " (" + cost + ")";
    }
  }

  private static boolean queriesDns(String term) {
    String t = term.toLowerCase(Locale.ROOT).replaceFirst("^[-+~?]", "");
    return t.matches("(?:include|exists)(?::.*)?|(?:a|mx|ptr)(?:[:/].*)?|redirect=.*");
  }

  private static int costOf(List<SpfReport.Term> terms) {
    int n = 0;
    for (SpfReport.Term t : terms) {
      if (queriesDns(t.term())) {
        n += 1 + (t.child() == null ? 0 : costOf(t.child().terms()));
      }
    }
    return n;
  }

  /**
   * The top-level includes and redirects of the linter's tree ({@code "d 15 [own 7; include:x → x 2
   * [...]; ...]"}) with the count below each.
   */
  private java.util.Map<String, Integer> lintedCosts() {
    java.util.Map<String, Integer> out = new java.util.HashMap<>();
    String tree =
        first(SpfReport.CHECK, SpfReport.Code.SPF_TOO_MANY_LOOKUPS)
            .map(x -> x.evidence().getOrDefault("tree", ""))
            .orElse("");
    int open = tree.indexOf('[');
    if (open < 0) {
      return out;
    }
    int depth = 0;
    StringBuilder part = new StringBuilder();
    for (char c : tree.substring(open + 1).toCharArray()) {
      if ((c == ';' || c == ']') && depth == 0) {
        java.util.regex.Matcher m = TREE_PART.matcher(part);
        if (m.find()) {
          out.put(m.group(1).toLowerCase(Locale.ROOT), Integer.parseInt(m.group(2)));
        }
        part.setLength(0);
        if (c == ']') {
          break;
        }
        continue;
      }
      depth += c == '[' ? 1 : c == ']' ? -1 : 0;
      part.append(c);
    }
    return out;
  }

  // ---------------------------------------------------------------- bounce

  /** The recipients the bounce reports on. */
  List<BounceReport.Recipient> dsnRecipients() {
    return bounce().map(BounceReport::recipients).orElse(List.of());
  }

  /**
   * The bounce's finding about one recipient (the per-recipient finding of the {@code bounce}
   * check).
   */
  Optional<Finding> dsnFinding(BounceReport.Recipient d) {
    return findings.stream()
        .filter(
            f ->
                f.check().equals(BounceReport.CHECK)
                    && f.findingCode() instanceof BounceReport.Code
                    && d.recipient().equals(f.evidence().get(BounceReport.Evidence.RECIPIENT))
                    && d.reason().id().equals(f.evidence().get(BounceReport.Evidence.REASON)))
        .findFirst()
        .or(
            () ->
                findings.stream()
                    .filter(
                        f ->
                            f.check().equals(BounceReport.CHECK)
                                && d.recipient()
                                    .equals(f.evidence().get(BounceReport.Evidence.RECIPIENT)))
                    .findFirst());
  }

  /** The bounce's findings for the given recipients, in order, without duplicates. */
  List<Finding> dsnFindings(List<BounceReport.Recipient> ds) {
    return ds.stream().map(this::dsnFinding).flatMap(Optional::stream).distinct().toList();
  }

  /** Whether the notice says delivery is still being retried (RFC 3464 {@code Action: delayed}). */
  boolean delayed(BounceReport.Recipient d) {
    return d.action() == BounceReport.Action.DELAYED
        || bounce().map(b -> b.kind() == BounceReport.Kind.DELAY).orElse(false);
  }

  /** Whether the notice reports a failure (not a delay, a delivery or an auto-reply). */
  boolean failed(BounceReport.Recipient d) {
    return d.action() == BounceReport.Action.FAILED;
  }

  /** The status and diagnostic text of a notice's recipient, for matching. */
  static String text(BounceReport.Recipient d) {
    return (d.diagnosticCode() == null ? "" : d.diagnosticCode()) + " " + d.explanation();
  }

  /** Only the diagnostic text the remote server wrote. */
  static String diagnostic(BounceReport.Recipient d) {
    return d.diagnosticCode() == null ? "" : d.diagnosticCode();
  }

  /**
   * Whether the notice blames the connection to the recipient's servers or the time spent trying
   * (RFC 3463 x.4.x: 4.4.1 no answer, 4.4.2 bad connection, 4.4.7 delivery time expired), as a
   * sender's server writes when the recipient's gateway does not answer or tarpits.
   */
  static boolean networkDelay(BounceReport.Recipient d) {
    EnhancedStatusCode s = d.status();
    if (s != null && s.subject() == 4) {
      return true;
    }
    return d.reason() == BounceReason.EXPIRED || d.reason() == BounceReason.NETWORK_ERROR;
  }

  /**
   * Whether the notice points at SPF (x.7.23 SPF validation failed, x.7.24 SPF validation error, or
   * the text).
   */
  static boolean pointsAtSpf(BounceReport.Recipient d) {
    EnhancedStatusCode s = d.status();
    if (s != null && s.subject() == 7 && (s.detail() == 23 || s.detail() == 24)) {
      return true;
    }
    return securityOrPolicy(d) && SPF_WORDS.matcher(diagnostic(d)).find();
  }

  /**
   * Whether the notice points at DMARC (x.7.26 multiple authentication checks failed, or the text).
   */
  static boolean pointsAtDmarc(BounceReport.Recipient d) {
    EnhancedStatusCode s = d.status();
    if (s != null && s.subject() == 7 && s.detail() == 26) {
      return true;
    }
    return securityOrPolicy(d) && DMARC_WORDS.matcher(diagnostic(d)).find();
  }

  /** Whether the notice points at DKIM (x.7.20 to x.7.22, or the text). */
  static boolean pointsAtDkim(BounceReport.Recipient d) {
    EnhancedStatusCode s = d.status();
    if (s != null && s.subject() == 7 && s.detail() >= 20 && s.detail() <= 22) {
      return true;
    }
    return securityOrPolicy(d) && DKIM_WORDS.matcher(diagnostic(d)).find();
  }

  /**
   * A rejection for security or policy reasons: status x.7.x, or a 5xx/4xx reply without a status,
   * or an authentication reason.
   */
  private static boolean securityOrPolicy(BounceReport.Recipient d) {
    EnhancedStatusCode s = d.status();
    return s == null
        || s.subject() == 7
        || d.reason() == BounceReason.AUTH_FAILURE
        || d.reason() == BounceReason.POLICY_VIOLATION
        || d.reason() == BounceReason.REJECTED
        || d.reason() == BounceReason.SECURITY_ERROR;
  }

  /**
   * Whether the notice cites a blocklist or the sender's reputation (by name, by link, or by its
   * reason).
   */
  static boolean citesBlocklist(BounceReport.Recipient d) {
    String t = diagnostic(d);
    return BLOCKLIST.matcher(t).find()
        || d.reason() == BounceReason.BAD_REPUTATION
        || (d.reason() == BounceReason.BLOCKED && URL.matcher(t).find());
  }

  /** The first link in a text, or empty. */
  static Optional<String> url(@Nullable String text) {
    if (text == null) {
      return Optional.empty();
    }
    java.util.regex.Matcher m = URL.matcher(text);
    return m.find() ? Optional.of(m.group()) : Optional.empty();
  }

  /** Whether the notice says the mailbox does not exist (x.1.1, or the reason). */
  static boolean userUnknown(BounceReport.Recipient d) {
    EnhancedStatusCode s = d.status();
    return (s != null && s.isPermanent() && s.subject() == 1 && s.detail() == 1)
        || d.reason() == BounceReason.USER_UNKNOWN;
  }

  /** The status code and reply code of a notice's recipient, as written, for a sentence. */
  static String codes(BounceReport.Recipient d) {
    String c =
        Stream.of(
                d.replyCode() == null ? null : d.replyCode().toString(),
                d.status() == null ? null : d.status().toString())
            .filter(x -> x != null)
            .reduce((a, b) -> a + " " + b)
            .orElse(d.reason().id());
    String diag = shorten(diagnostic(d).strip(), 160);
    if (diag.isEmpty()) {
      return c;
    }
    // The text repeats the codes (a reply quotes its own code): print them once.
    boolean repeats =
        (d.replyCode() == null || diag.contains(d.replyCode().toString()))
            && (d.status() == null || diag.contains(d.status().toString()));
    String quoted = repeats ? "\"" + diag + "\"" : c + " \"" + diag + "\"";
    // A code the reporting MTA wrote for an attempt that got no reply (RFC 3464 §2.3.6 without a
    // remote reply) must not read as the remote host's answer.
    return d.replyCode() != null && d.replySource() == BounceReport.ReplySource.REPORTING_MTA
        ? quoted + " (written by the sending server: the remote host sent no reply)"
        : quoted;
  }

  /** The text cut at a word boundary to at most {@code max} characters, marked with "...". */
  static String shorten(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = text.lastIndexOf(' ', max - 3);
    return text.substring(0, cut > max / 2 ? cut : max - 3).stripTrailing() + "...";
  }

  /** Joins findings lists, keeping order and dropping duplicates. */
  @SafeVarargs
  @SuppressWarnings("varargs") // Arrays.stream only reads the array
  static List<Finding> join(List<Finding>... lists) {
    return Arrays.stream(lists).flatMap(List::stream).distinct().toList();
  }
}
