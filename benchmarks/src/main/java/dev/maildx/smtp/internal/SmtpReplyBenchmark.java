package dev.maildx.smtp.internal;

import dev.maildx.report.ProbeReport;
import dev.maildx.report.SmtpReply;
import dev.maildx.spi.Deadline;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The prober's bounded SMTP reply reader (RFC 5321 §4.2) fed from bytes instead of a socket: the
 * replies of one whole conversation (greeting, an 11-line EHLO reply, STARTTLS, MAIL, a multi-line
 * RCPT rejection with an enhanced status code, RSET, QUIT) read and checked line by line, the
 * transcript kept, the EHLO extensions judged. It lives in the reader's package because the reader
 * is not public API. One thread: the figure is per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class SmtpReplyBenchmark {
  private static final String CONVERSATION =
      String.join(
          "\r\n",
          "220 mx1.example.com ESMTP Postfix (Debian/GNU)",
          "250-mx1.example.com",
          "250-PIPELINING",
          "250-SIZE 52428800",
          "250-VRFY",
          "250-ETRN",
          "250-STARTTLS",
          "250-ENHANCEDSTATUSCODES",
          "250-8BITMIME",
          "250-DSN",
          "250-SMTPUTF8",
          "250 CHUNKING",
          "220 2.0.0 Ready to start TLS",
          "250 2.1.0 Ok",
          "550-5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table;",
          "550-5.1.1 see https://support.example.com/smtp/550-5.1.1 for what to do",
          "550 5.1.1 this mailbox does not exist",
          "250 2.0.0 Ok",
          "221 2.0.0 Bye",
          "");
  private static final int REPLIES = 7;

  private byte[] wire;
  private ScheduledExecutorService timer;
  private ProbeSettings settings;

  /** Prepares the bytes and the reader's settings. */
  @Setup(Level.Trial)
  public void setUp() {
    wire = CONVERSATION.getBytes(StandardCharsets.US_ASCII);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-timer");
              t.setDaemon(true);
              return t;
            });
    settings =
        new ProbeSettings(
            null,
            null,
            1,
            true,
            true,
            true,
            false,
            false,
            false,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofDays(14),
            100,
            2048,
            4,
            null);
  }

  /** Ends the timer. */
  @TearDown(Level.Trial)
  public void tearDown() {
    timer.shutdownNow();
  }

  /**
   * Reads the seven replies of a conversation and judges the EHLO extensions.
   *
   * @return the extension list and the last reply
   * @throws ProbeFailure never, for this input
   */
  @Benchmark
  public Object conversation() throws ProbeFailure {
    Transcript transcript = new Transcript(System.nanoTime());
    SmtpConnection c = new SmtpConnection(transcript, timer, settings);
    c.attach(new ByteArrayInputStream(wire), new ByteArrayOutputStream());
    Deadline deadline = Deadline.after(Duration.ofSeconds(30));
    SmtpReply last = null;
    ProbeReport.Extensions ext = null;
    for (int i = 0; i < REPLIES; i++) {
      last = c.readReply(ProbeReport.Phase.EHLO, deadline);
      if (i == 1) {
        ext = new ProbeReport.Extensions(last.lines().subList(1, last.lines().size()));
        ext.size();
        ext.startTls();
      }
    }
    c.close();
    return new Object[] {ext, last, transcript.lines()};
  }
}
