package dev.maildx.benchmarks;

import dev.maildx.internal.mail.HeaderField;
import dev.maildx.internal.mail.MimeEntity;
import dev.maildx.internal.mail.MimeReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
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
 * maildx's message reader ({@code dev.maildx.internal.mail}) against Apache Mime4j 0.8.15 over
 * every message of {@code sisimai-set-of-emails/maildir/bsd}, held in memory, single thread, warm;
 * one operation is one message. Each reads the same things: every header field's value (unfolded,
 * as a string), the MIME structure (multiparts, nested messages), and the text of every {@code
 * text/*} part (transfer encoding undone, charset decoded).
 *
 * <ul>
 *   <li>{@code maildx}: {@link MimeReader#parse(byte[])}, then the tree walked;
 *   <li>{@code mime4jStream}: Mime4j's {@link MimeStreamParser} (recursing into message/rfc822,
 *       content decoding on), the text read in its {@code body} callback;
 *   <li>{@code mime4jDom}: Mime4j's {@link DefaultMessageBuilder}, then the DOM walked.
 * </ul>
 *
 * Mime4j runs with {@link MimeConfig#PERMISSIVE} (no line, header or count limits): with its
 * default config it refuses some of the corpus (header lines over 1,000 octets).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class MailReaderBenchmark {
  private List<byte[]> messages;
  private int next;

  /** Loads the corpus into memory. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    messages = BounceBenchmark.load();
  }

  private byte[] nextMessage() {
    byte[] m = messages.get(next);
    next = next + 1 == messages.size() ? 0 : next + 1;
    return m;
  }

  /**
   * One message through maildx's reader.
   *
   * @param bh sink
   */
  @Benchmark
  public void maildx(Blackhole bh) {
    readMaildx(nextMessage(), bh);
  }

  /**
   * One message through Mime4j's stream parser.
   *
   * @param bh sink
   * @throws Exception never expected
   */
  @Benchmark
  public void mime4jStream(Blackhole bh) throws Exception {
    readMime4jStream(nextMessage(), MimeConfig.PERMISSIVE, bh);
  }

  /**
   * One message through Mime4j's DOM builder.
   *
   * @param bh sink
   * @throws Exception never expected
   */
  @Benchmark
  public void mime4jDom(Blackhole bh) throws Exception {
    readMime4jDom(nextMessage(), MimeConfig.PERMISSIVE, bh);
  }

  /** Reads a message with maildx's reader; returns the number of entities. */
  static int readMaildx(byte[] message, Blackhole bh) {
    MimeReader r = new MimeReader();
    walk(r.parse(message), bh);
    return r.parts();
  }

  private static void walk(MimeEntity e, Blackhole bh) {
    for (HeaderField f : e.headers().fields()) {
      bh.consume(f.value());
    }
    if (e.isMultipart()) {
      for (MimeEntity c : e.children()) {
        walk(c, bh);
      }
    } else if (e.embedded() != null) {
      walk(e.embedded(), bh);
    } else if (e.mediaType().startsWith("text/")) {
      bh.consume(e.text());
    }
  }

  /** Reads a message with Mime4j's stream parser; returns the number of entities. */
  static int readMime4jStream(byte[] message, MimeConfig config, Blackhole bh)
      throws MimeException, IOException {
    int[] entities = {0};
    MimeStreamParser p = new MimeStreamParser(config);
    p.setContentDecoding(true);
    p.setRecurse();
    p.setContentHandler(
        new AbstractContentHandler() {
          @Override
          public void startHeader() {
            entities[0]++;
          }

          @Override
          public void field(Field field) {
            bh.consume(field.getBody());
          }

          @Override
          public void body(BodyDescriptor bd, InputStream is) throws IOException {
            if (bd.getMimeType().startsWith("text/")) {
              bh.consume(new String(is.readAllBytes(), charset(bd.getCharset())));
            }
          }
        });
    p.parse(new ByteArrayInputStream(message));
    return entities[0];
  }

  /** Reads a message with Mime4j's DOM builder; returns the number of entities. */
  static int readMime4jDom(byte[] message, MimeConfig config, Blackhole bh)
      throws MimeException, IOException {
    DefaultMessageBuilder b = new DefaultMessageBuilder();
    b.setMimeEntityConfig(config);
    Message m = b.parseMessage(new ByteArrayInputStream(message));
    int n = walk(m, bh);
    m.dispose();
    return n;
  }

  private static int walk(Entity e, Blackhole bh) throws IOException {
    int n = 1;
    if (e.getHeader() != null) {
      for (org.apache.james.mime4j.stream.Field f : e.getHeader().getFields()) {
        bh.consume(f.getBody());
      }
    }
    Body body = e.getBody();
    if (body instanceof Multipart) {
      for (Entity c : ((Multipart) body).getBodyParts()) {
        n += walk(c, bh);
      }
    } else if (body instanceof Message) {
      n += walk((Message) body, bh);
    } else if (body instanceof TextBody) {
      StringBuilder s = new StringBuilder();
      char[] buf = new char[4096];
      try (Reader r = ((TextBody) body).getReader()) {
        for (int k; (k = r.read(buf)) > 0; ) {
          s.append(buf, 0, k);
        }
      }
      bh.consume(s.toString());
    }
    return n;
  }

  private static Charset charset(String name) {
    if (name == null) {
      return StandardCharsets.US_ASCII;
    }
    try {
      return Charset.forName(name.toLowerCase(Locale.ROOT));
    } catch (RuntimeException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  /**
   * Plain timing without JMH: warms up, then the three readers take turns (7 passes of {@code
   * rounds} readings of the corpus each) and the median messages per second of the reading thread's
   * CPU time is printed, with the ratios (CPU time, because the machine is shared and wall-clock
   * figures follow its load).
   *
   * @param args rounds per pass (default 10)
   * @throws Exception never expected
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<byte[]> corpus = BounceBenchmark.load();
    Blackhole bh =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    int[] parts = new int[3];
    int failures = 0;
    for (byte[] m : corpus) {
      parts[0] += readMaildx(m, bh);
      parts[1] += readMime4jStream(m, MimeConfig.PERMISSIVE, bh);
      parts[2] += readMime4jDom(m, MimeConfig.PERMISSIVE, bh);
      try {
        readMime4jStream(m, MimeConfig.DEFAULT, bh);
      } catch (MimeException | IOException e) {
        failures++;
      }
    }
    System.out.printf(
        "%d messages; entities read: maildx %d, mime4j stream %d, mime4j dom %d; refused by Mime4j's DEFAULT config: %d%n",
        corpus.size(), parts[0], parts[1], parts[2], failures);
    String[] names = {"maildx", "mime4j-stream", "mime4j-dom"};
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    int passes = 7;
    double[][] perCpu = new double[3][passes];
    double[][] perWall = new double[3][passes];
    for (int w = 0; w < Math.max(5, rounds / 3); w++) { // warm-up
      for (byte[] m : corpus) {
        readMaildx(m, bh);
        readMime4jStream(m, MimeConfig.PERMISSIVE, bh);
        readMime4jDom(m, MimeConfig.PERMISSIVE, bh);
      }
    }
    for (int pass = 0;
        pass < passes;
        pass++) { // the readers take turns, so that a change of load hits all of them
      for (int k = 0; k < 3; k++) {
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
          for (byte[] m : corpus) {
            switch (k) {
              case 0:
                readMaildx(m, bh);
                break;
              case 1:
                readMime4jStream(m, MimeConfig.PERMISSIVE, bh);
                break;
              default:
                readMime4jDom(m, MimeConfig.PERMISSIVE, bh);
                break;
            }
          }
        }
        perWall[k][pass] = (double) rounds * corpus.size() / ((System.nanoTime() - t0) / 1e9);
        perCpu[k][pass] =
            (double) rounds * corpus.size() / ((mx.getCurrentThreadCpuTime() - c0) / 1e9);
      }
    }
    double[] rates = new double[3];
    for (int k = 0; k < 3; k++) {
      java.util.Arrays.sort(perCpu[k]);
      java.util.Arrays.sort(perWall[k]);
      rates[k] = perCpu[k][passes / 2];
      System.out.printf(
          "%-14s %d messages x %d rounds x %d passes: median %,.0f messages per CPU-second (%,.0f per wall-clock second)%n",
          names[k], corpus.size(), rounds, passes, rates[k], perWall[k][passes / 2]);
    }
    System.out.printf(
        "ratio maildx/mime4j-stream: %.2fx, maildx/mime4j-dom: %.2fx%n",
        rates[0] / rates[1], rates[0] / rates[2]);
  }
}
