package dev.maildx.benchmarks;

import dev.maildx.internal.mail.MimeReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.james.mime4j.stream.MimeConfig;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The hostile messages of core's {@code MimeReaderTest} through maildx's reader and through Mime4j
 * 0.8.15 (stream parser and DOM builder, each with its DEFAULT and its PERMISSIVE config): for
 * each, the outcome (entities read, or the exception), the time, and the bytes the reading thread
 * allocated. A run that takes longer than the time limit is abandoned. Run with a bounded heap:
 * {@code java -Xmx512m -cp benchmarks/target/benchmarks.jar
 * dev.maildx.benchmarks.MailReaderHostile}.
 */
public final class MailReaderHostile {
  private MailReaderHostile() {}

  interface Reader {
    int read(byte[] m) throws Exception;
  }

  static Map<String, byte[]> cases() {
    Map<String, byte[]> c = new LinkedHashMap<>();
    c.put(
        "1 MiB header line",
        ("Subject: " + "x".repeat(1 << 20) + "\r\nFrom: a@example.com\r\n\r\nbody")
            .getBytes(StandardCharsets.US_ASCII));
    c.put(
        "100,000 header fields",
        ("X-A: b\r\n".repeat(100_000) + "\r\nbody").getBytes(StandardCharsets.US_ASCII));
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      s.append("Content-Type: multipart/mixed; boundary=\"b")
          .append(i)
          .append("\"\r\n\r\n--b")
          .append(i)
          .append("\r\n");
    }
    s.append("Content-Type: text/plain\r\n\r\ndeepest\r\n");
    for (int i = 9_999; i >= 0; i--) {
      s.append("--b").append(i).append("--\r\n");
    }
    c.put("10,000 nested multiparts", s.toString().getBytes(StandardCharsets.US_ASCII));
    c.put(
        "10,000 nested message/rfc822",
        ("Content-Type: message/rfc822\r\n\r\n".repeat(10_000) + "Subject: in\r\n\r\nbody")
            .getBytes(StandardCharsets.US_ASCII));
    c.put(
        "boundary never closed (100,000 lines)",
        ("Content-Type: multipart/mixed; boundary=open\r\n\r\n--open\r\nContent-Type: text/plain\r\n\r\n"
                + "line\r\n".repeat(100_000))
            .getBytes(StandardCharsets.US_ASCII));
    c.put(
        "broken base64, unknown charset",
        ("Content-Type: text/plain; charset=x-unheard-of\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "!!!*** not base64 at all =\r\n===\r\nw6k=\r\n/w\r\n"
                + "@".repeat(1 << 20))
            .getBytes(StandardCharsets.US_ASCII));
    return c;
  }

  /**
   * Runs every case through every reader.
   *
   * @param args the time limit per run in seconds (default 20)
   * @throws Exception never expected
   */
  public static void main(String[] args) throws Exception {
    long limit = args.length > 0 ? Long.parseLong(args[0]) : 20;
    Blackhole bh =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    Map<String, Reader> readers = new LinkedHashMap<>();
    readers.put("maildx", m -> MailReaderBenchmark.readMaildx(m, bh));
    readers.put(
        "mime4j stream DEFAULT",
        m -> MailReaderBenchmark.readMime4jStream(m, MimeConfig.DEFAULT, bh));
    readers.put(
        "mime4j stream PERMISSIVE",
        m -> MailReaderBenchmark.readMime4jStream(m, MimeConfig.PERMISSIVE, bh));
    readers.put(
        "mime4j dom DEFAULT", m -> MailReaderBenchmark.readMime4jDom(m, MimeConfig.DEFAULT, bh));
    readers.put(
        "mime4j dom PERMISSIVE",
        m -> MailReaderBenchmark.readMime4jDom(m, MimeConfig.PERMISSIVE, bh));
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.printf(
        "max heap %d MiB, time limit %d s%n", Runtime.getRuntime().maxMemory() >> 20, limit);
    System.out.printf(
        "| case | input | reader | outcome | time | allocated |%n|---|---|---|---|---|---|%n");
    for (Map.Entry<String, byte[]> c : cases().entrySet()) {
      for (Map.Entry<String, Reader> r : readers.entrySet()) {
        ExecutorService ex =
            Executors.newSingleThreadExecutor(
                t -> {
                  Thread th = new Thread(t, "hostile");
                  th.setDaemon(true);
                  return th;
                });
        long[] alloc = new long[1];
        long t0 = System.nanoTime();
        String outcome;
        Future<Integer> f =
            ex.submit(
                () -> {
                  long id = Thread.currentThread().getId();
                  long a0 = mx.getThreadAllocatedBytes(id);
                  try {
                    return r.getValue().read(c.getValue());
                  } finally {
                    alloc[0] = mx.getThreadAllocatedBytes(id) - a0;
                  }
                });
        try {
          outcome = f.get(limit, TimeUnit.SECONDS) + " entities";
        } catch (TimeoutException e) {
          f.cancel(true);
          outcome = "did not finish in " + limit + " s";
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable t = e.getCause();
          String msg = String.valueOf(t.getMessage());
          outcome =
              t.getClass().getSimpleName()
                  + (msg.length() > 60 ? ": " + msg.substring(0, 60) + "..." : ": " + msg);
        }
        ex.shutdownNow();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "| %s | %,d B | %s | %s | %.2f s | %s |%n",
            c.getKey(),
            c.getValue().length,
            r.getKey(),
            outcome,
            secs,
            String.format("%,d KiB", alloc[0] >> 10));
        System.gc();
      }
    }
    // MimeReader is used above through MailReaderBenchmark; name it here for the reader of this
    // file.
    bh.consume(MimeReader.class);
  }
}
