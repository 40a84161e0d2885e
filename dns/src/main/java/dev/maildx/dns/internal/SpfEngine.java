package dev.maildx.dns.internal;

import static java.util.Objects.requireNonNull;

import dev.maildx.internal.InetAddresses;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.SpfReport;
import dev.maildx.report.SpfResult;
import dev.maildx.spi.Deadline;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * SPF's {@code check_host()} (RFC 7208 §4–§7) on an asynchronous {@link SpfResolver}: evaluates
 * terms in order, one DNS round trip at a time where the RFC orders them, the independent address
 * lookups of an {@code mx} or {@code ptr} mechanism concurrently; enforces the limits of §4.6.4 (10
 * DNS-querying terms, 2 void lookups, 10 names per MX/PTR); detects include and redirect loops;
 * builds the trace.
 *
 * <p>Never blocks: a step whose answer is already there continues at once, others continue on the
 * thread that completes the lookup. Thread-safe; one evaluation's state lives in its own objects.
 */
public final class SpfEngine {
  /** DNS-querying terms per evaluation (RFC 7208 §4.6.4). */
  public static final int MAX_LOOKUPS = 10;

  /** Void lookups per evaluation (RFC 7208 §4.6.4). */
  public static final int MAX_VOID_LOOKUPS = 2;

  /** MX or PTR names considered per mechanism (RFC 7208 §4.6.4). */
  public static final int MAX_NAMES = 10;

  private final SpfResolver dns;
  private final String receiver;
  private final Clock clock;

  /**
   * Creates an engine.
   *
   * @param dns where answers come from
   * @param receiver the receiving host's name, the {@code %{r}} macro
   * @param clock for the {@code %{t}} macro
   */
  public SpfEngine(SpfResolver dns, String receiver, Clock clock) {
    this.dns = dns;
    this.receiver = receiver;
    this.clock = clock;
  }

  /** The outcome of one {@code check_host()} evaluation. */
  public static final class Outcome {
    /** The result. */
    public final SpfResult result;

    /** Why, in one sentence. */
    public final String detail;

    /** The explanation for a fail, or null. */
    public final @Nullable String explanation;

    /** Whether the explanation came from the domain's exp= (else the default). */
    public final boolean explanationFromRecord;

    /** The deciding term as written, or null. */
    public final @Nullable String matchedMechanism;

    /** The domain whose record holds it. */
    public final @Nullable String matchedDomain;

    /** DNS-querying terms evaluated. */
    public final int lookups;

    /** Void lookups seen. */
    public final int voidLookups;

    /** The trace. */
    public final SpfReport.Trace trace;

    Outcome(
        SpfResult result,
        String detail,
        @Nullable String explanation,
        boolean explanationFromRecord,
        @Nullable String matchedMechanism,
        @Nullable String matchedDomain,
        int lookups,
        int voidLookups,
        SpfReport.Trace trace) {
      this.result = result;
      this.detail = detail;
      this.explanation = explanation;
      this.explanationFromRecord = explanationFromRecord;
      this.matchedMechanism = matchedMechanism;
      this.matchedDomain = matchedDomain;
      this.lookups = lookups;
      this.voidLookups = voidLookups;
      this.trace = trace;
    }
  }

  /**
   * Runs {@code check_host(ip, domain, sender)}.
   *
   * @param ip the client address (an IPv4-mapped IPv6 address is treated as IPv4)
   * @param domain the domain to evaluate
   * @param sender the sender, {@code local@domain} ({@code postmaster@helo} for the HELO identity)
   * @param helo the HELO/EHLO name, for {@code %{h}}; "unknown" if not known
   * @param deadline when to give up (lookups then end in temperror)
   * @return the outcome; the future always completes normally
   */
  public CompletableFuture<Outcome> checkHost(
      InetAddress ip, String domain, String sender, String helo, Deadline deadline) {
    Run run = new Run(normalize(ip), sender, helo, deadline);
    return checkHost(run, domain, SpfReport.Trace.Via.ROOT, Set.of())
        .thenCompose(f -> finish(run, f));
  }

  /** The default explanation of a fail (RFC 7208 §6.2 leaves it to the implementation). */
  public static String defaultExplanation(String domain, InetAddress ip) {
    return domain
        + " does not designate "
        + InetAddresses.toLiteral(normalize(ip))
        + " as a permitted sender";
  }

  /** An IPv4-mapped IPv6 address becomes the IPv4 address (RFC 7208 §5, §5.6). */
  public static InetAddress normalize(InetAddress ip) {
    byte[] b = ip.getAddress();
    if (b.length == 16) {
      for (int i = 0; i < 10; i++) {
        if (b[i] != 0) {
          return ip;
        }
      }
      if ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (java.net.UnknownHostException e) {
          return ip;
        }
      }
    }
    return ip;
  }

  // ------------------------------------------------------------------ state

  /** The state of one evaluation; used by one step at a time. */
  private static final class Run {
    final InetAddress ip;
    final boolean v4;
    final String sender;
    final String local;
    final String senderDomain;
    final String helo;
    final Deadline deadline;
    int lookups;
    int voids;
    @Nullable CompletableFuture<List<String>> validatedNames; // null until the p macro needs it

    Run(InetAddress ip, String sender, String helo, Deadline deadline) {
      this.ip = ip;
      this.v4 = ip instanceof Inet4Address;
      this.sender = sender;
      int at = sender.lastIndexOf('@');
      this.local = at <= 0 ? "postmaster" : sender.substring(0, at);
      this.senderDomain = at < 0 ? sender : sender.substring(at + 1);
      this.helo = helo;
      this.deadline = deadline;
    }

    /**
     * The "i" macro: the dotted quad, or for IPv6 the 32 nibbles dot-separated. The nibbles are
     * upper case, as the RFC 7208 test suite expects (RFC 7208 §7.4's example writes them in lower
     * case; DNS compares names case-insensitively, so lookups are the same either way).
     */
    String ipMacro() {
      if (v4) {
        return ip.getHostAddress();
      }
      byte[] b = ip.getAddress();
      StringBuilder s = new StringBuilder(63);
      for (byte x : b) {
        if (s.length() > 0) {
          s.append('.');
        }
        s.append(Character.toUpperCase(Character.forDigit((x >> 4) & 15, 16)))
            .append('.')
            .append(Character.toUpperCase(Character.forDigit(x & 15, 16)));
      }
      return s.toString();
    }
  }

  /** One check_host() call: a domain, its record and what its terms gave. */
  private static final class Frame {
    final String domain;
    final SpfReport.Trace.Via via;
    final Set<String> ancestors;
    SpfReport.@Nullable Lookup lookup;
    List<String> records = List.of();
    @Nullable SpfRecord record;
    final Map<SpfRecord.Term, Eval> evals = new LinkedHashMap<>();
    SpfResult result = SpfResult.NONE;
    String detail = "";
    SpfRecord.@Nullable Term decided;

    /** The frame whose directive decided (this one, or the end of a redirect chain). */
    @Nullable Frame decidingFrame;

    Frame(String domain, SpfReport.Trace.Via via, Set<String> ancestors) {
      this.domain = domain;
      this.via = via;
      this.ancestors = ancestors;
    }

    Frame end(SpfResult r, String why) {
      this.result = r;
      this.detail = why;
      return this;
    }
  }

  /** What evaluating one term gave. */
  private static final class Eval {
    final SpfReport.Term.Outcome outcome;
    final @Nullable SpfResult error;
    final String detail;
    final @Nullable String target;
    final List<SpfReport.Lookup> lookups;
    final @Nullable Frame child;

    Eval(
        SpfReport.Term.Outcome outcome,
        @Nullable SpfResult error,
        String detail,
        @Nullable String target,
        List<SpfReport.Lookup> lookups,
        @Nullable Frame child) {
      this.outcome = outcome;
      this.error = error;
      this.detail = detail;
      this.target = target;
      this.lookups = lookups;
      this.child = child;
    }
  }

  private static Eval match(
      String detail, @Nullable String target, List<SpfReport.Lookup> lookups) {
    return new Eval(SpfReport.Term.Outcome.MATCH, null, detail, target, lookups, null);
  }

  private static Eval noMatch(
      String detail, @Nullable String target, List<SpfReport.Lookup> lookups) {
    return new Eval(SpfReport.Term.Outcome.NO_MATCH, null, detail, target, lookups, null);
  }

  private static Eval error(
      SpfResult r, String detail, @Nullable String target, List<SpfReport.Lookup> lookups) {
    return new Eval(SpfReport.Term.Outcome.ERROR, r, detail, target, lookups, null);
  }

  // ------------------------------------------------------------------ check_host

  private CompletableFuture<Frame> checkHost(
      Run run, String rawDomain, SpfReport.Trace.Via via, Set<String> ancestors) {
    String domain = stripDot(rawDomain);
    Set<String> chain = new HashSet<>(ancestors);
    chain.add(domain.toLowerCase(Locale.ROOT));
    Frame f = new Frame(domain, via, Set.copyOf(chain));
    Name name = toName(domain);
    if (name == null) {
      return done(
          f.end(
              SpfResult.NONE,
              "\"" + printable(domain) + "\" is not a valid domain name (RFC 7208 §4.3)"));
    }
    if (domain.indexOf('.') < 0) {
      // RFC 7208 §4.3: check_host() returns none at once for a domain that is not multi-label
      // (a fully qualified email domain, RFC 5321 §2.3.5), without looking anything up.
      return done(
          f.end(
              SpfResult.NONE,
              "\""
                  + printable(domain)
                  + "\" is not a multi-label domain name: no SPF record is looked up (RFC 7208"
                  + " §4.3)"));
    }
    if (run.deadline.expired()) {
      return done(f.end(SpfResult.TEMPERROR, "no time left before the deadline"));
    }
    return dns.query(name, Type.TXT, run.deadline)
        .thenCompose(
            ans -> {
              List<String> texts = new ArrayList<>();
              for (TXTRecord r : ans.records(TXTRecord.class)) {
                texts.add(join(r));
              }
              f.lookup = new SpfReport.Lookup(domain, "TXT", ans.outcome(), texts, false);
              switch (ans.outcome()) {
                case ANSWER:
                  break;
                case NXDOMAIN:
                  return done(f.end(SpfResult.NONE, domain + " does not exist (NXDOMAIN)"));
                case NO_DATA:
                  return done(f.end(SpfResult.NONE, domain + " has no TXT records"));
                default:
                  return done(
                      f.end(
                          SpfResult.TEMPERROR,
                          "the TXT lookup for " + domain + " failed: " + ans.describe()));
              }
              List<String> spf = texts.stream().filter(SpfRecord::isSpf1).toList();
              f.records = spf;
              if (spf.isEmpty()) {
                return done(
                    f.end(
                        SpfResult.NONE,
                        domain
                            + " has "
                            + texts.size()
                            + " TXT record"
                            + (texts.size() == 1 ? "" : "s")
                            + " but none is an SPF record (v=spf1)"));
              }
              if (spf.size() > 1) {
                return done(
                    f.end(
                        SpfResult.PERMERROR,
                        domain
                            + " publishes "
                            + spf.size()
                            + " SPF records; exactly one is allowed (RFC 7208 §4.5)"));
              }
              SpfRecord rec = parse(spf.get(0));
              f.record = rec;
              if (!rec.valid()) {
                return done(
                    f.end(
                        SpfResult.PERMERROR,
                        "syntax error in the record of "
                            + domain
                            + " at column "
                            + rec.errorPosition()
                            + ": "
                            + rec.error()));
              }
              return terms(run, f, 0);
            });
  }

  private static final int PARSE_CACHE_SIZE = 256;

  /** Recently parsed records of this engine (parsing is a pure function of the text). */
  private final Map<String, SpfRecord> parsed =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SpfRecord> eldest) {
              return size() > PARSE_CACHE_SIZE;
            }
          });

  /** Parses a record; parsed records are immutable, so recent ones are kept. */
  SpfRecord parse(String text) {
    if (text.length() > 4096) {
      return SpfRecord.parse(text);
    }
    SpfRecord r = parsed.get(text);
    if (r == null) {
      r = SpfRecord.parse(text);
      parsed.put(text, r);
    }
    return r;
  }

  private CompletableFuture<Frame> terms(Run run, Frame f, int from) {
    List<SpfRecord.Term> terms =
        requireNonNull(f.record, "a frame's terms are read once its record is").terms();
    for (int i = from; i < terms.size(); i++) {
      SpfRecord.Term t = terms.get(i);
      if (!t.isMechanism()) {
        continue;
      }
      CompletableFuture<Eval> e = mechanism(run, f, t);
      if (e.isDone()) {
        Eval ev = e.join();
        if (apply(f, t, ev)) {
          return done(f);
        }
        continue;
      }
      int next = i + 1;
      return e.thenCompose(ev -> apply(f, t, ev) ? done(f) : terms(run, f, next));
    }
    return afterMechanisms(run, f);
  }

  /** Records a term's evaluation; true if it ended the record's evaluation. */
  private static boolean apply(Frame f, SpfRecord.Term t, Eval e) {
    f.evals.put(t, e);
    if (e.outcome == SpfReport.Term.Outcome.MATCH) {
      f.decided = t;
      f.decidingFrame = f;
      f.end(SpfResult.ofQualifier(t.qualifier()), t.text() + " matched: " + e.detail);
      return true;
    }
    if (e.outcome == SpfReport.Term.Outcome.ERROR) {
      f.decided = t;
      f.end(requireNonNull(e.error, "an ERROR outcome has its result"), t.text() + ": " + e.detail);
      return true;
    }
    return false;
  }

  private CompletableFuture<Frame> afterMechanisms(Run run, Frame f) {
    SpfRecord.Term redirect =
        requireNonNull(f.record, "a frame's terms are read once its record is").redirect();
    if (redirect == null) {
      f.decidingFrame = f;
      return done(
          f.end(
              SpfResult.NEUTRAL,
              "no mechanism matched and there is no redirect: the default result is neutral (RFC 7208 §4.7)"));
    }
    if (++run.lookups > MAX_LOOKUPS) {
      Eval e = error(SpfResult.PERMERROR, limitMessage(), null, List.of());
      f.evals.put(redirect, e);
      return done(f.end(SpfResult.PERMERROR, redirect.text() + ": " + e.detail));
    }
    return expand(run, f, requireNonNull(redirect.domainSpec(), "redirect= has a domain-spec"))
        .thenCompose(
            target -> {
              String key = stripDot(target).toLowerCase(Locale.ROOT);
              if (f.ancestors.contains(key)) {
                Eval e =
                    error(
                        SpfResult.PERMERROR,
                        "redirect loop: " + key + " is already being evaluated",
                        key,
                        List.of());
                f.evals.put(redirect, e);
                return done(f.end(SpfResult.PERMERROR, redirect.text() + ": " + e.detail));
              }
              return checkHost(run, target, SpfReport.Trace.Via.REDIRECT, f.ancestors)
                  .thenApply(
                      child -> {
                        SpfResult r = child.result;
                        String why;
                        if (r == SpfResult.NONE) {
                          r = SpfResult.PERMERROR;
                          why =
                              "the redirect target "
                                  + child.domain
                                  + " has no SPF record ("
                                  + child.detail
                                  + "): permerror (RFC 7208 §6.1)";
                        } else {
                          why =
                              "the redirect target "
                                  + child.domain
                                  + " returned "
                                  + label(r)
                                  + ": "
                                  + child.detail;
                        }
                        f.evals.put(
                            redirect,
                            new Eval(
                                r.isError()
                                    ? SpfReport.Term.Outcome.ERROR
                                    : SpfReport.Term.Outcome.APPLIED,
                                r.isError() ? r : null,
                                why,
                                child.domain,
                                List.of(),
                                child));
                        f.decided = redirect;
                        f.decidingFrame = child.decidingFrame;
                        return f.end(r, why);
                      });
            });
  }

  // ------------------------------------------------------------------ mechanisms

  private CompletableFuture<Eval> mechanism(Run run, Frame f, SpfRecord.Term t) {
    SpfRecord.Mechanism m = requireNonNull(t.mechanism(), "only mechanisms are evaluated");
    switch (m) {
      case ALL:
        return done(match("\"all\" matches every address", null, List.of()));
      case IP4:
      case IP6:
        return done(ipMechanism(run, t));
      default:
        break;
    }
    if (++run.lookups > MAX_LOOKUPS) {
      return done(error(SpfResult.PERMERROR, limitMessage(), null, List.of()));
    }
    if (run.deadline.expired()) {
      return done(error(SpfResult.TEMPERROR, "no time left before the deadline", null, List.of()));
    }
    CompletableFuture<String> target =
        t.domainSpec() == null ? done(f.domain) : expand(run, f, t.domainSpec());
    return target.thenCompose(
        raw -> {
          String tgt = targetDomain(raw);
          switch (m) {
            case INCLUDE:
              return include(run, f, tgt);
            case A:
              return a(run, tgt, t);
            case MX:
              return mx(run, tgt, t);
            case PTR:
              return ptr(run, tgt);
            case EXISTS:
            default:
              return exists(run, tgt);
          }
        });
  }

  private static String limitMessage() {
    return "more than "
        + MAX_LOOKUPS
        + " DNS-querying terms (include, a, mx, ptr, exists, redirect): permerror (RFC 7208 §4.6.4)";
  }

  private static Eval ipMechanism(Run run, SpfRecord.Term t) {
    boolean v4 = t.mechanism() == SpfRecord.Mechanism.IP4;
    InetAddress network = requireNonNull(t.network(), "ip4 and ip6 have a network");
    String net = InetAddresses.toLiteral(network) + "/" + (v4 ? t.cidr4() : t.cidr6());
    String ip = InetAddresses.toLiteral(run.ip);
    if (v4 != run.v4) {
      return noMatch(
          ip
              + " is "
              + (run.v4 ? "an IPv4" : "an IPv6")
              + " address; "
              + requireNonNull(t.mechanism()).label()
              + " only covers "
              + (v4 ? "IPv4" : "IPv6"),
          null,
          List.of());
    }
    boolean in = contains(network, v4 ? t.cidr4() : t.cidr6(), run.ip);
    return in
        ? match(ip + " is in " + net, null, List.of())
        : noMatch(ip + " is not in " + net, null, List.of());
  }

  private CompletableFuture<Eval> include(Run run, Frame f, String target) {
    String key = target.toLowerCase(Locale.ROOT);
    if (f.ancestors.contains(key)) {
      return done(
          error(
              SpfResult.PERMERROR,
              "include loop: " + target + " is already being evaluated",
              target,
              List.of()));
    }
    return checkHost(run, target, SpfReport.Trace.Via.INCLUDE, f.ancestors)
        .thenApply(
            child -> {
              switch (child.result) {
                case PASS:
                  return new Eval(
                      SpfReport.Term.Outcome.MATCH,
                      null,
                      target + " returned pass",
                      target,
                      List.of(),
                      child);
                case FAIL:
                case SOFTFAIL:
                case NEUTRAL:
                  return new Eval(
                      SpfReport.Term.Outcome.NO_MATCH,
                      null,
                      target
                          + " returned "
                          + label(child.result)
                          + ", so the include does not match",
                      target,
                      List.of(),
                      child);
                case NONE:
                  return new Eval(
                      SpfReport.Term.Outcome.ERROR,
                      SpfResult.PERMERROR,
                      target
                          + " has no SPF record ("
                          + child.detail
                          + "): an include of it is a permerror (RFC 7208 §5.2)",
                      target,
                      List.of(),
                      child);
                default:
                  return new Eval(
                      SpfReport.Term.Outcome.ERROR,
                      child.result,
                      target + " returned " + label(child.result) + ": " + child.detail,
                      target,
                      List.of(),
                      child);
              }
            });
  }

  private CompletableFuture<Eval> a(Run run, String target, SpfRecord.Term t) {
    Name name = toName(target);
    if (name == null) {
      return done(
          noMatch(
              "\"" + printable(target) + "\" is not a valid domain name: treated as non-existent",
              target,
              List.of()));
    }
    int type = run.v4 ? Type.A : Type.AAAA;
    return dns.query(name, type, run.deadline)
        .thenApply(
            ans -> {
              List<SpfReport.Lookup> lk = new ArrayList<>(1);
              Eval e = addressMatch(run, target, ans, t, lk, false);
              return e;
            });
  }

  /** Matches the client against an address answer; null if no match and no error (for MX hosts). */
  private Eval addressMatch(
      Run run,
      String target,
      DnsAnswer ans,
      SpfRecord.Term t,
      List<SpfReport.Lookup> lk,
      boolean mxHost) {
    List<InetAddress> addrs = addresses(ans);
    boolean isVoid = ans.outcome() == DnsOutcome.NXDOMAIN || ans.outcome() == DnsOutcome.NO_DATA;
    lk.add(
        new SpfReport.Lookup(
            target,
            Type.string(ans.type()),
            ans.outcome(),
            addrs.stream().map(InetAddresses::toLiteral).toList(),
            isVoid));
    if (!ans.outcome().isDefinite()) {
      return error(
          SpfResult.TEMPERROR,
          "the " + Type.string(ans.type()) + " lookup for " + target + " failed: " + ans.describe(),
          target,
          lk);
    }
    if (isVoid) {
      if (++run.voids > MAX_VOID_LOOKUPS) {
        return error(
            SpfResult.PERMERROR,
            "the "
                + Type.string(ans.type())
                + " lookup for "
                + target
                + " found nothing ("
                + label(ans.outcome())
                + "), the "
                + run.voids
                + "th void lookup: more than "
                + MAX_VOID_LOOKUPS
                + " is a permerror (RFC 7208 §4.6.4)",
            target,
            lk);
      }
      return noMatch(
          target
              + " has no "
              + Type.string(ans.type())
              + " records ("
              + label(ans.outcome())
              + ", a void lookup)",
          target,
          lk);
    }
    int len = run.v4 ? t.cidr4() : t.cidr6();
    for (InetAddress a : addrs) {
      if (contains(a, len, run.ip)) {
        return match(
            InetAddresses.toLiteral(run.ip)
                + " is in "
                + InetAddresses.toLiteral(a)
                + "/"
                + len
                + (mxHost
                    ? " (MX host " + target + ")"
                    : " (" + Type.string(ans.type()) + " of " + target + ")"),
            target,
            lk);
      }
    }
    return noMatch(
        InetAddresses.toLiteral(run.ip)
            + " is not among the addresses of "
            + target
            + " ("
            + addrs.stream()
                .map(x -> InetAddresses.toLiteral(x) + "/" + len)
                .collect(Collectors.joining(", "))
            + ")",
        target,
        lk);
  }

  /**
   * The mx mechanism (RFC 7208 §5.4): the MX records of the target, then the addresses of their
   * hosts.
   */
  private CompletableFuture<Eval> mx(Run run, String target, SpfRecord.Term t) {
    Name name = toName(target);
    if (name == null) {
      return done(
          noMatch(
              "\"" + printable(target) + "\" is not a valid domain name: treated as non-existent",
              target,
              List.of()));
    }
    return dns.query(name, Type.MX, run.deadline)
        .thenCompose(ans -> mxRecords(run, target, t, ans));
  }

  /**
   * The MX lookup of the mx mechanism: a failure is a temperror, no records a void lookup (§4.6.4)
   * that matches nothing, more than {@code MAX_NAMES} records a permerror (§4.6.4).
   */
  private CompletableFuture<Eval> mxRecords(
      Run run, String target, SpfRecord.Term t, DnsAnswer ans) {
    List<SpfReport.Lookup> lk = new ArrayList<>();
    List<MXRecord> mxs = new ArrayList<>(ans.records(MXRecord.class));
    mxs.sort(Comparator.comparingInt(MXRecord::getPriority));
    boolean isVoid = ans.outcome() == DnsOutcome.NXDOMAIN || ans.outcome() == DnsOutcome.NO_DATA;
    lk.add(
        new SpfReport.Lookup(
            target,
            "MX",
            ans.outcome(),
            mxs.stream().map(r -> r.getPriority() + " " + r.getTarget().toString(true)).toList(),
            isVoid));
    if (!ans.outcome().isDefinite()) {
      return done(
          error(
              SpfResult.TEMPERROR,
              "the MX lookup for " + target + " failed: " + ans.describe(),
              target,
              lk));
    }
    if (isVoid) {
      if (++run.voids > MAX_VOID_LOOKUPS) {
        return done(
            error(
                SpfResult.PERMERROR,
                "the MX lookup for "
                    + target
                    + " found nothing, the "
                    + run.voids
                    + "th void lookup: more than "
                    + MAX_VOID_LOOKUPS
                    + " is a permerror (RFC 7208 §4.6.4)",
                target,
                lk));
      }
      return done(
          noMatch(
              target
                  + " has no MX records ("
                  + label(ans.outcome())
                  + ", a void lookup); the mx mechanism does not fall back "
                  + "to the domain's address (RFC 7208 §5.4)",
              target,
              lk));
    }
    if (mxs.size() > MAX_NAMES) {
      return done(
          error(
              SpfResult.PERMERROR,
              target
                  + " has "
                  + mxs.size()
                  + " MX records; an mx mechanism may look up at most "
                  + MAX_NAMES
                  + " (RFC 7208 §4.6.4)",
              target,
              lk));
    }
    List<String> hosts = new ArrayList<>();
    for (MXRecord r : mxs) {
      if (!r.getTarget().equals(Name.root)) {
        hosts.add(stripDot(r.getTarget().toString()));
      }
    }
    if (hosts.isEmpty()) {
      return done(noMatch(target + " publishes a null MX: no host to match", target, lk));
    }
    return mxHosts(run, target, t, hosts, lk);
  }

  /**
   * The second step of the mx mechanism (RFC 7208 §5.4): it matches when the client's address is
   * one of an MX host's addresses, of the client's address family.
   */
  private CompletableFuture<Eval> mxHosts(
      Run run, String target, SpfRecord.Term t, List<String> hosts, List<SpfReport.Lookup> lk) {
    int type = run.v4 ? Type.A : Type.AAAA;
    List<CompletableFuture<DnsAnswer>> answers = new ArrayList<>();
    for (String h : hosts) {
      Name hn = toName(h);
      answers.add(
          hn == null ? CompletableFuture.completedFuture(null) : dns.query(hn, type, run.deadline));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<String> seen = new ArrayList<>();
              for (int i = 0; i < hosts.size(); i++) {
                DnsAnswer a = answers.get(i).join();
                if (a == null) {
                  continue;
                }
                Eval e = addressMatch(run, hosts.get(i), a, t, lk, true);
                if (e.outcome != SpfReport.Term.Outcome.NO_MATCH) {
                  return new Eval(e.outcome, e.error, e.detail, target, lk, null);
                }
                seen.add(hosts.get(i));
              }
              return noMatch(
                  InetAddresses.toLiteral(run.ip)
                      + " is not an address of any MX host of "
                      + target
                      + " ("
                      + String.join(", ", seen)
                      + ")",
                  target,
                  lk);
            });
  }

  private CompletableFuture<Eval> ptr(Run run, String target) {
    Name rev = ReverseMap.fromAddress(run.ip);
    String revName = stripDot(rev.toString());
    return dns.query(rev, Type.PTR, run.deadline)
        .thenCompose(
            ans -> {
              List<SpfReport.Lookup> lk = new ArrayList<>();
              List<String> names = ptrNames(ans);
              boolean isVoid =
                  ans.outcome() == DnsOutcome.NXDOMAIN || ans.outcome() == DnsOutcome.NO_DATA;
              lk.add(new SpfReport.Lookup(revName, "PTR", ans.outcome(), names, isVoid));
              if (!ans.outcome().isDefinite()) {
                return done(
                    noMatch(
                        "the PTR lookup for "
                            + InetAddresses.toLiteral(run.ip)
                            + " failed ("
                            + ans.describe()
                            + "): the ptr mechanism does not match (RFC 7208 §5.5)",
                        target,
                        lk));
              }
              if (isVoid) {
                if (++run.voids > MAX_VOID_LOOKUPS) {
                  return done(
                      error(
                          SpfResult.PERMERROR,
                          "the PTR lookup found nothing, the "
                              + run.voids
                              + "th void lookup: more than "
                              + MAX_VOID_LOOKUPS
                              + " is a permerror (RFC 7208 §4.6.4)",
                          target,
                          lk));
                }
                return done(
                    noMatch(
                        InetAddresses.toLiteral(run.ip) + " has no PTR record (a void lookup)",
                        target,
                        lk));
              }
              List<String> first = names.size() > MAX_NAMES ? names.subList(0, MAX_NAMES) : names;
              List<String> candidates = first.stream().filter(n -> isSubdomain(n, target)).toList();
              if (candidates.isEmpty()) {
                return done(
                    noMatch(
                        "no PTR name of "
                            + InetAddresses.toLiteral(run.ip)
                            + " ("
                            + String.join(", ", first)
                            + ") is in "
                            + target,
                        target,
                        lk));
              }
              int type = run.v4 ? Type.A : Type.AAAA;
              List<CompletableFuture<DnsAnswer>> answers = new ArrayList<>();
              for (String n : candidates) {
                Name hn = toName(n);
                answers.add(
                    hn == null
                        ? CompletableFuture.completedFuture(null)
                        : dns.query(hn, type, run.deadline));
              }
              return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                  .thenApply(v -> validatedPtrMatch(run, target, candidates, answers, type, lk));
            });
  }

  /**
   * The ptr mechanism's second step (RFC 7208 §5.5): a candidate name is validated when one of its
   * addresses is the client's; the first validated name in the target domain matches.
   */
  private static Eval validatedPtrMatch(
      Run run,
      String target,
      List<String> candidates,
      List<CompletableFuture<DnsAnswer>> answers,
      int type,
      List<SpfReport.Lookup> lk) {
    for (int i = 0; i < candidates.size(); i++) {
      DnsAnswer a = answers.get(i).join();
      if (a == null) {
        continue;
      }
      List<InetAddress> addrs = addresses(a);
      boolean aVoid = a.outcome() == DnsOutcome.NXDOMAIN || a.outcome() == DnsOutcome.NO_DATA;
      lk.add(
          new SpfReport.Lookup(
              candidates.get(i),
              Type.string(type),
              a.outcome(),
              addrs.stream().map(InetAddresses::toLiteral).toList(),
              false));
      // RFC 7208 §5.5: a DNS error skips that name. A name without an
      // address is not a void lookup of the record: the void limit of §4.6.4
      // counts terms, and PTR names are the connecting client's, not the
      // domain's (§4.6.4 bounds them with its own rule: the first 10 only).
      if (!a.outcome().isDefinite() || aVoid) {
        continue;
      }
      if (addrs.contains(run.ip)) {
        return match(
            candidates.get(i)
                + " is a validated PTR name of "
                + InetAddresses.toLiteral(run.ip)
                + " in "
                + target,
            target,
            lk);
      }
    }
    return noMatch(
        "no PTR name of "
            + InetAddresses.toLiteral(run.ip)
            + " in "
            + target
            + " resolves back to it",
        target,
        lk);
  }

  private CompletableFuture<Eval> exists(Run run, String target) {
    Name name = toName(target);
    if (name == null) {
      return done(
          noMatch(
              "\"" + printable(target) + "\" is not a valid domain name: treated as non-existent",
              target,
              List.of()));
    }
    return dns.query(name, Type.A, run.deadline)
        .thenApply(
            ans -> {
              List<InetAddress> addrs = addresses(ans);
              boolean isVoid =
                  ans.outcome() == DnsOutcome.NXDOMAIN || ans.outcome() == DnsOutcome.NO_DATA;
              List<SpfReport.Lookup> lk =
                  List.of(
                      new SpfReport.Lookup(
                          target,
                          "A",
                          ans.outcome(),
                          addrs.stream().map(InetAddresses::toLiteral).toList(),
                          isVoid));
              if (!ans.outcome().isDefinite()) {
                return error(
                    SpfResult.TEMPERROR,
                    "the A lookup for " + target + " failed: " + ans.describe(),
                    target,
                    lk);
              }
              if (isVoid) {
                if (++run.voids > MAX_VOID_LOOKUPS) {
                  return error(
                      SpfResult.PERMERROR,
                      "the A lookup for "
                          + target
                          + " found nothing, the "
                          + run.voids
                          + "th void lookup: more than "
                          + MAX_VOID_LOOKUPS
                          + " is a permerror (RFC 7208 §4.6.4)",
                      target,
                      lk);
                }
                return noMatch(target + " has no A record (a void lookup)", target, lk);
              }
              return match(
                  target + " exists (A " + InetAddresses.toLiteral(addrs.get(0)) + ")", target, lk);
            });
  }

  // ------------------------------------------------------------------ macros and exp

  private CompletableFuture<String> expand(Run run, Frame f, SpfMacro m) {
    if (!m.uses('p')) {
      return done(m.expand(values(run, f.domain, null)));
    }
    return pMacro(run, f.domain).thenApply(p -> m.expand(values(run, f.domain, p)));
  }

  private SpfMacro.Values values(Run run, String domain, @Nullable String p) {
    return letter -> {
      switch (letter) {
        case 's':
          return run.sender;
        case 'l':
          return run.local;
        case 'o':
          return run.senderDomain;
        case 'd':
          return domain;
        case 'i':
          return run.ipMacro();
        case 'p':
          return p == null ? "unknown" : p;
        case 'v':
          return run.v4 ? "in-addr" : "ip6";
        case 'h':
          return run.helo;
        case 'c':
          return InetAddresses.toLiteral(run.ip);
        case 'r':
          return receiver;
        case 't':
          return Long.toString(clock.instant().getEpochSecond());
        default:
          return "";
      }
    };
  }

  /**
   * The validated domain name of the client (RFC 7208 §7.3 "p"): a subdomain of the domain if there
   * is one.
   */
  private CompletableFuture<String> pMacro(Run run, String domain) {
    if (run.validatedNames == null) {
      run.validatedNames =
          dns.query(ReverseMap.fromAddress(run.ip), Type.PTR, run.deadline)
              .thenCompose(
                  ans -> {
                    List<String> names = ptrNames(ans);
                    List<String> first =
                        names.size() > MAX_NAMES ? names.subList(0, MAX_NAMES) : names;
                    int type = run.v4 ? Type.A : Type.AAAA;
                    List<CompletableFuture<DnsAnswer>> answers = new ArrayList<>();
                    for (String n : first) {
                      Name hn = toName(n);
                      answers.add(
                          hn == null
                              ? CompletableFuture.completedFuture(null)
                              : dns.query(hn, type, run.deadline));
                    }
                    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                        .thenApply(
                            v -> {
                              List<String> valid = new ArrayList<>();
                              for (int i = 0; i < first.size(); i++) {
                                DnsAnswer a = answers.get(i).join();
                                if (a != null && addresses(a).contains(run.ip)) {
                                  valid.add(first.get(i));
                                }
                              }
                              return valid;
                            });
                  });
    }
    return run.validatedNames.thenApply(
        valid -> {
          for (String v : valid) {
            if (v.equalsIgnoreCase(domain)) {
              return v;
            }
          }
          for (String v : valid) {
            if (isSubdomain(v, domain)) {
              return v;
            }
          }
          return valid.isEmpty() ? "unknown" : valid.get(0);
        });
  }

  /**
   * The outcome of check_host(): its result, the mechanism that decided it and, for fail, the
   * explanation (RFC 7208 §6.2).
   */
  private CompletableFuture<Outcome> finish(Run run, Frame root) {
    Decision decision = Decision.of(root);
    if (root.result != SpfResult.FAIL) {
      return done(outcome(run, root, null, false, decision));
    }
    String fallback = defaultExplanation(root.domain, run.ip);
    Frame decider = root.decidingFrame;
    SpfRecord.Term expTerm =
        decider == null || decider.record == null ? null : decider.record.exp();
    if (expTerm == null || decider == null) {
      return done(outcome(run, root, fallback, false, decision));
    }
    return new Explanation(run, root, decider, expTerm, fallback, decision).fetch();
  }

  /** The mechanism that matched and decided the result, and the domain whose record holds it. */
  private record Decision(@Nullable String mechanism, @Nullable String domain) {

    /** Follows the redirects from the root to the directive that decided (RFC 7208 §6.1). */
    static Decision of(Frame root) {
      Frame walk = root;
      while (walk != null && walk.decided != null) {
        Eval e = walk.evals.get(walk.decided);
        if (walk.decided.isMechanism()) {
          if (e != null && e.outcome == SpfReport.Term.Outcome.MATCH) {
            return new Decision(walk.decided.text(), walk.domain);
          }
          break;
        }
        walk = e == null ? null : e.child; // follow redirect
      }
      return new Decision(null, null);
    }
  }

  /**
   * The explanation of a fail (RFC 7208 §6.2): the one TXT record at the expanded domain-spec of
   * the exp modifier of the record that decided, macro-expanded. Any problem with it leaves the
   * default explanation.
   */
  private final class Explanation {
    final Run run;
    final Frame root;
    final Frame source;
    final SpfRecord.Term expTerm;
    final String fallback;
    final Decision decision;

    Explanation(
        Run run,
        Frame root,
        Frame source,
        SpfRecord.Term expTerm,
        String fallback,
        Decision decision) {
      this.run = run;
      this.root = root;
      this.source = source;
      this.expTerm = expTerm;
      this.fallback = fallback;
      this.decision = decision;
    }

    CompletableFuture<Outcome> fetch() {
      return expand(run, source, requireNonNull(expTerm.domainSpec(), "exp= has a domain-spec"))
          .thenCompose(
              raw -> {
                String target = targetDomain(raw);
                Name name = toName(target);
                if (name == null) {
                  return done(
                      withDefault(
                          "\""
                              + printable(target)
                              + "\" is not a valid domain name: the default explanation is used",
                          target,
                          List.of()));
                }
                return dns.query(name, Type.TXT, run.deadline)
                    .thenCompose(ans -> fromTxt(target, ans));
              });
    }

    private CompletableFuture<Outcome> fromTxt(String target, DnsAnswer ans) {
      List<String> texts = ans.records(TXTRecord.class).stream().map(SpfEngine::join).toList();
      List<SpfReport.Lookup> lk =
          List.of(new SpfReport.Lookup(target, "TXT", ans.outcome(), texts, false));
      String problem = null;
      SpfMacro m = null;
      if (ans.outcome() != DnsOutcome.ANSWER) {
        problem = "the TXT lookup for " + target + " gave " + ans.describe();
      } else if (texts.size() != 1) {
        problem = target + " has " + texts.size() + " TXT records, not exactly one";
      } else {
        try {
          m = SpfMacro.parse(texts.get(0), true);
        } catch (SpfMacro.SyntaxException e) {
          problem =
              "the explanation \"" + printable(texts.get(0)) + "\" is invalid: " + e.getMessage();
        }
      }
      if (m == null) {
        return done(
            withDefault(problem + "; the default explanation is used (RFC 7208 §6.2)", target, lk));
      }
      SpfMacro msg = m;
      CompletableFuture<String> text =
          msg.uses('p')
              ? pMacro(run, source.domain).thenApply(p -> msg.expand(values(run, source.domain, p)))
              : done(msg.expand(values(run, source.domain, null)));
      return text.thenApply(
          x -> {
            source.evals.put(
                expTerm,
                new Eval(
                    SpfReport.Term.Outcome.APPLIED, null, "explanation: " + x, target, lk, null));
            return outcome(run, root, x, true, decision);
          });
    }

    private Outcome withDefault(String why, String target, List<SpfReport.Lookup> lk) {
      source.evals.put(
          expTerm, new Eval(SpfReport.Term.Outcome.NOT_EVALUATED, null, why, target, lk, null));
      return outcome(run, root, fallback, false, decision);
    }
  }

  private Outcome outcome(
      Run run, Frame root, @Nullable String explanation, boolean fromRecord, Decision decision) {
    return new Outcome(
        root.result,
        root.detail,
        explanation,
        fromRecord,
        decision.mechanism(),
        decision.domain(),
        Math.min(run.lookups, MAX_LOOKUPS + 1),
        run.voids,
        trace(root));
  }

  private static SpfReport.Trace trace(Frame f) {
    List<SpfReport.Term> terms = new ArrayList<>();
    if (f.record != null) {
      for (SpfRecord.Term t : f.record.terms()) {
        Eval e = f.evals.get(t);
        if (e == null) {
          String why =
              !t.isMechanism()
                      && t.modifier() != null
                      && !t.modifier().equals("redirect")
                      && !t.modifier().equals("exp")
                  ? "unknown modifier, ignored (RFC 7208 §6)"
                  : t.modifier() != null && t.modifier().equals("exp")
                      ? "used only when the result is fail"
                      : "not evaluated: an earlier term decided the result";
          terms.add(
              new SpfReport.Term(
                  t.text(),
                  t.position(),
                  SpfReport.Term.Outcome.NOT_EVALUATED,
                  null,
                  why,
                  List.of(),
                  null));
        } else {
          terms.add(
              new SpfReport.Term(
                  t.text(),
                  t.position(),
                  e.outcome,
                  e.target,
                  e.detail,
                  e.lookups,
                  e.child == null ? null : trace(e.child)));
        }
      }
    }
    return new SpfReport.Trace(f.domain, f.via, f.lookup, f.records, terms, f.result, f.detail);
  }

  // ------------------------------------------------------------------ helpers

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** A TXT record's strings joined without separator, one char per byte (RFC 7208 §3.3). */
  static String join(TXTRecord r) {
    List<byte[]> parts = r.getStringsAsByteArrays();
    if (parts.size() == 1) {
      return new String(parts.get(0), StandardCharsets.ISO_8859_1);
    }
    StringBuilder b = new StringBuilder();
    for (byte[] p : parts) {
      b.append(new String(p, StandardCharsets.ISO_8859_1));
    }
    return b.toString();
  }

  private static List<InetAddress> addresses(DnsAnswer a) {
    List<InetAddress> out = new ArrayList<>(a.records().size());
    for (Record r : a.records()) {
      if (r instanceof ARecord) {
        out.add(((ARecord) r).getAddress());
      } else if (r instanceof AAAARecord) {
        out.add(((AAAARecord) r).getAddress());
      }
    }
    return out;
  }

  private static List<String> ptrNames(DnsAnswer a) {
    List<String> names = new ArrayList<>();
    for (PTRRecord r : a.records(PTRRecord.class)) {
      names.add(stripDot(r.getTarget().toString()));
    }
    return names;
  }

  static boolean contains(InetAddress network, int prefix, InetAddress ip) {
    byte[] n = network.getAddress();
    byte[] x = ip.getAddress();
    if (n.length != x.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (n[i] != x[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (n[full] & mask) == (x[full] & mask);
  }

  static boolean isSubdomain(String name, String domain) {
    String n = stripDot(name).toLowerCase(Locale.ROOT);
    String d = stripDot(domain).toLowerCase(Locale.ROOT);
    return n.equals(d) || n.endsWith("." + d);
  }

  static String stripDot(String s) {
    return s.endsWith(".") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * An expanded target: trailing dot dropped, over-long names shortened from the left (RFC 7208
   * §7.3).
   */
  static String targetDomain(String expanded) {
    String s = stripDot(expanded);
    while (s.length() > 253) {
      int dot = s.indexOf('.');
      if (dot < 0) {
        break;
      }
      s = s.substring(dot + 1);
    }
    return s;
  }

  /**
   * The DNS name for a domain, or null if it cannot be one (empty or long labels, RFC 1035 §2.3.4).
   */
  public static @Nullable Name toName(String domain) {
    String d = stripDot(domain);
    if (d.isEmpty() || d.length() > 253 || d.startsWith("[")) {
      return null;
    }
    StringBuilder b = new StringBuilder(d.length() + 8);
    int labelLen = 0;
    for (int i = 0; i < d.length(); i++) {
      char c = d.charAt(i);
      if (c == '.') {
        if (labelLen == 0) {
          return null;
        }
        labelLen = 0;
        b.append('.');
        continue;
      }
      if (c > 0xff) {
        return null;
      }
      labelLen++;
      if (labelLen > 63) {
        return null;
      }
      if (c == '\\' || c <= 0x20 || c >= 0x7f || c == '"' || c == '(' || c == ')' || c == ';'
          || c == '@' || c == '$') {
        b.append('\\').append(String.format("%03d", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('.');
    try {
      return Name.fromString(b.toString());
    } catch (TextParseException e) {
      return null;
    }
  }

  private static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 300; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c <= 0x7e ? String.valueOf(c) : String.format("\\u%04X", (int) c));
    }
    return b.toString();
  }
}
