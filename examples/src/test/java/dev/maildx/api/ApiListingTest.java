package dev.maildx.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of every maildx module, recorded in {@code <module>/api/<artifact>.api} and
 * compared on every build, as OkHttp's {@code .api} files are: a change to a public signature is a
 * visible diff in review. Run with {@code -Dmaildx.updateApi=true} to write the listings anew.
 *
 * <p>The listing holds every public or protected type, constructor, method and field of each
 * package the module exports to everyone (its {@code module-info}); qualified exports and internals
 * are not API.
 */
class ApiListingTest {
  private static final Map<String, String> MODULES =
      Map.of(
          "core", "dev.maildx.MailDiagnostics",
          "dns", "dev.maildx.dns.MxResolver",
          "smtp", "dev.maildx.smtp.SmtpProber",
          "bounce", "dev.maildx.bounce.BounceParser",
          "auth", "dev.maildx.auth.MessageAuthenticator",
          "render", "dev.maildx.render.Render",
          "testkit", "dev.maildx.testkit.MockDnsServer");

  @Test
  void everyModulesPublicApiMatchesItsCheckedInListing() throws Exception {
    Path root = Path.of(System.getProperty("maildx.root", ".."));
    boolean update = Boolean.getBoolean("maildx.updateApi");
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, String> m : new java.util.TreeMap<>(MODULES).entrySet()) {
      String listing = listing(Class.forName(m.getValue()));
      Path file = root.resolve(m.getKey()).resolve("api").resolve("maildx-" + m.getKey() + ".api");
      String recorded = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      if (!recorded.equals(listing)) {
        if (update) {
          Files.createDirectories(file.getParent());
          Files.writeString(file, listing, StandardCharsets.UTF_8);
        } else {
          changed.add(file + diff(recorded, listing));
        }
      }
    }
    assertThat(changed)
        .as(
            "public API changed; review the diff and rerun with -Dmaildx.updateApi=true to record it")
        .isEmpty();
  }

  private static String diff(String before, String after) {
    TreeSet<String> removed = new TreeSet<>(before.lines().toList());
    after.lines().toList().forEach(removed::remove);
    TreeSet<String> added = new TreeSet<>(after.lines().toList());
    before.lines().toList().forEach(added::remove);
    StringBuilder b = new StringBuilder();
    removed.stream().limit(20).forEach(l -> b.append("\n  - ").append(l));
    added.stream().limit(20).forEach(l -> b.append("\n  + ").append(l));
    return b.toString();
  }

  /** The API listing of the module that holds {@code anchor}: one sorted block per public type. */
  static String listing(Class<?> anchor)
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (FileSystem jar =
        Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
      Path base = jar == null ? location : jar.getPath("/");
      ModuleDescriptor module;
      try (InputStream in = Files.newInputStream(base.resolve("module-info.class"))) {
        module = ModuleDescriptor.read(in);
      }
      TreeSet<String> exported = new TreeSet<>();
      module.exports().stream()
          .filter(e -> !e.isQualified())
          .forEach(e -> exported.add(e.source()));
      StringBuilder out = new StringBuilder("module " + module.name() + "\n");
      for (String pkg : exported) {
        TreeSet<String> types = new TreeSet<>();
        try (Stream<Path> files = Files.list(base.resolve(pkg.replace('.', '/')))) {
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
              .forEach(
                  n -> types.add(pkg + "." + n.substring(0, n.length() - 6).replace('$', '.')));
        }
        for (String name : types) {
          Class<?> c = load(pkg, name);
          if (c == null || !visible(c)) {
            continue;
          }
          out.append('\n').append(describe(c)).append('\n');
          TreeSet<String> members = new TreeSet<>();
          try {
            c.getDeclaredMethods();
          } catch (LinkageError e) {
            // Its signatures name a type of an optional dependency (jakarta.mail) absent here.
            out.append("  (members name types of an optional dependency: ")
                .append(e.getMessage())
                .append(")\n");
            continue;
          }
          for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (visible(k.getModifiers())) {
              members.add(k.toGenericString());
            }
          }
          for (Method x : c.getDeclaredMethods()) {
            if (visible(x.getModifiers()) && !x.isSynthetic() && !x.isBridge()) {
              members.add(x.toGenericString());
            }
          }
          for (Field f : c.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isSynthetic()) {
              members.add(f.toGenericString());
            }
          }
          members.forEach(
              l -> out.append("  ").append(l.replace(c.getName() + ".", "")).append('\n'));
        }
      }
      return out.toString();
    }
  }

  private static Class<?> load(String pkg, String dotted) {
    String binary = pkg + "." + dotted.substring(pkg.length() + 1).replace('.', '$');
    try {
      return Class.forName(binary, false, ApiListingTest.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private static boolean visible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) && !Modifier.isProtected(k.getModifiers())) {
        return false;
      }
    }
    return !c.isAnonymousClass() && !c.isSynthetic() && !c.isLocalClass();
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String describe(Class<?> c) {
    String kind =
        c.isAnnotation()
            ? "@interface"
            : c.isInterface()
                ? "interface"
                : c.isEnum() ? "enum" : c.isRecord() ? "record" : "class";
    int mods =
        c.getModifiers() & ~(Modifier.INTERFACE | Modifier.ABSTRACT * (c.isInterface() ? 1 : 0));
    if (c.isEnum() || c.isRecord()) {
      mods &= ~(Modifier.FINAL | Modifier.STATIC);
    }
    StringBuilder b = new StringBuilder(Modifier.toString(mods));
    if (c.isSealed()) {
      b.append(" sealed");
    }
    b.append(b.length() > 0 ? " " : "").append(kind).append(' ').append(c.getTypeName());
    if (c.getGenericSuperclass() != null
        && !c.isEnum()
        && !c.isRecord()
        && c.getSuperclass() != Object.class) {
      b.append(" extends ").append(c.getGenericSuperclass().getTypeName());
    }
    if (c.getGenericInterfaces().length > 0) {
      b.append(c.isInterface() ? " extends " : " implements ");
      b.append(
          String.join(
              ", ", Stream.of(c.getGenericInterfaces()).map(t -> t.getTypeName()).toList()));
    }
    return b.toString();
  }
}
