package dev.maildx.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins what the render module exports, and that its API names no Jackson type. */
class ModuleExportsTest {
  @Test
  void renderExportsOnlyItsApiPackage() throws Exception {
    Path classes =
        Path.of(Render.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("dev.maildx.render");
    assertThat(d.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.maildx.render");
    assertThat(d.exports()).noneMatch(ModuleDescriptor.Exports::isQualified);
    assertThat(d.requires())
        .filteredOn(r -> r.name().startsWith("com.fasterxml"))
        .allMatch(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
  }

  @Test
  void theApi_isOneFinalClassOfStaticMethods_namingNoJacksonType() {
    assertThat(Modifier.isFinal(Render.class.getModifiers())).isTrue();
    assertThat(Render.class.getConstructors()).isEmpty();
    List<Class<?>> types = new ArrayList<>();
    for (Method m : Render.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers())) {
        assertThat(Modifier.isStatic(m.getModifiers())).as(m.toString()).isTrue();
        types.add(m.getReturnType());
        types.addAll(Arrays.asList(m.getParameterTypes()));
      }
    }
    assertThat(types)
        .isNotEmpty()
        .allMatch(
            t ->
                t.isPrimitive()
                    || t.getName().startsWith("java.")
                    || t.getName().startsWith("dev.maildx."));
  }
}
