package dev.maildx.auth.internal;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.spi.Deadline;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Where signature verification gets DKIM keys (RFC 6376 §3.6.2): from the DNS (through {@code
 * DkimKeyResolver}, with its findings) or, for benchmarks and tests, from records held in memory.
 *
 * <p>Implementations must be safe for concurrent use and must complete the future by the deadline.
 */
public interface DkimKeySource {
  /**
   * Looks up the key record at {@code <selector>._domainkey.<domain>}.
   *
   * @param domain the signing domain
   * @param selector the selector
   * @param deadline when to give up
   * @return a future that always completes with a lookup, never exceptionally
   */
  CompletableFuture<KeyLookup> lookup(DomainName domain, String selector, Deadline deadline);

  /**
   * The outcome of a key lookup.
   *
   * @param status what was found
   * @param key the parsed record, if one was found
   * @param detail why, when the key cannot be used (one sentence, no final period needed)
   * @param findings the key record's findings (from {@code DkimKeyParser} and the lookup)
   */
  record KeyLookup(
      Status status, DkimKeysReport.@Nullable Key key, String detail, List<Finding> findings) {
    /** Copies. */
    public KeyLookup {
      findings = List.copyOf(findings);
    }
  }

  /**
   * Classifies a parsed key record for verification: revoked, unusable (any error of the parser's
   * lint but a short RSA key, which verification refuses by policy instead), or found.
   *
   * @param key the parsed record
   * @param findings its findings
   * @param name where it was found, for the detail
   * @return the lookup
   */
  static KeyLookup classify(DkimKeysReport.Key key, List<Finding> findings, String name) {
    if (key.revoked()) {
      return new KeyLookup(
          Status.REVOKED, key, "the key at " + name + " is revoked (empty p=)", findings);
    }
    for (Finding f : findings) {
      if (f.severity() == Severity.ERROR && !f.is(DkimKeysReport.Code.DKIM_KEY_TOO_SHORT)) {
        return new KeyLookup(Status.UNUSABLE, key, f.message(), findings);
      }
    }
    if (key.publicKey() == null) {
      return new KeyLookup(
          Status.UNUSABLE, key, "the key record at " + name + " holds no usable key", findings);
    }
    return new KeyLookup(Status.FOUND, key, "", findings);
  }

  /** What a key lookup found. */
  enum Status {
    /** A usable key. */
    FOUND,
    /** A key record that cannot be used (malformed, unknown type, not for email, ...). */
    UNUSABLE,
    /** A revoked key (empty {@code p=}). */
    REVOKED,
    /** No key record (NXDOMAIN, no TXT, TXT that is not a key record). */
    NOT_FOUND,
    /** The lookup failed (timeout, SERVFAIL, REFUSED). */
    TEMPFAIL
  }
}
