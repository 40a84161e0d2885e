package dev.maildx.dns;

import dev.maildx.testkit.MockDnsServer;
import dev.maildx.testkit.SignedZone;
import java.time.Duration;
import java.time.Instant;

/**
 * A signed DNS tree for tests, served by {@link MockDnsServer}: the zone {@code test.} (the trust
 * anchor, as the root is in real life) delegating securely to {@code good.test}, {@code
 * broken.test} (its MX signature corrupted), {@code hostbad.test} (one MX host's address signature
 * corrupted), {@code allbad.test} (every MX host's), {@code expired.test} (signatures expired),
 * {@code tlsabad.test} (its TLSA signature corrupted) and {@code odd.test} (unusable TLSA records),
 * and insecurely (no DS) to {@code plain.test}.
 */
final class DnssecFixture {
  static final String HASH = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  final String anchor;

  DnssecFixture(MockDnsServer dns) {
    SignedZone good =
        SignedZone.builder("good.test")
            .records(
                """
        $ORIGIN good.test.
        @   IN SOA ns hostmaster 1 3600 600 86400 300
        @   IN NS  ns
        ns  IN A   9.9.9.53
        @   IN MX  10 mx1
        @   IN MX  20 mx.plain.test.
        mx1 IN A   9.9.9.1
        _25._tcp.mx1 IN TLSA 3 1 1 %s
        """
                    .formatted(HASH))
            .build();
    SignedZone broken =
        SignedZone.builder("broken.test")
            .records(
                """
        $ORIGIN broken.test.
        @   IN SOA ns hostmaster 1 3600 600 86400 300
        @   IN MX  10 mx1
        mx1 IN A   9.9.9.11
        """)
            .corrupt("@", "MX")
            .build();
    SignedZone hostbad =
        SignedZone.builder("hostbad.test")
            .records(
                """
        $ORIGIN hostbad.test.
        @   IN SOA ns hostmaster 1 3600 600 86400 300
        @   IN MX  10 mx1
        @   IN MX  20 mx2
        mx1 IN A   9.9.9.21
        mx2 IN A   9.9.9.22
        """)
            .corrupt("mx2", "A")
            .build();
    SignedZone allbad =
        SignedZone.builder("allbad.test")
            .records(
                """
        $ORIGIN allbad.test.
        @   IN SOA ns hostmaster 1 3600 600 86400 300
        @   IN MX  10 mx1
        mx1 IN A   9.9.9.31
        _25._tcp.mx1 IN TLSA 3 1 1 %s
        """
                    .formatted(HASH))
            .corrupt("mx1", "A")
            .corrupt("_25._tcp.mx1", "TLSA")
            .build();
    Instant now = Instant.now();
    SignedZone expired =
        SignedZone.builder("expired.test")
            .records(
                """
        $ORIGIN expired.test.
        @   IN SOA ns hostmaster 1 3600 600 86400 300
        @   IN MX  10 mx1
        mx1 IN A   9.9.9.41
        """)
            .validity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30)))
            .build();
    SignedZone tlsabad =
        SignedZone.builder("tlsabad.test")
            .records(
                """
        $ORIGIN tlsabad.test.
        @   IN SOA ns hostmaster 1 3600 600 86400 300
        @   IN MX  10 mx1
        @   IN MX  20 mx2
        mx1 IN A   9.9.9.51
        mx2 IN A   9.9.9.52
        _25._tcp.mx1 IN TLSA 3 1 1 %s
        _25._tcp.mx2 IN TLSA 3 1 1 %s
        """
                    .formatted(HASH, HASH))
            .corrupt("_25._tcp.mx1", "TLSA")
            .build();
    SignedZone odd =
        SignedZone.builder("odd.test")
            .records(
                """
        $ORIGIN odd.test.
        @   IN SOA ns hostmaster 1 3600 600 86400 300
        @   IN MX  10 mx1
        mx1 IN A   9.9.9.61
        _25._tcp.mx1 IN TLSA 1 1 1 %s
        _25._tcp.mx1 IN TLSA 3 2 1 %s
        _25._tcp.mx1 IN TLSA 3 1 1 0123
        """
                    .formatted(HASH, HASH))
            .build();
    String plain =
        """
        $ORIGIN plain.test.
        @   IN SOA ns hostmaster 1 3600 600 86400 300
        @   IN MX  10 mx
        mx  IN A   9.9.9.71
        _25._tcp.mx IN TLSA 3 1 1 %s
        """
            .formatted(HASH);
    StringBuilder parent =
        new StringBuilder(
            """
        $ORIGIN test.
        @     IN SOA ns hostmaster 1 3600 600 86400 300
        @     IN NS  ns
        ns    IN A   9.9.9.53
        plain IN NS  ns.plain
        """);
    for (SignedZone z : new SignedZone[] {good, broken, hostbad, allbad, expired, tlsabad, odd}) {
      parent
          .append(z.origin())
          .append(" IN NS ns.")
          .append(z.origin())
          .append('\n')
          .append(z.dsRecords());
    }
    SignedZone test = SignedZone.builder("test").records(parent.toString()).build();
    dns.zone(test.zoneText());
    for (SignedZone z : new SignedZone[] {good, broken, hostbad, allbad, expired, tlsabad, odd}) {
      dns.zone(z.zoneText());
    }
    dns.zone(plain);
    this.anchor = test.dsRecords();
  }

  PolicyOptions options(DnssecMode mode) {
    return PolicyOptions.builder().dnssecMode(mode).trustAnchors(anchor).build();
  }
}
