package dev.maildx.smtp.internal;

import dev.maildx.spi.Deadline;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code capacity} holders per key at once; waiters queue without holding a thread. Entries
 * of idle keys are removed, so a batch over millions of addresses does not grow it.
 *
 * <p>Thread-safe.
 */
final class KeyedLimiter {
  private final int capacity;
  private final Map<Object, Entry> entries = new HashMap<>();

  private static final class Entry {
    int inUse;
    final ArrayDeque<CompletableFuture<Boolean>> waiters = new ArrayDeque<>();
  }

  KeyedLimiter(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Takes a permit for {@code key} as soon as one is free.
   *
   * @return a future that completes with {@code true} when the permit is held (then {@link
   *     #release} must follow), or {@code false} at the deadline if none was free
   */
  CompletableFuture<Boolean> acquire(
      Object key, Deadline deadline, ScheduledExecutorService timer) {
    CompletableFuture<Boolean> w;
    synchronized (this) {
      Entry e = entries.computeIfAbsent(key, k -> new Entry());
      if (e.inUse < capacity) {
        e.inUse++;
        return CompletableFuture.completedFuture(true);
      }
      w = new CompletableFuture<>();
      e.waiters.add(w);
    }
    try {
      ScheduledFuture<?> t =
          timer.schedule(
              () -> w.complete(false), deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
      CompletableFuture<Boolean> unused = w.whenComplete((v, x) -> t.cancel(false));
    } catch (RejectedExecutionException e) {
      w.complete(false);
    }
    return w;
  }

  /** Returns a permit: hands it to the next waiter still waiting, or frees it. */
  void release(Object key) {
    while (true) {
      CompletableFuture<Boolean> next;
      synchronized (this) {
        Entry e = entries.get(key);
        if (e == null) {
          throw new IllegalStateException("release without acquire for " + key);
        }
        do {
          next = e.waiters.poll();
        } while (next != null && next.isDone());
        if (next == null) {
          e.inUse--;
          if (e.inUse == 0 && e.waiters.isEmpty()) {
            entries.remove(key);
          }
          return;
        }
      }
      if (next.complete(true)) {
        return; // handed over: inUse stays the same
      }
    }
  }

  /**
   * @return permits held for the key now
   */
  synchronized int inUse(Object key) {
    Entry e = entries.get(key);
    return e == null ? 0 : e.inUse;
  }

  /**
   * @return keys with permits held or waiters
   */
  synchronized int size() {
    return entries.size();
  }
}
