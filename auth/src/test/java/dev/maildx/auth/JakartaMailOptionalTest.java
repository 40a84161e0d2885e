package dev.maildx.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.report.SmtpEnvelope;
import dev.maildx.testkit.DkimSigner;
import dev.maildx.testkit.MockDnsExtension;
import java.io.File;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jakarta Mail is optional: an application without it uses every other part of maildx-auth. The
 * module's classes and everything they need (core, dns, dnsjava, ...) are loaded here by a class
 * loader that has the test class path minus Jakarta Mail and its implementation.
 */
class JakartaMailOptionalTest {
  @RegisterExtension final MockDnsExtension dns = new MockDnsExtension();

  static URL location(Class<?> c) throws Exception {
    return c.getProtectionDomain().getCodeSource().getLocation();
  }

  /** The test class path without the jars of Jakarta Mail (API and Angus implementation). */
  static URL[] withoutJakartaMail() throws Exception {
    List<Path> jakarta =
        List.of(
            Path.of(location(jakarta.mail.Part.class).toURI()),
            Path.of(location(Class.forName("org.eclipse.angus.mail.smtp.SMTPTransport")).toURI()));
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      if (!entry.isEmpty() && jakarta.stream().noneMatch(j -> j.toAbsolutePath().equals(p))) {
        urls.add(p.toUri().toURL());
      }
    }
    return urls.toArray(URL[]::new);
  }

  @Test
  void withoutJakartaMail_theAuthenticatorAndVerifierLoadAreIntrospectedAndVerify()
      throws Exception {
    KeyPair key = DkimSigner.rsaKeyPair(2048);
    dns.server()
        .txt(
            "sel._domainkey.example.test",
            DkimSigner.txtStrings(DkimSigner.keyRecord(key.getPublic())))
        .txt("_dmarc.example.test", "v=DMARC1; p=reject");
    byte[] message =
        DkimSigner.builder("example.test", "sel", key.getPrivate())
            .build()
            .sign(JakartaMailMessagesTest.MESSAGE.getBytes(StandardCharsets.UTF_8));

    try (URLClassLoader loader =
        new URLClassLoader(withoutJakartaMail(), ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> loader.loadClass("jakarta.mail.Part"))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> authClass = loader.loadClass(MessageAuthenticator.class.getName());
      Class<?> dkimClass = loader.loadClass(DkimVerifier.class.getName());
      assertThat(authClass.getClassLoader()).isSameAs(loader);

      // What dependency injection containers do to every bean class: a Jakarta type in any
      // signature fails here.
      assertThat(authClass.getMethods()).isNotEmpty();
      assertThat(authClass.getDeclaredMethods()).isNotEmpty();
      assertThat(dkimClass.getDeclaredMethods()).isNotEmpty();
      assertThat(loader.loadClass(AuthChecks.class.getName()).getDeclaredMethods()).isNotEmpty();
      // ...and the one class that names them fails there: the loader really lacks Jakarta Mail.
      Class<?> jakartaClass = loader.loadClass(JakartaMailMessages.class.getName());
      assertThatThrownBy(jakartaClass::getDeclaredMethods).isInstanceOf(NoClassDefFoundError.class);

      Class<?> configClass = loader.loadClass("dev.maildx.DiagnosticsConfig");
      Object builder = configClass.getMethod("builder").invoke(null);
      Class<?> builderClass = builder.getClass();
      builderClass
          .getMethod("dnsServer", InetSocketAddress.class)
          .invoke(builder, dns.server().address());
      builderClass.getMethod("timeout", Duration.class).invoke(builder, Duration.ofSeconds(4));
      builderClass
          .getMethod("clock", Clock.class)
          .invoke(builder, Clock.fixed(MessageAuthenticatorTest.NOW, ZoneOffset.UTC));
      Object config = builderClass.getMethod("build").invoke(builder);
      Class<?> envelopeClass = loader.loadClass(SmtpEnvelope.class.getName());
      Object none = envelopeClass.getField("NONE").get(null);

      Class<?> maildxClass = loader.loadClass("dev.maildx.MailDiagnostics");
      Object maildxBuilder = maildxClass.getMethod("builder").invoke(null);
      maildxBuilder.getClass().getMethod("config", configClass).invoke(maildxBuilder, config);
      maildxBuilder
          .getClass()
          .getMethod("discoverChecks", boolean.class)
          .invoke(maildxBuilder, false);
      Object maildx = maildxBuilder.getClass().getMethod("build").invoke(maildxBuilder);
      Object auth = authClass.getMethod("create", maildxClass).invoke(null, maildx);
      Object dkim = dkimClass.getMethod("create", maildxClass).invoke(null, maildx);
      try {
        Object report =
            authClass
                .getMethod("authenticate", byte[].class, envelopeClass)
                .invoke(auth, message, none);
        List<?> signatures =
            (List<?>) dkimClass.getMethod("verify", byte[].class).invoke(dkim, message);

        assertThat(report.getClass().getMethod("dmarcResult").invoke(report)).hasToString("PASS");
        assertThat((String) report.getClass().getMethod("authenticationResults").invoke(report))
            .contains("dkim=pass", "dmarc=pass");
        assertThat(signatures)
            .singleElement()
            .satisfies(s -> assertThat(call(s, "result")).hasToString("PASS"));
      } finally {
        authClass.getMethod("close").invoke(auth);
        dkimClass.getMethod("close").invoke(dkim);
        maildxClass.getMethod("close").invoke(maildx);
      }
    }
  }

  private static Object call(Object target, String method) {
    try {
      return target.getClass().getMethod(method).invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void onlyJakartaMailMessagesNamesJakartaTypes() {
    for (Class<?> c :
        List.of(
            MessageAuthenticator.class, DkimVerifier.class, AuthOptions.class, AuthChecks.class)) {
      assertThat(Arrays.stream(c.getDeclaredMethods()))
          .as(c.getName())
          .allSatisfy(
              m ->
                  assertThat(Arrays.stream(m.getParameterTypes()).map(Class::getName))
                      .noneMatch(n -> n.startsWith("jakarta.")));
    }
    assertThat(
            Arrays.stream(JakartaMailMessages.class.getMethods())
                .filter(m -> m.getDeclaringClass() == JakartaMailMessages.class))
        .extracting(Method::getName)
        .containsOnly("authenticate", "verify")
        .hasSize(3);
    assertThat(
            Arrays.stream(JakartaMailMessages.class.getMethods())
                .filter(m -> m.getDeclaringClass() == JakartaMailMessages.class))
        .allSatisfy(m -> assertThat(m.getParameterTypes()).contains(jakarta.mail.Part.class));
  }

  @Test
  void moduleRequiresJakartaMailStatically() throws Exception {
    ModuleDescriptor d;
    try (InputStream in =
        Files.newInputStream(
            Path.of(location(MessageAuthenticator.class).toURI()).resolve("module-info.class"))) {
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
