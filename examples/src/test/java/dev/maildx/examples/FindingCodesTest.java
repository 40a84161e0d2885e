package dev.maildx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.FindingCode;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract of finding codes: every code a check can produce is declared once, as a constant of
 * a {@link FindingCode} enum, with its meaning; no main source makes or compares a code as a
 * string; and {@code docs/FINDINGS.md} is the table generated from the declarations.
 *
 * <p>To regenerate the table after changing a declaration: {@value #REGENERATE}
 */
class FindingCodesTest {
  static final String REGENERATE =
      "./mvnw -pl examples -am test -Dtest=FindingCodesTest -Dsurefire.failIfNoSpecifiedTests=false "
          + "-Dmaildx.updateDocs=true";
  private static final Pattern UPPER_SNAKE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");

  @Test
  void everyCodeIsDeclaredOnce_upperSnake_andDocumented() {
    List<Class<? extends Enum<?>>> enums = codeEnums();
    assertThat(enums).as("FindingCode enums on the class path").hasSizeGreaterThan(10);
    Map<String, String> declaredIn = new HashMap<>();
    for (Class<? extends Enum<?>> e : enums) {
      for (FindingCode c : codes(e)) {
        String where = e.getName();
        assertThat(declaredIn.put(c.name(), where))
            .as("%s is declared twice (%s and %s)", c.name(), declaredIn.get(c.name()), where)
            .isNull();
        assertThat(c.name()).as("code in %s", where).matches(UPPER_SNAKE);
        assertThat(c.meaning())
            .as("meaning of %s", c.name())
            .isNotBlank()
            .endsWith(".")
            .doesNotContain("\n");
        assertThat(c.severity()).as("severity of %s", c.name()).isNotNull();
        assertThat(c.effect()).as("effect of %s", c.name()).isNotNull();
        assertThat(c.checks())
            .as("checks of %s", c.name())
            .allMatch(x -> x.matches("[a-z][a-z0-9-]*"));
        c.reference().ifPresent(r -> assertThat(r).as("reference of %s", c.name()).isNotBlank());
        if (c.effect() == Verdict.INCONCLUSIVE) {
          assertThat(c.severity())
              .as("severity of the inconclusive %s", c.name())
              .isEqualTo(Severity.WARNING);
        }
      }
    }
  }

  @Test
  void noMainSourceMakesOrComparesACodeAsAString() throws IOException {
    Set<String> declared = new TreeSet<>();
    codeEnums().forEach(e -> codes(e).forEach(c -> declared.add(c.name())));
    // A literal code given to a finding, compared with one, or built by concatenation ("DKIM_" +
    // name).
    Pattern made =
        Pattern.compile(
            "Finding\\s*\\.\\s*(?:error|warning|info|inconclusive|builder)\\s*\\(\\s*\"");
    Pattern compared =
        Pattern.compile(
            "\\.code\\(\\)\\s*\\.\\s*(?:equals|startsWith|endsWith|contains)\\s*\\(\\s*\"");
    Pattern built = Pattern.compile("\"[A-Z][A-Z0-9]*_\"\\s*\\+");
    Pattern literal = Pattern.compile("\"([A-Z][A-Z0-9]*_[A-Z0-9_]+)\"");
    List<String> problems = new ArrayList<>();
    for (Path file : mainSources()) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String at = root().relativize(file) + ":" + (i + 1) + ": " + line.strip();
        if (made.matcher(line).find()
            || compared.matcher(line).find()
            || built.matcher(line).find()) {
          problems.add(at);
          continue;
        }
        Matcher m = literal.matcher(line);
        while (m.find()) {
          if (declared.contains(m.group(1))) {
            problems.add(at);
          }
        }
      }
    }
    assertThat(problems)
        .as(
            "finding codes spelled as strings in main sources; use the declared constants (MxReport.Code.MX_NULL)")
        .isEmpty();
  }

  @Test
  void everyDeclaredCodeIsUsedBySomeMainSource() throws IOException {
    StringBuilder all = new StringBuilder();
    Map<Path, String> text = new LinkedHashMap<>();
    for (Path file : mainSources()) {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      text.put(file, s);
      all.append(s).append('\n');
    }
    List<String> unused = new ArrayList<>();
    for (Class<? extends Enum<?>> e : codeEnums()) {
      String declaring =
          e.getEnclosingClass() == null ? e.getSimpleName() : e.getEnclosingClass().getSimpleName();
      for (FindingCode c : codes(e)) {
        Pattern use = Pattern.compile("\\b" + c.name() + "\\b");
        boolean used =
            text.entrySet().stream()
                .filter(t -> !t.getKey().getFileName().toString().equals(declaring + ".java"))
                .anyMatch(t -> use.matcher(t.getValue()).find());
        if (!used) {
          unused.add(e.getName() + "." + c.name());
        }
      }
    }
    assertThat(unused)
        .as(
            "declared codes no main source outside the declaration uses (remove them, or make the finding)")
        .isEmpty();
  }

  @Test
  void docsFindingsMd_isGeneratedFromTheDeclarations() throws IOException {
    String expected = render(codeEnums());
    Path docs = root().resolve("docs/FINDINGS.md");
    if (Boolean.getBoolean("maildx.updateDocs")) {
      Files.createDirectories(docs.getParent());
      Files.writeString(docs, expected, StandardCharsets.UTF_8);
    }
    String actual = Files.exists(docs) ? Files.readString(docs, StandardCharsets.UTF_8) : "";
    assertThat(actual)
        .as(
            "docs/FINDINGS.md is not what the FindingCode declarations generate; regenerate it with%n  %s%n",
            REGENERATE)
        .isEqualTo(expected);
  }

  // ---------------------------------------------------------------- the table

  static String render(List<Class<? extends Enum<?>>> enums) {
    StringBuilder md = new StringBuilder();
    int total = enums.stream().mapToInt(e -> codes(e).size()).sum();
    md.append("# Finding codes\n\n")
        .append(
            "<!-- Generated from the FindingCode declarations by FindingCodesTest (examples); do not edit by hand.\n")
        .append("     Regenerate: ")
        .append(REGENERATE)
        .append(" -->\n\n")
        .append("Every finding maildx reports carries one of these ")
        .append(total)
        .append(" codes: `Finding.code()` in Java, `code` in\n")
        .append(
            "the JSON output of the CLI. Each is declared once, as a constant of the `Code` enum of the report of the\n")
        .append(
            "check that makes it (`MxReport.Code.MX_NULL`; `DeliveryDiagnosis.Code` for the diagnosis itself), with\n")
        .append(
            "the severity and the effect on the verdict a finding with the code usually has, what it means, and the\n")
        .append(
            "standard it rests on. A check may grade one finding differently (a TLS failure under an MTA-STS policy\n")
        .append(
            "in testing mode is a warning, under an enforced one an error): the finding's own severity and effect\n")
        .append("say what applies to it.\n\n")
        .append(
            "Severity: `error` (broken, is or will be why mail does not arrive), `warning` (wrong or fragile, or\n")
        .append(
            "could not be checked), `info` (a fact). Effect on the verdict: `deliverable` (none), `at_risk`,\n")
        .append("`inconclusive` (something could not be checked), `undeliverable`.\n");
    for (Class<? extends Enum<?>> e : enums) {
      List<FindingCode> codes = codes(e);
      Set<String> checks = new TreeSet<>();
      codes.forEach(c -> checks.addAll(c.checks()));
      String named = checks.stream().map(x -> "`" + x + "`").collect(Collectors.joining(", "));
      boolean any = codes.stream().anyMatch(c -> c.checks().isEmpty());
      md.append("\n## ")
          .append(typeName(e))
          .append(" (")
          .append(codes.size())
          .append(")\n\n")
          .append("Checks: ")
          .append(
              any ? "any (the check concerned)" + (named.isEmpty() ? "" : ", and " + named) : named)
          .append(".\n\n")
          .append("| Code | Check | Severity | Effect | Meaning | Reference |\n")
          .append("|---|---|---|---|---|---|\n");
      for (FindingCode c : codes) {
        md.append("| `")
            .append(c.name())
            .append("` | ")
            .append(c.checks().isEmpty() ? "any" : String.join(", ", c.checks()))
            .append(" | ")
            .append(c.severity().name().toLowerCase(Locale.ROOT))
            .append(" | ")
            .append(c.effect().name().toLowerCase(Locale.ROOT))
            .append(" | ")
            .append(escape(c.meaning()))
            .append(" | ")
            .append(c.reference().map(FindingCodesTest::escape).orElse(""))
            .append(" |\n");
      }
    }
    return md.toString();
  }

  private static String typeName(Class<?> e) {
    return e.getEnclosingClass() == null
        ? e.getSimpleName()
        : e.getEnclosingClass().getSimpleName() + "." + e.getSimpleName();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("<", "&lt;")
        .replace(">", "&gt;");
  }

  // ---------------------------------------------------------------- what is declared, what is
  // written

  @SuppressWarnings("unchecked")
  private static List<FindingCode> codes(Class<? extends Enum<?>> e) {
    return Stream.of(e.getEnumConstants()).map(c -> (FindingCode) c).toList();
  }

  /**
   * Every enum implementing {@link FindingCode} in maildx's main classes on the class path (the
   * modules this one depends on), reports in alphabetical order, {@code DeliveryDiagnosis.Code}
   * last.
   */
  @SuppressWarnings("unchecked")
  static List<Class<? extends Enum<?>>> codeEnums() {
    Set<String> names = new TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.contains("test-classes") || !Files.exists(p)) {
        continue;
      }
      try {
        if (Files.isDirectory(p)) {
          classNames(p, names);
        } else if (p.getFileName().toString().startsWith("maildx-") && entry.endsWith(".jar")) {
          try (FileSystem jar =
              FileSystems.newFileSystem(URI.create("jar:" + p.toUri()), Map.of())) {
            classNames(jar.getPath("/"), names);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<Class<? extends Enum<?>>> out = new ArrayList<>();
    for (String n : names) {
      try {
        Class<?> c = Class.forName(n, false, FindingCodesTest.class.getClassLoader());
        if (c.isEnum() && FindingCode.class.isAssignableFrom(c)) {
          out.add((Class<? extends Enum<?>>) c);
        }
      } catch (ClassNotFoundException | LinkageError e) {
        // a class whose optional dependency is absent cannot declare codes we could load anyway
      }
    }
    out.sort(
        Comparator.<Class<? extends Enum<?>>, Boolean>comparing(
                c -> c.getEnclosingClass() == dev.maildx.DeliveryDiagnosis.class)
            .thenComparing(FindingCodesTest::typeName));
    return out;
  }

  private static void classNames(Path base, Set<String> names) throws IOException {
    Path pkg = base.resolve("dev/maildx");
    if (!Files.isDirectory(pkg)) {
      return;
    }
    try (Stream<Path> files = Files.walk(pkg)) {
      files
          .map(f -> base.relativize(f).toString().replace('\\', '/'))
          .filter(f -> f.endsWith(".class") && !f.endsWith("module-info.class"))
          .forEach(
              f -> names.add(f.substring(0, f.length() - ".class".length()).replace('/', '.')));
    }
  }

  /** The root of the checkout: where the parent pom is. */
  static Path root() {
    String r = System.getProperty("maildx.root");
    Path p = r != null ? Path.of(r) : Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("core/pom.xml"))) {
      p = p.getParent();
    }
    assertThat(p).as("the checkout (a directory with core/pom.xml) above %s", r).isNotNull();
    return p;
  }

  /** The main Java sources of every module of the checkout. */
  static List<Path> mainSources() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root())) {
      for (Path m : modules.sorted().toList()) {
        Path src = m.resolve("src/main/java");
        if (Files.isDirectory(src)) {
          try (Stream<Path> files = Files.walk(src)) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(out::add);
          }
        }
      }
    }
    assertThat(out).as("main sources under %s", root()).hasSizeGreaterThan(100);
    return out;
  }
}
