package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.TlsRptReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Type;

/**
 * Checks a domain's SMTP TLS Reporting record (RFC 8460 §3): {@code _smtp._tls.<domain>} TXT,
 * {@code v=TLSRPTv1; rua=<uri>[,<uri>]}, where senders report failed TLS connections to the
 * domain's MX hosts (failures that MTA-STS or DANE turned into undelivered mail).
 *
 * <p>Findings (check {@code tls-rpt}): {@link TlsRptReport.Code}; reporting never affects delivery,
 * so none changes the verdict except a failed lookup.
 *
 * <p>Thread-safe; share one instance.
 */
public final class TlsRptResolver implements AutoCloseable {
  static final String CHECK = TlsRptReport.CHECK;
  private static final String RFC = "RFC 8460 §3";
  private static final String VERSION = "v=TLSRPTv1";

  private final DnsClient dns;

  private TlsRptResolver(DnsClient dns) {
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
  public static TlsRptResolver create(MailDiagnostics maildx) {
    return create(DnsClient.of(CheckEnvironment.of(maildx)));
  }

  static TlsRptResolver create(DnsClient dns) {
    return new TlsRptResolver(dns);
  }

  /**
   * Checks a domain's TLS-RPT record, blocking up to the configured timeout.
   *
   * @param domain the domain, Unicode or ASCII
   * @return the report
   * @throws IllegalArgumentException if {@code domain} is not a valid domain name
   */
  public TlsRptReport check(String domain) {
    DomainName d = DomainName.of(domain);
    return checkAsync(d, Deadline.after(dns.environment().config().timeout())).join();
  }

  /**
   * Checks a domain's TLS-RPT record.
   *
   * @param domain the domain
   * @param deadline when to give up
   * @return a future that always completes with a report, by the deadline
   */
  public CompletableFuture<TlsRptReport> checkAsync(DomainName domain, Deadline deadline) {
    requireNonNull(domain, "domain");
    requireNonNull(deadline, "deadline");
    String name = "_smtp._tls." + domain.ascii();
    CompletableFuture<TlsRptReport> work =
        dns.query(name, Type.TXT, deadline.withMargin(Duration.ofMillis(100)))
            .thenApply(a -> evaluate(domain, name, a));
    return dns.environment()
        .within(
            work,
            deadline,
            () -> failed(domain, name, DnsOutcome.TIMEOUT, "no answer before the deadline"));
  }

  private static TlsRptReport failed(
      DomainName domain, String name, DnsOutcome outcome, String detail) {
    return new TlsRptReport(
        CHECK,
        domain,
        outcome,
        List.of(),
        List.of(),
        List.of(
            Finding.inconclusive(
                    TlsRptReport.Code.TLSRPT_LOOKUP_FAILED,
                    CHECK,
                    "The TLS-RPT record " + name + " could not be looked up: " + detail + ".")
                .evidence("name", name)
                .evidence("outcome", outcome)
                .rfc(RFC)
                .build()));
  }

  static TlsRptReport evaluate(DomainName domain, String name, DnsAnswer a) {
    if (!a.outcome().isDefinite()) {
      return failed(domain, name, a.outcome(), a.describe());
    }
    List<String> records = new ArrayList<>();
    for (String t : Text.txt(a)) {
      if (Text.startsWithIgnoreCase(TagList.strip(t), VERSION)) {
        records.add(t);
      }
    }
    List<Finding> findings = new ArrayList<>();
    if (records.isEmpty()) {
      findings.add(
          Finding.info(
                  TlsRptReport.Code.TLSRPT_NONE,
                  CHECK,
                  domain
                      + " publishes no TLS-RPT record ("
                      + name
                      + "): senders cannot report TLS failures to it, so MTA-STS or DANE problems go unnoticed.")
              .evidence("name", name)
              .evidence("outcome", a.outcome())
              .rfc(RFC)
              .build());
      return new TlsRptReport(CHECK, domain, a.outcome(), records, List.of(), findings);
    }
    if (records.size() > 1) {
      findings.add(
          Finding.warning(
                  TlsRptReport.Code.TLSRPT_MULTIPLE,
                  CHECK,
                  name
                      + " has "
                      + records.size()
                      + " TLS-RPT records; senders ignore them "
                      + "all when there is not exactly one.")
              .evidence("name", name)
              .evidence(
                  "records", String.join(" | ", records.stream().map(Text::printable).toList()))
              .rfc(RFC)
              .build());
      return new TlsRptReport(CHECK, domain, a.outcome(), records, List.of(), findings);
    }
    String record = records.get(0);
    Fields f = fields(record);
    fieldFindings(domain, name, record, f, findings);
    return new TlsRptReport(
        CHECK, domain, a.outcome(), records, f.problems.isEmpty() ? f.rua : List.of(), findings);
  }

  /** The fields of the one record (RFC 8460 §3): what is wrong with it, the rua URIs. */
  private static final class Fields {
    final List<String> problems = new ArrayList<>();
    final List<String> rua = new ArrayList<>();
    final List<String> badUris = new ArrayList<>();
    boolean hasRua;
  }

  private static Fields fields(String record) {
    Fields f = new Fields();
    List<String> problems = f.problems;
    List<String> rua = f.rua;
    String stripped = TagList.strip(record);
    if (!stripped.startsWith(VERSION + ";") && !stripped.equals(VERSION)) {
      problems.add("the record must begin with exactly \"" + VERSION + ";\"");
    }
    TagList tags = TagList.parse(stripped);
    problems.addAll(tags.problems);
    if (!tags.tags.isEmpty() && !tags.tags.get(0).name().equals("v")) {
      problems.add("the first field must be v");
    }
    for (String dup : tags.duplicates()) {
      problems.add("field \"" + dup + "\" occurs more than once");
    }
    List<String> badUris = f.badUris;
    for (TagList.Tag t : tags.tags) {
      if (t.name().equals("v")) {
        continue;
      }
      if (t.name().equals("rua")) {
        if (f.hasRua) {
          continue;
        }
        f.hasRua = true;
        for (String u : t.value().split(",", -1)) {
          String uri = TagList.strip(u);
          String problem = uriProblem(uri);
          if (problem == null) {
            rua.add(uri);
          } else {
            badUris.add(Text.printable(uri) + " (" + problem + ")");
          }
        }
      } else if (!TagList.validExtensionName(t.name()) || !TagList.validExtensionValue(t.value())) {
        problems.add(
            "field \""
                + Text.printable(t.name() + "=" + t.value())
                + "\" is not a valid extension");
      }
    }
    return f;
  }

  private static void fieldFindings(
      DomainName domain, String name, String record, Fields f, List<Finding> findings) {
    List<String> problems = f.problems;
    List<String> rua = f.rua;
    List<String> badUris = f.badUris;
    boolean hasRua = f.hasRua;
    if (!problems.isEmpty()) {
      findings.add(
          Finding.warning(
                  TlsRptReport.Code.TLSRPT_SYNTAX,
                  CHECK,
                  "The TLS-RPT record of "
                      + domain
                      + " is malformed ("
                      + Text.list(problems, "; ")
                      + "); senders ignore it.")
              .evidence("name", name)
              .evidence("record", Text.printable(record))
              .evidence("problems", Text.list(problems, "; "))
              .rfc(RFC)
              .build());
    }
    if (!hasRua) {
      findings.add(
          Finding.warning(
                  TlsRptReport.Code.TLSRPT_NO_RUA,
                  CHECK,
                  "The TLS-RPT record of "
                      + domain
                      + " has no rua field, so senders have nowhere "
                      + "to send reports.")
              .evidence("name", name)
              .evidence("record", Text.printable(record))
              .rfc(RFC)
              .build());
    }
    if (!badUris.isEmpty()) {
      findings.add(
          Finding.warning(
                  TlsRptReport.Code.TLSRPT_BAD_URI,
                  CHECK,
                  "The TLS-RPT record of "
                      + domain
                      + " names reporting URIs senders cannot use: "
                      + Text.list(badUris, ", ")
                      + ". Only mailto: and https: URIs are defined.")
              .evidence("name", name)
              .evidence("uris", Text.list(badUris, ", "))
              .rfc(RFC)
              .build());
    }
    if (problems.isEmpty() && hasRua && !rua.isEmpty()) {
      findings.add(
          Finding.info(
                  TlsRptReport.Code.TLSRPT_OK,
                  CHECK,
                  domain + " asks for TLS reports at " + Text.list(rua, ", ") + ".")
              .evidence("name", name)
              .evidence("record", Text.printable(record))
              .evidence("rua", Text.list(rua, ", "))
              .rfc(RFC)
              .build());
    }
  }

  /** Why a reporting URI is unusable, or null if it is a valid mailto: or https: URI. */
  static @Nullable String uriProblem(String uri) {
    if (uri.isEmpty()) {
      return "empty";
    }
    if (Text.startsWithIgnoreCase(uri, "mailto:")) {
      String rest = uri.substring("mailto:".length());
      int q = rest.indexOf('?');
      String addr = q >= 0 ? rest.substring(0, q) : rest;
      try {
        addr = URLDecoder.decode(addr.replace("+", "%2B"), StandardCharsets.UTF_8);
        EmailAddress.parse(addr);
        return null;
      } catch (IllegalArgumentException e) {
        return "not a valid mail address: " + e.getMessage();
      }
    }
    if (Text.startsWithIgnoreCase(uri, "https:")) {
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
    int colon = uri.indexOf(':');
    return colon > 0
        ? "scheme \"" + Text.printable(uri.substring(0, colon)) + "\" is not mailto or https"
        : "not a URI";
  }

  /**
   * Does nothing: a resolver owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
