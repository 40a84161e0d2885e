package dev.maildx.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maildx.BatchOptions;
import dev.maildx.BatchSummary;
import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.DiagnosticsConfig;
import dev.maildx.Finding;
import dev.maildx.LikelyCause;
import dev.maildx.MailDiagnostics;
import dev.maildx.Severity;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Audits a list of domains — can each receive mail, and is its sending setup sound — with one
 * shared {@link MailDiagnostics} and the streaming batch API ({@link
 * MailDiagnostics#diagnoseEach}): the file is read lazily, results are written as they complete
 * (JSON Lines, or CSV when the output ends in {@code .csv}), so memory stays bounded for any number
 * of domains. A line that is not a domain is reported and skipped; it never stops the batch. No
 * SMTP probe: an audit asks the DNS only.
 *
 * <p>A line is a domain or an address ({@code bob@example.com}: the address is the recipient, its
 * domain's postmaster the sender), as in {@code maildx audit}.
 *
 * <p>Run: {@code java -cp maildx-cli.jar dev.maildx.examples.AuditDomains domains.txt results.jsonl
 * [--dns HOST:PORT] [--timeout 20s]}
 */
public final class AuditDomains {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String USAGE =
      "AuditDomains <domains.txt> <results.jsonl|results.csv> [--dns HOST:PORT] [--timeout 20s]";

  private AuditDomains() {}

  /**
   * What an audit did.
   *
   * @param batch the batch summary: domains diagnosed, verdicts, elapsed
   * @param skipped lines that were not a domain
   */
  public record Result(BatchSummary batch, long skipped) {}

  /**
   * Runs the example.
   *
   * @param args the domains file, the output file, and optionally a DNS server
   * @throws IOException if the files cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    ExampleArgs a = ExampleArgs.parseOrExit(args, USAGE, 2, 2, true, Duration.ofSeconds(20));
    Path domains = Path.of(a.positional.get(0));
    // The input is checked before any network step.
    if (!Files.isRegularFile(domains) || !Files.isReadable(domains)) {
      ExampleArgs.usageExit(USAGE, domains + ": not a readable file");
    }
    DiagnosticsConfig.Builder config = DiagnosticsConfig.builder().timeout(a.timeout);
    if (a.dns != null) {
      config.dnsServer(a.dns);
    }
    Result r = audit(domains, Path.of(a.positional.get(1)), config.build(), 32, System.err);
    System.exit(
        r.skipped() > 0
                || r.batch().verdicts().keySet().stream()
                    .anyMatch(v -> v != dev.maildx.Verdict.DELIVERABLE)
            ? 1
            : 0);
  }

  /**
   * Audits every domain in {@code domains} (one per line; blank lines and {@code #} comments are
   * ignored) and writes one result per domain to {@code out}.
   *
   * @param domains the input file
   * @param out the output file: CSV if its name ends in {@code .csv}, else JSON Lines
   * @param config DNS servers and the deadline per domain
   * @param concurrency how many domains are diagnosed at once
   * @param log where skipped lines and the summary are reported
   * @return what was done
   * @throws IOException if the files cannot be read or written
   */
  public static Result audit(
      Path domains, Path out, DiagnosticsConfig config, int concurrency, PrintStream log)
      throws IOException {
    boolean csv = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    try (BufferedReader in = Files.newBufferedReader(domains, StandardCharsets.UTF_8);
        BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        MailDiagnostics maildx = MailDiagnostics.builder().config(config).build()) {
      if (csv) {
        w.write("domain,verdict,causes,first_party,errors,warnings,inconclusive,elapsed_ms\n");
      }
      Questions questions = new Questions(in, log);
      BatchSummary s =
          maildx
              .diagnoseEach(
                  questions,
                  BatchOptions.builder().concurrency(concurrency).build(),
                  (q, d) -> {
                    String line = csv ? csvLine(d) : jsonLine(d);
                    synchronized (w) {
                      try {
                        w.write(line);
                        w.write('\n');
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    }
                  })
              .join();
      log.printf(
          Locale.ROOT,
          "audited %d domains in %.1f s (%.1f domains/s): %s; %d lines skipped%n",
          s.completed(),
          s.elapsed().toMillis() / 1000.0,
          s.perSecond(),
          s.verdicts(),
          questions.skipped.get());
      return new Result(s, questions.skipped.get());
    }
  }

  /**
   * The input, read one line at a time as the batch asks for more; bad lines are reported and
   * skipped.
   */
  private static final class Questions implements Iterator<DeliveryQuestion> {
    private final BufferedReader in;
    private final PrintStream log;
    private final AtomicLong skipped = new AtomicLong();
    private @Nullable DeliveryQuestion next;
    private long line;
    private boolean done;

    Questions(BufferedReader in, PrintStream log) {
      this.in = in;
      this.log = log;
    }

    @Override
    public boolean hasNext() {
      while (next == null && !done) {
        String text;
        try {
          text = in.readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (text == null) {
          done = true;
          break;
        }
        line++;
        String entry = text.strip();
        if (entry.isEmpty() || entry.startsWith("#")) {
          continue;
        }
        try {
          // The recipient side (MX, MTA-STS, TLS-RPT, DNSSEC, DANE) and the sender side (SPF,
          // DMARC, DKIM, BIMI) of the domain.
          // An address line audits that mailbox; the sender side is its domain's either way.
          next =
              DeliveryQuestion.builder()
                  .to(entry)
                  .from("postmaster@" + entry.substring(entry.lastIndexOf('@') + 1))
                  .smtpProbe(false)
                  .build();
        } catch (IllegalArgumentException e) {
          skipped.incrementAndGet();
          log.println("line " + line + ": skipped: " + e.getMessage());
        }
      }
      return next != null;
    }

    @Override
    public DeliveryQuestion next() {
      if (!hasNext() || next == null) {
        throw new NoSuchElementException();
      }
      DeliveryQuestion q = next;
      next = null;
      return q;
    }
  }

  private static String jsonLine(DeliveryDiagnosis d) {
    ObjectNode o = JSON.createObjectNode();
    o.put("domain", d.question().recipientDomain().orElseThrow().ascii());
    d.question().recipient().ifPresent(to -> o.put("recipient", to.toString()));
    o.put("verdict", d.verdict().name().toLowerCase(Locale.ROOT));
    ArrayNode causes = o.putArray("causes");
    for (LikelyCause c : d.likelyCauses()) {
      causes
          .addObject()
          .put("code", c.code().name())
          .put("party", c.party().name().toLowerCase(Locale.ROOT))
          .put("summary", c.summary());
    }
    ArrayNode problems = o.putArray("problems");
    for (Finding f : d.findings()) {
      if (f.severity() != Severity.INFO) {
        problems
            .addObject()
            .put("check", f.check())
            .put("code", f.code())
            .put("message", f.message());
      }
    }
    o.put("elapsedMs", d.elapsed().toMillis());
    return o.toString();
  }

  private static String csvLine(DeliveryDiagnosis d) {
    long errors = d.findings().stream().filter(f -> f.severity() == Severity.ERROR).count();
    long warnings =
        d.findings().stream()
            .filter(f -> f.severity() == Severity.WARNING && !f.inconclusive())
            .count();
    long unknown = d.findings().stream().filter(Finding::inconclusive).count();
    return String.join(
        ",",
        csv(d.question().recipientDomain().orElseThrow().ascii()),
        d.verdict().name().toLowerCase(Locale.ROOT),
        csv(d.likelyCauses().stream().map(c -> c.code().name()).collect(Collectors.joining(" "))),
        d.likelyCauses().isEmpty()
            ? ""
            : d.likelyCauses().get(0).party().name().toLowerCase(Locale.ROOT),
        Long.toString(errors),
        Long.toString(warnings),
        Long.toString(unknown),
        Long.toString(d.elapsed().toMillis()));
  }

  /** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
  static String csv(String s) {
    boolean quote = s.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
    return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
