package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InternetDomainName;
import dev.maildx.DomainName;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The Public Suffix List (https://publicsuffix.org), which RFC 7489 §3.2 uses to find a domain's
 * Organizational Domain: the public suffix plus one label (the "registrable domain").
 *
 * <p>The list is the one compiled into Guava's {@code InternetDomainName} (both its ICANN and its
 * private section, as the list's own test vectors expect); {@link #version()} names the Guava
 * release, which updates the list with every release. A name under no listed suffix has its last
 * label as the suffix (the list's default rule {@code *}). RFC 9989 replaces the list with the DNS
 * tree walk; maildx uses both and reports where they disagree.
 *
 * <p>Immutable and thread-safe.
 */
public final class PublicSuffixList {
  private static final PublicSuffixList BUNDLED = new PublicSuffixList(guavaVersion());

  private final String version;

  private PublicSuffixList(String version) {
    this.version = version;
  }

  /**
   * The list bundled with Guava.
   *
   * @return the list
   */
  public static PublicSuffixList bundled() {
    return BUNDLED;
  }

  /**
   * Where the list comes from.
   *
   * @return for example {@code guava 33.8.0-jre}
   */
  public String version() {
    return version;
  }

  /**
   * The registrable domain: the longest public suffix of {@code domain} plus one label (RFC 7489
   * §3.2 steps 1–4).
   *
   * @param domain the domain
   * @return the registrable domain, or empty if {@code domain} is itself a public suffix
   */
  public Optional<DomainName> registrableDomain(DomainName domain) {
    requireNonNull(domain, "domain");
    String r = registrable(domain.ascii());
    return r != null && DomainName.isValid(r) ? Optional.of(DomainName.of(r)) : Optional.empty();
  }

  /**
   * The registrable domain of any string, as the list's test vectors ({@code test_psl.txt}) state
   * it: lower case, Unicode labels kept as given.
   *
   * @param name a domain, any case, Unicode or A-labels
   * @return the registrable domain, or empty for a public suffix or a malformed name (such as one
   *     with a leading dot)
   */
  public Optional<String> registrableDomain(String name) {
    requireNonNull(name, "name");
    return Optional.ofNullable(registrable(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The Organizational Domain by RFC 7489 §3.2: the registrable domain, or {@code domain} itself
   * when it is a public suffix.
   *
   * @param domain the domain
   * @return the Organizational Domain
   */
  public DomainName organizationalDomain(DomainName domain) {
    return registrableDomain(domain).orElse(domain);
  }

  private static @Nullable String registrable(String name) {
    if (name.isEmpty() || name.startsWith(".")) {
      return null;
    }
    InternetDomainName d;
    try {
      d = InternetDomainName.from(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (d.isPublicSuffix()) {
      return null;
    }
    if (d.isUnderPublicSuffix()) {
      return d.topPrivateDomain().toString();
    }
    List<String> parts = d.parts(); // no rule matches: the default rule "*" makes the last label the suffix
    return parts.size() < 2 ? null : parts.get(parts.size() - 2) + "." + parts.get(parts.size() - 1);
  }

  @Override
  public String toString() {
    return "PublicSuffixList[" + version + "]";
  }

  private static String guavaVersion() {
    try (InputStream in = InternetDomainName.class.getResourceAsStream("/META-INF/maven/com.google.guava/guava/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null) {
          return "guava " + v;
        }
      }
    } catch (IOException ignored) {
      // fall through
    }
    String v = InternetDomainName.class.getPackage().getImplementationVersion();
    return "guava " + (v == null ? "(unknown version)" : v);
  }
}
