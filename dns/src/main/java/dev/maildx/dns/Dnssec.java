package dev.maildx.dns;

import dev.maildx.dns.internal.DnsAnswer;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.report.DnsOutcome;
import dev.maildx.report.DnssecMethod;
import dev.maildx.report.DnssecStatus;
import dev.maildx.spi.Deadline;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Determines the DNSSEC status of answers, by the configured {@link DnssecMode}: locally with
 * dnsjava's {@link ValidatingResolver} from the configured trust anchors (its queries go through
 * maildx's DNS client under the deadline, continuations on maildx's executor, no global state:
 * trust anchors a system property may have loaded are discarded), or from the resolver's AD bit.
 *
 * <p>In {@link DnssecMode#AUTO} a session first checks that the DNS server serves each trust
 * anchor's DNSKEY RRset, signed by the anchored key (as a recursive resolver does); if it does,
 * answers are validated locally, otherwise the AD bit is used. The AD query is sent at once, so the
 * check costs no round trip when validation is not possible.
 */
final class Dnssec {
  /** The most time the AUTO check of the trust anchors may take. */
  static final Duration PRIMING_LIMIT = Duration.ofSeconds(3);

  /** The status of one answer. */
  record Result(DnsAnswer answer, DnssecStatus status, String reason, DnssecMethod method) {
    boolean failed() {
      return !answer.outcome().isDefinite() && status != DnssecStatus.BOGUS;
    }
  }

  private final DnsClient dns;
  private final DnssecMode mode;
  private final List<Record> anchors;
  private final String anchorText;
  private final Set<Name> anchorNames;

  Dnssec(DnsClient dns, PolicyOptions options) {
    this.dns = dns;
    this.mode = options.dnssecMode();
    this.anchors = options.anchorRecords();
    this.anchorText =
        anchors.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n"));
    Set<Name> names = new LinkedHashSet<>();
    anchors.forEach(r -> names.add(r.getName()));
    this.anchorNames = Set.copyOf(names);
  }

  Session session(Deadline deadline) {
    return new Session(deadline);
  }

  /** One check's use of DNSSEC: one validator (and its key cache) and one priming. */
  final class Session {
    private final Deadline deadline;
    private final CompletableFuture<Boolean> local;
    private @Nullable ValidatingResolver validator;

    Session(Deadline deadline) {
      this.deadline = deadline;
      switch (mode) {
        case LOCAL_VALIDATION:
          local = CompletableFuture.completedFuture(true);
          break;
        case RESOLVER_AD_BIT:
          local = CompletableFuture.completedFuture(false);
          break;
        default:
          local = prime(deadline.limit(PRIMING_LIMIT));
          break;
      }
    }

    /** The method used: known once the first lookup has completed. */
    DnssecMethod method() {
      return local.isDone() && local.join()
          ? DnssecMethod.LOCAL_VALIDATION
          : DnssecMethod.RESOLVER_AD_BIT;
    }

    /** Whether AUTO fell back to the AD bit because the server does not serve the anchors' keys. */
    boolean fellBack() {
      return mode == DnssecMode.AUTO && local.isDone() && !local.join();
    }

    CompletableFuture<Result> lookup(Name name, int type) {
      if (local.isDone()) {
        return local.join() ? validate(name, type) : byAdBit(name, type);
      }
      CompletableFuture<Result> ad = byAdBit(name, type);
      return local.thenCompose(v -> v ? validate(name, type) : ad);
    }

    private synchronized ValidatingResolver validator() throws IOException {
      if (validator == null) {
        ValidatingResolver v =
            new ValidatingResolver(new HeadResolver(dns, deadline), dns.environment().clock());
        // Reset what the constructor read from system properties; use maildx's anchors only.
        v.init(new Properties());
        v.getTrustAnchors().clear();
        v.loadTrustAnchors(
            new ByteArrayInputStream(anchorText.getBytes(StandardCharsets.US_ASCII)));
        validator = v;
      }
      return validator;
    }

    private CompletableFuture<Result> validate(Name name, int type) {
      Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
      CompletableFuture<Message> sent;
      try {
        sent = validator().sendAsync(query, dns.environment().executor()).toCompletableFuture();
      } catch (IOException | RuntimeException e) {
        return CompletableFuture.completedFuture(
            failure(
                name,
                type,
                DnsOutcome.ERROR,
                "the validator cannot start: " + e.getMessage(),
                DnssecMethod.LOCAL_VALIDATION));
      }
      CompletableFuture<Result> r =
          sent.handle(
              (m, e) -> {
                if (e != null) {
                  Throwable c =
                      e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                          ? e.getCause()
                          : e;
                  boolean timeout =
                      c instanceof java.net.SocketTimeoutException
                          || c instanceof java.util.concurrent.TimeoutException;
                  return failure(
                      name,
                      type,
                      timeout ? DnsOutcome.TIMEOUT : DnsOutcome.ERROR,
                      (timeout ? "no answer before the deadline" : String.valueOf(c.getMessage())),
                      DnssecMethod.LOCAL_VALIDATION);
                }
                return fromValidator(name, type, m);
              });
      return dns.environment()
          .within(
              r,
              deadline,
              () ->
                  failure(
                      name,
                      type,
                      DnsOutcome.TIMEOUT,
                      "validation did not finish before the deadline",
                      DnssecMethod.LOCAL_VALIDATION));
    }

    private Result fromValidator(Name name, int type, Message m) {
      String reason =
          m.getSection(Section.ADDITIONAL).stream()
              .filter(
                  r ->
                      r.getType() == Type.TXT
                          && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS)
              .map(r -> String.join("", ((TXTRecord) r).getStrings()))
              .findFirst()
              .orElse("");
      DnsAnswer answer = answerOf(name, type, m);
      if (m.getHeader().getFlag(Flags.AD)) {
        return new Result(answer, DnssecStatus.SECURE, "", DnssecMethod.LOCAL_VALIDATION);
      }
      if (m.getRcode() == Rcode.SERVFAIL) {
        if (!reason.isEmpty()) {
          return new Result(answer, DnssecStatus.BOGUS, reason, DnssecMethod.LOCAL_VALIDATION);
        }
        return new Result(
            answer, DnssecStatus.INDETERMINATE, answer.describe(), DnssecMethod.LOCAL_VALIDATION);
      }
      if (!answer.outcome().isDefinite()) {
        return new Result(
            answer, DnssecStatus.INDETERMINATE, answer.describe(), DnssecMethod.LOCAL_VALIDATION);
      }
      if (anchorNames.stream().noneMatch(name::subdomain)) {
        return new Result(
            answer,
            DnssecStatus.INDETERMINATE,
            "no configured trust anchor covers " + Text.host(name),
            DnssecMethod.LOCAL_VALIDATION);
      }
      return new Result(
          answer,
          DnssecStatus.INSECURE,
          reason.isEmpty() ? "the zone is provably unsigned" : reason,
          DnssecMethod.LOCAL_VALIDATION);
    }

    private CompletableFuture<Result> byAdBit(Name name, int type) {
      return dns.query(
              name, type, deadline, EnumSet.of(DnsClient.QueryFlag.AD, DnsClient.QueryFlag.DO))
          .thenCompose(
              a -> {
                if (a.outcome() == DnsOutcome.SERVFAIL) {
                  // A validating resolver answers SERVFAIL for bogus data; with checking disabled
                  // it returns it.
                  return dns.query(
                          name,
                          type,
                          deadline,
                          EnumSet.of(DnsClient.QueryFlag.CD, DnsClient.QueryFlag.DO))
                      .thenApply(
                          cd -> {
                            if (cd.outcome().isDefinite()) {
                              return new Result(
                                  cd,
                                  DnssecStatus.BOGUS,
                                  "the resolver "
                                      + server(a)
                                      + " answers SERVFAIL, but returns the data with checking "
                                      + "disabled: the data fails its DNSSEC validation",
                                  DnssecMethod.RESOLVER_AD_BIT);
                            }
                            return new Result(
                                a,
                                DnssecStatus.INDETERMINATE,
                                a.describe(),
                                DnssecMethod.RESOLVER_AD_BIT);
                          });
                }
                if (!a.outcome().isDefinite()) {
                  return CompletableFuture.completedFuture(
                      new Result(
                          a,
                          DnssecStatus.INDETERMINATE,
                          a.describe(),
                          DnssecMethod.RESOLVER_AD_BIT));
                }
                if (a.authenticated()) {
                  return CompletableFuture.completedFuture(
                      new Result(
                          a,
                          DnssecStatus.SECURE,
                          "the resolver " + server(a) + " set the AD bit",
                          DnssecMethod.RESOLVER_AD_BIT));
                }
                if (signed(a.message())) {
                  return CompletableFuture.completedFuture(
                      new Result(
                          a,
                          DnssecStatus.INDETERMINATE,
                          "the answer is signed, but the resolver "
                              + server(a)
                              + " did not authenticate it (it does not validate, or no chain of trust leads to the zone)",
                          DnssecMethod.RESOLVER_AD_BIT));
                }
                return CompletableFuture.completedFuture(
                    new Result(
                        a,
                        DnssecStatus.INSECURE,
                        "the answer carries no DNSSEC signatures",
                        DnssecMethod.RESOLVER_AD_BIT));
              });
    }

    private Result failure(
        Name name, int type, DnsOutcome outcome, String detail, DnssecMethod method) {
      DnsAnswer a =
          new DnsAnswer(
              name, type, outcome, List.of(), List.of(), false, null, null, detail, Duration.ZERO);
      return new Result(a, DnssecStatus.INDETERMINATE, detail, method);
    }

    /** Whether the server serves every trust anchor's DNSKEY RRset, signed by the anchored key. */
    private CompletableFuture<Boolean> prime(Deadline limit) {
      List<CompletableFuture<Boolean>> checks = new ArrayList<>();
      for (Name anchor : anchorNames) {
        checks.add(
            dns.query(
                    anchor,
                    Type.DNSKEY,
                    limit,
                    EnumSet.of(DnsClient.QueryFlag.DO, DnsClient.QueryFlag.CD))
                .thenApply(a -> anchored(anchor, a)));
      }
      return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
          .thenApply(v -> checks.stream().allMatch(CompletableFuture::join));
    }

    private boolean anchored(Name anchor, DnsAnswer a) {
      List<DNSKEYRecord> keys = a.records(DNSKEYRecord.class);
      if (keys.isEmpty() || a.message() == null) {
        return false;
      }
      RRset set = new RRset();
      keys.forEach(set::addRR);
      Set<DNSKEYRecord> trusted = new HashSet<>();
      for (Record t : anchors) {
        if (!t.getName().equals(anchor)) {
          continue;
        }
        for (DNSKEYRecord k : keys) {
          if (t instanceof DSRecord) {
            DSRecord ds = (DSRecord) t;
            try {
              DSRecord mine = new DSRecord(anchor, DClass.IN, 0, ds.getDigestID(), k);
              if (ds.getFootprint() == k.getFootprint()
                  && Arrays.equals(ds.getDigest(), mine.getDigest())) {
                trusted.add(k);
              }
            } catch (RuntimeException e) {
              // unsupported digest: not this key
            }
          } else if (t instanceof DNSKEYRecord
              && Arrays.equals(((DNSKEYRecord) t).getKey(), k.getKey())) {
            trusted.add(k);
          }
        }
      }
      for (Record r : a.message().getSection(Section.ANSWER)) {
        if (!(r instanceof RRSIGRecord) || ((RRSIGRecord) r).getTypeCovered() != Type.DNSKEY) {
          continue;
        }
        for (DNSKEYRecord k : trusted) {
          try {
            DNSSEC.verify(set, (RRSIGRecord) r, k, dns.environment().clock().instant());
            return true;
          } catch (DNSSEC.DNSSECException | RuntimeException e) {
            // try the next signature or key
          }
        }
      }
      return false;
    }
  }

  private static boolean signed(@Nullable Message m) {
    if (m == null) {
      return false;
    }
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : m.getSection(section)) {
        if (r.getType() == Type.RRSIG || r.getType() == Type.NSEC || r.getType() == Type.NSEC3) {
          return true;
        }
      }
    }
    return false;
  }

  private static String server(DnsAnswer a) {
    return a.server() == null ? "" : ConnectRelay.hostPort(a.server());
  }

  /** The records of {@code type} at the end of the CNAME chain in a complete response. */
  static DnsAnswer answerOf(Name name, int type, Message m) {
    Name current = name;
    List<Name> chain = new ArrayList<>();
    List<Record> records = new ArrayList<>();
    for (int hops = 0; hops <= DnsClient.MAX_CNAME_HOPS; hops++) {
      records.clear();
      CNAMERecord cname = null;
      for (Record r : m.getSection(Section.ANSWER)) {
        if (!r.getName().equals(current)) {
          continue;
        }
        if (r.getType() == type) {
          records.add(r);
        } else if (r.getType() == Type.CNAME && type != Type.CNAME) {
          cname = (CNAMERecord) r;
        }
      }
      if (!records.isEmpty() || cname == null || chain.contains(cname.getTarget())) {
        break;
      }
      current = cname.getTarget();
      chain.add(current);
    }
    DnsOutcome outcome;
    String detail = "";
    int rcode = m.getRcode();
    if (!records.isEmpty()) {
      outcome = DnsOutcome.ANSWER;
    } else if (rcode == Rcode.NOERROR) {
      outcome = DnsOutcome.NO_DATA;
    } else if (rcode == Rcode.NXDOMAIN) {
      outcome = DnsOutcome.NXDOMAIN;
    } else if (rcode == Rcode.SERVFAIL) {
      outcome = DnsOutcome.SERVFAIL;
      detail = "SERVFAIL";
    } else if (rcode == Rcode.REFUSED) {
      outcome = DnsOutcome.REFUSED;
      detail = "REFUSED";
    } else {
      outcome = DnsOutcome.ERROR;
      detail = "response code " + Rcode.string(rcode);
    }
    return new DnsAnswer(
        name,
        type,
        outcome,
        records,
        chain,
        m.getHeader().getFlag(Flags.AD),
        null,
        m,
        detail,
        Duration.ZERO);
  }
}
