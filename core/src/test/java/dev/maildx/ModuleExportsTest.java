package dev.maildx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Pins what the core module exports: the API, its reports, the SPI, and internals only to maildx's own modules. */
class ModuleExportsTest {
  @Test
  void coreExportsOnlyTheApiAndTheSpi() throws Exception {
    Path classes = Path.of(MailDiagnostics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    Map<String, String> exports = new TreeMap<>();
    d.exports().forEach(e -> exports.put(e.source(), e.isQualified() ? e.targets().stream().sorted().toList().toString() : "all"));
    assertThat(d.name()).isEqualTo("dev.maildx.core");
    assertThat(exports).containsEntry("dev.maildx", "all").containsEntry("dev.maildx.report", "all").containsEntry("dev.maildx.spi", "all");
    assertThat(exports.get("dev.maildx.internal")).startsWith("[").contains("dev.maildx.dns", "dev.maildx.smtp");
    assertThat(exports).hasSize(4);
    assertThat(d.uses()).containsExactly("dev.maildx.spi.CheckProvider");
    assertThat(d.requires()).noneMatch(r -> !r.name().startsWith("java.") && !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC));
  }
}
