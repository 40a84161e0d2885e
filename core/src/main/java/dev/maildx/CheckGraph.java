package dev.maildx;

import dev.maildx.spi.Check;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Orders checks so that each comes after the checks it depends on. */
final class CheckGraph {
  private CheckGraph() {}

  static List<Check> order(List<Check> checks) {
    Map<String, Check> byName = new HashMap<>();
    for (Check c : checks) {
      String n = c.name();
      if (n == null
          || n.isEmpty()
          || !n.chars()
              .allMatch(ch -> (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) {
        throw new IllegalArgumentException(
            "check name must be lower case letters, digits and '-', was: " + n);
      }
      byName.put(n, c);
    }
    List<Check> out = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> visiting = new HashSet<>();
    for (Check c : checks) {
      visit(c, byName, done, visiting, out, new ArrayList<>());
    }
    return List.copyOf(out);
  }

  private static void visit(
      Check c,
      Map<String, Check> byName,
      Set<String> done,
      Set<String> visiting,
      List<Check> out,
      List<String> path) {
    if (done.contains(c.name())) {
      return;
    }
    path.add(c.name());
    if (!visiting.add(c.name())) {
      throw new IllegalArgumentException(
          "checks depend on each other in a cycle: " + String.join(" -> ", path));
    }
    for (String dep : c.dependsOn().stream().sorted().toList()) {
      Check d = byName.get(dep);
      if (d != null) {
        visit(d, byName, done, visiting, out, path);
      }
    }
    visiting.remove(c.name());
    path.remove(path.size() - 1);
    done.add(c.name());
    out.add(c);
  }
}
