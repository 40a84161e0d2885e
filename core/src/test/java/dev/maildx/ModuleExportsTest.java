package dev.maildx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Pins what the core module exports: the API, the reports, the SPI, and internals only to maildx's
 * own modules.
 */
class ModuleExportsTest {
  @Test
  void coreExportsOnlyTheApiAndTheSpi() throws Exception {
    Path classes =
        Path.of(MailDiagnostics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    Map<String, String> exports = new TreeMap<>();
    d.exports()
        .forEach(
            e ->
                exports.put(
                    e.source(),
                    e.isQualified() ? e.targets().stream().sorted().toList().toString() : "all"));
    assertThat(d.name()).isEqualTo("dev.maildx.core");
    assertThat(exports)
        .containsEntry("dev.maildx", "all")
        .containsEntry("dev.maildx.report", "all")
        .containsEntry("dev.maildx.spi", "all");
    assertThat(exports.get("dev.maildx.internal"))
        .startsWith("[")
        .contains("dev.maildx.dns", "dev.maildx.smtp");
    assertThat(exports.get("dev.maildx.internal.mail"))
        .as("the message reader, only for the modules that read mail")
        .isEqualTo("[dev.maildx.auth, dev.maildx.bounce]");
    assertThat(exports).hasSize(5);
    assertThat(d.uses()).containsExactly("dev.maildx.spi.CheckProvider");
    assertThat(d.requires())
        .noneMatch(
            r ->
                !r.name().startsWith("java.")
                    && !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC));
  }

  @Test
  void frontDoorPackageHoldsAtMostTwentyPublicTypes() throws Exception {
    Path classes =
        Path.of(MailDiagnostics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    java.util.List<String> publicTypes = new java.util.ArrayList<>();
    try (var files = Files.list(classes.resolve("dev/maildx"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".class") || name.contains("$") || name.equals("package-info.class")) {
          continue;
        }
        Class<?> c = Class.forName("dev.maildx." + name.substring(0, name.length() - 6));
        if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
          publicTypes.add(c.getSimpleName());
        }
      }
    }
    assertThat(publicTypes)
        .as(
            "the types a user starts from; reports belong in dev.maildx.report, parts nested in their report")
        .contains(
            "MailDiagnostics",
            "DeliveryQuestion",
            "DeliveryDiagnosis",
            "DiagnosticsConfig",
            "Finding")
        .hasSizeLessThanOrEqualTo(20);
  }
}
