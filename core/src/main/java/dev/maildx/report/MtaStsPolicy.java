package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * An MTA-STS policy as fetched from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * (RFC 8461 §3.2).
 *
 * @param mode {@link Mode#ENFORCE}, {@link Mode#TESTING} or {@link Mode#NONE}
 * @param mx the {@code mx:} patterns, lower case (a leading {@code *.} matches one label)
 * @param maxAge how long senders may cache the policy
 * @param id the {@code id} of the {@code _mta-sts} TXT record the policy was fetched for, or empty
 */
public record MtaStsPolicy(Mode mode, List<String> mx, Duration maxAge, String id) {
  /** Validates and copies. */
  public MtaStsPolicy {
    requireNonNull(mode, "mode");
    mx = mx.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    requireNonNull(maxAge, "maxAge");
    requireNonNull(id, "id");
  }

  /**
   * Whether an MX host name matches one of the {@code mx:} patterns (RFC 8461 §4.1): exactly, or
   * by a wildcard {@code *.} standing for exactly one left-most label.
   *
   * @param host the MX host name, with or without a final dot
   * @return {@code true} if it matches a pattern
   */
  public boolean matches(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    for (String p : mx) {
      if (p.startsWith("*.")) {
        int dot = h.indexOf('.');
        if (dot > 0 && h.substring(dot + 1).equals(p.substring(2))) {
          return true;
        }
      } else if (p.equals(h)) {
        return true;
      }
    }
    return false;
  }

  /** The policy mode (RFC 8461 §5). */
  public enum Mode {
    /** Senders must not deliver to MX hosts that fail TLS or the patterns. */
    ENFORCE,
    /** Senders deliver anyway but report failures (TLS-RPT). */
    TESTING,
    /** The policy is withdrawn. */
    NONE
  }
}
