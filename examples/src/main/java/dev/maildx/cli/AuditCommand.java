package dev.maildx.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maildx.BatchOptions;
import dev.maildx.BatchProgress;
import dev.maildx.BatchSummary;
import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.render.Render;
import dev.maildx.smtp.ProbeOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maildx audit <file-of-domains>}: diagnoses every domain of a list (its recipient side and
 * its sender side, DNS only unless {@code --smtp}) with the streaming batch API: bounded
 * concurrency, at most two diagnoses at a time per domain, the file read as the batch goes, one
 * result per line written as each completes. A progress bar on a terminal, a summary at the end. A
 * line that is not a domain or address is reported and skipped, never stops the batch.
 *
 * <p>Exit code: 0 nothing found; 1 a domain with problems, or a line skipped; 3 nothing worse than
 * a domain that could not be checked; 2 the file cannot be read.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Audit a list of domains (one per line; an address audits its domain and the mailbox; '#' starts a comment): "
          + "every DNS check of the recipient and the sender side, one JSON line per domain.",
      "Bad lines are reported and skipped. A progress bar on a terminal, a summary at the end."
    })
final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The domains, one per line ('-' for standard input).")
  String file;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Write the results to FILE: JSON Lines (one diagnosis per line, as diagnose --json), or CSV if FILE ends in .csv. "
              + "Default: JSON Lines on standard output.")
  @Nullable Path out;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "16",
      description = "Diagnose N domains at once (default: ${DEFAULT-VALUE}).")
  int concurrency = 16;

  @Option(
      names = "--smtp",
      description =
          "Also probe each domain's mail servers over SMTP (port 25; slow, and often blocked where you are).")
  boolean smtp;

  @Option(
      names = "--smtp-port",
      paramLabel = "N",
      description = "With --smtp: probe this port (for tests; also allows loopback addresses).")
  @Nullable Integer smtpPort;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Override
  public Integer call() throws IOException {
    if (concurrency < 1 || concurrency > 1024) {
      throw new IllegalArgumentException(
          "--concurrency must be between 1 and 1024, was " + concurrency);
    }
    boolean stdin = file.equals("-");
    Path input = stdin ? null : Path.of(file);
    if (input != null && !Files.isReadable(input)) {
      throw new IllegalArgumentException("no such readable file: " + file);
    }
    PrintWriter err = spec.commandLine().getErr();
    boolean csv =
        out != null && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    long total = input == null ? -1 : countEntries(input);
    @SuppressWarnings(
        "SystemConsoleNull") // --release 17 has no Console.isTerminal(); see the CHANGELOG
    boolean bar = System.console() != null;
    Counts counts = new Counts();
    MailDiagnostics.Builder b = MailDiagnostics.builder().config(network.config().build());
    if (smtpPort != null) {
      b.options(ProbeOptions.builder().allowNonPublicAddresses(true).build());
    }
    try (BufferedReader in = reader(stdin ? System.in : Files.newInputStream(input));
        Writer w = out == null ? null : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        MailDiagnostics maildx = b.build()) {
      PrintWriter results = w == null ? spec.commandLine().getOut() : new PrintWriter(w);
      if (csv) {
        results.println(
            "line,input,verdict,causes,first_party,errors,warnings,inconclusive,elapsed_ms");
      }
      Lines lines = new Lines(in, err, results, csv, this::question);
      Progress progress = new Progress(err, bar, total);
      BatchOptions options =
          BatchOptions.builder().concurrency(concurrency).progress(progress::update).build();
      BatchSummary s =
          maildx
              .diagnoseEach(
                  lines,
                  options,
                  (q, d) -> {
                    counts.add(d);
                    String line =
                        csv ? csvLine(lines.lineOf(q), q, d) : jsonLine(lines.lineOf(q), q, d);
                    synchronized (results) {
                      results.println(line);
                    }
                  })
              .join();
      progress.done();
      results.flush();
      summary(out == null ? err : spec.commandLine().getOut(), s, counts, lines.skipped.get());
      if (lines.skipped.get() > 0
          || counts.worst() == Verdict.AT_RISK
          || counts.worst() == Verdict.UNDELIVERABLE
          || counts.errors.get() > 0) {
        return Main.PROBLEMS;
      }
      return counts.worst() == Verdict.INCONCLUSIVE ? Main.INCONCLUSIVE : Main.OK;
    } catch (java.util.concurrent.CompletionException | UncheckedIOException e) {
      Throwable c =
          e instanceof java.util.concurrent.CompletionException && e.getCause() != null
              ? e.getCause()
              : e;
      if (c instanceof UncheckedIOException && c.getCause() != null) {
        c = c.getCause();
      }
      throw new IllegalArgumentException(
          "cannot read " + file + (out == null ? "" : " or write " + out) + ": " + c.getMessage());
    }
  }

  /**
   * UTF-8, with malformed bytes replaced (the line holding them is then reported as not a domain,
   * and the rest is read).
   */
  static BufferedReader reader(java.io.InputStream in) {
    return new BufferedReader(
        new InputStreamReader(
            in,
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)));
  }

  /**
   * The question for one entry: the recipient side of the domain (or address) and the sender side
   * of its domain.
   */
  private DeliveryQuestion question(String entry) {
    DeliveryQuestion.Builder q = DeliveryQuestion.builder().to(entry);
    q.from("postmaster@" + entry.substring(entry.lastIndexOf('@') + 1));
    q.smtpProbe(smtp);
    if (smtpPort != null) {
      q.smtpPort(smtpPort);
    }
    return q.build();
  }

  /**
   * Counts the lines that are not blank or comments (to size the progress bar); a file of a million
   * lines takes a moment.
   */
  private static long countEntries(Path p) throws IOException {
    long n = 0;
    try (BufferedReader r = reader(Files.newInputStream(p))) {
      String line;
      while ((line = Lines.readLine(r, new StringBuilder())) != null) {
        String x = line.strip();
        if (!x.isEmpty() && !x.startsWith("#")) {
          n++;
        }
      }
    }
    return n;
  }

  /** Verdicts, causes and problem findings, counted as results arrive. */
  static final class Counts {
    final Map<Verdict, AtomicLong> verdicts = new EnumMap<>(Verdict.class);
    final Map<String, AtomicLong> causes = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> problems = new ConcurrentHashMap<>();
    final AtomicLong errors = new AtomicLong();

    Counts() {
      for (Verdict v : Verdict.values()) {
        verdicts.put(v, new AtomicLong());
      }
    }

    void add(DeliveryDiagnosis d) {
      requireNonNull(verdicts.get(d.verdict()), "every verdict has a counter").incrementAndGet();
      d.likelyCauses()
          .forEach(
              c ->
                  causes.computeIfAbsent(c.code().name(), k -> new AtomicLong()).incrementAndGet());
      d.findings().stream()
          .filter(f -> f.severity() != Severity.INFO)
          .map(Finding::code)
          .distinct()
          .forEach(c -> problems.computeIfAbsent(c, k -> new AtomicLong()).incrementAndGet());
      if (d.findings().stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
        errors.incrementAndGet();
      }
    }

    Verdict worst() {
      Verdict v = Verdict.DELIVERABLE;
      for (Map.Entry<Verdict, AtomicLong> e : verdicts.entrySet()) {
        if (e.getValue().get() > 0) {
          v = v.and(e.getKey());
        }
      }
      return v;
    }
  }

  /**
   * The input file, read line by line as the batch asks for more; bad lines are reported and
   * skipped.
   */
  static final class Lines implements Iterator<DeliveryQuestion> {
    /** The longest line read as an entry (a domain is at most 253 characters, an address 320). */
    static final int MAX_LINE = 1024;

    private final BufferedReader in;
    private final PrintWriter err;
    private final PrintWriter results;
    private final boolean csv;
    private final java.util.function.Function<String, DeliveryQuestion> question;
    final AtomicLong skipped = new AtomicLong();

    /**
     * The input line of each question in flight, by identity (the same domain may appear twice);
     * removed when written.
     */
    private final Map<DeliveryQuestion, Long> lineOf =
        java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private @Nullable DeliveryQuestion next;
    private long line;
    private boolean done;

    Lines(
        BufferedReader in,
        PrintWriter err,
        PrintWriter results,
        boolean csv,
        java.util.function.Function<String, DeliveryQuestion> question) {
      this.in = in;
      this.err = err;
      this.results = results;
      this.csv = csv;
      this.question = question;
    }

    /**
     * Reads one line (without its end), or {@code null} at the end of the input; a line longer than
     * {@link #MAX_LINE} is read to its end and returned cut, with a NUL appended so that it is
     * reported, never kept whole.
     */
    static @Nullable String readLine(BufferedReader r, StringBuilder b) throws IOException {
      b.setLength(0);
      boolean any = false;
      boolean cut = false;
      int c;
      while ((c = r.read()) >= 0) {
        any = true;
        if (c == '\n') {
          break;
        }
        if (b.length() < MAX_LINE) {
          b.append((char) c);
        } else {
          cut = true;
        }
      }
      if (!any) {
        return null;
      }
      if (b.length() > 0 && b.charAt(b.length() - 1) == '\r') {
        b.setLength(b.length() - 1);
      }
      return cut ? b.append('\u0000').toString() : b.toString();
    }

    @Override
    public boolean hasNext() {
      StringBuilder buf = new StringBuilder();
      while (next == null && !done) {
        String text;
        try {
          text = readLine(in, buf);
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
        if (entry.endsWith("\u0000")) {
          skip(
              line,
              entry.substring(0, 60) + "...",
              "the line is longer than " + MAX_LINE + " characters");
          continue;
        }
        try {
          next = question.apply(entry);
          lineOf.put(next, line);
        } catch (IllegalArgumentException e) {
          skip(line, entry, e.getMessage());
        }
      }
      return next != null;
    }

    private void skip(long n, String entry, @Nullable String why) {
      skipped.incrementAndGet();
      String printable = printable(entry);
      err.println("maildx: line " + n + ": skipped: " + Main.oneLine(why));
      String rec;
      if (csv) {
        rec = n + "," + csvField(printable) + ",skipped," + csvField(Main.oneLine(why)) + ",,,,,";
      } else {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("line", n);
        o.put("input", printable);
        o.put("error", Main.oneLine(why));
        rec = write(o);
      }
      synchronized (results) {
        results.println(rec);
      }
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

    /** Control characters as \\uXXXX, at most 200 characters. */
    static String printable(String s) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < s.length() && b.length() < 200; i++) {
        char c = s.charAt(i);
        b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", (int) c) : String.valueOf(c));
      }
      return b.toString();
    }

    long lineOf(DeliveryQuestion q) {
      Long n = lineOf.remove(q);
      return n == null ? 0 : n;
    }
  }

  /**
   * One JSON Lines record: {@code line} and {@code input}, then the members of the diagnosis's JSON
   * object ({@code diagnose --json}), in one object.
   */
  private static String jsonLine(long line, DeliveryQuestion q, DeliveryDiagnosis d) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("line", line);
    o.put(
        "input",
        q.recipient()
            .map(Object::toString)
            .orElse(q.recipientDomain().map(x -> x.ascii()).orElse("")));
    String head = write(o);
    String diagnosis = Render.json(d);
    // Both are JSON objects, and the diagnosis has no member named line or input: join their
    // members.
    return head.substring(0, head.length() - 1) + "," + diagnosis.substring(1);
  }

  /**
   * Writes the audit's own records: the line and input of each result, and the lines it skipped. A
   * holder, so that an ObjectMapper is made only when an audit runs (picocli makes every subcommand
   * to parse any command line).
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private static String write(ObjectNode o) {
    try {
      return Json.MAPPER.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String csvLine(long line, DeliveryQuestion q, DeliveryDiagnosis d) {
    long errors = d.findings().stream().filter(f -> f.severity() == Severity.ERROR).count();
    long warnings =
        d.findings().stream()
            .filter(f -> f.severity() == Severity.WARNING && !f.inconclusive())
            .count();
    long unknown = d.findings().stream().filter(Finding::inconclusive).count();
    return line
        + ","
        + csvField(
            q.recipient()
                .map(Object::toString)
                .orElse(q.recipientDomain().map(x -> x.ascii()).orElse("")))
        + ","
        + lower(d.verdict())
        + ","
        + csvField(
            d.likelyCauses().stream().map(c -> c.code().name()).collect(Collectors.joining(" ")))
        + ","
        + (d.likelyCauses().isEmpty() ? "" : lower(d.likelyCauses().get(0).party()))
        + ","
        + errors
        + ","
        + warnings
        + ","
        + unknown
        + ","
        + d.elapsed().toMillis();
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static String csvField(String s) {
    boolean quote = s.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
    return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static void summary(PrintWriter o, BatchSummary s, Counts c, long skipped) {
    o.printf(
        Locale.ROOT,
        "Audited %d domain%s in %.1f s (%.1f domains/s)%s%n",
        s.completed(),
        s.completed() == 1 ? "" : "s",
        s.elapsed().toMillis() / 1000.0,
        s.perSecond(),
        skipped > 0 ? "; " + skipped + " line" + (skipped == 1 ? "" : "s") + " skipped" : "");
    o.println(
        "  "
            + c.verdicts.entrySet().stream()
                .map(
                    e ->
                        e.getValue().get()
                            + " "
                            + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", ")));
    top(o, "Most common causes", c.causes);
    top(o, "Most common problems", c.problems);
    o.flush();
  }

  private static void top(PrintWriter o, String title, Map<String, AtomicLong> m) {
    if (m.isEmpty()) {
      return;
    }
    o.println("  " + title + ":");
    m.entrySet().stream()
        .sorted(
            (a, b) ->
                Long.compare(b.getValue().get(), a.getValue().get()) != 0
                    ? Long.compare(b.getValue().get(), a.getValue().get())
                    : a.getKey().compareTo(b.getKey()))
        .limit(8)
        .forEach(e -> o.printf(Locale.ROOT, "    %6d  %s%n", e.getValue().get(), e.getKey()));
  }

  /** A progress bar on standard error, redrawn at most ten times a second, only on a terminal. */
  static final class Progress {
    private final PrintWriter err;
    private final boolean on;
    private final long total;
    private volatile long lastDraw;

    Progress(PrintWriter err, boolean on, long total) {
      this.err = err;
      this.on = on;
      this.total = total;
    }

    void update(BatchProgress p) {
      if (!on) {
        return;
      }
      long now = System.nanoTime();
      if (now - lastDraw < 100_000_000L && (total < 0 || p.completed() < total)) {
        return;
      }
      lastDraw = now;
      synchronized (err) {
        err.print("\r" + bar(p, total) + "\u001b[K");
        err.flush();
      }
    }

    void done() {
      if (on) {
        synchronized (err) {
          err.print("\r\u001b[K");
          err.flush();
        }
      }
    }

    /** One line: bar, count, rate, time left. */
    static String bar(BatchProgress p, long total) {
      double rate = p.perSecond();
      if (total <= 0) {
        return String.format(Locale.ROOT, "%d domains  %.1f/s", p.completed(), rate);
      }
      int width = 30;
      int filled = (int) Math.min(width, p.completed() * width / Math.max(1, total));
      long left = rate > 0 ? Math.round((total - p.completed()) / rate) : -1;
      return String.format(
          Locale.ROOT,
          "[%s%s] %d/%d domains  %.1f/s%s",
          "#".repeat(filled),
          ".".repeat(width - filled),
          p.completed(),
          total,
          rate,
          left >= 0 ? "  about " + left + " s left" : "");
    }
  }
}
