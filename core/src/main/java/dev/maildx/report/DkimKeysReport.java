package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import static java.util.Objects.requireNonNull;


/**
 * The DKIM public keys a domain publishes (RFC 6376 §3.6, RFC 8463): each selector tried, the key
 * records found and what is wrong with them.
 *
 * <p>DNS offers no way to list a domain's selectors, so besides the selectors given, maildx tries
 * a documented list of common ones; a domain whose keys sit under other selectors can look as if
 * it had none.
 *
 * @param check the check name ({@code dkim})
 * @param domain the signing domain
 * @param selectors every selector tried, the given ones first, each in the order tried
 * @param findings what the check found
 */
public record DkimKeysReport(String check, DomainName domain, List<Selector> selectors, List<Finding> findings)
    implements CheckReport {

  /** Validates and copies. */
  public DkimKeysReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    selectors = List.copyOf(selectors);
    findings = List.copyOf(findings);
  }

  /**
   * The selectors under which a key record was found.
   *
   * @return the results that hold a key, in order
   */
  public List<Selector> found() {
    return selectors.stream().filter(s -> s.key() != null).toList();
  }

  /**
   * The lookup of one DKIM selector: the TXT query for {@code <selector>._domainkey.<domain>}
   * (RFC 6376 §3.6.2.1), any CNAME it followed, and the key record found.
   *
   * @param selector the selector
   * @param domain the signing domain
   * @param source whether the selector was given or tried from maildx's list of common selectors
   * @param outcome how the query ended
   * @param cnameChain the CNAME targets followed (how providers delegate keys), in order; empty
   *     if the name held the record itself
   * @param texts every TXT record found, character-strings joined
   * @param key the parsed key record, or {@code null} if none was found
   * @param detail a short description of a failed lookup, empty otherwise
   */
  public record Selector(
      String selector,
      DomainName domain,
      Source source,
      DnsOutcome outcome,
      List<String> cnameChain,
      List<String> texts,
      @Nullable Key key,
      String detail) {

    /** Validates and copies. */
    public Selector {
      requireNonNull(selector, "selector");
      requireNonNull(domain, "domain");
      requireNonNull(source, "source");
      requireNonNull(outcome, "outcome");
      cnameChain = List.copyOf(cnameChain);
      texts = List.copyOf(texts);
      requireNonNull(detail, "detail");
    }

    /** @return the name queried: {@code <selector>._domainkey.<domain>} */
    public String name() {
      return selector + "._domainkey." + domain.ascii();
    }


    /** Where a selector came from. */
    public enum Source {
      /** Given by the caller (for example {@code --selector}). */
      GIVEN,
      /** From maildx's documented list of common selectors. */
      COMMON
    }
  }

  /**
   * A parsed DKIM key record (RFC 6376 §3.6.1; Ed25519 keys per RFC 8463 §4.2): its tags, the key
   * type, and the public key decoded from {@code p=}.
   *
   * <p>A key with an empty {@code p=} is {@linkplain #revoked() revoked}. A key whose material could
   * not be decoded has no {@link #publicKey()}; the findings of the report that holds it say why.
   *
   * @param text the record as published (the TXT character-strings joined)
   * @param tags every well-formed tag, names as published (case-sensitive, RFC 6376 §3.2), values
   *     verbatim, in order of appearance
   * @param version {@code v=}, or {@code null} when absent (it is optional)
   * @param keyType the key type of {@code k=} (default RSA)
   * @param keyTypeName {@code k=} as published, or {@code rsa} when absent
   * @param hashAlgorithms {@code h=}: the acceptable hash algorithms; empty means all
   * @param serviceTypes {@code s=}: the service types, default {@code [*]}
   * @param flags {@code t=}: the flags ({@code y} testing, {@code s} no subdomains)
   * @param notes {@code n=}, empty when absent
   * @param keyData the decoded {@code p=} bytes; empty for a revoked key or undecodable base64
   * @param publicKey the usable public key, or {@code null} if revoked or malformed
   * @param keyBits the key size: the RSA modulus length, 256 for Ed25519, 0 if unknown
   * @param bareRsaKey whether an RSA {@code p=} is a bare PKCS#1 RSAPublicKey rather than a
   *     SubjectPublicKeyInfo (some verifiers reject it)
   */
  public record Key(
      String text,
      Map<String, String> tags,
      @Nullable String version,
      KeyType keyType,
      String keyTypeName,
      List<String> hashAlgorithms,
      List<String> serviceTypes,
      List<String> flags,
      String notes,
      byte[] keyData,
      @Nullable PublicKey publicKey,
      int keyBits,
      boolean bareRsaKey) {

    /** Validates and copies. */
    public Key {
      requireNonNull(text, "text");
      tags = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(tags, "tags")));
      requireNonNull(keyType, "keyType");
      requireNonNull(keyTypeName, "keyTypeName");
      hashAlgorithms = List.copyOf(hashAlgorithms);
      serviceTypes = List.copyOf(serviceTypes);
      flags = List.copyOf(flags);
      requireNonNull(notes, "notes");
      keyData = requireNonNull(keyData, "keyData").clone();
    }

    /** @return a copy of the decoded {@code p=} bytes */
    @Override
    public byte[] keyData() {
      return keyData.clone();
    }


    /** @return whether {@code p=} is empty: the key has been revoked (RFC 6376 §3.6.1) */
    public boolean revoked() {
      return tags.containsKey("p") && tags.get("p").isBlank();
    }

    /** @return whether {@code t=y}: the domain is testing DKIM (RFC 6376 §3.6.1) */
    public boolean testing() {
      return flags.contains("y");
    }

    /** @return whether {@code t=s}: the key is not valid for subdomains of the signing domain */
    public boolean strict() {
      return flags.contains("s");
    }

    /**
     * Whether signatures with this hash algorithm may use the key.
     *
     * @param algorithm {@code sha256} or {@code sha1}
     * @return {@code true} if {@code h=} is absent or lists it
     */
    public boolean allowsHash(String algorithm) {
      return hashAlgorithms.isEmpty() || hashAlgorithms.contains(algorithm);
    }

    /** @return whether {@code s=} allows email ({@code *} or {@code email}) */
    public boolean allowsEmail() {
      return serviceTypes.contains("*") || serviceTypes.contains("email");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.text.equals(text) && k.tags.equals(tags) && Objects.equals(k.version, version)
          && k.keyType == keyType && k.keyTypeName.equals(keyTypeName) && k.hashAlgorithms.equals(hashAlgorithms)
          && k.serviceTypes.equals(serviceTypes) && k.flags.equals(flags) && k.notes.equals(notes) && Arrays.equals(k.keyData, keyData)
          && Objects.equals(k.publicKey, publicKey) && k.keyBits == keyBits && k.bareRsaKey == bareRsaKey;
    }

    @Override
    public int hashCode() {
      return Objects.hash(text, tags, keyType, keyBits) * 31 + Arrays.hashCode(keyData);
    }

    @Override
    public String toString() {
      return "Key[" + keyTypeName + ", " + keyBits + " bits" + (revoked() ? ", revoked" : "") + (testing() ? ", testing" : "")
          + ", p=" + abbreviated() + "]";
    }

    private String abbreviated() {
      String p = Base64.getEncoder().encodeToString(keyData);
      return p.length() <= 16 ? p : p.substring(0, 12) + "...";
    }

    /** The key type of {@code k=} (RFC 6376 §3.6.1, RFC 8463 §4.2). */
    public enum KeyType {
      /** {@code k=rsa} (the default). */
      RSA,
      /** {@code k=ed25519}. */
      ED25519,
      /** Any other value: verifiers cannot use the key. */
      UNKNOWN
    }
  }
}
