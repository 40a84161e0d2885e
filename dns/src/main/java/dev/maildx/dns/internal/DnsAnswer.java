package dev.maildx.dns.internal;

import dev.maildx.report.DnsOutcome;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The result of one DNS lookup, after following CNAMEs: never an exception.
 *
 * @param name the name asked for
 * @param type the record type asked for (dnsjava {@code Type} constant)
 * @param outcome how it ended
 * @param records the records of {@code type} owned by the last name of the CNAME chain
 * @param cnameChain the CNAME targets followed, in order; empty if there was no CNAME
 * @param authenticated whether the (last) response had the AD bit set
 * @param server the server that answered, if any did
 * @param message the last response, if any (for DNSSEC and diagnostics)
 * @param detail a short human description of a failure, empty on success
 * @param elapsed total time spent, retries and CNAME chasing included
 */
public record DnsAnswer(
    Name name,
    int type,
    DnsOutcome outcome,
    List<Record> records,
    List<Name> cnameChain,
    boolean authenticated,
    @Nullable InetSocketAddress server,
    @Nullable Message message,
    String detail,
    Duration elapsed) {

  /** Copies the lists. */
  public DnsAnswer {
    records = List.copyOf(records);
    cnameChain = List.copyOf(cnameChain);
  }

  /**
   * The records cast to a type.
   *
   * @param cls the record class, for example {@code MXRecord.class}
   * @param <R> the record class
   * @return the records of that class
   */
  public <R extends Record> List<R> records(Class<R> cls) {
    return records.stream().filter(cls::isInstance).map(cls::cast).toList();
  }

  /**
   * The outcome and detail as one short phrase, for messages.
   *
   * @return for example {@code TIMEOUT (no answer in 10.0 s, 2 attempts to 127.0.0.1:53)}: a
   *     timeout states the whole wait and every attempt, not one attempt's budget
   */
  public String describe() {
    return detail.isEmpty() ? outcome.name() : outcome.name() + " (" + detail + ")";
  }
}
