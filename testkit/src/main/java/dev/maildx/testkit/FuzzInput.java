package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Helpers for fuzz targets (Jazzer {@code @FuzzTest} methods taking {@code byte[]}): raw fuzzer
 * bytes as text, and a budget of time and allocation that a parser must stay within.
 *
 * <p>Fuzz targets take {@code byte[]} rather than {@code String} so that their seed files are the
 * plain bytes a person writes (Jazzer reads a {@code String} parameter through its own serialized
 * format, in which a text file is not the text it holds).
 */
public final class FuzzInput {
  /**
   * Whether Jazzer is fuzzing (rather than replaying seeds): its hooks then allocate on the
   * parser's thread too.
   */
  private static final boolean FUZZING =
      System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty();

  private FuzzInput() {}

  /**
   * Decodes bytes as UTF-8 that also accepts encoded surrogates ("WTF-8"), so that any Java string,
   * unpaired surrogates included, can be reached; a byte that starts no valid sequence becomes
   * U+FFFD.
   *
   * @param data the fuzzer's bytes
   * @return the text
   */
  public static String text(byte[] data) {
    StringBuilder b = new StringBuilder(data.length);
    int i = 0;
    while (i < data.length) {
      int c = data[i] & 0xff;
      int need;
      int cp;
      if (c < 0x80) {
        b.append((char) c);
        i++;
        continue;
      } else if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        cp = c & 0x1f;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        cp = c & 0x0f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        cp = c & 0x07;
      } else {
        b.append('\uFFFD');
        i++;
        continue;
      }
      if (i + need >= data.length) { // cut short
        b.append('\uFFFD');
        i++;
        continue;
      }
      boolean ok = true;
      for (int k = 1; k <= need; k++) {
        int x = data[i + k] & 0xff;
        if ((x & 0xc0) != 0x80) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (x & 0x3f);
      }
      int min = need == 1 ? 0x80 : need == 2 ? 0x800 : 0x10000;
      if (!ok || cp < min || cp > 0x10ffff) {
        b.append('\uFFFD');
        i++;
        continue;
      }
      b.appendCodePoint(cp);
      i += need + 1;
    }
    return b.toString();
  }

  /**
   * The allocation budget of a parser for an input of {@code length} bytes: linear in the input (2
   * KiB per byte, generous because Jazzer's hooks on regular expressions and string comparisons
   * allocate too) plus 16 MiB. A parser that copies its input once per character or per line (a
   * quadratic cost) exceeds it on inputs of a few kilobytes.
   *
   * @param length the input length in bytes or characters
   * @return the budget in bytes
   */
  public static long allocationBudget(long length) {
    return 2048L * length + (16L << 20);
  }

  /**
   * Runs {@code call} and checks that it took at most {@code time} and allocated at most {@code
   * bytes} on the calling thread. A call over budget is run once more and only the second run is
   * judged: the first may include class loading, JIT compilation or a GC pause, while an input that
   * is really expensive is expensive every time.
   *
   * <p>While Jazzer fuzzes ({@code JAZZER_FUZZ} set) the allocation budget is eight times larger:
   * its value-profile hooks on string searches copy the haystack on every call, so a parser that
   * searches a 23 KB notice once per recipient was measured at 72 MB under fuzzing and 2 to 5 MB
   * without the hooks. Regression runs of the seeds in {@code ./mvnw verify} judge the plain
   * budget.
   *
   * @param time the most wall time
   * @param bytes the most bytes allocated by the calling thread
   * @param call the parser call
   * @param <T> its result
   * @return the result
   * @throws AssertionError if the repeated call is still over budget
   */
  public static <T> T withinBudget(Duration time, long bytes, Supplier<T> call) {
    requireNonNull(time, "time");
    requireNonNull(call, "call");
    long[] used = new long[2];
    long budget = FUZZING ? 8 * bytes : bytes;
    T r = measure(call, used);
    if (used[0] <= time.toNanos() && used[1] <= budget) {
      return r;
    }
    r = measure(call, used);
    if (used[0] > time.toNanos()) {
      throw new AssertionError(
          "took " + used[0] / 1_000_000 + " ms, budget " + time.toMillis() + " ms");
    }
    if (used[1] > budget) {
      throw new AssertionError(
          "allocated "
              + used[1]
              + " bytes, budget "
              + budget
              + " bytes"
              + (FUZZING ? " (8 x " + bytes + " while fuzzing)" : ""));
    }
    return r;
  }

  private static <T> T measure(Supplier<T> call, long[] used) {
    long a0 = allocated();
    long t0 = System.nanoTime();
    T r = call.get();
    used[0] = System.nanoTime() - t0;
    long a1 = allocated();
    used[1] = a0 < 0 || a1 < 0 ? 0 : a1 - a0;
    return r;
  }

  /** Bytes allocated so far by the current thread, or -1 where the JVM cannot say. */
  private static long allocated() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    if (bean instanceof com.sun.management.ThreadMXBean) {
      return ((com.sun.management.ThreadMXBean) bean)
          .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }
}
