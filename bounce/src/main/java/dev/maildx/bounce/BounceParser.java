package dev.maildx.bounce;

import static java.util.Objects.requireNonNull;

import dev.maildx.Finding;
import dev.maildx.MailDiagnostics;
import dev.maildx.bounce.internal.Analyzer;
import dev.maildx.bounce.internal.Mime;
import dev.maildx.report.BounceReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Parses and classifies the delivery notices a sender receives: RFC 3464 delivery status
 * notifications ({@code multipart/report; report-type=delivery-status}), RFC 6533 {@code
 * message/global-delivery-status}, the non-standard notices of Postfix, Sendmail, Exim, qmail,
 * Exchange and Microsoft 365, Gmail, Yahoo, Amazon SES and others (recognised by their structure
 * and wording), RFC 5965 feedback reports, RFC 3834 automatic replies and positive delivery
 * notifications; everything else is {@link BounceReport.Kind#NOT_BOUNCE}.
 *
 * <p>Input may be one message (a file, bytes in memory or an {@link InputStream}), a Maildir, a
 * directory of message files, or an mbox file, which is streamed message by message: memory use is
 * bounded by the largest message, not the file. CRLF, LF and CR line endings, any charset and
 * transfer encoding are read. A message an application already holds as a Jakarta Mail {@code
 * MimeMessage} (or any {@code jakarta.mail.Part}), for example one read over IMAP, is classified by
 * {@link JakartaMailBounces#parse(BounceParser, jakarta.mail.Part)} without being serialized by the
 * caller; Jakarta Mail is an optional dependency, and this class names none of its types, so it
 * loads, compiles against and reflects without it.
 *
 * <p>Every read is bounded: a message is read up to {@link #MAX_MESSAGE_BYTES}, at most 256 MIME
 * parts and 8 levels deep, header fields up to 64 KiB. A message that exceeds a bound, or is
 * malformed, still gives a report whose findings say what was cut; a file that cannot be read gives
 * a report with a {@code BOUNCE_READ_FAILED} finding. Nothing here throws for bad data.
 *
 * <p>Findings (check {@code bounce}): {@code BOUNCE_HARD} (error, undeliverable: the address itself
 * failed permanently), {@code BOUNCE_FAILED} (error, at risk: a permanent failure for another
 * reason), {@code BOUNCE_DELAYED} (warning, at risk: still being retried), {@code
 * BOUNCE_DELIVERED}, {@code BOUNCE_RECIPIENT_RELAYED}, {@code BOUNCE_RECIPIENT_EXPANDED}, {@code
 * BOUNCE_AUTOREPLY}, {@code BOUNCE_FEEDBACK_RECIPIENT} (info), {@code BOUNCE_FEEDBACK_REPORT}
 * (warning), {@code BOUNCE_NO_RECIPIENT}, {@code BOUNCE_MIME_LIMIT}, {@code BOUNCE_INPUT_TRUNCATED}
 * (warning), {@code BOUNCE_READ_FAILED} (inconclusive).
 *
 * <p>Immutable and thread-safe; share one instance.
 *
 * <pre>{@code
 * BounceParser parser = BounceParser.create();
 * BounceReport r = parser.parse(Path.of("bounce.eml"));
 * r.kind();                          // BOUNCE, DELAY, ...
 * r.recipients().get(0).reason();    // e.g. USER_UNKNOWN
 * }</pre>
 */
public final class BounceParser implements AutoCloseable {
  /** The most bytes of one message that are read: 32 MiB; the rest is ignored and reported. */
  public static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

  private final int maxMessageBytes;
  private final @Nullable CheckEnvironment env;

  private BounceParser(int maxMessageBytes, @Nullable CheckEnvironment env) {
    this.maxMessageBytes = maxMessageBytes;
    this.env = env;
  }

  /**
   * A parser with the default limits that starts no threads: its {@link #parseAsync} runs on the
   * calling thread and returns a completed future.
   *
   * @return a parser
   */
  public static BounceParser create() {
    return new BounceParser(MAX_MESSAGE_BYTES, null);
  }

  /**
   * A parser whose asynchronous calls run on the executor of a {@code MailDiagnostics} under their
   * deadline; it starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the parser is used,
   *     and closing the parser leaves it open
   * @return a parser
   */
  public static BounceParser create(MailDiagnostics maildx) {
    return create(CheckEnvironment.of(maildx));
  }

  static BounceParser create(CheckEnvironment env) {
    return new BounceParser(MAX_MESSAGE_BYTES, env);
  }

  /**
   * A parser that reads at most {@code maxBytes} of each message.
   *
   * @param maxBytes at least 1024
   * @return a new parser sharing this one's environment
   */
  public BounceParser withMaxMessageBytes(int maxBytes) {
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxMessageBytes must be at least 1024, was " + maxBytes);
    }
    return new BounceParser(maxBytes, env);
  }

  /**
   * Parses one message file.
   *
   * @param file a file holding one RFC 5322 message
   * @return the report; a file that cannot be read gives a report with a {@code BOUNCE_READ_FAILED}
   *     finding
   */
  public BounceReport parse(Path file) {
    requireNonNull(file, "file");
    return parse(file.toString(), () -> Files.newInputStream(file));
  }

  private BounceReport parse(String source, Callable<InputStream> open) {
    try (InputStream in = open.call()) {
      return parse(in, source);
    } catch (Exception e) {
      return unreadable(source, e);
    }
  }

  /**
   * Parses one message from a stream (read up to the size limit; not closed).
   *
   * @param in the message bytes
   * @param source a name for the report, such as the file name
   * @return the report
   */
  public BounceReport parse(InputStream in, String source) {
    requireNonNull(in, "in");
    requireNonNull(source, "source");
    try {
      byte[] buf = new byte[Math.min(maxMessageBytes, 64 * 1024)];
      int len = 0;
      boolean truncated = false;
      while (true) {
        if (len == buf.length) {
          if (len >= maxMessageBytes) {
            truncated = in.read() >= 0;
            break;
          }
          buf = Arrays.copyOf(buf, (int) Math.min(maxMessageBytes, (long) buf.length * 2));
        }
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          break;
        }
        len += n;
      }
      return parse(buf, len, source, truncated);
    } catch (IOException e) {
      return unreadable(source, e);
    }
  }

  /**
   * Parses one message held in memory.
   *
   * @param message the message bytes
   * @param source a name for the report
   * @return the report
   */
  public BounceReport parse(byte[] message, String source) {
    requireNonNull(message, "message");
    requireNonNull(source, "source");
    int len = Math.min(message.length, maxMessageBytes);
    return parse(message, len, source, message.length > len);
  }

  int maxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * Parses the first {@code len} bytes of {@code buf}; {@code truncated} if the message went on.
   */
  BounceReport parse(byte[] buf, int len, String source, boolean truncated) {
    List<String> problems = new ArrayList<>();
    if (truncated) {
      problems.add(
          "it is larger than "
              + maxMessageBytes
              + " bytes; only the first "
              + maxMessageBytes
              + " were read");
    }
    try {
      return Analyzer.analyze(Mime.normalize(buf, len), source, problems);
    } catch (RuntimeException | StackOverflowError e) {
      // A bug, not bad data; still a report, never an exception.
      return unreadable(source, e);
    }
  }

  /**
   * Parses one message file asynchronously on the configured executor.
   *
   * @param file the message file
   * @param deadline when to give up; then the report says the check did not finish
   * @return a future that always completes with a report
   */
  public CompletableFuture<BounceReport> parseAsync(Path file, Deadline deadline) {
    requireNonNull(file, "file");
    return parseAsync(file.toString(), () -> Files.newInputStream(file), deadline);
  }

  /**
   * Parses the message {@code open} opens (a file, or bytes a question holds) as {@link
   * #parseAsync(Path, Deadline)} does.
   */
  CompletableFuture<BounceReport> parseAsync(
      String source, Callable<InputStream> open, Deadline deadline) {
    requireNonNull(deadline, "deadline");
    if (env == null) {
      return CompletableFuture.completedFuture(parse(source, open));
    }
    CompletableFuture<BounceReport> work =
        CompletableFuture.supplyAsync(() -> parse(source, open), env.executor());
    return env.within(
        work,
        deadline,
        () ->
            new BounceReport(
                Analyzer.CHECK,
                source,
                BounceReport.Kind.NOT_BOUNCE,
                "none",
                null,
                null,
                null,
                null,
                null,
                List.of(),
                null,
                List.of(
                    Finding.inconclusive(
                            BounceReport.Code.BOUNCE_READ_FAILED,
                            Analyzer.CHECK,
                            "The bounce " + source + " was not read before the deadline.")
                        .evidence("source", source)
                        .build())));
  }

  /**
   * Parses every message under a path, one report per message, in order: a file holding one
   * message, an mbox file (messages separated by {@code From } lines; streamed), a Maildir ({@code
   * cur/} and {@code new/}), or a directory of message files (sorted by name, not recursive beyond
   * a Maildir's folders). A batch never stops on one bad message.
   *
   * @param path a file or directory
   * @param sink receives each report as it is made
   * @throws IllegalArgumentException if the path does not exist
   */
  public void parseAll(Path path, Consumer<BounceReport> sink) {
    requireNonNull(path, "path");
    requireNonNull(sink, "sink");
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("no such file or directory: " + path);
    }
    if (Files.isDirectory(path)) {
      List<Path> files = new ArrayList<>();
      boolean maildir =
          Files.isDirectory(path.resolve("cur")) || Files.isDirectory(path.resolve("new"));
      if (maildir) {
        list(path.resolve("cur"), files);
        list(path.resolve("new"), files);
      } else {
        list(path, files);
      }
      for (Path f : files) {
        parseFileOrMbox(f, sink);
      }
      return;
    }
    parseFileOrMbox(path, sink);
  }

  /**
   * Parses every message under a path (see {@link #parseAll(Path, Consumer)}).
   *
   * @param path a file or directory
   * @return the reports, in order
   */
  public List<BounceReport> parseAll(Path path) {
    List<BounceReport> out = new ArrayList<>();
    parseAll(path, out::add);
    return out;
  }

  private static void list(Path dir, List<Path> into) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      return;
    }
    files.sort(null);
    into.addAll(files);
  }

  private void parseFileOrMbox(Path file, Consumer<BounceReport> sink) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      in.mark(8);
      byte[] head = in.readNBytes(5);
      in.reset();
      if (head.length == 5
          && new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).equals("From ")) {
        MboxReader.read(
            in,
            file.toString(),
            maxMessageBytes,
            (bytes, len, truncated, name) -> sink.accept(parse(bytes, len, name, truncated)));
      } else {
        sink.accept(parse(in, file.toString()));
      }
    } catch (IOException | RuntimeException e) {
      sink.accept(unreadable(file.toString(), e));
    }
  }

  static BounceReport unreadable(String source, Throwable e) {
    return new BounceReport(
        Analyzer.CHECK,
        source,
        BounceReport.Kind.NOT_BOUNCE,
        "none",
        null,
        null,
        null,
        null,
        null,
        List.of(),
        null,
        List.of(
            Finding.inconclusive(
                    BounceReport.Code.BOUNCE_READ_FAILED,
                    Analyzer.CHECK,
                    "The message "
                        + source
                        + " could not be read: "
                        + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())
                        + ".")
                .evidence("source", source)
                .build()));
  }

  /**
   * Does nothing: a parser owns no threads, and the runtime it may borrow stays open with its
   * {@code MailDiagnostics}.
   */
  @Override
  public void close() {}
}
