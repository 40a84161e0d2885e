package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/RFC-COVERAGE.md} honest: every test it names ({@code Class#method}) exists as a
 * method of a test class in this repository, every case it names from a shared SPF suite exists in
 * that suite, every row is either covered or says why not, and the counts in its summary table are
 * the counts of its tables. A renamed or deleted test therefore fails the build instead of leaving
 * a claim of coverage behind.
 */
class RfcCoverageTableTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DOC = ROOT.resolve("docs/RFC-COVERAGE.md");
  private static final Pattern TEST_REF = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([a-zA-Z0-9_]+)`");
  private static final Pattern SUITE_CASES =
      Pattern.compile(
          "SpfConformanceTest#rfc7208Suite_allCasesPass` cases ((?:`[A-Za-z0-9-]+`(?:, )?)+)");
  private static final Pattern CASE = Pattern.compile("`([A-Za-z0-9-]+)`");
  private static final Pattern SUMMARY =
      Pattern.compile("^\\| (RFC \\d+)[^|]*\\| (\\d+) \\| (\\d+) \\| (\\d+) \\|$");

  /** One table row: its RFC, the "covered by" cell and the whole line. */
  private record Row(String rfc, String coveredBy, String note, String line) {}

  @Test
  void everyNamedTestExists_everyRowIsAccountedFor_andTheCountsMatch() throws IOException {
    List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    List<Row> rows = rows(lines);
    Map<String, String> sources = testSources();
    List<String> problems = new ArrayList<>();
    for (Row r : rows) {
      Matcher m = TEST_REF.matcher(r.line());
      while (m.find()) {
        String src = sources.get(m.group(1));
        if (src == null) {
          problems.add("no test class " + m.group(1) + " (" + r.rfc() + ")");
        } else if (!Pattern.compile("void " + Pattern.quote(m.group(2)) + "\\(")
            .matcher(src)
            .find()) {
          problems.add("no method " + m.group(1) + "#" + m.group(2) + " (" + r.rfc() + ")");
        }
      }
      if (r.coveredBy().equals("—") && r.note().isBlank()) {
        problems.add("a row neither covered nor explained: " + r.line());
      }
    }
    problems.addAll(unknownSuiteCases(rows));
    Map<String, int[]> counted = new LinkedHashMap<>();
    for (Row r : rows) {
      int[] c = counted.computeIfAbsent(r.rfc(), k -> new int[3]);
      c[0]++;
      c[r.coveredBy().equals("—") ? 2 : 1]++;
    }
    Map<String, int[]> stated = summary(lines);
    counted.forEach(
        (rfc, c) ->
            System.out.printf(
                "RFC-COVERAGE %s: %d statements listed, %d covered by a test, %d not covered%n",
                rfc, c[0], c[1], c[2]));
    assertThat(problems).isEmpty();
    assertThat(stated.keySet()).containsExactlyInAnyOrderElementsOf(counted.keySet());
    counted.forEach(
        (rfc, c) -> assertThat(stated.get(rfc)).as("summary counts of %s", rfc).containsExactly(c));
  }

  /** The rows of the per-RFC tables, each with the RFC of the heading above it. */
  private static List<Row> rows(List<String> lines) {
    List<Row> rows = new ArrayList<>();
    String rfc = null;
    Pattern heading = Pattern.compile("^## (RFC \\d+)\\b.*");
    for (String line : lines) {
      Matcher h = heading.matcher(line);
      if (h.matches()) {
        rfc = h.group(1);
        continue;
      }
      if (rfc == null
          || !line.startsWith("| ")
          || line.startsWith("| § ")
          || line.startsWith("|---")) {
        continue;
      }
      String[] cells = line.substring(1, line.length() - 1).split(" \\| ", -1);
      assertThat(cells).as("five cells in: %s", line).hasSize(5);
      rows.add(new Row(rfc, cells[3].strip(), cells[4].strip(), line));
    }
    return rows;
  }

  /** The statements-listed, covered and not-covered counts of the summary table. */
  private static Map<String, int[]> summary(List<String> lines) {
    Map<String, int[]> stated = new HashMap<>();
    for (String line : lines) {
      Matcher m = SUMMARY.matcher(line);
      if (m.matches()) {
        stated.put(
            m.group(1),
            new int[] {
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4))
            });
      }
    }
    return stated;
  }

  /** The source of every test class of every module, by simple class name. */
  private static Map<String, String> testSources() throws IOException {
    Map<String, String> sources = new HashMap<>();
    try (Stream<Path> files = Files.walk(ROOT, 12)) {
      for (Path p :
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> f.toString().contains("/src/test/java/"))
              .toList()) {
        String name = p.getFileName().toString().replace(".java", "");
        sources.merge(name, Files.readString(p, StandardCharsets.UTF_8), (a, b) -> a + b);
      }
    }
    return sources;
  }

  /** Case names cited from the RFC 7208 suite that the suite does not have (when it is present). */
  private static List<String> unknownSuiteCases(List<Row> rows) throws IOException {
    Path suite = SpfSuite.CORPUS.resolve("rfc7208-tests.yml");
    if (!Files.isRegularFile(suite)) {
      return List.of(); // the corpus is optional; class and method names are still checked
    }
    String yml = Files.readString(suite, StandardCharsets.UTF_8);
    List<String> unknown = new ArrayList<>();
    for (Row r : rows) {
      Matcher m = SUITE_CASES.matcher(r.line());
      while (m.find()) {
        Matcher c = CASE.matcher(m.group(1));
        while (c.find()) {
          if (!Pattern.compile("(?m)^  " + Pattern.quote(c.group(1)) + ":$").matcher(yml).find()) {
            unknown.add("no case " + c.group(1) + " in rfc7208-tests.yml (" + r.rfc() + ")");
          }
        }
      }
    }
    return unknown;
  }
}
