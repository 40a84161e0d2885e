package dev.maildx.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Pins what the dns module exports and provides. */
class ModuleExportsTest {
  @Test
  void dnsExportsItsApiPackageAndProvidesItsChecks() throws Exception {
    Path classes =
        Path.of(MxResolver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("dev.maildx.dns");
    assertThat(d.exports())
        .filteredOn(e -> !e.isQualified())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.maildx.dns");
    assertThat(d.exports())
        .filteredOn(ModuleDescriptor.Exports::isQualified)
        .allMatch(e -> e.targets().stream().allMatch(t -> t.startsWith("dev.maildx.")));
    // the internal package is for the modules built on dns: the SMTP prober (DANE, MX), message
    // authentication (keys, SPF,
    // DMARC on one DNS client) and the examples
    assertThat(d.exports())
        .filteredOn(ModuleDescriptor.Exports::isQualified)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("dev.maildx.dns.internal");
              assertThat(e.targets())
                  .containsExactlyInAnyOrder(
                      "dev.maildx.smtp", "dev.maildx.auth", "dev.maildx.examples");
            });
    assertThat(d.provides())
        .extracting(ModuleDescriptor.Provides::service)
        .containsExactly("dev.maildx.spi.CheckProvider");
    assertThat(d.provides())
        .singleElement()
        .satisfies(p -> assertThat(p.providers()).containsExactly(DnsChecks.class.getName()));
  }
}
