package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins what the auth module exports, reads and provides. */
class ModuleExportsTest {
  @Test
  void authExportsOnlyItsApiPackageAndProvidesTheAuthCheck() throws Exception {
    ModuleDescriptor d = descriptor();
    assertThat(d.name()).isEqualTo("dev.maildx.auth");
    assertThat(d.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.maildx.auth");
    // dev.maildx.auth.internal is in the module, exported to no one (not even to other maildx
    // modules)
    assertThat(classes().resolve("dev/maildx/auth/internal/MessageVerification.class"))
        .isRegularFile();
    assertThat(d.exports()).noneMatch(ModuleDescriptor.Exports::isQualified);
    assertThat(d.opens()).isEmpty();
    Map<String, Set<String>> provides =
        d.provides().stream()
            .collect(
                Collectors.toMap(
                    ModuleDescriptor.Provides::service, p -> Set.copyOf(p.providers())));
    assertThat(provides)
        .isEqualTo(Map.of("dev.maildx.spi.CheckProvider", Set.of(AuthChecks.class.getName())));
  }

  @Test
  void authNeedsCoreAndDnsOnly() throws Exception {
    assertThat(descriptor().requires())
        .extracting(ModuleDescriptor.Requires::name)
        .containsExactlyInAnyOrder(
            "java.base", "dev.maildx.core", "dev.maildx.dns", "org.jspecify", "jakarta.mail");
  }

  private static ModuleDescriptor descriptor() throws Exception {
    try (InputStream in = Files.newInputStream(classes().resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  private static Path classes() throws Exception {
    return Path.of(AuthChecks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
