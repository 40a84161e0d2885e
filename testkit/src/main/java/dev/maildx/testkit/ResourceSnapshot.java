package dev.maildx.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The threads and open file descriptors (sockets, pipes, event and epoll handles, files) of this
 * JVM at one moment, to check later that code under test left none of its own behind.
 *
 * <p>File descriptors are read from {@code /proc/self/fd} (Linux); elsewhere only threads are
 * compared. Descriptors the JVM and the C library open for themselves are not counted: jars, shared
 * libraries, {@code /dev}, {@code /proc}, and Unix domain sockets (glibc keeps one open to the name
 * service cache after the first host name lookup). Take the snapshot after a warm-up where a
 * library starts a process-wide helper once (dnsjava's NIO selector thread and its epoll handle,
 * for example).
 *
 * <pre>{@code
 * ResourceSnapshot before = ResourceSnapshot.take();
 * ... run the code under test, close what it returns ...
 * before.assertNothingLeftBehind(Duration.ofSeconds(5));
 * }</pre>
 */
public final class ResourceSnapshot {
  private static final Set<String> JVM_THREADS =
      Set.of(
          "Reference Handler",
          "Finalizer",
          "Signal Dispatcher",
          "Common-Cleaner",
          "Notification Thread",
          "Attach Listener",
          "process reaper",
          "dnsjava NIO selector",
          "surefire-forkedjvm-command-thread",
          "surefire-forkedjvm-ping-30s",
          "surefire-forkedjvm-stream-flusher",
          "Cleaner-0");
  private static final Path FD = Path.of("/proc/self/fd");

  private final Set<Thread> threads;
  private final Map<Integer, String> descriptors;

  private ResourceSnapshot(Set<Thread> threads, Map<Integer, String> descriptors) {
    this.threads = threads;
    this.descriptors = descriptors;
  }

  /**
   * Takes a snapshot now.
   *
   * @return the snapshot
   */
  public static ResourceSnapshot take() {
    return new ResourceSnapshot(new HashSet<>(Thread.getAllStackTraces().keySet()), descriptors());
  }

  /**
   * The live threads started since the snapshot (JVM housekeeping and test-runner threads aside).
   *
   * @return their names
   */
  public List<String> newThreads() {
    List<String> out = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()
          && !threads.contains(t)
          && !JVM_THREADS.contains(t.getName())
          && !t.getName().startsWith("ForkJoinPool.commonPool")
          && !t.getName().startsWith("mockdns-")
          && !t.getName().startsWith("mocksmtp-")) {
        out.add(t.getName());
      }
    }
    return out;
  }

  /**
   * The file descriptors open now that were not open (to the same thing) at the snapshot.
   *
   * @return "fd -> target" for each, for example {@code 57 -> socket:[123456]}
   */
  public List<String> newDescriptors() {
    List<String> out = new ArrayList<>();
    descriptors()
        .forEach(
            (fd, target) -> {
              if (!target.equals(descriptors.get(fd))) {
                out.add(fd + " -> " + target);
              }
            });
    return out;
  }

  /**
   * @return the number of counted descriptors open at the snapshot
   */
  public int descriptorCount() {
    return descriptors.size();
  }

  /**
   * Waits up to {@code wait} for every thread and descriptor opened since the snapshot to end, then
   * fails if any is left. While it waits it asks for a garbage collection now and then: some
   * resources end only when their owner is collected, such as the selector thread of a Java 17
   * {@code java.net.http.HttpClient}, which has no {@code close()} (maildx's MTA-STS fetcher uses
   * one client per fetch).
   *
   * @param wait how long closing may take (executors end their threads asynchronously)
   * @throws AssertionError naming what was left behind
   */
  public void assertNothingLeftBehind(Duration wait) {
    long until = System.nanoTime() + wait.toNanos();
    List<String> t;
    List<String> d;
    int round = 0;
    while (true) {
      if (round++ % 10 == 1) {
        System.gc();
      }
      t = newThreads();
      d = newDescriptors();
      if ((t.isEmpty() && d.isEmpty()) || System.nanoTime() > until) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    if (!t.isEmpty() || !d.isEmpty()) {
      throw new AssertionError("left behind: threads " + t + ", file descriptors " + d);
    }
  }

  private static Map<Integer, String> descriptors() {
    Map<Integer, String> out = new TreeMap<>();
    if (!Files.isDirectory(FD)) {
      return out;
    }
    Set<String> unix = unixSocketInodes();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(FD)) {
      for (Path p : s) {
        String target;
        try {
          target = Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException e) {
          continue; // closed while listing, or the listing's own handle
        }
        if (counted(target)
            && !(target.startsWith("socket:[")
                && unix.contains(target.substring(8, target.length() - 1)))) {
          out.put(Integer.parseInt(p.getFileName().toString()), target);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return out;
    }
    return out;
  }

  /**
   * The inodes of the Unix domain sockets of this process ({@code /proc/self/net/unix}, last column
   * but the path).
   */
  private static Set<String> unixSocketInodes() {
    Set<String> out = new HashSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/net/unix"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 7 && !f[0].equals("Num")) {
          out.add(f[6]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: nothing to exclude
    }
    return out;
  }

  private static boolean counted(String path) {
    String target = path.endsWith(" (deleted)") ? path.substring(0, path.length() - 10) : path;
    if (target.startsWith("socket:")
        || target.startsWith("pipe:")
        || target.startsWith("anon_inode:")) {
      return true;
    }
    return target.startsWith("/")
        && !target.startsWith("/proc/")
        && !target.startsWith("/dev/")
        && !target.startsWith("/sys/")
        && !target.endsWith(".jar")
        && !target.endsWith(".so")
        && !target.contains("/lib/modules")
        && !target.endsWith(".jsa")
        && !target.contains("/jre/lib/")
        && !target.contains("/jvm/");
  }
}
