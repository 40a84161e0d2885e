package dev.maildx.benchmarks;

import dev.maildx.testkit.MockDnsServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS server of the scale driver and of the side-by-side comparison, in a JVM of its own so
 * that the measured client does not share its heap, JIT and GC with it: a {@link MockDnsServer}
 * serving {@link ScaleZone} with a fixed delay per answer.
 *
 * <p>Protocol on stdin/stdout: prints {@code READY <port>} once serving; answers a line {@code
 * COUNT} with {@code QUERIES <n>}; ends on {@code QUIT} or end of input.
 *
 * <p>Run: {@code java -cp benchmarks.jar dev.maildx.benchmarks.ScaleDnsServer <domains> <seed>
 * <delayMs>}.
 */
public final class ScaleDnsServer {
  private ScaleDnsServer() {}

  /**
   * Serves the zone until told to stop.
   *
   * @param args domains, seed, delay in ms
   * @throws IOException if stdin fails
   */
  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[0]);
    long seed = Long.parseLong(args[1]);
    int delayMs = Integer.parseInt(args[2]);
    try (MockDnsServer dns = MockDnsServer.start()) {
      ScaleZone.generate(n, seed).publish(dns);
      dns.delayAll(Duration.ofMillis(delayMs));
      System.out.println("READY " + dns.address().getPort());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("QUIT")) {
        if (line.equals("COUNT")) {
          System.out.println(
              "QUERIES " + dns.queryCount() + " CPU " + ScaleDriver.processCpuNanos());
          dns.clearQueries();
          System.out.flush();
        }
      }
    }
  }

  /** A server process started by {@link #start}; closing it ends the process. */
  static final class Process implements AutoCloseable {
    private final java.lang.Process process;
    private final BufferedReader out;
    final InetSocketAddress address;

    private Process(java.lang.Process process, BufferedReader out, int port) {
      this.process = process;
      this.out = out;
      this.address = new InetSocketAddress("127.0.0.1", port);
    }

    /** CPU time of the server process at the last {@link #queries()} call, in nanoseconds. */
    long cpuNanos;

    /**
     * @return the queries answered since the last call (and updates {@link #cpuNanos})
     */
    int queries() throws IOException {
      process.getOutputStream().write("COUNT\n".getBytes(StandardCharsets.US_ASCII));
      process.getOutputStream().flush();
      String line = out.readLine();
      if (line == null || !line.startsWith("QUERIES ")) {
        return -1;
      }
      String[] f = line.split(" ");
      cpuNanos = f.length >= 4 ? Long.parseLong(f[3]) : 0;
      return Integer.parseInt(f[1]);
    }

    @Override
    public void close() throws IOException {
      try {
        process.getOutputStream().write("QUIT\n".getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroy();
        }
      } catch (InterruptedException e) {
        process.destroy();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts the server in a new JVM (the same java and class path as this one, a 1 GiB heap) and
   * waits until it serves.
   *
   * @param domains how many domains
   * @param seed the zone's seed
   * @param delayMs the delay per answer
   * @return the running server
   * @throws IOException if it cannot be started
   */
  static Process start(int domains, long seed, int delayMs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.java());
    cmd.add("-Xmx1g");
    cmd.add("-XX:+UseParallelGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ScaleDnsServer.class.getName());
    cmd.add(String.valueOf(domains));
    cmd.add(String.valueOf(seed));
    cmd.add(String.valueOf(delayMs));
    java.lang.Process p =
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("READY ")) {
      p.destroy();
      throw new IOException("the DNS server process did not start: " + line);
    }
    return new Process(p, out, Integer.parseInt(line.substring(6).trim()));
  }

  private static final class Path {
    static String java() {
      return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
  }
}
