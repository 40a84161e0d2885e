package dev.maildx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.EnhancedStatusCode;
import dev.maildx.testkit.FuzzInput;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Fuzz targets for the parsers of user input in core. Each asserts the parser's contract: it
 * returns a value that satisfies the type's invariants and survives a round trip, or throws the
 * documented {@link IllegalArgumentException} — nothing else, within a time and allocation budget.
 *
 * <p>Targets take {@code byte[]} (decoded by {@link FuzzInput#text}, which reaches every Java
 * string, unpaired surrogates included) so that the seed files are the plain text they look like.
 * {@code ./mvnw verify} replays the seeds in {@code
 * src/test/resources/dev/maildx/InputParsersFuzzTestInputs}; {@code .ci/fuzz} fuzzes (see the
 * README).
 */
class InputParsersFuzzTest {
  private static final Duration TIME = Duration.ofMillis(200);

  private static long alloc(byte[] data) {
    return FuzzInput.allocationBudget(data.length);
  }

  @FuzzTest(maxDuration = "5m")
  void domainName(byte[] data) {
    String input = FuzzInput.text(data);
    DomainName d =
        FuzzInput.withinBudget(
            TIME,
            alloc(data),
            () -> {
              try {
                return DomainName.of(input);
              } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).startsWith("invalid domain name");
                return null;
              }
            });
    if (d == null) {
      return;
    }
    String a = d.ascii();
    assertThat(a.length()).isBetween(1, 253);
    assertThat(a).matches("[a-z0-9.-]+");
    assertThat(d.labels())
        .allMatch(l -> !l.isEmpty() && l.length() <= 63 && !l.startsWith("-") && !l.endsWith("-"));
    assertThat(DomainName.of(a)).isEqualTo(d);
  }

  @FuzzTest(maxDuration = "5m")
  void emailAddress(byte[] data) {
    String input = FuzzInput.text(data);
    EmailAddress e =
        FuzzInput.withinBudget(
            TIME,
            alloc(data),
            () -> {
              try {
                return EmailAddress.parse(input);
              } catch (IllegalArgumentException ex) {
                assertThat(ex.getMessage()).startsWith("invalid email address");
                return null;
              }
            });
    if (e == null) {
      return;
    }
    String wire = e.toString();
    assertThat(wire.chars()).noneMatch(c -> c < 0x20 || c == 0x7f);
    assertThat(wire).doesNotContain("\r", "\n", "\u0000");
    assertThat(EmailAddress.parse(wire)).isEqualTo(e);
  }

  @FuzzTest(maxDuration = "5m")
  void enhancedStatusCode(byte[] data) {
    String input = FuzzInput.text(data);
    Optional<EnhancedStatusCode> found =
        FuzzInput.withinBudget(TIME, alloc(data), () -> EnhancedStatusCode.find(input));
    Optional<EnhancedStatusCode> exact =
        FuzzInput.withinBudget(TIME, alloc(data), () -> EnhancedStatusCode.tryParse(input));
    found.ifPresent(
        c -> {
          assertThat(c.statusClass()).isIn(2, 4, 5);
          assertThat(EnhancedStatusCode.parse(c.toString())).isEqualTo(c);
          assertThat(input).contains(c.statusClass() + ".");
        });
    exact.ifPresent(c -> assertThat(found).contains(c));
  }

  @FuzzTest(maxDuration = "5m")
  void ipLiteral(byte[] data) {
    String input = FuzzInput.text(data);
    InetAddress a = FuzzInput.withinBudget(TIME, alloc(data), () -> InetAddresses.tryParse(input));
    if (a != null) {
      String literal = InetAddresses.toLiteral(a);
      assertThat(InetAddresses.tryParse(literal)).isEqualTo(a);
      InetAddresses.specialRange(a); // total: never throws
    }
  }
}
