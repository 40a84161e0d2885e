package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNS server for tests: real UDP and TCP on a loopback ephemeral port, answering from records
 * given as zone-file text or through the builder methods, with faults per name on demand.
 *
 * <pre>{@code
 * try (MockDnsServer dns = MockDnsServer.start()) {
 *   dns.zone("""
 *       $ORIGIN example.test.
 *       @    300 IN MX 10 mx1
 *       mx1  300 IN A  192.0.2.10
 *       """);
 *   dns.fault("slow.example.test", DnsFault.delay(Duration.ofMillis(200)));
 *   InetSocketAddress server = dns.address();   // point the code under test here
 * }
 * }</pre>
 *
 * <p>It answers authoritatively (and sets RA, so stub resolvers accept it): records of the asked
 * type; CNAMEs followed within its data; NODATA or NXDOMAIN with a SOA in the authority section;
 * simple wildcards ({@code *.example.test}). UDP answers larger than the client's EDNS buffer (512
 * bytes without EDNS) are truncated with the TC bit, as a real server does. Every query is logged
 * for assertions ({@link #queries()}, {@link #queryCount(String, String)}).
 *
 * <p>DNSSEC: for a query with the DO bit it adds the RRSIG records of the answer and, for negative
 * answers, the signed SOA and the NSEC records that prove the denial, if the data holds them (see
 * {@link SignedZone}); it sets the AD bit only for names marked {@linkplain #authenticated
 * authenticated}, as a validating resolver would.
 *
 * <p>Records and faults may be changed while it runs. Thread-safe. Close it to free the port and
 * end its threads (all daemon threads named {@code mockdns-*}).
 */
public final class MockDnsServer implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final long DEFAULT_TTL = 300;

  private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
  private final Map<String, DnsFault> faults = new ConcurrentHashMap<>();
  private final Set<Name> authenticated = ConcurrentHashMap.newKeySet();
  private volatile @Nullable DnsFault faultAll;
  private volatile Duration delayAll = Duration.ZERO;
  private volatile @Nullable Set<Name> nodes;

  /** Guarded by itself; not copy-on-write: a copy per query made a long run quadratic. */
  private final List<DnsQueryLog> log = new ArrayList<>();

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final ScheduledThreadPoolExecutor delayer;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final int id = IDS.incrementAndGet();
  private final InetSocketAddress bound;
  private volatile boolean closed;

  private MockDnsServer(InetAddress bind) throws IOException {
    DatagramSocket u = null;
    ServerSocket t = null;
    for (int attempt = 0; attempt < 20 && t == null; attempt++) {
      u = new DatagramSocket(new InetSocketAddress(bind, 0));
      try {
        t = new ServerSocket();
        t.setReuseAddress(true);
        t.bind(new InetSocketAddress(bind, u.getLocalPort()), 64);
      } catch (IOException e) {
        u.close();
        if (t != null) {
          t.close();
        }
        t = null;
      }
    }
    if (t == null || u == null) {
      throw new IOException("could not bind UDP and TCP to the same port on " + bind);
    }
    // A large receive buffer (the kernel caps it at net.core.rmem_max): bursts of thousands of
    // queries from concurrent diagnoses queue instead of being dropped, as a real server's would.
    try {
      u.setReceiveBufferSize(8 << 20);
    } catch (IOException e) {
      // keep the default
    }
    this.udp = u;
    this.tcp = t;
    this.bound = new InetSocketAddress(u.getLocalAddress(), u.getLocalPort());
    this.delayer =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread th = new Thread(r, "mockdns-" + id + "-delay");
              th.setDaemon(true);
              return th;
            });
    delayer.setRemoveOnCancelPolicy(true);
    thread("udp", this::udpLoop);
    thread("tcp-accept", this::tcpLoop);
  }

  /**
   * Starts an empty server on {@code 127.0.0.1} and an ephemeral port.
   *
   * @return the running server
   * @throws IllegalStateException if no port can be bound
   */
  public static MockDnsServer start() {
    return start(InetAddress.getLoopbackAddress());
  }

  /**
   * Starts an empty server on a loopback address (for example {@code ::1}).
   *
   * @param bind a loopback address
   * @return the running server
   */
  public static MockDnsServer start(InetAddress bind) {
    requireNonNull(bind, "bind");
    if (!bind.isLoopbackAddress()) {
      throw new IllegalArgumentException("MockDnsServer binds to loopback only, not " + bind);
    }
    try {
      return new MockDnsServer(bind);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start MockDnsServer: " + e.getMessage(), e);
    }
  }

  /**
   * Where the server listens, for UDP and TCP.
   *
   * @return loopback address and port
   */
  public InetSocketAddress address() {
    return bound;
  }

  /**
   * @return the port, the same for UDP and TCP
   */
  public int port() {
    return bound.getPort();
  }

  /**
   * The address as {@code host:port}, as the CLI's {@code --dns} option takes it.
   *
   * @return for example {@code 127.0.0.1:53535}
   */
  public String hostPort() {
    String h = bound.getAddress().getHostAddress();
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port();
  }

  // ---------------------------------------------------------------- records

  /**
   * Adds the records of zone-file text (RFC 1035 §5): {@code $ORIGIN}, {@code $TTL}, relative
   * names, parentheses and comments are understood. Without {@code $ORIGIN}, names are relative to
   * the root.
   *
   * @param zoneText the zone text
   * @return this server
   * @throws IllegalArgumentException if the text does not parse, with the line
   */
  public MockDnsServer zone(String zoneText) {
    return zone(".", zoneText);
  }

  /**
   * Adds the records of zone-file text whose relative names are relative to {@code origin}.
   *
   * @param origin for example {@code example.test}
   * @param zoneText the zone text
   * @return this server
   */
  public MockDnsServer zone(String origin, String zoneText) {
    requireNonNull(zoneText, "zoneText");
    List<Record> parsed = new ArrayList<>();
    try (Master m =
        new Master(
            new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.UTF_8)),
            name(origin),
            DEFAULT_TTL)) {
      Record r;
      while ((r = m.nextRecord()) != null) {
        parsed.add(r);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("zone text does not parse: " + e.getMessage(), e);
    }
    parsed.forEach(this::add);
    return this;
  }

  /**
   * Adds one record written as a zone-file line, for example {@code "example.test. 300 IN MX 10
   * mx1.example.test."}; relative names are relative to the root, the TTL defaults to 300.
   *
   * @param line the record
   * @return this server
   */
  public MockDnsServer record(String line) {
    return zone(".", line + "\n");
  }

  /**
   * Adds an MX record.
   *
   * @param domain owner name
   * @param preference MX preference
   * @param host target ({@code "."} for a null MX)
   * @return this server
   */
  public MockDnsServer mx(String domain, int preference, String host) {
    return record(abs(domain) + " " + DEFAULT_TTL + " IN MX " + preference + " " + abs(host));
  }

  /**
   * Adds an A record.
   *
   * @param name owner name
   * @param ipv4 the address
   * @return this server
   */
  public MockDnsServer a(String name, String ipv4) {
    return record(abs(name) + " " + DEFAULT_TTL + " IN A " + ipv4);
  }

  /**
   * Adds an AAAA record.
   *
   * @param name owner name
   * @param ipv6 the address
   * @return this server
   */
  public MockDnsServer aaaa(String name, String ipv6) {
    return record(abs(name) + " " + DEFAULT_TTL + " IN AAAA " + ipv6);
  }

  /**
   * Adds a CNAME record.
   *
   * @param name the alias
   * @param target the canonical name
   * @return this server
   */
  public MockDnsServer cname(String name, String target) {
    return record(abs(name) + " " + DEFAULT_TTL + " IN CNAME " + abs(target));
  }

  /**
   * Adds a TXT record with one or more character-strings (each at most 255 bytes; quotes and
   * backslashes are escaped for you).
   *
   * @param name owner name
   * @param strings the character-strings, concatenated by readers
   * @return this server
   */
  public MockDnsServer txt(String name, String... strings) {
    return record(abs(name) + " " + DEFAULT_TTL + " IN TXT " + quoted(strings));
  }

  /**
   * Adds a record from its raw RDATA (RFC 1035 §3.2.1), for data a zone file cannot express: TXT
   * strings with arbitrary bytes (NUL, non-ASCII), a TXT record with no strings, owner names with
   * spaces.
   *
   * @param name owner name ({@code \DDD} escapes allowed; other characters are taken as they are)
   * @param type type mnemonic, for example {@code TXT} or {@code SPF}
   * @param rdata the record data in wire format
   * @return this server
   */
  public MockDnsServer rawRecord(String name, String type, byte[] rdata) {
    requireNonNull(rdata, "rdata");
    add(Record.newRecord(name(name), type(type), DClass.IN, DEFAULT_TTL, rdata));
    return this;
  }

  /**
   * Adds a TXT-format record (TXT or SPF type 99) whose character-strings are given as bytes.
   *
   * @param name owner name
   * @param type {@code TXT} or {@code SPF}
   * @param strings the character-strings, each at most 255 bytes; none for an empty record
   * @return this server
   */
  public MockDnsServer txtBytes(String name, String type, byte[]... strings) {
    java.io.ByteArrayOutputStream rdata = new java.io.ByteArrayOutputStream();
    for (byte[] s : strings) {
      if (s.length > 255) {
        throw new IllegalArgumentException(
            "a TXT character-string holds at most 255 bytes, not " + s.length);
      }
      rdata.write(s.length);
      rdata.write(s, 0, s.length);
    }
    return rawRecord(name, type, rdata.toByteArray());
  }

  /**
   * Adds a PTR record.
   *
   * @param name the reverse name, for example {@code 10.2.0.192.in-addr.arpa}
   * @param target the host name
   * @return this server
   */
  public MockDnsServer ptr(String name, String target) {
    return record(abs(name) + " " + DEFAULT_TTL + " IN PTR " + abs(target));
  }

  /**
   * Removes every record of a name.
   *
   * @param name owner name
   * @return this server
   */
  public MockDnsServer remove(String name) {
    records.remove(name(name));
    nodes = null;
    return this;
  }

  /**
   * Removes the records of one type at a name.
   *
   * @param name owner name
   * @param type type mnemonic, for example {@code TXT}
   * @return this server
   */
  public MockDnsServer remove(String name, String type) {
    int t = type(type);
    records.computeIfPresent(
        name(name),
        (k, v) -> {
          List<Record> left = v.stream().filter(r -> r.getType() != t).toList();
          return left.isEmpty() ? null : left;
        });
    nodes = null;
    return this;
  }

  /**
   * Removes all records, faults and the query log.
   *
   * @return this server
   */
  public MockDnsServer reset() {
    records.clear();
    nodes = null;
    faults.clear();
    faultAll = null;
    delayAll = Duration.ZERO;
    authenticated.clear();
    synchronized (log) {
      log.clear();
    }
    return this;
  }

  private void add(Record r) {
    records.merge(
        r.getName(),
        List.of(r),
        (a, b) -> {
          List<Record> l = new ArrayList<>(a);
          for (Record x : b) {
            if (!l.contains(x)) {
              l.add(x);
            }
          }
          return List.copyOf(l);
        });
    nodes = null;
  }

  /**
   * Marks names whose answers carry the AD (authentic data) bit when the query asks for it with the
   * AD or DO bit, as a validating resolver does for data it validated (RFC 4035 §3.2.3, RFC 6840
   * §5.7).
   *
   * @param names the owner names
   * @return this server
   */
  public MockDnsServer authenticated(String... names) {
    for (String n : names) {
      authenticated.add(name(n));
    }
    return this;
  }

  // ---------------------------------------------------------------- faults

  /**
   * Applies a fault to every query for {@code name}, whatever the type.
   *
   * @param name the name, for example {@code slow.example.test}
   * @param fault what to do instead of answering normally
   * @return this server
   */
  public MockDnsServer fault(String name, DnsFault fault) {
    faults.put(key(name, null), requireNonNull(fault, "fault"));
    return this;
  }

  /**
   * Applies a fault to queries for one name and type.
   *
   * @param name the name
   * @param type type mnemonic, for example {@code MX}
   * @param fault what to do
   * @return this server
   */
  public MockDnsServer fault(String name, String type, DnsFault fault) {
    faults.put(key(name, type(type)), requireNonNull(fault, "fault"));
    return this;
  }

  /**
   * Applies a fault to every query without a fault of its own.
   *
   * @param fault what to do, or {@code null} to stop
   * @return this server
   */
  public MockDnsServer faultAll(@Nullable DnsFault fault) {
    this.faultAll = fault;
    return this;
  }

  /**
   * Delays every answer (on top of any per-name delay), as a distant server would.
   *
   * @param delay the delay; zero for none
   * @return this server
   */
  public MockDnsServer delayAll(Duration delay) {
    this.delayAll = requireNonNull(delay, "delay");
    return this;
  }

  /**
   * Removes every fault and the global delay.
   *
   * @return this server
   */
  public MockDnsServer clearFaults() {
    faults.clear();
    faultAll = null;
    delayAll = Duration.ZERO;
    return this;
  }

  // ---------------------------------------------------------------- query log

  /**
   * @return every query received so far, in order
   */
  public List<DnsQueryLog> queries() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /**
   * @return how many queries were received
   */
  public int queryCount() {
    synchronized (log) {
      return log.size();
    }
  }

  /**
   * How many queries were received for a name and type.
   *
   * @param name the name (case and final dot do not matter)
   * @param type type mnemonic, for example {@code MX}
   * @return the count
   */
  public int queryCount(String name, String type) {
    String n = normal(name);
    return (int)
        queries().stream()
            .filter(q -> q.name().equals(n) && q.type().equalsIgnoreCase(type))
            .count();
  }

  /** Forgets the queries received so far. */
  public void clearQueries() {
    synchronized (log) {
      log.clear();
    }
  }

  // ---------------------------------------------------------------- serving

  private void thread(String what, Runnable r) {
    Thread t = new Thread(r, "mockdns-" + id + "-" + what);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void udpLoop() {
    byte[] buf = new byte[65535];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(p);
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      byte[] data = java.util.Arrays.copyOf(p.getData(), p.getLength());
      InetSocketAddress client = (InetSocketAddress) p.getSocketAddress();
      try {
        handleUdp(data, client);
      } catch (RuntimeException e) {
        // a malformed query is dropped, as a real server would
      }
    }
  }

  private void handleUdp(byte[] data, InetSocketAddress client) {
    Message q;
    try {
      q = new Message(data);
    } catch (IOException e) {
      return;
    }
    DnsFault fault = faultFor(q, "udp");
    Duration delay = delayAll.plus(fault == null ? Duration.ZERO : fault.delay);
    if (fault != null && fault.kind == DnsFault.Kind.TIMEOUT) {
      return;
    }
    Runnable send =
        () -> {
          if (fault != null && fault.kind == DnsFault.Kind.CRAFTED && fault.craft != null) {
            byte[] raw = fault.craft.apply(data.clone());
            try {
              udp.send(new DatagramPacket(raw, raw.length, client));
            } catch (IOException ignored) {
              // client gone
            }
            return;
          }
          Message resp = respond(q, fault, true);
          int max = 512;
          OPTRecord opt = q.getOPT();
          if (opt != null) {
            max = Math.max(512, opt.getPayloadSize());
          }
          byte[] wire = resp.toWire(max);
          try {
            if (fault != null && fault.kind == DnsFault.Kind.WRONG_ID) {
              Message wrong = resp.clone();
              wrong.getHeader().setID((resp.getHeader().getID() + 1) & 0xffff);
              wrong.removeAllRecords(Section.ANSWER);
              byte[] w = wrong.toWire(max);
              udp.send(new DatagramPacket(w, w.length, client));
            }
            if (fault != null
                && fault.kind == DnsFault.Kind.WRONG_QUESTION
                && q.getQuestion() != null) {
              Message wrong = new Message(resp.getHeader().getID());
              wrong.getHeader().setFlag(Flags.QR);
              wrong.getHeader().setFlag(Flags.RA);
              Name other = Name.fromConstantString("spoofed.invalid.");
              wrong.addRecord(
                  Record.newRecord(other, q.getQuestion().getType(), DClass.IN), Section.QUESTION);
              byte[] w = wrong.toWire(max);
              udp.send(new DatagramPacket(w, w.length, client));
            }
            udp.send(new DatagramPacket(wire, wire.length, client));
          } catch (IOException ignored) {
            // client gone
          }
        };
    if (delay.isZero() || delay.isNegative()) {
      send.run();
    } else if (!closed) {
      ScheduledFuture<?> unused = delayer.schedule(send, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void tcpLoop() {
    while (!closed) {
      Socket s;
      try {
        s = tcp.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      connections.add(s);
      thread("tcp-" + s.getPort(), () -> serveTcp(s));
    }
  }

  private void serveTcp(Socket s) {
    try (s;
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
      while (!closed) {
        int len;
        try {
          len = in.readUnsignedShort();
        } catch (IOException e) {
          return;
        }
        byte[] data = in.readNBytes(len);
        if (data.length < len) {
          return;
        }
        Message q;
        try {
          q = new Message(data);
        } catch (IOException e) {
          return;
        }
        DnsFault fault = faultFor(q, "tcp");
        Duration delay = delayAll.plus(fault == null ? Duration.ZERO : fault.delay);
        if (fault != null
            && (fault.kind == DnsFault.Kind.TIMEOUT
                || fault.kind == DnsFault.Kind.TRUNCATE_THEN_HANG)) {
          // Hold the connection open and say nothing, like a hung server.
          while (!closed && in.read() >= 0) {
            // discard
          }
          return;
        }
        if (!delay.isZero() && !delay.isNegative()) {
          Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
        }
        byte[] wire =
            fault != null && fault.kind == DnsFault.Kind.CRAFTED && fault.craft != null
                ? fault.craft.apply(data.clone())
                : respond(q, fault, false).toWire(65535);
        out.writeShort(wire.length);
        out.write(wire);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // connection ends
    } finally {
      connections.remove(s);
    }
  }

  private @Nullable DnsFault faultFor(Message q, String transport) {
    Record question = q.getQuestion();
    if (question == null) {
      return null;
    }
    String n = normal(question.getName().toString());
    DnsQueryLog entry =
        new DnsQueryLog(n, Type.string(question.getType()), transport, Instant.now());
    synchronized (log) {
      log.add(entry);
    }
    DnsFault f = faults.get(n + "/" + question.getType());
    if (f == null) {
      f = faults.get(n + "/*");
    }
    if (f == null) {
      f = faultAll;
    }
    if (f != null && f.kind == DnsFault.Kind.TRUNCATE && !transport.equals("udp")) {
      return null;
    }
    if (f != null
        && (f.kind == DnsFault.Kind.WRONG_ID || f.kind == DnsFault.Kind.WRONG_QUESTION)
        && !transport.equals("udp")) {
      return null;
    }
    return f;
  }

  private Message respond(Message q, @Nullable DnsFault fault, boolean udpTransport) {
    Message r = new Message(q.getHeader().getID());
    Header h = r.getHeader();
    h.setFlag(Flags.QR);
    h.setFlag(Flags.AA);
    h.setFlag(Flags.RA);
    if (q.getHeader().getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    h.setOpcode(q.getHeader().getOpcode());
    Record question = q.getQuestion();
    if (question != null) {
      r.addRecord(question, Section.QUESTION);
    }
    OPTRecord opt = q.getOPT();
    boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    if (opt != null) {
      r.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    if (question == null || q.getHeader().getOpcode() != Opcode.QUERY) {
      h.setRcode(Rcode.FORMERR);
      return r;
    }
    if (fault != null) {
      switch (fault.kind) {
        case SERVFAIL:
          h.setRcode(Rcode.SERVFAIL);
          return r;
        case REFUSED:
          h.setRcode(Rcode.REFUSED);
          return r;
        case NXDOMAIN:
          h.setRcode(Rcode.NXDOMAIN);
          addSoa(r, question.getName());
          return r;
        case TRUNCATE:
        case TRUNCATE_THEN_HANG:
          if (udpTransport) {
            h.setFlag(Flags.TC);
            return r;
          }
          break;
        case BOGUS:
          if (!q.getHeader().getFlag(Flags.CD)) {
            h.setRcode(Rcode.SERVFAIL);
            return r;
          }
          h.setFlag(Flags.CD);
          break;
        default:
          break;
      }
    }
    answer(r, question.getName(), question.getType());
    if (dnssecOk) {
      addDnssec(r, question.getName(), question.getType());
    }
    if ((dnssecOk || q.getHeader().getFlag(Flags.AD))
        && authenticated.contains(question.getName())
        && (fault == null || fault.kind != DnsFault.Kind.BOGUS)) {
      h.setFlag(Flags.AD);
    }
    return r;
  }

  // ---------------------------------------------------------------- DNSSEC

  /** Adds the RRSIGs of the answer, or the signed SOA and NSEC proofs of a negative answer. */
  private void addDnssec(Message r, Name qname, int qtype) {
    List<Record> answer = new ArrayList<>(r.getSection(Section.ANSWER));
    Set<String> signed = new java.util.HashSet<>();
    Name last = qname;
    boolean positive = false;
    for (Record a : answer) {
      if (signed.add(a.getName() + "/" + a.getType())) {
        rrsigs(a.getName(), a.getType(), null).forEach(x -> r.addRecord(x, Section.ANSWER));
      }
      if (a.getType() == Type.CNAME && qtype != Type.CNAME) {
        last = ((CNAMERecord) a).getTarget();
      } else if (a.getType() == qtype || qtype == Type.ANY) {
        positive = true;
      }
    }
    if (positive) {
      return;
    }
    Record soa =
        r.getSection(Section.AUTHORITY).stream()
            .filter(x -> x.getType() == Type.SOA)
            .findFirst()
            .orElse(null);
    if (soa == null) {
      return;
    }
    Name apex = soa.getName();
    List<RRSIGRecord> soaSigs = rrsigs(apex, Type.SOA, apex);
    if (soaSigs.isEmpty()) {
      return; // the zone is not signed
    }
    soaSigs.forEach(x -> r.addRecord(x, Section.AUTHORITY));
    List<NSECRecord> chain = nsecChain(apex);
    Set<Name> proofs = new java.util.LinkedHashSet<>();
    Name target = last;
    NSECRecord at = chain.stream().filter(n -> n.getName().equals(target)).findFirst().orElse(null);
    if (at != null) {
      proofs.add(at.getName()); // NODATA: the NSEC at the name lists its types
    } else {
      NSECRecord cover = covering(chain, last, apex);
      if (cover != null) {
        proofs.add(cover.getName());
      }
      if (!nodes().contains(last)) {
        // NXDOMAIN: also deny the wildcard at the closest encloser (RFC 4035 §3.1.3.2).
        Name encloser = last;
        while (encloser.labels() > 1 && !nodes().contains(encloser)) {
          encloser = new Name(encloser, 1);
        }
        try {
          Name wild = Name.concatenate(Name.fromConstantString("*"), encloser);
          NSECRecord wc = covering(chain, wild, apex);
          if (wc != null) {
            proofs.add(wc.getName());
          }
        } catch (org.xbill.DNS.NameTooLongException e) {
          // no wildcard proof then
        }
      }
    }
    for (Name p : proofs) {
      for (NSECRecord n : chain) {
        if (n.getName().equals(p)) {
          r.addRecord(n, Section.AUTHORITY);
        }
      }
      rrsigs(p, Type.NSEC, apex).forEach(x -> r.addRecord(x, Section.AUTHORITY));
    }
  }

  private List<RRSIGRecord> rrsigs(Name owner, int covered, @Nullable Name signer) {
    List<Record> at = records.get(owner);
    List<RRSIGRecord> out = new ArrayList<>();
    if (at != null) {
      for (Record x : at) {
        if (x instanceof RRSIGRecord
            && ((RRSIGRecord) x).getTypeCovered() == covered
            && (signer == null || ((RRSIGRecord) x).getSigner().equals(signer))) {
          out.add((RRSIGRecord) x);
        }
      }
    }
    return out;
  }

  /** The NSEC records of the zone at {@code apex}: those signed by the apex, in canonical order. */
  private List<NSECRecord> nsecChain(Name apex) {
    List<NSECRecord> out = new ArrayList<>();
    for (Map.Entry<Name, List<Record>> e : records.entrySet()) {
      if (!e.getKey().subdomain(apex)) {
        continue;
      }
      for (Record x : e.getValue()) {
        // At a delegation point the parent's NSEC and the child's apex NSEC share the owner name:
        // the apex NSEC is the one that lists SOA.
        if (x instanceof NSECRecord
            && !rrsigs(e.getKey(), Type.NSEC, apex).isEmpty()
            && ((NSECRecord) x).hasType(Type.SOA) == e.getKey().equals(apex)) {
          out.add((NSECRecord) x);
        }
      }
    }
    out.sort(java.util.Comparator.comparing(Record::getName));
    return out;
  }

  /**
   * The NSEC whose span covers {@code name}: owner &lt; name &lt; next, the last one wrapping to
   * the apex.
   */
  private static @Nullable NSECRecord covering(List<NSECRecord> chain, Name name, Name apex) {
    for (NSECRecord n : chain) {
      boolean after = n.getName().compareTo(name) < 0;
      boolean wraps = n.getNext().equals(apex) || n.getNext().compareTo(n.getName()) <= 0;
      if (after && (wraps || name.compareTo(n.getNext()) < 0)) {
        return n;
      }
    }
    return null;
  }

  private void answer(Message r, Name qname, int qtype) {
    Name name = qname;
    Set<Name> seen = new java.util.HashSet<>();
    for (int hops = 0; hops < 16; hops++) {
      List<Record> at = lookup(name);
      if (at == null) {
        if (hops == 0) {
          r.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        addSoa(r, name);
        return;
      }
      List<Record> matching =
          at.stream().filter(x -> x.getType() == qtype || qtype == Type.ANY).toList();
      if (!matching.isEmpty()) {
        matching.forEach(x -> r.addRecord(x, Section.ANSWER));
        return;
      }
      CNAMERecord cname =
          (CNAMERecord) at.stream().filter(x -> x.getType() == Type.CNAME).findFirst().orElse(null);
      if (cname == null || qtype == Type.CNAME || !seen.add(name)) {
        // A DS record belongs to the parent zone (RFC 4035 §3.1.4.1): so does its denial.
        addSoa(r, qtype == Type.DS && name.labels() > 1 ? new Name(name, 1) : name);
        return;
      }
      r.addRecord(cname, Section.ANSWER);
      name = cname.getTarget();
    }
  }

  /**
   * The records at a name (wildcards expanded), an empty list for an empty non-terminal, null for
   * NXDOMAIN.
   */
  private @Nullable List<Record> lookup(Name name) {
    List<Record> at = records.get(name);
    if (at != null) {
      return at;
    }
    Set<Name> tree = nodes();
    if (tree.contains(name)) {
      return List.of(); // empty non-terminal: NODATA
    }
    // Wildcard at the closest encloser (RFC 4592, simplified).
    for (int drop = 1; drop < name.labels(); drop++) {
      Name parent = new Name(name, drop);
      List<Record> wild;
      try {
        wild = records.get(Name.concatenate(Name.fromConstantString("*"), parent));
      } catch (org.xbill.DNS.NameTooLongException e) {
        wild = null;
      }
      if (wild != null) {
        List<Record> out = new ArrayList<>();
        for (Record w : wild) {
          out.add(w.withName(name));
        }
        return out;
      }
      if (tree.contains(parent)) {
        return null;
      }
    }
    return null;
  }

  /** Every owner name and all of its ancestors; rebuilt when the records change. */
  private Set<Name> nodes() {
    Set<Name> n = nodes;
    if (n == null) {
      n = new java.util.HashSet<>();
      for (Name k : records.keySet()) {
        for (int drop = 0; drop < k.labels(); drop++) {
          n.add(new Name(k, drop));
        }
      }
      nodes = n;
    }
    return n;
  }

  private void addSoa(Message r, Name name) {
    for (int drop = 0; drop < name.labels(); drop++) {
      Name zone = new Name(name, drop);
      List<Record> at = records.get(zone);
      if (at != null) {
        for (Record x : at) {
          if (x.getType() == Type.SOA) {
            r.addRecord(x, Section.AUTHORITY);
            return;
          }
        }
      }
    }
    // No zone apex known: synthesize one for the last two labels, as a negative answer carries one.
    int labels = name.labels();
    Name apex = labels > 3 ? new Name(name, labels - 3) : name;
    try {
      r.addRecord(
          new SOARecord(
              apex,
              DClass.IN,
              60,
              Name.concatenate(Name.fromConstantString("ns"), apex),
              Name.concatenate(Name.fromConstantString("hostmaster"), apex),
              1,
              3600,
              600,
              86400,
              60),
          Section.AUTHORITY);
    } catch (org.xbill.DNS.NameTooLongException e) {
      // no SOA then
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** Stops serving, frees the port and ends every thread of this server. */
  @Override
  public void close() {
    closed = true;
    udp.close();
    try {
      tcp.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    delayer.shutdownNow();
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    try {
      delayer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "MockDnsServer[" + hostPort() + ", " + records.size() + " names]";
  }

  // ---------------------------------------------------------------- helpers

  private static String key(String name, @Nullable Integer type) {
    return normal(name) + "/" + (type == null ? "*" : type);
  }

  static String normal(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") && n.length() > 1 ? n.substring(0, n.length() - 1) : n;
  }

  private static String abs(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  private static Name name(String n) {
    try {
      return Name.fromString(abs(n));
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid DNS name \"" + n + "\": " + e.getMessage(), e);
    }
  }

  private static int type(String type) {
    int t = Type.value(type.toUpperCase(Locale.ROOT));
    if (t < 0) {
      throw new IllegalArgumentException("unknown DNS type: " + type);
    }
    return t;
  }

  private static String quoted(String... strings) {
    if (strings.length == 0) {
      return "\"\"";
    }
    StringBuilder b = new StringBuilder();
    for (String s : strings) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          b.append('\\');
        }
        b.append(c);
      }
      b.append('"');
    }
    return b.toString();
  }
}
