package dev.maildx.dns.internal;

import dev.maildx.report.DnsOutcome;
import dev.maildx.spi.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Where the SPF evaluator gets its DNS answers: the asynchronous {@link DnsClient} in production,
 * or an in-memory map (for benchmarks of the evaluator alone).
 *
 * <p>Implementations must be safe for concurrent use, must never block, and must always complete
 * the returned future normally.
 */
@FunctionalInterface
public interface SpfResolver {
  /**
   * Looks up {@code name}/{@code type}.
   *
   * @param name absolute name
   * @param type dnsjava type constant
   * @param deadline when to give up
   * @return the answer, never an exceptional future
   */
  CompletableFuture<DnsAnswer> query(Name name, int type, Deadline deadline);

  /**
   * A resolver over a {@link DnsClient}.
   *
   * @param client the client
   * @return the resolver
   */
  static SpfResolver of(DnsClient client) {
    return client::query;
  }

  /**
   * An in-memory resolver: records by name; a name without records is NXDOMAIN, a name with records
   * of other types answers NODATA. Answers complete at once.
   *
   * @param records the records; the map is read at query time and may be concurrent
   * @return the resolver
   */
  static SpfResolver inMemory(Map<Name, List<Record>> records) {
    Map<Name, List<Record>> data =
        records instanceof ConcurrentHashMap ? records : Map.copyOf(records);
    return (name, type, deadline) -> {
      List<Record> at = data.get(name);
      if (at == null) {
        return CompletableFuture.completedFuture(
            new DnsAnswer(
                name,
                type,
                DnsOutcome.NXDOMAIN,
                List.of(),
                List.of(),
                false,
                null,
                null,
                "",
                Duration.ZERO));
      }
      List<Record> match = new ArrayList<>(at.size());
      for (Record r : at) {
        if (r.getType() == type) {
          match.add(r);
        }
      }
      return CompletableFuture.completedFuture(
          new DnsAnswer(
              name,
              type,
              match.isEmpty() ? DnsOutcome.NO_DATA : DnsOutcome.ANSWER,
              match,
              List.of(),
              false,
              null,
              null,
              "",
              Duration.ZERO));
    };
  }
}
