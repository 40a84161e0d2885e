package dev.maildx.dns;

import dev.maildx.dns.internal.DnsClient;
import dev.maildx.spi.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;

/**
 * The resolver dnsjava's validator sends its queries through: maildx's {@link DnsClient} (its
 * servers, retries and per-attempt timeout) bounded by one deadline, with the DO bit always set.
 * Settings dnsjava applies are ignored: maildx's own govern.
 */
final class HeadResolver implements Resolver {
  private static final int PAYLOAD = 1232;

  private final DnsClient dns;
  private final Deadline deadline;
  private Duration timeout = Duration.ofSeconds(5);

  HeadResolver(DnsClient dns, Deadline deadline) {
    this.dns = dns;
    this.deadline = deadline;
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, dns.environment().executor());
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    Message m = query.clone();
    OPTRecord opt = m.getOPT();
    if (opt != null) {
      m.removeRecord(opt, Section.ADDITIONAL);
    }
    m.addRecord(new OPTRecord(PAYLOAD, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return dns.exchange(m, deadline);
  }

  @Override
  public void setPort(int port) {
    // the servers are maildx's
  }

  @Override
  public void setTCP(boolean flag) {
    // UDP with TCP on truncation, as maildx's client does
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    // truncation is never ignored
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    // EDNS0 with DO is always used
  }

  @Override
  public void setTSIGKey(TSIG key) {
    // not used
  }

  @Override
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Duration getTimeout() {
    return timeout;
  }
}
