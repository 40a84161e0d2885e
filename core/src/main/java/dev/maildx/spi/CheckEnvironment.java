package dev.maildx.spi;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.DiagnosticsListener;
import dev.maildx.MailDiagnostics;
import dev.maildx.internal.RuntimeAccess;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The configuration and threads that checks share: created once per {@code MailDiagnostics} and
 * closed with it. Standalone components ({@code MxResolver.create(maildx)}, {@code
 * SmtpProber.create(maildx)}, ...) borrow the environment of a {@code MailDiagnostics} through
 * {@link #of(MailDiagnostics)} and start no threads of their own.
 *
 * <p>Unless the configuration supplies an executor, the environment owns a bounded pool of daemon
 * threads named {@code maildx-worker-N}; it also owns one timer thread, {@code maildx-timer}, that
 * enforces deadlines. Idle threads end after two seconds, so an environment that is no longer used
 * leaves no thread behind even if it is never closed; {@link #close()} ends them at once.
 *
 * <p>Thread-safe.
 */
public final class CheckEnvironment implements AutoCloseable {
  private static final AtomicInteger POOL_IDS = new AtomicInteger();

  /** Threads of maildx's own pools start with this prefix. */
  public static final String THREAD_PREFIX = "maildx-";

  private final DiagnosticsConfig config;
  private final Executor executor;
  private final @Nullable ExecutorService ownExecutor;
  private final ScheduledThreadPoolExecutor scheduler;

  /** Held weakly: a component that is no longer used is not kept alive by its environment. */
  private final List<WeakReference<AutoCloseable>> closeables = new ArrayList<>();

  private final Map<Class<?>, Object> shared = new java.util.HashMap<>();
  private int pruneAt = 64;
  private boolean closed;

  private CheckEnvironment(DiagnosticsConfig config) {
    this.config = config;
    int id = POOL_IDS.incrementAndGet();
    if (config.executor().isPresent()) {
      this.executor = config.executor().get();
      this.ownExecutor = null;
    } else {
      int threads = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              threads,
              threads,
              2,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              daemonThreads(THREAD_PREFIX + "worker-" + id + "-"));
      pool.allowCoreThreadTimeOut(true);
      this.executor = pool;
      this.ownExecutor = pool;
    }
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, daemonThreads(THREAD_PREFIX + "timer-" + id + "-"));
    timer.setRemoveOnCancelPolicy(true);
    timer.setKeepAliveTime(2, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    this.scheduler = timer;
  }

  /**
   * Creates an environment for a configuration.
   *
   * @param config the configuration
   * @return a new environment; close it when done
   */
  public static CheckEnvironment create(DiagnosticsConfig config) {
    return new CheckEnvironment(requireNonNull(config, "config"));
  }

  /**
   * The environment of a {@code MailDiagnostics}, for a standalone component that borrows its
   * threads, configuration and shared clients. The component must not close it: it belongs to the
   * {@code MailDiagnostics} and ends when that is closed.
   *
   * @param maildx the instance whose runtime to borrow
   * @return its environment (the same object on every call)
   */
  public static CheckEnvironment of(MailDiagnostics maildx) {
    return RuntimeAccess.environment(requireNonNull(maildx, "maildx"));
  }

  /**
   * The one instance of {@code type} that belongs to this environment, created by {@code factory}
   * on first use: how the checks of several modules and the components borrowing this environment
   * share one client (one DNS client per environment, not one per component). The instance lives as
   * long as the environment; register it with {@link #onClose} if it holds resources.
   *
   * @param type the key, usually the instance's class
   * @param factory creates the instance from this environment; called at most once per type
   * @param <T> the type
   * @return the shared instance
   */
  public <T> T shared(Class<T> type, Function<? super CheckEnvironment, ? extends T> factory) {
    requireNonNull(type, "type");
    requireNonNull(factory, "factory");
    synchronized (shared) {
      Object existing = shared.get(type);
      if (existing != null) {
        return type.cast(existing);
      }
      T created = requireNonNull(factory.apply(this), "factory returned null");
      shared.put(type, created);
      return created;
    }
  }

  /**
   * @return the configuration
   */
  public DiagnosticsConfig config() {
    return config;
  }

  /**
   * @return the executor for blocking work and continuations
   */
  public Executor executor() {
    return executor;
  }

  /**
   * @return the scheduler for timers; tasks must be short
   */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * @return the configured clock
   */
  public Clock clock() {
    return config.clock();
  }

  /**
   * @return the configured listener
   */
  public DiagnosticsListener listener() {
    return config.listener();
  }

  /**
   * Bounds a future by a deadline: the returned future completes with {@code future}'s result, or
   * with {@code onTimeout}'s value when the deadline passes first (then {@code future} is
   * cancelled). An exceptional completion of {@code future} is passed on.
   *
   * @param future the work
   * @param deadline when to give up
   * @param onTimeout the value to complete with at the deadline
   * @param <T> the result type
   * @return a future that completes by the deadline
   */
  public <T> CompletableFuture<T> within(
      CompletableFuture<T> future, Deadline deadline, Supplier<T> onTimeout) {
    CompletableFuture<T> out = new CompletableFuture<>();
    ScheduledFuture<?> timer;
    try {
      timer =
          scheduler.schedule(
              () -> {
                if (!out.isDone()) {
                  try {
                    out.complete(onTimeout.get());
                  } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                  }
                  future.cancel(false);
                }
              },
              Math.max(0, deadline.remaining().toNanos()),
              TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      out.complete(onTimeout.get());
      future.cancel(false);
      return out;
    }
    CompletableFuture<T> unused =
        future.whenComplete(
            (v, e) -> {
              timer.cancel(false);
              if (e != null) {
                out.completeExceptionally(e);
              } else {
                out.complete(v);
              }
            });
    return out;
  }

  /**
   * Registers something to close with this environment, such as a component's own I/O threads;
   * closed at once if the environment already is. The environment holds it weakly: one that is
   * garbage-collected before the environment closes is simply forgotten (it must not need closing
   * then: its threads must end by themselves when idle).
   *
   * @param resource what to close; an exception it throws is ignored
   */
  public void onClose(AutoCloseable resource) {
    requireNonNull(resource, "resource");
    synchronized (closeables) {
      if (!closed) {
        if (closeables.size() >= pruneAt) {
          closeables.removeIf(r -> r.get() == null);
          pruneAt = Math.max(64, 2 * closeables.size());
        }
        closeables.add(new WeakReference<>(resource));
        return;
      }
    }
    closeQuietly(resource);
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception | LinkageError ignored) {
      // closing anyway
    }
  }

  /**
   * Ends the threads this environment owns, then closes what was registered with {@link #onClose};
   * a user-supplied executor is left alone.
   */
  @Override
  public void close() {
    List<AutoCloseable> toClose = new ArrayList<>();
    synchronized (closeables) {
      closed = true;
      for (WeakReference<AutoCloseable> r : closeables) {
        AutoCloseable c = r.get();
        if (c != null) {
          toClose.add(c);
        }
      }
      closeables.clear();
    }
    toClose.forEach(CheckEnvironment::closeQuietly);
    scheduler.shutdownNow();
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
