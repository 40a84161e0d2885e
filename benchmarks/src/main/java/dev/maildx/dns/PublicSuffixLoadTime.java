package dev.maildx.dns;

import com.google.common.net.InternetDomainName;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The Public Suffix List's load time in a fresh JVM: the first answer (class loading, reading and
 * parsing the list, or initializing Guava's compiled trie), in wall-clock time and in CPU time of
 * the main thread (what a shared machine's load does not inflate), then for maildx the warm parse
 * of the list (the median of 30). In package {@code dev.maildx.dns} to call the package-private
 * parser.
 *
 * <pre>
 * for i in 1 2 3 4 5; do java -cp benchmarks/target/benchmarks.jar dev.maildx.dns.PublicSuffixLoadTime maildx; done
 * for i in 1 2 3 4 5; do java -cp benchmarks/target/benchmarks.jar dev.maildx.dns.PublicSuffixLoadTime guava; done
 * </pre>
 */
public final class PublicSuffixLoadTime {
  private PublicSuffixLoadTime() {}

  /**
   * Prints the times.
   *
   * @param args {@code maildx} or {@code guava}
   * @throws Exception if the list cannot be read
   */
  public static void main(String[] args) throws Exception {
    boolean guava = args.length > 0 && args[0].equals("guava");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    String answer =
        guava
            ? InternetDomainName.from("www.example.co.uk").topPrivateDomain().toString()
            : PublicSuffixList.bundled().registrableDomain("www.example.co.uk").orElseThrow();
    long first = System.nanoTime() - start;
    long firstCpu = threads.getCurrentThreadCpuTime() - cpu;
    System.out.printf(
        "%s: first answer (%s) after %.1f ms (%.1f ms CPU of this thread)%n",
        guava ? "guava" : "maildx", answer, first / 1e6, firstCpu / 1e6);
    if (!guava) {
      byte[] list;
      try (InputStream in = PublicSuffixList.class.getResourceAsStream("public_suffix_list.dat")) {
        list = in.readAllBytes();
      }
      long[] t = new long[30];
      for (int i = 0; i < t.length; i++) {
        long s = System.nanoTime();
        PublicSuffixList.parse(list, "benchmark");
        t[i] = System.nanoTime() - s;
      }
      Arrays.sort(t);
      System.out.printf(
          "maildx: parse of the list, warm: median %.1f ms (min %.1f ms, of %d)%n",
          t[t.length / 2] / 1e6, t[0] / 1e6, t.length);
    }
  }
}
