package dev.maildx;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;

/**
 * How a batch of diagnoses runs: how many at a time, how many at a time for one recipient domain
 * (politeness towards its servers), and who is told about progress.
 *
 * <p>Immutable and thread-safe; {@link #toBuilder()} derives variants. Defaults: 16 at a time, 2
 * per recipient domain, no progress listener.
 */
public final class BatchOptions {
  private static final BatchOptions DEFAULTS = builder().build();

  private final int concurrency;
  private final int perDomain;
  private final Consumer<BatchProgress> progress;

  private BatchOptions(Builder b) {
    this.concurrency = b.concurrency;
    this.perDomain = b.perDomain;
    this.progress = b.progress;
  }

  /**
   * @return the defaults
   */
  public static BatchOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder holding these options
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.concurrency = concurrency;
    b.perDomain = perDomain;
    b.progress = progress;
    return b;
  }

  /**
   * @return the most diagnoses in flight at once (default 16)
   */
  public int concurrency() {
    return concurrency;
  }

  /**
   * @return the most diagnoses in flight at once for the same recipient domain (default 2)
   */
  public int perDomain() {
    return perDomain;
  }

  /**
   * @return the progress listener (called from maildx's threads; must be fast and not throw;
   *     default: none)
   */
  public Consumer<BatchProgress> progress() {
    return progress;
  }

  /** Builds {@link BatchOptions}; not thread-safe. */
  public static final class Builder {
    private int concurrency = 16;
    private int perDomain = 2;
    private Consumer<BatchProgress> progress = p -> {};

    private Builder() {}

    /**
     * Sets how many diagnoses run at once (default 16).
     *
     * @param concurrency at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code concurrency} is less than 1
     */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Sets how many diagnoses run at once for the same recipient domain (default 2), so that an
     * audit of many addresses at one domain does not hammer its servers.
     *
     * @param perDomain at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code perDomain} is less than 1
     */
    public Builder perDomain(int perDomain) {
      if (perDomain < 1) {
        throw new IllegalArgumentException("perDomain must be at least 1, was " + perDomain);
      }
      this.perDomain = perDomain;
      return this;
    }

    /**
     * Sets the progress listener, told after each diagnosis completes (default: none).
     *
     * @param progress the listener
     * @return this builder
     * @throws NullPointerException if {@code progress} is null
     */
    public Builder progress(Consumer<BatchProgress> progress) {
      this.progress = requireNonNull(progress, "progress");
      return this;
    }

    /**
     * @return the options
     */
    public BatchOptions build() {
      return new BatchOptions(this);
    }
  }
}
