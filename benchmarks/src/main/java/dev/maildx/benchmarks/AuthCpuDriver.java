package dev.maildx.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Messages verified per second of CPU time on one thread, for the {@link AuthBenchmark} message (20
 * KiB, two RSA-2048 signatures, keys cached): a per-core figure that stays meaningful on a shared
 * machine, where JMH's wall-clock throughput moves with the other processes' load.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.maildx.benchmarks.AuthCpuDriver [seconds of CPU, default 20]
 * }</pre>
 */
public final class AuthCpuDriver {
  private AuthCpuDriver() {}

  /**
   * Runs the measurement.
   *
   * @param args the CPU seconds to measure (after as much warm-up)
   */
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    AuthBenchmark b = new AuthBenchmark();
    b.setUp();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long warm = mx.getCurrentThreadCpuTime() + (long) (seconds * 1e9);
    while (mx.getCurrentThreadCpuTime() < warm) {
      b.verifyTypical20KiBTwoRsa2048();
    }
    long n = 0;
    long wall0 = System.nanoTime();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long end = cpu0 + (long) (seconds * 1e9);
    long cpu;
    do {
      for (int i = 0; i < 100; i++) {
        b.verifyTypical20KiBTwoRsa2048();
      }
      n += 100;
      cpu = mx.getCurrentThreadCpuTime();
    } while (cpu < end);
    double cpuSeconds = (cpu - cpu0) / 1e9;
    double wallSeconds = (System.nanoTime() - wall0) / 1e9;
    System.out.printf(
        "%d messages (20 KiB, two RSA-2048 signatures) in %.1f s of CPU (%.1f s wall): %.0f messages per CPU-second, "
            + "%.1f us of CPU each%n",
        n, cpuSeconds, wallSeconds, n / cpuSeconds, cpuSeconds * 1e6 / n);
  }
}
