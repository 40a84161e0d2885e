package dev.maildx;

import static java.util.Objects.requireNonNull;

import dev.maildx.internal.RuntimeAccess;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckOptions;
import dev.maildx.spi.CheckProvider;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The entry point: diagnoses why mail from a sender to a recipient is not arriving.
 *
 * <pre>{@code
 * MailDiagnostics maildx = MailDiagnostics.builder()
 *     .dnsServer(new InetSocketAddress("127.0.0.1", 53))   // default: system resolvers
 *     .timeout(Duration.ofSeconds(20))                     // one deadline for a whole diagnose()
 *     .build();
 * DeliveryDiagnosis d = maildx.diagnose(DeliveryQuestion.to("bob@agency.example"));
 * System.out.println(d.verdict() + " " + d.likelyCauses());
 * }</pre>
 *
 * <p>Create one and share it: an instance is immutable and thread-safe, and runs any number of
 * diagnoses concurrently. Each diagnosis runs every applicable check concurrently, each as soon as
 * the checks it depends on are done, all under one deadline ({@link Builder#timeout}); a check that
 * misses it leaves an inconclusive finding, and the diagnosis returns on time with everything else.
 *
 * <p>Checks come from the {@link CheckProvider}s found by {@link ServiceLoader} (the {@code
 * maildx-dns} and {@code maildx-smtp} modules provide them) and from {@link Builder#checks}.
 *
 * <p>It is also the runtime of the standalone components: {@code MxResolver.create(maildx)}, {@code
 * SpfEvaluator.create(maildx)}, {@code SmtpProber.create(maildx)} and the others borrow its
 * threads, DNS client and configuration instead of starting their own; closing a component leaves
 * the instance open, closing the instance ends the components' work too. Build one with {@link
 * Builder#discoverChecks(boolean) discoverChecks(false)} if you only need components.
 *
 * <p>Failures to check are data: {@link #diagnose} throws only for programmer errors. Close the
 * instance to end its threads at once; idle threads also end by themselves after two seconds.
 */
public final class MailDiagnostics implements AutoCloseable {
  static {
    RuntimeAccess.install(m -> m.environment);
  }

  private final DiagnosticsConfig config;
  private final CheckEnvironment environment;
  private final List<Check> checks;

  private MailDiagnostics(Builder b) {
    this.config = b.config.build();
    this.environment = CheckEnvironment.create(config);
    Map<String, Check> byName = new LinkedHashMap<>();
    List<CheckProvider> providers = new ArrayList<>(b.providers);
    if (b.discover) {
      ServiceLoader.load(CheckProvider.class, MailDiagnostics.class.getClassLoader())
          .forEach(providers::add);
    }
    for (CheckProvider p : providers) {
      for (Check c : p.checks(environment)) {
        byName.putIfAbsent(c.name(), c);
      }
    }
    for (Check c : b.checks) {
      byName.put(c.name(), c);
    }
    this.checks = CheckGraph.order(new ArrayList<>(byName.values()));
  }

  /**
   * Starts a builder with the defaults of {@link DiagnosticsConfig#defaults()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A {@code MailDiagnostics} with every default: system resolvers, 20 s deadline, discovered
   * checks.
   *
   * @return a new instance
   */
  public static MailDiagnostics create() {
    return builder().build();
  }

  /**
   * Diagnoses a question, blocking until the diagnosis is complete, which is no later than the
   * configured deadline.
   *
   * @param question what to diagnose
   * @return the diagnosis; never {@code null}
   */
  public DeliveryDiagnosis diagnose(DeliveryQuestion question) {
    return diagnoseAsync(question).join();
  }

  /**
   * Diagnoses a question asynchronously. The future always completes with a diagnosis, by the
   * configured deadline; it never completes exceptionally (only a {@code null} question throws, at
   * once).
   *
   * @param question what to diagnose
   * @return the future diagnosis
   */
  public CompletableFuture<DeliveryDiagnosis> diagnoseAsync(DeliveryQuestion question) {
    requireNonNull(question, "question");
    return new DiagnosisRun(question, checks, environment).start();
  }

  /**
   * Diagnoses many questions, at most {@link BatchOptions#defaults() 16} at a time and 2 per
   * recipient domain, and returns the diagnoses in the order of the questions.
   *
   * @param questions the questions
   * @return one diagnosis per question, in order
   */
  public List<DeliveryDiagnosis> diagnoseAll(Collection<DeliveryQuestion> questions) {
    requireNonNull(questions, "questions");
    List<DeliveryQuestion> list = List.copyOf(questions);
    Map<DeliveryQuestion, List<Integer>> positions = new java.util.HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      positions.computeIfAbsent(list.get(i), k -> new ArrayList<>()).add(i);
    }
    DeliveryDiagnosis[] out = new DeliveryDiagnosis[list.size()];
    diagnoseEach(
            list.iterator(),
            BatchOptions.defaults(),
            (q, d) -> {
              synchronized (out) {
                for (int i : requireNonNull(positions.get(q))) {
                  if (out[i] == null) {
                    out[i] = d;
                    break;
                  }
                }
              }
            })
        .join();
    return List.of(out);
  }

  /**
   * Diagnoses a stream of questions for audits of many domains: questions are taken from the input
   * only as capacity frees up, so memory stays bounded for any input size; each diagnosis goes to
   * {@code results} as soon as it completes (from maildx's threads, possibly concurrently — the
   * consumer must be thread-safe). A consumer that throws is counted and the batch goes on. The
   * future completes when every question taken has its diagnosis. It completes exceptionally only
   * if the input iterator itself throws: then no more input is taken, the diagnoses in flight are
   * finished and delivered first, and the future fails with the iterator's exception.
   *
   * @param questions the questions, consumed lazily
   * @param options concurrency, per-domain limit, progress
   * @param results receives each question with its diagnosis
   * @return the summary, when all are done
   */
  public CompletableFuture<BatchSummary> diagnoseEach(
      Iterator<DeliveryQuestion> questions,
      BatchOptions options,
      BiConsumer<DeliveryQuestion, DeliveryDiagnosis> results) {
    requireNonNull(questions, "questions");
    requireNonNull(options, "options");
    requireNonNull(results, "results");
    return new BatchRun(this, questions, options, results).start();
  }

  /**
   * The configuration this instance was built with.
   *
   * @return the configuration
   */
  public DiagnosticsConfig config() {
    return config;
  }

  /**
   * The names of the checks this instance runs where they apply, in dependency order.
   *
   * @return check names
   */
  public List<String> checks() {
    return checks.stream().map(Check::name).toList();
  }

  /** Ends this instance's own threads; diagnoses still running complete as inconclusive. */
  @Override
  public void close() {
    environment.close();
  }

  /** Builds a {@link MailDiagnostics}. Not thread-safe; each setter checks its argument at once. */
  public static final class Builder {
    private DiagnosticsConfig.Builder config = DiagnosticsConfig.builder();
    private final List<CheckProvider> providers = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private boolean discover = true;

    private Builder() {}

    /**
     * Starts from a complete configuration, replacing every setting made so far (checks and
     * providers registered are kept); later setters change it.
     *
     * @param configuration the configuration
     * @return this builder
     */
    public Builder config(DiagnosticsConfig configuration) {
      config = requireNonNull(configuration, "configuration").toBuilder();
      return this;
    }

    /**
     * Sets the options of one module's checks (default: that module's defaults), replacing options
     * of the same class: {@code AuthOptions} for the {@code auth} check, {@code PolicyOptions} for
     * the DNS checks, {@code ProbeOptions} for the {@code smtp} check. Standalone components
     * created from the instance use them too.
     *
     * @param options the options
     * @return this builder
     * @see DiagnosticsConfig#options(Class)
     */
    public Builder options(CheckOptions options) {
      config.options(options);
      return this;
    }

    /**
     * Redirects connections meant for {@code published} to {@code actual}, for simulations.
     *
     * @param published the address as found in the DNS
     * @param actual where to connect instead
     * @return this builder
     * @see DiagnosticsConfig.Builder#route(java.net.InetAddress, InetSocketAddress)
     */
    public Builder route(java.net.InetAddress published, InetSocketAddress actual) {
      config.route(published, actual);
      return this;
    }

    /**
     * Sends connections meant for the mail server {@code host} to {@code actual}, the user's test
     * server.
     *
     * @param host the mail server's name as the MX records give it
     * @param actual where to connect instead
     * @return this builder
     * @see DiagnosticsConfig.Builder#route(String, InetSocketAddress)
     */
    public Builder route(String host, InetSocketAddress actual) {
      config.route(host, actual);
      return this;
    }

    /**
     * Adds a DNS server all queries go to (default: the system's resolvers).
     *
     * @param server IP address and port
     * @return this builder
     * @see DiagnosticsConfig#dnsServers()
     */
    public Builder dnsServer(InetSocketAddress server) {
      config.dnsServer(server);
      return this;
    }

    /**
     * Sets the deadline of a whole diagnosis (default 20 s).
     *
     * @param timeout positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder timeout(Duration timeout) {
      config.timeout(timeout);
      return this;
    }

    /**
     * Sets the time one DNS query attempt may take (default 5 s).
     *
     * @param timeout positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder dnsQueryTimeout(Duration timeout) {
      config.dnsQueryTimeout(timeout);
      return this;
    }

    /**
     * Sets the executor for blocking work (default: maildx's own bounded pool of daemon threads).
     *
     * @param executor the executor; maildx never shuts it down
     * @return this builder
     */
    public Builder executor(Executor executor) {
      config.executor(executor);
      return this;
    }

    /**
     * Sets the clock (default: system clock, UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      config.clock(clock);
      return this;
    }

    /**
     * Sets the listener (default {@link DiagnosticsListener#NONE}).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(DiagnosticsListener listener) {
      config.listener(listener);
      return this;
    }

    /**
     * Registers a check provider besides those the service loader finds.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder checkProvider(CheckProvider provider) {
      providers.add(requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Registers checks; a check with the name of a discovered one replaces it.
     *
     * @param checks the checks
     * @return this builder
     */
    public Builder checks(Check... checks) {
      for (Check c : checks) {
        this.checks.add(requireNonNull(c, "check"));
      }
      return this;
    }

    /**
     * Whether to load {@link CheckProvider}s with {@link ServiceLoader} (default {@code true}).
     *
     * @param discover {@code false} to use only registered providers and checks
     * @return this builder
     */
    public Builder discoverChecks(boolean discover) {
      this.discover = discover;
      return this;
    }

    /**
     * Builds the instance.
     *
     * @return a new, immutable {@code MailDiagnostics}
     * @throws IllegalArgumentException if the registered checks depend on each other in a cycle
     */
    public MailDiagnostics build() {
      return new MailDiagnostics(this);
    }
  }
}
