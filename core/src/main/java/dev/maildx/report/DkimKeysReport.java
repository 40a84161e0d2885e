package dev.maildx.report;

import static dev.maildx.Severity.ERROR;
import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
import static dev.maildx.Verdict.AT_RISK;
import static dev.maildx.Verdict.DELIVERABLE;
import static dev.maildx.Verdict.INCONCLUSIVE;
import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.FindingCode;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The DKIM public keys a domain publishes (RFC 6376 §3.6, RFC 8463): each selector tried, the key
 * records found and what is wrong with them.
 *
 * <p>DNS offers no way to list a domain's selectors, so besides the selectors given, maildx tries a
 * documented list of common ones; a domain whose keys sit under other selectors can look as if it
 * had none.
 *
 * @param check the check name ({@code dkim})
 * @param domain the signing domain
 * @param selectors every selector tried, the given ones first, each in the order tried
 * @param findings what the check found
 */
public record DkimKeysReport(
    String check, DomainName domain, List<Selector> selectors, List<Finding> findings)
    implements CheckReport {
  /** The name of the check that makes this report: {@value}. */
  public static final String CHECK = "dkim";

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
   * The lookup of one DKIM selector: the TXT query for {@code <selector>._domainkey.<domain>} (RFC
   * 6376 §3.6.2.1), any CNAME it followed, and the key record found.
   *
   * @param selector the selector
   * @param domain the signing domain
   * @param source whether the selector was given or tried from maildx's list of common selectors
   * @param outcome how the query ended
   * @param cnameChain the CNAME targets followed (how providers delegate keys), in order; empty if
   *     the name held the record itself
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

    /**
     * @return the name queried: {@code <selector>._domainkey.<domain>}
     */
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
   * <p>A key with an empty {@code p=} is {@linkplain #revoked() revoked}. A key whose material
   * could not be decoded has no {@link #publicKey()}; the findings of the report that holds it say
   * why.
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
  @SuppressWarnings("ArrayRecordComponent") // equals and hashCode compare keyData by content
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

    /**
     * @return a copy of the decoded {@code p=} bytes
     */
    @Override
    public byte[] keyData() {
      return keyData.clone();
    }

    /**
     * @return whether {@code p=} is empty: the key has been revoked (RFC 6376 §3.6.1)
     */
    public boolean revoked() {
      return tags.containsKey("p") && tags.get("p").isBlank();
    }

    /**
     * @return whether {@code t=y}: the domain is testing DKIM (RFC 6376 §3.6.1)
     */
    public boolean testing() {
      return flags.contains("y");
    }

    /**
     * @return whether {@code t=s}: the key is not valid for subdomains of the signing domain
     */
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

    /**
     * @return whether {@code s=} allows email ({@code *} or {@code email})
     */
    public boolean allowsEmail() {
      return serviceTypes.contains("*") || serviceTypes.contains("email");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.text.equals(text)
          && k.tags.equals(tags)
          && Objects.equals(k.version, version)
          && k.keyType == keyType
          && k.keyTypeName.equals(keyTypeName)
          && k.hashAlgorithms.equals(hashAlgorithms)
          && k.serviceTypes.equals(serviceTypes)
          && k.flags.equals(flags)
          && k.notes.equals(notes)
          && Arrays.equals(k.keyData, keyData)
          && Objects.equals(k.publicKey, publicKey)
          && k.keyBits == keyBits
          && k.bareRsaKey == bareRsaKey;
    }

    @Override
    public int hashCode() {
      return Objects.hash(text, tags, keyType, keyBits) * 31 + Arrays.hashCode(keyData);
    }

    @Override
    public String toString() {
      return "Key["
          + keyTypeName
          + ", "
          + keyBits
          + " bits"
          + (revoked() ? ", revoked" : "")
          + (testing() ? ", testing" : "")
          + ", p="
          + abbreviated()
          + "]";
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

  /**
   * Keys of the evidence the findings of this check carry, declared for those who read it (the
   * correlation of a diagnosis does).
   */
  public static final class Evidence {
    /** The selector the finding is about: {@value}. */
    public static final String SELECTOR = "selector";

    /**
     * The DNS name looked up ({@code <selector>._domainkey.<domain>}), on {@link
     * Code#DKIM_SELECTOR_NOT_FOUND}: {@value}.
     */
    public static final String NAME = "name";

    private Evidence() {}
  }

  /**
   * The codes of the findings of the {@code dkim} check: which selectors hold a key, and the lint
   * of each key record (RFC 6376 §3.6, RFC 8301, RFC 8463). The {@code auth} check repeats a key
   * record's warnings under its own name when it verifies a signature with that key.
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    DKIM_KEYS_FOUND(
        INFO,
        DELIVERABLE,
        "RFC 6376 §3.6.1",
        "The selectors with a DKIM key, with its type and size."),
    DKIM_NO_KEYS_FOUND(
        WARNING,
        DELIVERABLE,
        "RFC 6376 §3.6.2.1",
        "None of the selectors tried has a key; the domain may still use a selector maildx did not guess (give it with --selector)."),
    DKIM_SELECTOR_NOT_FOUND(
        ERROR,
        AT_RISK,
        "RFC 6376 §6.1.2",
        "A given selector has no key record: mail signed with it fails DKIM."),
    DKIM_CNAME_TARGET_MISSING(
        WARNING,
        AT_RISK,
        "RFC 6376 §3.6.2.1",
        "The selector is a CNAME to a name without a key, typically a mail provider's key not yet enabled after a migration."),
    DKIM_SELECTOR_INVALID(
        ERROR,
        DELIVERABLE,
        "RFC 6376 §3.1",
        "A selector given in the question cannot be looked up (not a valid DNS label)."),
    DKIM_NOT_A_KEY(
        ERROR,
        AT_RISK,
        "RFC 6376 §3.6.1",
        "A given selector holds TXT data that is not a DKIM key record."),
    DKIM_MULTIPLE_RECORDS(
        WARNING,
        AT_RISK,
        "RFC 6376 §3.6.2.2",
        "Several key records under one selector: verifiers pick one at random."),
    DKIM_LOOKUP_FAILED(
        WARNING,
        INCONCLUSIVE,
        "RFC 6376 §3.6.2",
        "A given selector, or every guessed one when no key was found, could not be looked up."),
    DKIM_ED25519_ONLY(
        WARNING,
        DELIVERABLE,
        "RFC 8463 §4",
        "Only Ed25519 keys were found: verifiers without RFC 8463 support see no valid signature, so sign with RSA too."),
    DKIM_SYNTAX_ERROR(
        ERROR,
        AT_RISK,
        "RFC 6376 §3.2",
        "The key record is not a valid tag-list: verifiers ignore it."),
    DKIM_DUPLICATE_TAG(
        ERROR,
        AT_RISK,
        "RFC 6376 §3.2",
        "A tag given twice makes the key record's whole tag-list invalid."),
    DKIM_INVALID_VERSION(
        ERROR,
        AT_RISK,
        "RFC 6376 §3.6.1",
        "The key record's v= is not DKIM1, or not its first tag: verifiers discard it."),
    DKIM_MISSING_KEY(
        ERROR, AT_RISK, "RFC 6376 §3.6.1", "The key record has no p= tag, so it holds no key."),
    DKIM_KEY_REVOKED(
        ERROR,
        AT_RISK,
        "RFC 6376 §3.6.1",
        "The key is revoked (empty p=); an error for a given selector, information for a guessed one."),
    DKIM_UNKNOWN_KEY_TYPE(
        ERROR, AT_RISK, "RFC 8463 §4.2", "The key record's k= is neither rsa nor ed25519."),
    DKIM_MALFORMED_KEY(
        ERROR,
        AT_RISK,
        "RFC 6376 §3.6.1",
        "The key record's p= is not base64, or not a key of type k=."),
    DKIM_BARE_RSA_KEY(
        WARNING,
        DELIVERABLE,
        "RFC 6376 §3.6.1",
        "An RSA key published as a bare PKCS#1 RSAPublicKey instead of SubjectPublicKeyInfo; some verifiers reject it."),
    DKIM_KEY_TOO_SHORT(
        ERROR,
        AT_RISK,
        "RFC 8301 §3.2",
        "An RSA key below 1024 bits: verifiers must not accept its signatures."),
    DKIM_KEY_WEAK(
        WARNING,
        DELIVERABLE,
        "RFC 8301 §3.2",
        "An RSA key below 2048 bits, the size signers are asked to use."),
    DKIM_KEY_TOO_LONG(
        WARNING,
        DELIVERABLE,
        "RFC 8301 §3.2",
        "An RSA key above 4096 bits, which verifiers need not support."),
    DKIM_HASH_NOT_SHA256(
        ERROR,
        AT_RISK,
        "RFC 8301 §3.1",
        "The key record's h= excludes sha256 (and sha1 must not be used)."),
    DKIM_SERVICE_NOT_EMAIL(
        ERROR, AT_RISK, "RFC 6376 §3.6.1", "The key record's s= excludes email."),
    DKIM_TESTING(
        WARNING,
        DELIVERABLE,
        "RFC 6376 §3.6.1",
        "The key record has t=y (testing): verifiers may treat failing signatures as unsigned."),
    DKIM_UNKNOWN_TAG(
        INFO,
        DELIVERABLE,
        "RFC 6376 §3.6.1",
        "A tag RFC 6376 does not define (such as DomainKeys' g=); ignored.");

    private final Severity severity;
    private final Verdict effect;
    private final @Nullable String reference;
    private final String meaning;

    Code(Severity severity, Verdict effect, @Nullable String reference, String meaning) {
      this.severity = severity;
      this.effect = effect;
      this.reference = reference;
      this.meaning = meaning;
    }

    @Override
    public List<String> checks() {
      return List.of(CHECK, AuthReport.CHECK);
    }

    @Override
    public Severity severity() {
      return severity;
    }

    @Override
    public Verdict effect() {
      return effect;
    }

    @Override
    public String meaning() {
      return meaning;
    }

    @Override
    public Optional<String> reference() {
      return Optional.ofNullable(reference);
    }
  }
}
