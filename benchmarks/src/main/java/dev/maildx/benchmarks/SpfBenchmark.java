package dev.maildx.benchmarks;

import dev.maildx.dns.internal.SpfEngine;
import dev.maildx.dns.internal.SpfResolver;
import dev.maildx.spi.Deadline;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * Warm SPF {@code check_host()} against an in-memory resolver (no network): the cost of maildx's
 * evaluator itself, record parsing, term matching, macro expansion and trace building included.
 *
 * <ul>
 *   <li>{@code simple}: {@code v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 -all}, one TXT lookup;
 *   <li>{@code includeAndA}: an include, an {@code a} and an {@code exists} with a macro: four
 *       lookups.
 * </ul>
 *
 * One thread: the figure is per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class SpfBenchmark {
  private SpfEngine engine;
  private InetAddress ip;
  private Deadline deadline;

  /** Builds the in-memory zone and the engine. */
  @Setup
  public void setUp() throws Exception {
    Map<Name, List<Record>> zone = new HashMap<>();
    txt(zone, "simple.test", "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 -all");
    txt(
        zone,
        "tree.test",
        "v=spf1 include:_spf.provider.test a:mail.tree.test exists:%{i}.allow.tree.test -all");
    txt(zone, "_spf.provider.test", "v=spf1 ip4:198.51.100.0/24 ~all");
    zone.put(
        Name.fromString("mail.tree.test."),
        List.of(
            new ARecord(
                Name.fromString("mail.tree.test."),
                DClass.IN,
                300,
                InetAddress.getByName("198.51.100.10"))));
    zone.put(
        Name.fromString("203.0.113.9.allow.tree.test."),
        List.of(
            new ARecord(
                Name.fromString("203.0.113.9.allow.tree.test."),
                DClass.IN,
                300,
                InetAddress.getByName("127.0.0.2"))));
    engine = new SpfEngine(SpfResolver.inMemory(zone), "bench.test", Clock.systemUTC());
    ip = InetAddress.getByName("203.0.113.9");
    deadline = Deadline.after(Duration.ofDays(1));
  }

  private static void txt(Map<Name, List<Record>> zone, String name, String text) throws Exception {
    Name n = Name.fromString(name + ".");
    zone.put(n, List.of(new TXTRecord(n, DClass.IN, 300, text)));
  }

  /**
   * One evaluation of a simple record (fail after two ip4 terms).
   *
   * @return the outcome
   */
  @Benchmark
  public SpfEngine.Outcome simple() {
    return engine
        .checkHost(ip, "simple.test", "alice@simple.test", "mail.simple.test", deadline)
        .join();
  }

  /**
   * One evaluation through an include, an {@code a} and a macro {@code exists} (pass).
   *
   * @return the outcome
   */
  @Benchmark
  public SpfEngine.Outcome includeAndA() {
    return engine.checkHost(ip, "tree.test", "alice@tree.test", "mail.tree.test", deadline).join();
  }
}
