package dev.maildx.benchmarks;

import dev.maildx.bounce.BounceParser;
import dev.maildx.report.BounceReport;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Bounce throughput over every message of {@code sisimai-set-of-emails/maildir/bsd}, held in
 * memory, single thread, warm: one operation is one message (scores are messages per second).
 *
 * <ul>
 *   <li>{@code classify}: {@link BounceParser#parse(byte[], String)}, MIME to classified report;
 *   <li>{@code jakartaMailParse}: the baseline, merely parsing the same messages with Jakarta Mail
 *       (Angus): {@code new MimeMessage(session, in)}, then every part's content walked (multiparts
 *       recursively, text parts decoded to strings, nested messages parsed) — what a bounce parser
 *       built on Jakarta Mail must do at least before it can classify anything.
 * </ul>
 *
 * The corpus is read from {@code -Dmaildx.corpora} (default {@code ../shared/corpora}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class BounceBenchmark {
  private List<byte[]> messages;
  private BounceParser parser;
  private Session session;
  private int next;

  /** Loads the corpus into memory. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    messages = load();
    parser = BounceParser.create();
    session = Session.getInstance(new Properties());
  }

  static List<byte[]> load() throws IOException {
    Path dir =
        Path.of(
            System.getProperty("maildx.corpora", "../shared/corpora"),
            "sisimai-set-of-emails",
            "maildir",
            "bsd");
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        out.add(Files.readAllBytes(p));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no messages in " + dir.toAbsolutePath());
    }
    return out;
  }

  private byte[] nextMessage() {
    byte[] m = messages.get(next);
    next = next + 1 == messages.size() ? 0 : next + 1;
    return m;
  }

  /**
   * Parses and classifies one message.
   *
   * @return the report
   */
  @Benchmark
  public BounceReport classify() {
    return parser.parse(nextMessage(), "bench");
  }

  /**
   * Parses one message with Jakarta Mail and walks its content.
   *
   * @param bh sink
   * @throws Exception never expected
   */
  @Benchmark
  public void jakartaMailParse(Blackhole bh) throws Exception {
    MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(nextMessage()));
    walk(m, bh, 0);
  }

  static void walk(Part p, Blackhole bh, int depth) throws MessagingException, IOException {
    bh.consume(p.getContentType());
    Object c;
    try {
      c = p.getContent();
    } catch (IOException | MessagingException | RuntimeException e) {
      bh.consume(e);
      return;
    }
    if (c instanceof Multipart && depth < 8) {
      Multipart mp = (Multipart) c;
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart b = mp.getBodyPart(i);
        walk(b, bh, depth + 1);
      }
    } else if (c instanceof Part && depth < 8) {
      walk((Part) c, bh, depth + 1);
    } else if (c instanceof InputStream) {
      bh.consume(((InputStream) c).readAllBytes());
    } else {
      bh.consume(c);
    }
  }

  /**
   * Plain timing for the side-by-side comparison with Sisimai ({@code
   * benchmarks/bounce-vs-sisimai}): warms up, then parses the corpus {@code rounds} times and
   * prints messages per second.
   *
   * @param args rounds (default 20)
   * @throws IOException if the corpus cannot be read
   */
  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<byte[]> msgs = load();
    BounceParser p = BounceParser.create();
    long sink = 0;
    for (int w = 0; w < 10; w++) {
      for (byte[] m : msgs) {
        sink += p.parse(m, "w").recipients().size();
      }
    }
    long t0 = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      for (byte[] m : msgs) {
        sink += p.parse(m, "r").recipients().size();
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    int perPass = 0;
    for (byte[] m : msgs) {
      perPass += p.parse(m, "c").recipients().size();
    }
    System.out.printf(
        "maildx: %d messages x %d rounds in %.2f s = %.0f messages/s (%d recipients per pass)%n",
        msgs.size(), rounds, secs, msgs.size() * rounds / secs, perPass);
    if (sink < 0) {
      throw new UncheckedIOException(new IOException("unreachable"));
    }
  }
}
