package dev.maildx.dns;

import dev.maildx.testkit.DnsFault;
import dev.maildx.testkit.MockDnsServer;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The openspf.org YAML test suites (RFC 7208 and RFC 4408 suites, pyspf's and blitiris' extra
 * tests): scenarios of zone data and cases, and the way a driver publishes the zone data in {@link
 * MockDnsServer}.
 *
 * <p>Zone data is published as the suites' reference driver (pyspf's test harness) reads it:
 *
 * <ul>
 *   <li>{@code SPF} entries are published as SPF (type 99) records and, unless the name has an
 *       explicit {@code TXT} entry (even {@code TXT: NONE}), also as TXT records, after every other
 *       entry. The suite header says this duplication applies everywhere but in the "Selecting
 *       records" scenario; that scenario is exactly where names carry explicit TXT entries when SPF
 *       and TXT are meant to differ, so the one rule serves both.
 *   <li>{@code TIMEOUT} (or {@code TIMEOUT: true}): queries for a type that has no record before
 *       the marker time out; types listed before it answer. {@code SERVFAIL: true} likewise answers
 *       SERVFAIL.
 *   <li>Everything is built as raw records, so names with spaces or colons and TXT strings with NUL
 *       or non-ASCII characters (encoded as UTF-8, as the reference driver does) are published as
 *       the suite means them.
 * </ul>
 */
final class SpfSuite {
  static final Path CORPUS =
      Path.of(System.getProperty("maildx.corpora", "../../shared/corpora"), "spf-test-suite");

  record Case(
      String scenario,
      String name,
      String helo,
      String host,
      String mailfrom,
      List<String> results,
      @Nullable String explanation,
      String spec) {
    String id() {
      return scenario + " / " + name;
    }
  }

  record Scenario(String description, Map<String, List<Object>> zone, List<Case> cases) {}

  private SpfSuite() {}

  @SuppressWarnings("unchecked")
  static List<Scenario> load(String file) throws IOException {
    LoaderOptions opts = new LoaderOptions();
    // Every scalar stays a string (no YAML 1.1 booleans, sexagesimal numbers or dates).
    Resolver strings =
        new Resolver() {
          @Override
          protected void addImplicitResolvers() {}
        };
    Yaml yaml =
        new Yaml(
            new SafeConstructor(opts),
            new Representer(new org.yaml.snakeyaml.DumperOptions()),
            new org.yaml.snakeyaml.DumperOptions(),
            opts,
            strings);
    List<Scenario> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(CORPUS.resolve(file), StandardCharsets.UTF_8)) {
      for (Object doc : yaml.loadAll(r)) {
        if (!(doc instanceof Map)) {
          continue;
        }
        Map<String, Object> d = (Map<String, Object>) doc;
        String desc =
            String.valueOf(d.getOrDefault("description", d.getOrDefault("comment", "?"))).strip();
        Map<String, List<Object>> zone = new LinkedHashMap<>();
        Object zd = d.get("zonedata");
        if (zd instanceof Map) {
          for (Map.Entry<String, Object> e : ((Map<String, Object>) zd).entrySet()) {
            zone.put(
                e.getKey(), e.getValue() instanceof List ? (List<Object>) e.getValue() : List.of());
          }
        }
        List<Case> cases = new ArrayList<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) d.get("tests")).entrySet()) {
          Map<String, Object> t = (Map<String, Object>) e.getValue();
          Object res = t.get("result");
          List<String> results =
              res instanceof List
                  ? ((List<Object>) res).stream().map(x -> String.valueOf(x).strip()).toList()
                  : List.of(String.valueOf(res).strip());
          cases.add(
              new Case(
                  desc,
                  e.getKey(),
                  str(t.get("helo")),
                  str(t.get("host")),
                  str(t.get("mailfrom")),
                  results,
                  t.get("explanation") == null ? null : String.valueOf(t.get("explanation")),
                  str(t.get("spec"))));
        }
        out.add(new Scenario(desc, zone, cases));
      }
    }
    return out;
  }

  private static String str(@Nullable Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  /** Publishes a scenario's zone data on a (reset) server. */
  @SuppressWarnings("unchecked")
  static void publish(MockDnsServer dns, Map<String, List<Object>> zone) {
    dns.reset();
    for (Map.Entry<String, List<Object>> e : zone.entrySet()) {
      String name = e.getKey();
      List<Object> entries = e.getValue();
      boolean explicitTxt = false;
      for (Object o : entries) {
        if (o instanceof Map && ((Map<String, Object>) o).containsKey("TXT")) {
          explicitTxt = true;
        }
      }
      Set<String> answered = new LinkedHashSet<>();
      String fault = null;
      List<Object> spfAsTxt = new ArrayList<>();
      for (Object o : entries) {
        if ("TIMEOUT".equals(o) || "SERVFAIL".equals(o)) {
          fault = fault == null ? (String) o : fault;
          continue;
        }
        if (!(o instanceof Map)) {
          continue;
        }
        for (Map.Entry<String, Object> rr : ((Map<String, Object>) o).entrySet()) {
          String type = rr.getKey().toUpperCase(Locale.ROOT);
          if (type.equals("TIMEOUT") || type.equals("SERVFAIL")) {
            fault = fault == null ? type : fault;
            continue;
          }
          if (rr.getValue().equals("NONE")) {
            continue;
          }
          if (fault == null) {
            answered.add(type);
          }
          add(dns, name, type, rr.getValue());
          if (type.equals("SPF") && !explicitTxt) {
            spfAsTxt.add(rr.getValue());
          }
        }
      }
      for (Object v : spfAsTxt) {
        add(dns, name, "TXT", v);
      }
      if (fault != null) {
        for (String type : List.of("TXT", "SPF", "A", "AAAA", "MX", "PTR", "CNAME")) {
          if (!answered.contains(type)) {
            dns.fault(
                name, type, fault.equals("TIMEOUT") ? DnsFault.timeout() : DnsFault.servfail());
          }
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void add(MockDnsServer dns, String name, String type, Object value) {
    String owner = ownerName(name);
    try {
      switch (type) {
        case "A":
        case "AAAA":
          dns.rawRecord(owner, type, InetAddress.getByName(String.valueOf(value)).getAddress());
          break;
        case "MX":
          {
            List<Object> mx = (List<Object>) value;
            DNSOutput out = new DNSOutput();
            out.writeU16(Integer.parseInt(String.valueOf(mx.get(0))));
            wireName(String.valueOf(mx.get(1))).toWire(out, null);
            dns.rawRecord(owner, "MX", out.toByteArray());
            break;
          }
        case "PTR":
        case "CNAME":
          {
            DNSOutput out = new DNSOutput();
            wireName(String.valueOf(value)).toWire(out, null);
            dns.rawRecord(owner, type, out.toByteArray());
            break;
          }
        case "TXT":
        case "SPF":
          {
            List<Object> parts = value instanceof List ? (List<Object>) value : List.of(value);
            List<byte[]> strings = new ArrayList<>();
            for (Object p : parts) {
              String s = String.valueOf(p);
              byte[] b = s.getBytes(StandardCharsets.UTF_8);
              // Strings longer than a character-string are split as a zone file would have to.
              for (int i = 0; i < b.length || (i == 0 && b.length == 0); i += 255) {
                strings.add(java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + 255)));
                if (b.length == 0) {
                  break;
                }
              }
            }
            dns.txtBytes(owner, type, strings.toArray(byte[][]::new));
            break;
          }
        default:
          throw new IllegalArgumentException("zone data type not supported: " + type);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String ownerName(String name) {
    StringBuilder b = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (c == ' ') {
        b.append("\\032");
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static Name wireName(String n) throws TextParseException {
    if (n.isEmpty() || n.equals(".")) {
      return Name.root;
    }
    return Name.fromString(ownerName(n.endsWith(".") ? n : n + "."));
  }
}
