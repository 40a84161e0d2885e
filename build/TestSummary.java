/*
 * Prints one line per module with the tests run, failed and skipped by this build (from the
 * surefire and failsafe XML reports), the total, and why tests were skipped. Run by the last
 * module of the reactor (benchmarks) in the verify phase:
 *
 *   java build/TestSummary.java <repository root> [build start, ISO-8601 UTC]
 *
 * Reports older than the build start were left by an earlier build and are not counted.
 */
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class TestSummary {
  static final String CORPORA_HINT =
      "the third-party corpora are read from ../shared/corpora beside the checkout, or from"
          + " -Dmaildx.corpora=DIR; README, section \"Tests against real servers\", says which"
          + " suites they hold";

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    Instant since = Instant.EPOCH;
    if (args.length > 1) {
      try {
        since = Instant.parse(args[1]).minusSeconds(2);
      } catch (RuntimeException e) {
        // no usable build start: count every report
      }
    }
    Map<String, long[]> modules = new TreeMap<>();
    Map<String, List<String>> skipped = new LinkedHashMap<>();
    List<String> modulesInOrder = new ArrayList<>();
    File[] dirs = root.toFile().listFiles(File::isDirectory);
    if (dirs == null) {
      return;
    }
    for (File dir : dirs) {
      for (String kind : new String[] {"surefire-reports", "failsafe-reports"}) {
        Path reports = dir.toPath().resolve("target").resolve(kind);
        if (!Files.isDirectory(reports)) {
          continue;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(reports)) {
          files = s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList();
        }
        for (Path f : files) {
          if (Files.getLastModifiedTime(f).toInstant().isBefore(since)) {
            continue;
          }
          read(f, dir.getName(), modules, skipped);
        }
      }
    }
    print(modules, skipped);
  }

  static void read(Path f, String module, Map<String, long[]> modules, Map<String, List<String>> skipped)
      throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = factory.newDocumentBuilder().parse(f.toFile());
    Element suite = doc.getDocumentElement();
    long[] m = modules.computeIfAbsent(module, k -> new long[4]);
    m[0] += num(suite, "tests");
    m[1] += num(suite, "failures");
    m[2] += num(suite, "errors");
    m[3] += num(suite, "skipped");
    NodeList cases = suite.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      NodeList s = c.getElementsByTagName("skipped");
      if (s.getLength() > 0) {
        String reason = reason((Element) s.item(0));
        String name = simple(c.getAttribute("classname")) + "." + c.getAttribute("name");
        skipped.computeIfAbsent(reason, k -> new ArrayList<>()).add(module + ": " + name);
      }
    }
  }

  /**
   * The skip message: the attribute, or (for an assumption that failed in a lifecycle method) the
   * first line of the recorded exception, without its class name.
   */
  static String reason(Element skip) {
    String message = skip.getAttribute("message");
    if (message == null || message.isBlank()) {
      message = skip.getTextContent().strip().lines().findFirst().orElse("");
    }
    message = message.replaceFirst("^[\\w.$]+(Exception|Error): ", "");
    message = message.replaceFirst("^Assumption failed: ", "").strip();
    return message.isEmpty() ? "(no reason given)" : message;
  }

  static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  static long num(Element e, String attribute) {
    String v = e.getAttribute(attribute);
    return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
  }

  static void print(Map<String, long[]> modules, Map<String, List<String>> skipped) {
    if (modules.isEmpty()) {
      System.out.println("[tests] no test reports from this build");
      return;
    }
    long[] total = new long[4];
    System.out.println("[tests] module         run  failed  errors  skipped");
    for (Map.Entry<String, long[]> e : modules.entrySet()) {
      long[] m = e.getValue();
      System.out.printf("[tests] %-12s %6d %7d %7d %8d%n", e.getKey(), m[0], m[1], m[2], m[3]);
      for (int i = 0; i < 4; i++) {
        total[i] += m[i];
      }
    }
    System.out.printf(
        "[tests] %-12s %6d %7d %7d %8d%n", "total", total[0], total[1], total[2], total[3]);
    boolean corpora = false;
    for (Map.Entry<String, List<String>> e : skipped.entrySet()) {
      System.out.println("[tests] skipped " + e.getValue().size() + ": " + e.getKey());
      for (String t : e.getValue()) {
        System.out.println("[tests]   " + t);
      }
      corpora |= e.getKey().startsWith("corpus not found");
    }
    if (corpora) {
      System.out.println("[tests] why \"corpus not found\": " + CORPORA_HINT);
    }
  }
}
