package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.report.BimiReport;
import dev.maildx.report.DnsOutcome;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Type;

/**
 * Checks a sender domain's BIMI assertion record ({@code default._bimi.<domain>} TXT, Brand
 * Indicators for Message Identification, draft-brand-indicators-for-message-identification §4):
 * {@code v=BIMI1; l=<https URI of an SVG logo>; a=<https URI of a VMC/CMC certificate>}.
 *
 * <p>Only the record is checked: the SVG logo and the mark certificate are not fetched. BIMI also
 * requires the domain's DMARC policy to enforce ({@code p=quarantine} or {@code p=reject}); that
 * prerequisite is judged where the DMARC report is available, not here. The record is looked up at
 * the domain itself; the fallback to the organizational domain is not made.
 *
 * <p>Findings (check {@code bimi}): {@link BimiReport.Code}; BIMI never affects delivery, so none
 * changes the verdict except a failed lookup.
 *
 * <p>Thread-safe; share one instance.
 */
public final class BimiResolver implements AutoCloseable {
  /** The selector used when a message names none. */
  public static final String DEFAULT_SELECTOR = "default";

  static final String CHECK = BimiReport.CHECK;
  private static final String REF = "draft-brand-indicators-for-message-identification §4";
  private static final String VERSION = "v=BIMI1";

  private final DnsClient dns;

  private BimiResolver(DnsClient dns) {
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
  public static BimiResolver create(MailDiagnostics maildx) {
    return create(DnsClient.of(CheckEnvironment.of(maildx)));
  }

  static BimiResolver create(DnsClient dns) {
    return new BimiResolver(dns);
  }

  /**
   * Checks a domain's default BIMI record, blocking up to the configured timeout.
   *
   * @param domain the domain
   * @return the report
   * @throws IllegalArgumentException if {@code domain} is not a valid domain name
   */
  public BimiReport check(String domain) {
    return checkAsync(
            DomainName.of(domain),
            DEFAULT_SELECTOR,
            Deadline.after(dns.environment().config().timeout()))
        .join();
  }

  /**
   * Checks a domain's BIMI record for a selector.
   *
   * @param domain the domain
   * @param selector the BIMI selector ({@value #DEFAULT_SELECTOR} unless a message's {@code
   *     BIMI-Selector} header names another)
   * @param deadline when to give up
   * @return a future that always completes with a report, by the deadline
   * @throws IllegalArgumentException if {@code selector} is not a valid DNS label sequence
   */
  public CompletableFuture<BimiReport> checkAsync(
      DomainName domain, String selector, Deadline deadline) {
    requireNonNull(domain, "domain");
    requireNonNull(selector, "selector");
    requireNonNull(deadline, "deadline");
    String sel = selector.toLowerCase(Locale.ROOT);
    if (!DomainName.isValid(sel + ".x")) {
      throw new IllegalArgumentException(
          "invalid BIMI selector \""
              + selector
              + "\": letters, digits, '-' and dots between labels only");
    }
    String name = sel + "._bimi." + domain.ascii();
    CompletableFuture<BimiReport> work =
        dns.query(name, Type.TXT, deadline.withMargin(Duration.ofMillis(100)))
            .thenApply(a -> evaluate(domain, sel, name, a));
    return dns.environment()
        .within(
            work,
            deadline,
            () -> failed(domain, sel, name, DnsOutcome.TIMEOUT, "no answer before the deadline"));
  }

  private static BimiReport failed(
      DomainName domain, String selector, String name, DnsOutcome outcome, String detail) {
    return new BimiReport(
        CHECK,
        domain,
        selector,
        outcome,
        List.of(),
        null,
        null,
        false,
        List.of(
            Finding.inconclusive(
                    BimiReport.Code.BIMI_LOOKUP_FAILED,
                    CHECK,
                    "The BIMI record " + name + " could not be looked up: " + detail + ".")
                .evidence("name", name)
                .evidence("outcome", outcome)
                .rfc(REF)
                .build()));
  }

  static BimiReport evaluate(DomainName domain, String selector, String name, DnsAnswer a) {
    if (!a.outcome().isDefinite()) {
      return failed(domain, selector, name, a.outcome(), a.describe());
    }
    List<String> records = new ArrayList<>();
    for (String t : Text.txt(a)) {
      if (Text.startsWithIgnoreCase(TagList.strip(t), "v=BIMI")) {
        records.add(t);
      }
    }
    List<Finding> findings = new ArrayList<>();
    if (records.isEmpty()) {
      findings.add(
          Finding.info(
                  BimiReport.Code.BIMI_NONE,
                  CHECK,
                  domain
                      + " publishes no BIMI record ("
                      + name
                      + "); mailbox providers show no brand logo.")
              .evidence("name", name)
              .evidence("outcome", a.outcome())
              .rfc(REF)
              .build());
      return new BimiReport(
          CHECK, domain, selector, a.outcome(), records, null, null, false, findings);
    }
    if (records.size() > 1) {
      findings.add(
          Finding.warning(
                  BimiReport.Code.BIMI_MULTIPLE,
                  CHECK,
                  name
                      + " has "
                      + records.size()
                      + " BIMI records; with more than one, none is used.")
              .evidence("name", name)
              .evidence(
                  "records", String.join(" | ", records.stream().map(Text::printable).toList()))
              .rfc(REF)
              .build());
      return new BimiReport(
          CHECK, domain, selector, a.outcome(), records, null, null, false, findings);
    }
    return record(domain, selector, name, a, records, findings);
  }

  /** The one BIMI record: its syntax, a declined logo, the l= and a= locations (https URIs). */
  private static BimiReport record(
      DomainName domain,
      String selector,
      String name,
      DnsAnswer a,
      List<String> records,
      List<Finding> findings) {
    String record = records.get(0);
    TagList tags = TagList.parse(TagList.strip(record));
    List<String> problems = problems(tags);
    String l = tags.get("l");
    String au = tags.get("a");
    if (!problems.isEmpty()) {
      findings.add(
          Finding.warning(
                  BimiReport.Code.BIMI_SYNTAX,
                  CHECK,
                  "The BIMI record of "
                      + domain
                      + " is malformed ("
                      + Text.list(problems, "; ")
                      + "); mailbox providers ignore it.")
              .evidence("name", name)
              .evidence("record", Text.printable(record))
              .evidence("problems", Text.list(problems, "; "))
              .rfc(REF)
              .build());
    }
    boolean declined = l != null && l.isEmpty() && (au == null || au.isEmpty());
    if (declined) {
      findings.add(
          Finding.info(
                  BimiReport.Code.BIMI_DECLINED,
                  CHECK,
                  domain + " declines to publish a brand logo (empty l=).")
              .evidence("name", name)
              .evidence("record", Text.printable(record))
              .rfc(REF)
              .build());
      return new BimiReport(
          CHECK, domain, selector, a.outcome(), records, null, null, true, findings);
    }
    boolean ok = problems.isEmpty();
    ok &= location(domain, name, record, l, findings);
    ok &= authority(domain, name, record, au, findings);
    if (ok) {
      findings.add(
          Finding.info(
                  BimiReport.Code.BIMI_OK,
                  CHECK,
                  domain
                      + " publishes a BIMI logo at "
                      + l
                      + (au == null || au.isEmpty() ? "" : " with a mark " + "certificate at " + au)
                      + ". Providers show it only for mail that passes DMARC under an enforcing policy.")
              .evidence("name", name)
              .evidence("l", l)
              .evidence("a", au)
              .rfc(REF)
              .build());
    }
    return new BimiReport(
        CHECK,
        domain,
        selector,
        a.outcome(),
        records,
        l == null || l.isEmpty() ? null : l,
        au == null || au.isEmpty() ? null : au,
        false,
        findings);
  }

  /** The logo location l=: present and an https URI; false if not usable. */
  private static boolean location(
      DomainName domain, String name, String record, @Nullable String l, List<Finding> findings) {
    boolean ok = true;
    if (l == null || l.isEmpty()) {
      ok = false;
      findings.add(
          Finding.warning(
                  BimiReport.Code.BIMI_LOCATION_MISSING,
                  CHECK,
                  "The BIMI record of " + domain + " has no logo location (l=).")
              .evidence("name", name)
              .evidence("record", Text.printable(record))
              .rfc(REF)
              .build());
    } else {
      String p = httpsProblem(l);
      if (p != null) {
        ok = false;
        findings.add(
            Finding.warning(
                    BimiReport.Code.BIMI_LOCATION_NOT_HTTPS,
                    CHECK,
                    "The BIMI logo location of "
                        + domain
                        + " is not a usable https URI ("
                        + p
                        + "): "
                        + Text.printable(l)
                        + ".")
                .evidence("name", name)
                .evidence("l", Text.printable(l))
                .rfc(REF)
                .build());
      }
    }
    return ok;
  }

  /** The mark certificate location a=: absent is a note; if given, an https URI. */
  private static boolean authority(
      DomainName domain, String name, String record, @Nullable String au, List<Finding> findings) {
    boolean ok = true;
    if (au == null || au.isEmpty()) {
      findings.add(
          Finding.info(
                  BimiReport.Code.BIMI_NO_AUTHORITY,
                  CHECK,
                  "The BIMI record of "
                      + domain
                      + " names no mark certificate (a=); Gmail and "
                      + "Apple Mail show a logo only with a Verified or Common Mark Certificate.")
              .evidence("name", name)
              .evidence("record", Text.printable(record))
              .rfc(REF)
              .build());
    } else {
      String p = httpsProblem(au);
      if (p != null) {
        ok = false;
        findings.add(
            Finding.warning(
                    BimiReport.Code.BIMI_AUTHORITY_NOT_HTTPS,
                    CHECK,
                    "The BIMI certificate location of "
                        + domain
                        + " is not a usable https URI ("
                        + p
                        + "): "
                        + Text.printable(au)
                        + ".")
                .evidence("name", name)
                .evidence("a", Text.printable(au))
                .rfc(REF)
                .build());
      }
    }
    return ok;
  }

  /** What is wrong with the tag-list itself: its version tag, duplicates, an unknown avp=. */
  private static List<String> problems(TagList tags) {
    List<String> problems = new ArrayList<>(tags.problems);
    if (tags.tags.isEmpty()
        || !tags.tags.get(0).name().equals("v")
        || !tags.tags.get(0).value().equals("BIMI1")) {
      problems.add("the record must begin with \"" + VERSION + "\"");
    }
    for (String dup : tags.duplicates()) {
      problems.add("tag \"" + dup + "\" occurs more than once");
    }
    String avp = tags.get("avp");
    if (avp != null && !avp.equals("brand") && !avp.equals("personal")) {
      problems.add("avp must be \"brand\" or \"personal\", was \"" + Text.printable(avp) + "\"");
    }
    return problems;
  }

  private static @Nullable String httpsProblem(String uri) {
    if (uri.indexOf(',') >= 0) {
      return "a list of URIs; one is expected";
    }
    if (!Text.startsWithIgnoreCase(uri, "https://")) {
      return "the scheme must be https";
    }
    try {
      URI u = new URI(uri);
      if (u.getHost() == null || !DomainName.isValid(u.getHost())) {
        return "no valid host";
      }
      return null;
    } catch (URISyntaxException e) {
      return "not a valid URI: " + e.getReason();
    }
  }

  /**
   * Does nothing: a resolver owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
