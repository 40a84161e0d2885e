package dev.maildx.auth.internal;

import dev.maildx.DomainName;
import dev.maildx.dns.internal.DkimKeyParser;
import dev.maildx.spi.Deadline;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key records (RFC 6376 §3.6.1) held in memory (name to TXT text), parsed once by {@link
 * DkimKeyParser}: for benchmarks with keys cached and for tests that need no DNS. Thread-safe.
 */
public final class StaticKeySource implements DkimKeySource {
  private final Map<String, String> records;
  private final String check;
  private final Map<String, CompletableFuture<KeyLookup>> parsed = new ConcurrentHashMap<>();

  /**
   * A key source.
   *
   * @param records {@code <selector>._domainkey.<domain>} (any case) to the record text
   * @param check the check name for the findings
   */
  public StaticKeySource(Map<String, String> records, String check) {
    this.records =
        Map.copyOf(
            records.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        e -> e.getKey().toLowerCase(Locale.ROOT),
                        Map.Entry::getValue,
                        (a, b) -> a)));
    this.check = check;
  }

  @Override
  public CompletableFuture<KeyLookup> lookup(
      DomainName domain, String selector, Deadline deadline) {
    String name = (selector + "._domainkey." + domain.ascii()).toLowerCase(Locale.ROOT);
    return parsed.computeIfAbsent(
        name, n -> CompletableFuture.completedFuture(parse(n, domain, selector)));
  }

  private KeyLookup parse(String name, DomainName domain, String selector) {
    String text = records.get(name);
    if (text == null || !DkimKeyParser.looksLikeKey(text)) {
      return new KeyLookup(Status.NOT_FOUND, null, "there is no key record at " + name, List.of());
    }
    DkimKeyParser.Parsed p = DkimKeyParser.parse(text, check, selector, domain, true);
    if (p.key() == null) {
      return new KeyLookup(
          Status.UNUSABLE,
          null,
          "the record at " + name + " is not a DKIM key record",
          p.findings());
    }
    return DkimKeySource.classify(p.key(), p.findings(), name);
  }
}
