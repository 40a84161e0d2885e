package dev.maildx.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.report.BounceReport;
import dev.maildx.testkit.TestDsn;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jakarta Mail is optional: an application without it uses every other part of maildx-bounce. The
 * module's own classes and maildx-core are loaded here by a class loader that has no Jakarta Mail.
 */
class JakartaMailOptionalTest {
  static URL location(Class<?> c) throws Exception {
    return c.getProtectionDomain().getCodeSource().getLocation();
  }

  @Test
  void withoutJakartaMail_theParserLoadsIsIntrospectedAndParses(@TempDir Path dir)
      throws Exception {
    byte[] dsn =
        TestDsn.failed("bob@agency.example", "5.1.1").build().getBytes(StandardCharsets.US_ASCII);
    Path file = Files.write(dir.resolve("dsn.eml"), dsn);
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {location(BounceParser.class), location(BounceReport.class)},
            ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> loader.loadClass("jakarta.mail.Part"))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> parserClass = loader.loadClass(BounceParser.class.getName());
      assertThat(parserClass.getClassLoader()).isSameAs(loader);

      // What dependency injection containers do to every bean class: a Jakarta type in any
      // signature fails here.
      assertThat(parserClass.getMethods()).isNotEmpty();
      assertThat(loader.loadClass(BounceChecks.class.getName()).getDeclaredMethods()).isNotEmpty();
      Object parser = parserClass.getMethod("create").invoke(null);
      Object fromBytes =
          parserClass.getMethod("parse", byte[].class, String.class).invoke(parser, dsn, "dsn");
      Object fromFile = parserClass.getMethod("parse", Path.class).invoke(parser, file);
      Object fromStream =
          parserClass
              .getMethod("parse", InputStream.class, String.class)
              .invoke(parser, new java.io.ByteArrayInputStream(dsn), "dsn");

      Method kind = fromBytes.getClass().getMethod("kind");
      assertThat(kind.invoke(fromBytes)).hasToString("BOUNCE");
      assertThat(kind.invoke(fromFile)).hasToString("BOUNCE");
      assertThat(kind.invoke(fromStream)).hasToString("BOUNCE");
    }
  }

  @Test
  void onlyJakartaMailBouncesNamesJakartaTypes() {
    assertThat(Arrays.stream(BounceParser.class.getDeclaredMethods()))
        .allSatisfy(
            m ->
                assertThat(Arrays.stream(m.getParameterTypes()).map(Class::getName))
                    .noneMatch(n -> n.startsWith("jakarta.")));
    assertThat(
            Arrays.stream(JakartaMailBounces.class.getMethods())
                .filter(m -> m.getName().equals("parse")))
        .allSatisfy(m -> assertThat(m.getParameterTypes()).contains(jakarta.mail.Part.class));
  }

  @Test
  void moduleRequiresJakartaMailStatically() throws Exception {
    ModuleDescriptor d;
    try (InputStream in =
        Files.newInputStream(
            Path.of(location(BounceParser.class).toURI()).resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }

    assertThat(d.requires())
        .filteredOn(r -> r.name().startsWith("jakarta."))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.name()).isEqualTo("jakarta.mail");
              assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC);
            });
    assertThat(d.requires()).noneMatch(r -> r.name().startsWith("org.eclipse.angus"));
  }
}
