package dev.maildx.dns.internal;

import static java.util.Objects.requireNonNull;

import dev.maildx.report.DnsOutcome;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An asynchronous stub resolver on dnsjava's messages: no legacy {@code Lookup}, no static
 * defaults, no shared cache.
 *
 * <p>UDP goes through maildx's own transport, which ignores datagrams that do not answer the query
 * (wrong ID or question) instead of failing the lookup; a truncated answer is repeated over TCP,
 * also on maildx's own transport: one connection per query, closed when it ends (dnsjava's keeps
 * connections open, even to a server that hangs).
 *
 * <p>Every query has a deadline: each attempt takes at most the configured per-query timeout and
 * never more than the time left; maildx's own timer enforces it, whatever dnsjava's selector does.
 * Timeouts are retried once per server, failures move on to the next server. CNAME chains are
 * followed, in the answer and with further queries, up to {@value #MAX_CNAME_HOPS} hops; a loop is
 * an {@link DnsOutcome#ERROR}.
 *
 * <p>Thread-safe; create one per environment and share it.
 */
public final class DnsClient {
  /** The most CNAMEs followed for one lookup. */
  public static final int MAX_CNAME_HOPS = 8;

  private static final int EDNS_PAYLOAD = 1232;

  private final CheckEnvironment env;
  private final List<InetSocketAddress> servers;
  private final Duration attemptTimeout;
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final UdpTransport udp;
  private final TcpTransport tcp;
  private final ThreadPoolExecutor completions;

  /** Registered with the environment, which holds it weakly: it lives as long as this client. */
  private final AutoCloseable closer = this::close;

  private DnsClient(CheckEnvironment env) {
    this.env = env;
    ThreadPoolExecutor completions = completions();
    this.udp = new UdpTransport(completions);
    this.tcp = new TcpTransport(completions);
    // Closing the environment (MailDiagnostics.close()) ends the transports' threads at once, and
    // with them the queries still in flight, instead of after their timeouts and two idle seconds.
    this.completions = completions;
    env.onClose(closer);
    List<InetSocketAddress> s = env.config().dnsServers();
    if (s.isEmpty()) {
      s = systemServers();
    }
    this.servers = List.copyOf(s);
    this.attemptTimeout = env.config().dnsQueryTimeout();
  }

  /**
   * The threads answers are processed on: as many as there are processors, daemon, named {@code
   * maildx-dns-N-M}, ending after two idle seconds. Not the transports' single I/O thread (all
   * parsing and the checks' work would run one after another there, on one core), and not the
   * environment's worker pool, where blocking work (SMTP conversations) could hold every thread
   * while answers wait and their lookups time out.
   */
  private static ThreadPoolExecutor completions() {
    int n = Math.max(2, Runtime.getRuntime().availableProcessors());
    String prefix = CheckEnvironment.THREAD_PREFIX + "dns-" + CLIENTS.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            n,
            n,
            2,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, prefix + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private void close() {
    udp.close();
    tcp.close();
    completions.shutdown();
  }

  /**
   * The client of an environment: created on first use and shared by every check and component on
   * that environment, so that a {@code MailDiagnostics} has one DNS client and one pool of answer
   * threads, however many components borrow it.
   *
   * @param env the environment
   * @return the environment's client
   */
  public static DnsClient of(CheckEnvironment env) {
    return requireNonNull(env, "env").shared(DnsClient.class, DnsClient::new);
  }

  /**
   * Creates a client of its own for the environment's DNS servers (or the system's), not shared;
   * for tests of the client itself. Checks and components use {@link #of}.
   *
   * @param env the environment
   * @return a new client
   */
  public static DnsClient create(CheckEnvironment env) {
    return new DnsClient(requireNonNull(env, "env"));
  }

  /**
   * @return the servers queries go to, in order
   */
  public List<InetSocketAddress> servers() {
    return servers;
  }

  /**
   * @return the environment
   */
  public CheckEnvironment environment() {
    return env;
  }

  /**
   * Looks up {@code name}/{@code type}.
   *
   * @param name absolute or relative-to-root name, for example {@code example.com}
   * @param type dnsjava {@link Type} constant
   * @param deadline when to give up
   * @return a future that always completes normally, by the deadline
   */
  public CompletableFuture<DnsAnswer> query(String name, int type, Deadline deadline) {
    Name n;
    try {
      n = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return CompletableFuture.completedFuture(
          new DnsAnswer(
              Name.root,
              type,
              DnsOutcome.ERROR,
              List.of(),
              List.of(),
              false,
              null,
              null,
              "invalid name \"" + name + "\": " + e.getMessage(),
              Duration.ZERO));
    }
    return query(n, type, deadline);
  }

  /**
   * Looks up {@code name}/{@code type}.
   *
   * @param name absolute name
   * @param type dnsjava {@link Type} constant
   * @param deadline when to give up
   * @return a future that always completes normally, by the deadline
   */
  public CompletableFuture<DnsAnswer> query(Name name, int type, Deadline deadline) {
    return query(name, type, deadline, Set.of());
  }

  /**
   * Looks up {@code name}/{@code type} with DNSSEC-related flags set in the query: {@link
   * QueryFlag#AD} asks a validating resolver to report whether it authenticated the answer (RFC
   * 6840 §5.7), {@link QueryFlag#DO} asks for the RRSIGs too (RFC 3225), {@link QueryFlag#CD}
   * disables the resolver's validation (RFC 4035 §3.2.2). Without flags this is {@link #query(Name,
   * int, Deadline)}; {@link DnsAnswer#authenticated()} carries the AD bit of the response either
   * way.
   *
   * @param name absolute name
   * @param type dnsjava {@link Type} constant
   * @param deadline when to give up
   * @param flags the flags to set
   * @return a future that always completes normally, by the deadline
   */
  public CompletableFuture<DnsAnswer> query(
      Name name, int type, Deadline deadline, Set<QueryFlag> flags) {
    Set<QueryFlag> f = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    long start = System.nanoTime();
    CompletableFuture<DnsAnswer> future = new Chase(name, type, deadline, f, start).from(name);
    return future.whenComplete(
        (a, e) -> {
          if (a != null) {
            try {
              env.listener()
                  .dnsQuery(name.toString(true), Type.string(type), a.outcome(), a.elapsed());
            } catch (RuntimeException ignored) {
              // listeners must not break a lookup
            }
          }
        });
  }

  /**
   * Sends a prepared query as it is (header flags and OPT record kept, a fresh ID per attempt),
   * with the same retries, server order and deadline as {@link #query(Name, int, Deadline)}, but
   * without following CNAMEs: for DNSSEC validation, which needs the raw responses.
   *
   * @param query the query message; not modified
   * @param deadline when to give up
   * @return the response; fails with {@link java.io.IOException} (a {@link SocketTimeoutException}
   *     on timeout) if no server answered
   */
  public CompletableFuture<Message> exchange(Message query, Deadline deadline) {
    Message prototype = query.clone();
    long start = System.nanoTime();
    Tries tries = new Tries();
    return attempt(
            () -> {
              Message m = prototype.clone();
              m.getHeader()
                  .setID(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000));
              return m;
            },
            deadline,
            plan(),
            0,
            null,
            tries)
        .thenApply(tries::account)
        .thenCompose(
            r -> {
              tell(prototype, r, start);
              if (r.message != null) {
                return CompletableFuture.completedFuture(r.message);
              }
              IOException e =
                  r.outcome == DnsOutcome.TIMEOUT
                      ? new SocketTimeoutException(r.detail)
                      : new IOException(r.detail);
              return CompletableFuture.failedFuture(e);
            });
  }

  /** Tells the listener about a raw exchange, as {@link #query} does about each lookup. */
  private void tell(Message query, Raw r, long start) {
    Record q = query.getQuestion();
    if (q == null) {
      return;
    }
    DnsOutcome outcome = r.outcome;
    if (r.message != null) {
      switch (r.message.getRcode()) {
        case Rcode.NOERROR:
          outcome =
              r.message.getSection(Section.ANSWER).isEmpty()
                  ? DnsOutcome.NO_DATA
                  : DnsOutcome.ANSWER;
          break;
        case Rcode.NXDOMAIN:
          outcome = DnsOutcome.NXDOMAIN;
          break;
        case Rcode.SERVFAIL:
          outcome = DnsOutcome.SERVFAIL;
          break;
        case Rcode.REFUSED:
          outcome = DnsOutcome.REFUSED;
          break;
        default:
          outcome = DnsOutcome.ERROR;
          break;
      }
    }
    try {
      env.listener()
          .dnsQuery(
              q.getName().toString(true),
              Type.string(q.getType()),
              outcome,
              Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException ignored) {
      // listeners must not break a lookup
    }
  }

  /** DNSSEC-related flags a query can carry (see {@link #query(Name, int, Deadline, Set)}). */
  public enum QueryFlag {
    /** Authentic Data in the query header: report whether the answer was validated. */
    AD,
    /**
     * Checking Disabled: the resolver must not validate (returns bogus data instead of SERVFAIL).
     */
    CD,
    /** DNSSEC OK in the EDNS header: include RRSIG and NSEC records. */
    DO
  }

  /**
   * One lookup that follows CNAMEs (RFC 1034 §3.6.2): within an answer, and with a further query
   * where the answer stops at a target it does not resolve. Its queries share the chain so far and
   * the names already asked, so that a loop or a chain longer than {@value #MAX_CNAME_HOPS} hops
   * ends it.
   */
  private final class Chase {
    final Name original;
    final int type;
    final Deadline deadline;
    final Set<QueryFlag> flags;
    final long start;
    final List<Name> chain = new ArrayList<>();
    final Set<Name> seen = new HashSet<>();

    Chase(Name original, int type, Deadline deadline, Set<QueryFlag> flags, long start) {
      this.original = original;
      this.type = type;
      this.deadline = deadline;
      this.flags = flags;
      this.start = start;
    }

    CompletableFuture<DnsAnswer> from(Name current) {
      return send(current, type, deadline, flags).thenCompose(r -> received(current, r));
    }

    private CompletableFuture<DnsAnswer> received(Name current, Raw r) {
      if (r.message == null) {
        return answer(r.outcome, List.of(), false, r.server, null, r.detail);
      }
      Message m = r.message;
      int rcode = m.getRcode();
      boolean ad = m.getHeader().getFlag(Flags.AD);
      Name name = current;
      List<Record> records = new ArrayList<>();
      // Follow the CNAME chain inside this answer.
      for (int hops = 0; hops <= MAX_CNAME_HOPS; hops++) {
        records.clear();
        CNAMERecord cname = null;
        for (Record rec : m.getSection(Section.ANSWER)) {
          if (!rec.getName().equals(name)) {
            continue;
          }
          if (rec.getType() == type || (type == Type.ANY)) {
            records.add(rec);
          } else if (rec.getType() == Type.CNAME && type != Type.CNAME) {
            cname = (CNAMERecord) rec;
          }
        }
        if (!records.isEmpty() || cname == null) {
          break;
        }
        if (!seen.add(name) || chain.size() >= MAX_CNAME_HOPS) {
          return loop(name, ad, r.server, m);
        }
        name = cname.getTarget();
        chain.add(name);
      }
      if (rcode == Rcode.NOERROR && !records.isEmpty()) {
        return answer(DnsOutcome.ANSWER, records, ad, r.server, m, "");
      }
      if (rcode == Rcode.NOERROR
          && !chain.isEmpty()
          && !name.equals(current)
          && !hasNegativeProof(m)) {
        // The answer stopped at a CNAME target it did not resolve: ask for the target.
        if (seen.contains(name) || chain.size() >= MAX_CNAME_HOPS) {
          return loop(name, ad, r.server, m);
        }
        seen.add(current);
        return from(name);
      }
      return withoutRecords(rcode, ad, r.server, m);
    }

    /**
     * A response without the records asked for, by its response code (RFC 1035 §4.1.1): NOERROR is
     * no data (RFC 2308 §2.2), NXDOMAIN a name that does not exist (RFC 2308 §2.1).
     */
    private CompletableFuture<DnsAnswer> withoutRecords(
        int rcode, boolean ad, @Nullable InetSocketAddress server, Message m) {
      switch (rcode) {
        case Rcode.NOERROR:
          return answer(DnsOutcome.NO_DATA, List.of(), ad, server, m, "");
        case Rcode.NXDOMAIN:
          return answer(DnsOutcome.NXDOMAIN, List.of(), ad, server, m, "");
        case Rcode.SERVFAIL:
          return answer(
              DnsOutcome.SERVFAIL, List.of(), ad, server, m, "SERVFAIL from " + hostPort(server));
        case Rcode.REFUSED:
          return answer(
              DnsOutcome.REFUSED, List.of(), ad, server, m, "REFUSED by " + hostPort(server));
        default:
          return answer(
              DnsOutcome.ERROR,
              List.of(),
              ad,
              server,
              m,
              "response code " + Rcode.string(rcode) + " from " + hostPort(server));
      }
    }

    private CompletableFuture<DnsAnswer> loop(
        Name at, boolean ad, @Nullable InetSocketAddress server, Message m) {
      return answer(
          DnsOutcome.ERROR,
          List.of(),
          ad,
          server,
          m,
          "CNAME loop or chain longer than " + MAX_CNAME_HOPS + " at " + at);
    }

    private CompletableFuture<DnsAnswer> answer(
        DnsOutcome outcome,
        List<Record> records,
        boolean ad,
        @Nullable InetSocketAddress server,
        @Nullable Message m,
        String detail) {
      return done(original, type, outcome, records, chain, ad, server, m, detail, start);
    }
  }

  private static boolean hasNegativeProof(Message m) {
    return m.getRcode() == Rcode.NOERROR
        && m.getSection(Section.AUTHORITY).stream().anyMatch(x -> x.getType() == Type.SOA);
  }

  private static CompletableFuture<DnsAnswer> done(
      Name name,
      int type,
      DnsOutcome outcome,
      List<Record> records,
      List<Name> chain,
      boolean ad,
      @Nullable InetSocketAddress server,
      @Nullable Message m,
      String detail,
      long start) {
    return CompletableFuture.completedFuture(
        new DnsAnswer(
            name,
            type,
            outcome,
            records,
            chain,
            ad,
            server,
            m,
            detail,
            Duration.ofNanos(System.nanoTime() - start)));
  }

  /** One raw exchange with retries: a response message, or the reason there is none. */
  private static final class Raw {
    final @Nullable Message message;
    final DnsOutcome outcome;
    final String detail;
    final @Nullable InetSocketAddress server;

    Raw(
        @Nullable Message message,
        DnsOutcome outcome,
        String detail,
        @Nullable InetSocketAddress server) {
      this.message = message;
      this.outcome = outcome;
      this.detail = detail;
      this.server = server;
    }
  }

  private CompletableFuture<Raw> send(
      Name name, int type, Deadline deadline, Set<QueryFlag> flags) {
    Tries tries = new Tries();
    return attempt(() -> newQuery(name, type, flags), deadline, plan(), 0, null, tries)
        .thenApply(tries::account);
  }

  /**
   * The attempts of one exchange, so that a timeout is reported as what the user waited: the total
   * time since the first attempt and how many attempts went to which servers — never the budget of
   * the last retry alone, which after a long wait can be a few milliseconds (issue 14). Attempts
   * run one after another, each started after the previous one completed, so the counters need no
   * lock (the completion of one attempt happens-before the start of the next).
   */
  private static final class Tries {
    private final long start = System.nanoTime();
    private int count;
    private final Set<String> servers = new java.util.LinkedHashSet<>();

    /** What the transport said about answers it ignored (wrong ID or question), in any attempt. */
    private String ignored = "";

    void sent(InetSocketAddress server) {
      count++;
      servers.add(hostPort(server));
    }

    void saw(Raw r) {
      int at = r.detail.indexOf(" (ignored ");
      if (at >= 0) {
        ignored = r.detail.substring(at);
      }
    }

    /** The final result, its timeout detail rewritten to the whole wait. */
    Raw account(Raw r) {
      if (r.outcome != DnsOutcome.TIMEOUT || count == 0) {
        return r;
      }
      saw(r);
      String detail =
          timeoutDetail(Duration.ofNanos(System.nanoTime() - start), count, List.copyOf(servers))
              + ignored;
      return new Raw(null, DnsOutcome.TIMEOUT, detail, r.server);
    }
  }

  /**
   * How a timed-out lookup is described: {@code no answer in 10.0 s, 2 attempts to 127.0.0.1:53}.
   *
   * @param waited the total time from the first attempt to giving up
   * @param attempts how many queries were sent
   * @param servers the servers they went to, in order
   * @return the phrase
   */
  static String timeoutDetail(Duration waited, int attempts, List<String> servers) {
    return "no answer in "
        + String.format(java.util.Locale.ROOT, "%.1f s", waited.toMillis() / 1000.0)
        + ", "
        + attempts
        + (attempts == 1 ? " attempt" : " attempts")
        + " to "
        + String.join(", ", servers);
  }

  private static Message newQuery(Name name, int type, Set<QueryFlag> flags) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    if (flags.contains(QueryFlag.AD)) {
      query.getHeader().setFlag(Flags.AD);
    }
    if (flags.contains(QueryFlag.CD)) {
      query.getHeader().setFlag(Flags.CD);
    }
    if (flags.contains(QueryFlag.DO)) {
      query.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    }
    return query;
  }

  private List<InetSocketAddress> plan() {
    List<InetSocketAddress> plan = new ArrayList<>();
    for (InetSocketAddress s : servers) {
      plan.add(s);
    }
    for (InetSocketAddress s : servers) {
      plan.add(s); // a second round: one retry per server after a timeout
    }
    return plan;
  }

  private CompletableFuture<Raw> attempt(
      java.util.function.Supplier<Message> queries,
      Deadline deadline,
      List<InetSocketAddress> plan,
      int i,
      @Nullable Raw last,
      Tries tries) {
    if (i >= plan.size() || deadline.expired()) {
      if (last != null) {
        return CompletableFuture.completedFuture(last);
      }
      return CompletableFuture.completedFuture(
          new Raw(null, DnsOutcome.TIMEOUT, "no time left before the deadline", null));
    }
    InetSocketAddress server = plan.get(i);
    Deadline attemptDeadline = deadline.limit(attemptTimeout);
    Duration budget = attemptDeadline.remaining();
    Message query = queries.get();
    tries.sent(server);
    if (query.getOPT() == null) {
      query.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    CompletableFuture<Raw> exchange = exchangeOnce(server, query, attemptDeadline, budget);
    long budgetMs = budget.toMillis();
    CompletableFuture<Raw> bounded =
        env.within(
            exchange,
            attemptDeadline,
            () ->
                new Raw(
                    null,
                    DnsOutcome.TIMEOUT,
                    "no answer from " + hostPort(server) + " within " + budgetMs + " ms",
                    server));
    return bounded.thenCompose(
        r -> {
          tries.saw(r);
          if (r.message != null) {
            int rcode = r.message.getRcode();
            boolean tryNext =
                (rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED) && nextDistinctServer(i) >= 0;
            if (!tryNext) {
              return CompletableFuture.completedFuture(r);
            }
            return attempt(queries, deadline, plan, nextDistinctServer(i), r, tries);
          }
          if (r.outcome == DnsOutcome.TIMEOUT) {
            return attempt(queries, deadline, plan, i + 1, r, tries);
          }
          // A network error: the same server will fail the same way, move to the next distinct one.
          int next = nextDistinctServer(i);
          return next < 0
              ? CompletableFuture.completedFuture(r)
              : attempt(queries, deadline, plan, next, r, tries);
        });
  }

  /** One query to one server over UDP, repeated over TCP if the answer was truncated. */
  private CompletableFuture<Raw> exchangeOnce(
      InetSocketAddress server, Message query, Deadline attemptDeadline, Duration budget) {
    // The transport gives up a little before the attempt's deadline, so that its own account of
    // what happened (such as responses it ignored) wins over the bare timeout of the guard.
    Duration wait = budget.minus(Duration.ofMillis(Math.min(20, budget.toMillis() / 20)));
    wait = wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
    return udp.exchange(server, query, EDNS_PAYLOAD, wait)
        .thenCompose(
            response -> {
              Message m;
              try {
                m = response.message();
              } catch (IOException e) {
                return CompletableFuture.completedFuture(
                    new Raw(
                        null,
                        DnsOutcome.ERROR,
                        "malformed response from " + hostPort(server) + ": " + e.getMessage(),
                        server));
              }
              if (!m.getHeader().getFlag(Flags.TC)) {
                return CompletableFuture.completedFuture(new Raw(m, DnsOutcome.ANSWER, "", server));
              }
              // Truncated: ask again over TCP (RFC 7766), within what is left of this attempt,
              // on a
              // connection of its own that is closed whatever happens.
              Duration left = attemptDeadline.remaining();
              Duration tcpWait = left.minus(Duration.ofMillis(Math.min(20, left.toMillis() / 20)));
              return tcp.exchange(
                      server,
                      query,
                      tcpWait.isNegative() || tcpWait.isZero() ? Duration.ofMillis(1) : tcpWait)
                  .handle(
                      (tb, e) -> {
                        if (e != null) {
                          return failure(e, server, budget);
                        }
                        try {
                          return new Raw(tb.message(), DnsOutcome.ANSWER, "", server);
                        } catch (IOException x) {
                          return new Raw(
                              null,
                              DnsOutcome.ERROR,
                              "malformed TCP response from "
                                  + hostPort(server)
                                  + ": "
                                  + x.getMessage(),
                              server);
                        }
                      });
            })
        .exceptionally(e -> failure(e, server, budget));
  }

  private int nextDistinctServer(int i) {
    // Only the first round holds each server once; go to the next server of the first round.
    int round = servers.size();
    int idx = i % round;
    int next = idx + 1;
    return next < round && i < round ? next : -1;
  }

  private static Raw failure(Throwable e, InetSocketAddress server, Duration budget) {
    Throwable c = e;
    while ((c instanceof CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof SocketTimeoutException || c instanceof TimeoutException) {
      String why =
          c.getMessage() != null && c.getMessage().contains("ignored")
              ? " ("
                  + c.getMessage().replaceFirst("^no valid answer within the timeout; ", "")
                  + ")"
              : "";
      return new Raw(
          null,
          DnsOutcome.TIMEOUT,
          "no answer from " + hostPort(server) + " within " + budget.toMillis() + " ms" + why,
          server);
    }
    if (c instanceof PortUnreachableException) {
      return new Raw(null, DnsOutcome.ERROR, "connection refused by " + hostPort(server), server);
    }
    if (c instanceof IOException) {
      return new Raw(
          null,
          DnsOutcome.ERROR,
          "network error with " + hostPort(server) + ": " + c.getMessage(),
          server);
    }
    return new Raw(null, DnsOutcome.ERROR, "error querying " + hostPort(server) + ": " + c, server);
  }

  static String hostPort(@Nullable InetSocketAddress a) {
    if (a == null) {
      return "?";
    }
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + a.getPort() : host + ":" + a.getPort();
  }

  private static List<InetSocketAddress> systemServers() {
    try {
      List<InetSocketAddress> s = ResolverConfig.getCurrentConfig().servers();
      if (!s.isEmpty()) {
        return s;
      }
    } catch (RuntimeException ignored) {
      // fall through to the loopback default
    }
    return List.of(new InetSocketAddress(dev.maildx.internal.InetAddresses.parse("127.0.0.1"), 53));
  }
}
