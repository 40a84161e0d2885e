package dev.maildx.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.maildx.Finding;
import dev.maildx.internal.InetAddresses;
import dev.maildx.report.SpfReport;
import dev.maildx.report.SpfResult;
import dev.maildx.spi.Deadline;
import dev.maildx.testkit.FuzzInput;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;

/**
 * Fuzz targets for SPF (RFC 7208): the record parser, macro strings and their expansion, and a
 * whole {@code check_host()} evaluation and lint over records the fuzzer writes. Each asserts the
 * contract: the parser returns a record or a syntax error with its column, expansion is
 * deterministic and bounded, evaluation always ends with a result within the lookup limits and a
 * permerror for a malformed record; all within a time and allocation budget.
 *
 * <p>Seeds: {@code src/test/resources/dev/maildx/dns/internal/SpfFuzzTestInputs/<method>/}.
 */
class SpfFuzzTest {
  private static final Duration TIME = Duration.ofMillis(500);

  @FuzzTest(maxDuration = "5m")
  void spfRecord(byte[] data) {
    String text = FuzzInput.text(data);
    SpfRecord r =
        FuzzInput.withinBudget(
            TIME, FuzzInput.allocationBudget(data.length), () -> SpfRecord.parse(text));
    assertThat(r.text()).isEqualTo(text);
    if (!r.valid()) {
      assertThat(r.error()).isNotBlank();
      assertThat(r.errorPosition()).isBetween(1, text.length() + 1);
      return;
    }
    assertThat(SpfRecord.isSpf1(text)).isTrue();
    List<String> tokens = new ArrayList<>();
    for (String t : text.substring(6).split(" ")) {
      if (!t.isEmpty()) {
        tokens.add(t);
      }
    }
    assertThat(r.terms()).extracting(SpfRecord.Term::text).containsExactlyElementsOf(tokens);
    for (SpfRecord.Term t : r.terms()) {
      assertThat(text.substring(t.position() - 1, t.position() - 1 + t.text().length()))
          .isEqualTo(t.text());
      assertThat(t.text().chars()).allMatch(c -> c >= 0x21 && c <= 0x7e);
      assertThat(t.isMechanism()).isNotEqualTo(t.modifier() != null);
      if (t.isMechanism()) {
        assertThat(t.qualifier()).isIn('+', '-', '~', '?');
      }
      assertThat(t.cidr4()).isBetween(0, 32);
      assertThat(t.cidr6()).isBetween(0, 128);
      if (t.mechanism() == SpfRecord.Mechanism.IP4 || t.mechanism() == SpfRecord.Mechanism.IP6) {
        assertThat(t.network()).isNotNull();
      }
      if (t.mechanism() == SpfRecord.Mechanism.INCLUDE
          || t.mechanism() == SpfRecord.Mechanism.EXISTS) {
        assertThat(t.domainSpec()).isNotNull();
      }
    }
    assertThat(r.redirect() == null || r.terms().contains(r.redirect())).isTrue();
    assertThat(r.exp() == null || r.terms().contains(r.exp())).isTrue();
    // Parsing the same text again gives the same terms (the parser keeps no state).
    assertThat(SpfRecord.parse(text).terms()).hasToString(r.terms().toString());
  }

  /**
   * A macro string, then values for the letters: the first line is the string (an explain-string
   * when it starts with {@code !}), the following lines the values of s, l, o, d, i, p, h, v, c, r,
   * t.
   */
  @FuzzTest(maxDuration = "5m")
  void spfMacro(byte[] data) {
    String[] lines = FuzzInput.text(data).split("\n", -1);
    boolean explain = lines[0].startsWith("!");
    String text = explain ? lines[0].substring(1) : lines[0];
    Map<Character, String> values = new HashMap<>();
    String letters = "slodiphvcrt";
    long valueChars = 0;
    for (int i = 0; i < letters.length(); i++) {
      String v = i + 1 < lines.length ? lines[i + 1] : "";
      values.put(letters.charAt(i), v);
      valueChars += v.length();
    }
    SpfMacro m =
        FuzzInput.withinBudget(
            TIME,
            FuzzInput.allocationBudget(data.length),
            () -> {
              try {
                return SpfMacro.parse(text, explain);
              } catch (SpfMacro.SyntaxException e) {
                assertThat(e.offset()).isBetween(0, text.length());
                assertThat(e.getMessage()).isNotBlank();
                return null;
              }
            });
    if (m == null) {
      return;
    }
    assertThat(m.text()).isEqualTo(text);
    SpfMacro.Values v = c -> values.getOrDefault(c, "");
    long macros = text.chars().filter(c -> c == '%').count();
    // Each macro expands to at most its value, URL-escaped (9 characters per UTF-16 unit at most).
    long bound = text.length() * 3L + macros * 9L * (valueChars + 1);
    String out =
        FuzzInput.withinBudget(
            TIME, FuzzInput.allocationBudget(bound + data.length), () -> m.expand(v));
    assertThat((long) out.length()).isLessThanOrEqualTo(bound);
    assertThat(m.expand(v)).isEqualTo(out);
    if (!m.hasMacros()) {
      assertThat(out).isEqualTo(unescape(text));
    }
    if (explain) {
      return;
    }
    try {
      SpfMacro d = SpfMacro.parseDomainSpec(text);
      String target = SpfEngine.targetDomain(d.expand(v));
      assertThat(target.length() <= 253 || target.indexOf('.') < 0)
          .as("shortened from the left: %s", target)
          .isTrue();
      if (SpfEngine.toName(target) != null) {
        assertThat(target.length()).isLessThanOrEqualTo(253);
      }
    } catch (SpfMacro.SyntaxException e) {
      assertThat(e.offset()).isBetween(0, text.length());
    }
  }

  /**
   * A whole evaluation over records the fuzzer writes. Lines: the client IP (192.0.2.10 if not an
   * address), the sender's local part, the record of {@code fz.test}, then the records of {@code
   * n1.fz.test} .. {@code n6.fz.test} (a line may hold several TXT records separated by {@code |}).
   * {@code fz.test} also has A, AAAA and MX records, and 192.0.2.10 a PTR.
   */
  @FuzzTest(maxDuration = "5m")
  void spfEvaluation(byte[] data) throws Exception {
    String[] lines = FuzzInput.text(data).split("\n", -1);
    InetAddress ip = InetAddresses.tryParse(lines[0].strip());
    if (ip == null) {
      ip = InetAddresses.parse("192.0.2.10");
    }
    String local = lines.length > 1 ? lines[1] : "postmaster";
    Map<Name, List<Record>> zone = new HashMap<>();
    Name root = Name.fromString("fz.test.");
    zone.put(
        root,
        new ArrayList<>(
            List.of(
                new ARecord(root, DClass.IN, 300, InetAddresses.parse("192.0.2.10")),
                new AAAARecord(root, DClass.IN, 300, InetAddresses.parse("2001:db8::10")),
                new MXRecord(root, DClass.IN, 300, 10, Name.fromString("mx.fz.test.")))));
    Name mx = Name.fromString("mx.fz.test.");
    zone.put(mx, List.of(new ARecord(mx, DClass.IN, 300, InetAddresses.parse("192.0.2.11"))));
    Name ptr = ReverseMap.fromAddress(InetAddresses.parse("192.0.2.10"));
    zone.put(ptr, List.of(new PTRRecord(ptr, DClass.IN, 300, root)));
    for (int i = 2; i < Math.min(lines.length, 9); i++) {
      Name owner = i == 2 ? root : Name.fromString("n" + (i - 2) + ".fz.test.");
      List<Record> at = zone.computeIfAbsent(owner, k -> new ArrayList<>());
      for (String txt : lines[i].split("\\|", -1)) {
        at.add(FuzzRecords.txt(owner, txt));
      }
    }
    SpfEngine engine =
        new SpfEngine(
            SpfResolver.inMemory(zone),
            "receiver.test",
            Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC));
    String sender = local + "@fz.test";
    InetAddress client = ip;
    Deadline deadline = Deadline.after(Duration.ofSeconds(10));
    SpfEngine.Outcome o =
        FuzzInput.withinBudget(
            TIME,
            FuzzInput.allocationBudget(data.length),
            () -> {
              try {
                return engine
                    .checkHost(client, "fz.test", sender, "helo.fz.test", deadline)
                    .get(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new AssertionError("evaluation did not complete normally", e);
              }
            });
    assertThat(o.result).isNotNull();
    assertThat(o.result).isNotEqualTo(SpfResult.TEMPERROR); // no lookup fails in memory
    assertThat(o.lookups).isBetween(0, SpfEngine.MAX_LOOKUPS + 1);
    assertThat(o.voidLookups).isBetween(0, SpfEngine.MAX_VOID_LOOKUPS + 1);
    if (o.lookups > SpfEngine.MAX_LOOKUPS || o.voidLookups > SpfEngine.MAX_VOID_LOOKUPS) {
      assertThat(o.result).isEqualTo(SpfResult.PERMERROR);
    }
    List<String> rootRecords =
        zone.get(root).stream()
            .filter(r -> r instanceof TXTRecord)
            .map(r -> SpfEngine.join((TXTRecord) r))
            .filter(SpfRecord::isSpf1)
            .toList();
    if (rootRecords.isEmpty()) {
      assertThat(o.result).isEqualTo(SpfResult.NONE);
    } else if (rootRecords.size() > 1 || !SpfRecord.parse(rootRecords.get(0)).valid()) {
      assertThat(o.result).isEqualTo(SpfResult.PERMERROR);
    }
    if (o.result == SpfResult.FAIL) {
      assertThat(o.explanation).isNotNull();
    } else {
      assertThat(o.explanation).isNull();
    }
    assertThat(depth(o.trace)).isLessThanOrEqualTo(SpfEngine.MAX_LOOKUPS + 2);

    SpfLinter.Lint lint =
        FuzzInput.withinBudget(
            TIME,
            FuzzInput.allocationBudget(data.length),
            () -> {
              try {
                return new SpfLinter(SpfResolver.inMemory(zone))
                    .lint("fz.test", null, deadline, true)
                    .get(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new AssertionError("lint did not complete normally", e);
              }
            });
    for (Finding f : lint.findings()) {
      assertThat(f.code()).matches("SPF_[A-Z0-9_]+");
      assertThat(f.check()).isEqualTo("spf");
      assertThat(f.message().length()).isLessThan(64 * 1024);
    }
  }

  private static int depth(SpfReport.Trace t) {
    int d = 0;
    for (SpfReport.Term term : t.terms()) {
      if (term.child() != null) {
        d = Math.max(d, depth(term.child()));
      }
    }
    return d + 1;
  }

  /** A macro-string without macros as RFC 7208 §7.1 reads it: %% is %, %_ a space, %- is %20. */
  private static String unescape(String text) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 1 < text.length()) {
        char n = text.charAt(++i);
        b.append(n == '%' ? "%" : n == '_' ? " " : n == '-' ? "%20" : "%" + n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
