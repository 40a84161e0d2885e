package dev.maildx.dns;

import dev.maildx.DomainName;
import dev.maildx.report.MtaStsReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses an MTA-STS policy (RFC 8461 §3.2): {@code key: value} lines separated by LF or CRLF, with
 * {@code version: STSv1}, {@code mode}, {@code max_age} and one or more {@code mx}. Bounded: at
 * most {@value #MAX_LINES} lines and {@value #MAX_MX} patterns are read.
 */
final class MtaStsPolicyParser {
  static final int MAX_LINES = 1000;
  static final int MAX_MX = 100;

  /** The largest max_age RFC 8461 §3.2 allows: 31557600 seconds (about a year). */
  static final long MAX_AGE_LIMIT = 31_557_600L;

  /** The result: a usable policy (or null), problems that make it invalid or questionable. */
  record Parsed(MtaStsReport.@Nullable Policy policy, List<String> problems, long maxAgeSeconds) {}

  private MtaStsPolicyParser() {}

  static Parsed parse(String text, String id) {
    Fields f = Fields.read(text);
    List<String> problems = f.problems;
    String version = f.version;
    String mode = f.mode;
    String maxAge = f.maxAge;
    Set<String> mx = f.mx;
    boolean fatal = false;
    if (version == null) {
      problems.add("no \"version\" field");
      fatal = true;
    } else if (!version.equals("STSv1")) {
      problems.add("version must be \"STSv1\", was \"" + Text.printable(version) + "\"");
      fatal = true;
    }
    MtaStsReport.Policy.Mode m = null;
    if (mode == null) {
      problems.add("no \"mode\" field");
      fatal = true;
    } else {
      switch (mode) {
        case "enforce":
          m = MtaStsReport.Policy.Mode.ENFORCE;
          break;
        case "testing":
          m = MtaStsReport.Policy.Mode.TESTING;
          break;
        case "none":
          m = MtaStsReport.Policy.Mode.NONE;
          break;
        default:
          problems.add(
              "mode must be enforce, testing or none, was \"" + Text.printable(mode) + "\"");
          fatal = true;
      }
    }
    long seconds = -1;
    if (maxAge == null) {
      problems.add("no \"max_age\" field");
      fatal = true;
    } else if (!maxAge.matches("[0-9]{1,10}")) {
      problems.add(
          "max_age must be a number of seconds (up to 10 digits), was \""
              + Text.printable(maxAge)
              + "\"");
      fatal = true;
    } else {
      seconds = Long.parseLong(maxAge);
    }
    if (m != null && m != MtaStsReport.Policy.Mode.NONE && mx.isEmpty()) {
      problems.add("no valid \"mx\" pattern, which mode " + mode + " requires");
      fatal = true;
    }
    MtaStsReport.Policy policy =
        fatal || m == null
            ? null
            : new MtaStsReport.Policy(
                m, List.copyOf(mx), Duration.ofSeconds(Math.min(seconds, MAX_AGE_LIMIT)), id);
    return new Parsed(policy, problems, seconds);
  }

  /** The {@code key: value} lines as read, before the fields are checked together. */
  private static final class Fields {
    final List<String> problems = new ArrayList<>();
    @Nullable String version;
    @Nullable String mode;
    @Nullable String maxAge;
    final Set<String> mx = new LinkedHashSet<>();
    final Set<String> seen = new LinkedHashSet<>();

    static Fields read(String text) {
      Fields f = new Fields();
      String[] lines = text.split("\n", -1);
      if (lines.length > MAX_LINES) {
        f.problems.add("more than " + MAX_LINES + " lines; the rest was not read");
      }
      for (int i = 0; i < Math.min(lines.length, MAX_LINES); i++) {
        f.line(i + 1, lines[i]);
      }
      return f;
    }

    private void line(int number, String text) {
      String line = text;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (TagList.strip(line).isEmpty()) {
        return;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        problems.add("line " + number + " is not \"key: value\": \"" + Text.printable(line) + "\"");
        return;
      }
      String key = line.substring(0, colon);
      String value = TagList.strip(line.substring(colon + 1));
      if (!key.equals(TagList.strip(key))) {
        problems.add(
            "line " + number + " has white space around the key \"" + Text.printable(key) + "\"");
        key = TagList.strip(key);
      }
      if (!key.equals("mx") && !seen.add(key)) {
        problems.add("\"" + Text.printable(key) + "\" appears more than once; the first is used");
        return;
      }
      switch (key) {
        case "version":
          version = value;
          break;
        case "mode":
          mode = value;
          break;
        case "max_age":
          maxAge = value;
          break;
        case "mx":
          mx(value);
          break;
        default:
          if (!TagList.validExtensionName(key)) {
            problems.add("\"" + Text.printable(key) + "\" is not a valid key");
          }
          break;
      }
    }

    /** An mx pattern: a host name, or "*." and one (RFC 8461 §3.2). */
    private void mx(String value) {
      if (mx.size() >= MAX_MX) {
        problems.add("more than " + MAX_MX + " mx patterns; the rest was not read");
        return;
      }
      String p = value.toLowerCase(Locale.ROOT);
      String domain = p.startsWith("*.") ? p.substring(2) : p;
      if (!DomainName.isValid(domain) || domain.contains("*") || domain.endsWith(".")) {
        problems.add(
            "mx pattern \""
                + Text.printable(value)
                + "\" is not a host name or \"*.\" followed by one");
      } else {
        mx.add(p);
      }
    }
  }
}
