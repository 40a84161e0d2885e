package dev.maildx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.maildx.internal.InetAddresses;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Fuzz targets for the parsers of user input in core. Each asserts the parser's contract: it
 * returns a value that satisfies the type's invariants and survives a round trip, or throws the
 * documented {@link IllegalArgumentException} — nothing else, and fast.
 *
 * <p>{@code ./mvnw verify} replays the seeds in {@code src/test/resources/dev/maildx/InputParsersFuzzTestInputs};
 * {@code fuzz/run} fuzzes (see the README).
 */
class InputParsersFuzzTest {
  private static final long MAX_NANOS = 200_000_000L;

  @FuzzTest(maxDuration = "5m")
  void domainName(String input) {
    if (input == null) {
      return; // null is a programmer error (NullPointerException by contract), not parser input
    }
    long t0 = System.nanoTime();
    DomainName d;
    try {
      d = DomainName.of(input);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("invalid domain name");
      assertThat(System.nanoTime() - t0).isLessThan(MAX_NANOS);
      return;
    }
    assertThat(System.nanoTime() - t0).isLessThan(MAX_NANOS);
    String a = d.ascii();
    assertThat(a.length()).isBetween(1, 253);
    assertThat(a).matches("[a-z0-9.-]+");
    assertThat(d.labels()).allMatch(l -> !l.isEmpty() && l.length() <= 63 && !l.startsWith("-") && !l.endsWith("-"));
    assertThat(DomainName.of(a)).isEqualTo(d);
  }

  @FuzzTest(maxDuration = "5m")
  void emailAddress(String input) {
    if (input == null) {
      return; // null is a programmer error (NullPointerException by contract), not parser input
    }
    long t0 = System.nanoTime();
    EmailAddress e;
    try {
      e = EmailAddress.parse(input);
    } catch (IllegalArgumentException ex) {
      assertThat(ex.getMessage()).startsWith("invalid email address");
      return;
    } finally {
      assertThat(System.nanoTime() - t0).isLessThan(MAX_NANOS);
    }
    String wire = e.toString();
    assertThat(wire.chars()).noneMatch(c -> c < 0x20 || c == 0x7f);
    assertThat(wire).doesNotContain("\r", "\n", "\u0000");
    assertThat(EmailAddress.parse(wire)).isEqualTo(e);
  }

  @FuzzTest(maxDuration = "5m")
  void enhancedStatusCode(String input) {
    if (input == null) {
      return; // null is a programmer error (NullPointerException by contract), not parser input
    }
    long t0 = System.nanoTime();
    Optional<EnhancedStatusCode> found = EnhancedStatusCode.find(input);
    Optional<EnhancedStatusCode> exact = EnhancedStatusCode.tryParse(input);
    assertThat(System.nanoTime() - t0).isLessThan(MAX_NANOS);
    found.ifPresent(c -> {
      assertThat(c.statusClass()).isIn(2, 4, 5);
      assertThat(EnhancedStatusCode.parse(c.toString())).isEqualTo(c);
      assertThat(input).contains(c.statusClass() + ".");
    });
    exact.ifPresent(c -> assertThat(found).contains(c));
  }

  @FuzzTest(maxDuration = "5m")
  void ipLiteral(String input) {
    if (input == null) {
      return; // null is a programmer error (NullPointerException by contract), not parser input
    }
    long t0 = System.nanoTime();
    InetAddress a = InetAddresses.tryParse(input);
    assertThat(System.nanoTime() - t0).isLessThan(MAX_NANOS);
    if (a != null) {
      String literal = InetAddresses.toLiteral(a);
      assertThat(InetAddresses.tryParse(literal)).isEqualTo(a);
      InetAddresses.specialRange(a); // total: never throws
    }
  }
}
