package dev.maildx.dns.internal;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.report.DkimKeysReport;
import dev.maildx.report.DkimKeysReport.Key.KeyType;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses a DKIM key record (RFC 6376 §3.6.1, §3.2 tag-lists; RFC 8463 §4.2 for Ed25519) into a
 * {@link DkimKeysReport.Key} with a usable {@link PublicKey}, and lints it. Never throws on record
 * text: every problem becomes a finding. Shared by the key check and by signature verification,
 * which needs {@link Parsed#usable()} and {@link DkimKeysReport.Key#publicKey()}.
 *
 * <p>Findings: the key record codes of {@link DkimKeysReport.Code}.
 *
 * <p>Thread-safe (stateless).
 */
public final class DkimKeyParser {
  /** The most tags read from one record. */
  public static final int MAX_TAGS = 32;

  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");
  private static final List<String> KNOWN = List.of("v", "h", "k", "n", "p", "s", "t");

  private DkimKeyParser() {}

  /**
   * A parsed key record.
   *
   * @param key the record, or {@code null} if it was not even a tag-list
   * @param usable whether a verifier can use the key: valid syntax and version, a decodable key of
   *     a known type, not revoked, for email, sha256 allowed
   * @param findings what is wrong or notable, in order
   */
  public record Parsed(DkimKeysReport.@Nullable Key key, boolean usable, List<Finding> findings) {
    /** Copies. */
    public Parsed {
      findings = List.copyOf(findings);
    }
  }

  /**
   * Whether a TXT record looks like a DKIM key record at all ({@code v=DKIM1} first, or a {@code
   * p=} or {@code k=} tag); other TXT data at a selector name (wildcards, stray records) is not.
   *
   * @param text the TXT record
   * @return {@code true} if it should be parsed as a key
   */
  public static boolean looksLikeKey(String text) {
    String t = text.strip();
    if (t.regionMatches(true, 0, "v=DKIM1", 0, 7) || t.matches("(?is)^v\\s*=\\s*DKIM.*")) {
      return true;
    }
    for (String part : t.split(";")) {
      String p = part.strip();
      if (p.startsWith("p=") || p.startsWith("p =") || p.startsWith("k=") || p.startsWith("k =")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses and lints a key record.
   *
   * @param text the TXT record (character-strings joined)
   * @param check the check name for the findings
   * @param selector the selector it was found under
   * @param domain the signing domain
   * @param given whether the selector was given (a revoked key is then an error, not a note)
   * @return the parsed record
   */
  public static Parsed parse(
      String text, String check, String selector, DomainName domain, boolean given) {
    return new Run(text, check, selector, domain, given).parse();
  }

  private static final class Run {
    final String text;
    final String check;
    final String selector;
    final DomainName domain;
    final boolean given;
    final String where;
    final List<Finding> findings = new ArrayList<>();
    boolean usable = true;
    final Map<String, String> tags = new LinkedHashMap<>();
    final List<String> order = new ArrayList<>();

    Run(String text, String check, String selector, DomainName domain, boolean given) {
      this.text = text;
      this.check = check;
      this.selector = selector;
      this.domain = domain;
      this.given = given;
      this.where = selector + "._domainkey." + domain.ascii();
    }

    Parsed parse() {
      readTags();
      String version = tags.get("v");
      checkVersion(version);
      noteUnknownTags();
      String k = tags.getOrDefault("k", "rsa");
      KeyType type = keyType(k);
      List<String> hashes = list(tags.get("h"));
      checkHashes(hashes);
      List<String> services = tags.containsKey("s") ? list(tags.get("s")) : List.of("*");
      checkServices(services);
      List<String> flags = list(tags.get("t"));
      noteTesting(flags);
      KeyData p = keyData(tags.get("p"), type, k);
      DkimKeysReport.Key parsed =
          new DkimKeysReport.Key(
              text,
              tags,
              version,
              type,
              k,
              hashes,
              services,
              flags,
              tags.getOrDefault("n", ""),
              p.data,
              p.key,
              p.bits,
              p.bare);
      return new Parsed(parsed, usable && p.key != null, findings);
    }

    /**
     * Reads the tag-list (RFC 6376 §3.2) into {@link #tags}, in order; a bad tag is a syntax
     * finding.
     */
    private void readTags() {
      String[] parts = text.split(";", MAX_TAGS + 2);
      for (int i = 0; i < parts.length; i++) {
        String part = DmarcRecordParser.wsp(parts[i]);
        if (part.isEmpty()) {
          if (i < parts.length - 1 && i > 0) {
            syntax(part, "an empty tag between two semicolons");
          }
          continue;
        }
        if (i > MAX_TAGS) {
          syntax(part, "more than " + MAX_TAGS + " tags; the rest is ignored");
          break;
        }
        int eq = part.indexOf('=');
        if (eq < 0) {
          syntax(part, "\"" + q(part) + "\" is not a tag=value pair");
          continue;
        }
        String name = DmarcRecordParser.wsp(part.substring(0, eq));
        String value = DmarcRecordParser.wsp(part.substring(eq + 1));
        if (!validName(name)) {
          syntax(
              part,
              "\""
                  + q(part)
                  + "\" does not start with a tag name (a letter, then letters, digits or '_')");
          continue;
        }
        if (!value
            .chars()
            .allMatch(
                c ->
                    (c >= 0x21 && c <= 0x7e && c != ';')
                        || c == ' '
                        || c == '\t'
                        || c == '\r'
                        || c == '\n')) {
          syntax(
              part,
              "the value of \"" + q(name) + "\" contains characters that are not printable ASCII");
          continue;
        }
        if (tags.containsKey(name)) {
          usable = false;
          findings.add(
              error(
                      DkimKeysReport.Code.DKIM_DUPLICATE_TAG,
                      "The DKIM key record at "
                          + where
                          + " has the tag \""
                          + name
                          + "\" more than once; "
                          + "that makes the whole record invalid, so signatures with selector "
                          + selector
                          + " fail.",
                      "RFC 6376 §3.2")
                  .evidence("tag", name)
                  .build());
          continue;
        }
        tags.put(name, value);
        order.add(name);
      }
    }

    private void checkVersion(@Nullable String version) {
      if (version != null && (!version.equals("DKIM1") || !order.get(0).equals("v"))) {
        usable = false;
        findings.add(
            error(
                    DkimKeysReport.Code.DKIM_INVALID_VERSION,
                    "The DKIM key record at "
                        + where
                        + " has v="
                        + q(version)
                        + (version.equals("DKIM1")
                            ? " but not as its first tag"
                            : "; the only valid value is DKIM1")
                        + ", so verifiers discard it.",
                    "RFC 6376 §3.6.1")
                .evidence("version", q(version))
                .build());
      }
    }

    private void noteUnknownTags() {
      for (String name : order) {
        if (!KNOWN.contains(name)) {
          findings.add(
              Finding.info(
                      DkimKeysReport.Code.DKIM_UNKNOWN_TAG,
                      check,
                      "The DKIM key record at "
                          + where
                          + " has the tag \""
                          + q(name)
                          + "="
                          + q(tags.get(name))
                          + "\", which RFC 6376 does not define"
                          + (name.equals("g")
                              ? " (g= was DomainKeys' granularity, " + "dropped by RFC 6376)"
                              : "")
                          + "; verifiers ignore it.")
                  .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
                  .evidence("domain", domain)
                  .evidence("record", q(text))
                  .evidence("tag", name)
                  .rfc("RFC 6376 §3.6.1")
                  .build());
        }
      }
    }

    private KeyType keyType(String k) {
      KeyType type =
          switch (k.toLowerCase(Locale.ROOT)) {
            case "rsa" -> KeyType.RSA;
            case "ed25519" -> KeyType.ED25519;
            default -> KeyType.UNKNOWN;
          };
      if (type == KeyType.UNKNOWN) {
        usable = false;
        findings.add(
            error(
                    DkimKeysReport.Code.DKIM_UNKNOWN_KEY_TYPE,
                    "The DKIM key record at "
                        + where
                        + " has k="
                        + q(k)
                        + "; verifiers know only rsa and ed25519, so they cannot use the key.",
                    "RFC 8463 §4.2")
                .evidence("k", q(k))
                .build());
      }
      return type;
    }

    private void checkHashes(List<String> hashes) {
      if (tags.containsKey("h") && !hashes.contains("sha256")) {
        usable = false;
        findings.add(
            error(
                    DkimKeysReport.Code.DKIM_HASH_NOT_SHA256,
                    "The DKIM key record at "
                        + where
                        + " allows only h="
                        + q(tags.get("h"))
                        + "; verifiers accept only sha256 signatures (sha1 must not be used), so no signature with this key verifies.",
                    "RFC 8301 §3.1")
                .evidence("h", q(tags.get("h")))
                .build());
      }
    }

    private void checkServices(List<String> services) {
      if (!services.contains("*") && !services.contains("email")) {
        usable = false;
        findings.add(
            error(
                    DkimKeysReport.Code.DKIM_SERVICE_NOT_EMAIL,
                    "The DKIM key record at "
                        + where
                        + " has s="
                        + q(tags.get("s"))
                        + ", which excludes email; verifiers must not use it for mail.",
                    "RFC 6376 §3.6.1")
                .evidence("s", q(tags.get("s")))
                .build());
      }
    }

    private void noteTesting(List<String> flags) {
      if (flags.contains("y")) {
        findings.add(
            Finding.warning(
                    DkimKeysReport.Code.DKIM_TESTING,
                    check,
                    "The DKIM key at "
                        + where
                        + " is in testing mode (t=y): verifiers may "
                        + "treat mail signed with it as unsigned.")
                .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
                .evidence("domain", domain)
                .evidence("record", q(text))
                .rfc("RFC 6376 §3.6.1")
                .build());
      }
    }

    /** The key of p= (RFC 6376 §3.6.1): missing, revoked (empty), or decoded for its k= type. */
    private KeyData keyData(@Nullable String p, KeyType type, String k) {
      KeyData out = new KeyData();
      if (p == null) {
        usable = false;
        findings.add(
            error(
                    DkimKeysReport.Code.DKIM_MISSING_KEY,
                    "The DKIM key record at " + where + " has no p= tag, so it holds no key.",
                    "RFC 6376 §3.6.1")
                .build());
      } else if (p.isBlank()) {
        revoked();
      } else {
        decode(p, type, k, out);
      }
      return out;
    }

    private void revoked() {
      usable = false;
      Finding.Builder b =
          Finding.builder(DkimKeysReport.Code.DKIM_KEY_REVOKED, check)
              .message(
                  "The DKIM key at "
                      + where
                      + " is revoked (empty p=)"
                      + (given
                          ? ": mail signed with selector " + selector + " fails DKIM."
                          : "; a retired selector, which is normal after a key rotation."))
              .severity(given ? Severity.ERROR : Severity.INFO)
              .effect(given ? Verdict.AT_RISK : Verdict.DELIVERABLE)
              .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
              .evidence("domain", domain)
              .evidence("record", q(text))
              .rfc("RFC 6376 §3.6.1");
      findings.add(b.build());
    }

    private void decode(String p, KeyType type, String k, KeyData out) {
      String b64 = p.replaceAll("[ \\t\\r\\n]", "");
      try {
        out.data = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        usable = false;
        malformed("p= is not valid base64 (" + e.getMessage() + ")");
      }
      if (out.data.length > 0 && type == KeyType.RSA) {
        rsaKey(k, out);
      } else if (out.data.length > 0 && type == KeyType.ED25519) {
        ed25519Key(out);
      }
    }

    private void rsaKey(String k, KeyData out) {
      RSAPublicKey rsa = rsaSpki(out.data);
      if (rsa == null) {
        rsa = rsaPkcs1(out.data);
        out.bare = rsa != null;
      }
      if (rsa == null) {
        usable = false;
        malformed(
            out.data.length == 32
                ? "p= holds 32 bytes, an Ed25519 key, but k=" + k + " says RSA (add k=ed25519)"
                : "p= is not an RSA public key (neither SubjectPublicKeyInfo nor RSAPublicKey DER)");
      } else {
        out.key = rsa;
        out.bits = rsa.getModulus().bitLength();
        rsaSize(out.bits);
        if (out.bare) {
          findings.add(
              Finding.warning(
                      DkimKeysReport.Code.DKIM_BARE_RSA_KEY,
                      check,
                      "The DKIM key at "
                          + where
                          + " is a bare PKCS#1 RSAPublicKey rather "
                          + "than the SubjectPublicKeyInfo most signers publish; some verifiers cannot read it.")
                  .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
                  .evidence("domain", domain)
                  .rfc("RFC 6376 §3.6.1")
                  .build());
        }
      }
    }

    private void ed25519Key(KeyData out) {
      if (out.data.length == 32) {
        out.key = ed25519(out.data);
        out.bits = 256;
        if (out.key == null) {
          usable = false;
          malformed("p= is not a valid Ed25519 public key");
        }
      } else {
        usable = false;
        boolean spki =
            out.data.length == 44
                && Arrays.equals(Arrays.copyOf(out.data, 12), ED25519_SPKI_PREFIX);
        malformed(
            spki
                ? "p= is an Ed25519 key wrapped in SubjectPublicKeyInfo; RFC 8463 requires the raw 32 bytes"
                : "p= holds " + out.data.length + " bytes; an Ed25519 key is exactly 32");
      }
    }

    private void rsaSize(int bits) {
      if (bits < 1024) {
        usable = false;
        findings.add(
            error(
                    DkimKeysReport.Code.DKIM_KEY_TOO_SHORT,
                    "The DKIM key at "
                        + where
                        + " is RSA with "
                        + bits
                        + " bits; verifiers must not accept "
                        + "signatures from keys shorter than 1024 bits, so mail signed with it fails DKIM. Publish a 2048-bit key.",
                    "RFC 8301 §3.2")
                .evidence("bits", bits)
                .build());
      } else if (bits < 2048) {
        findings.add(
            Finding.warning(
                    DkimKeysReport.Code.DKIM_KEY_WEAK,
                    check,
                    "The DKIM key at "
                        + where
                        + " is RSA with "
                        + bits
                        + " bits; RFC 8301 asks "
                        + "signers for at least 2048 bits, and some receivers already distrust 1024-bit keys.")
                .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
                .evidence("domain", domain)
                .evidence("bits", bits)
                .rfc("RFC 8301 §3.2")
                .build());
      } else if (bits > 4096) {
        findings.add(
            Finding.warning(
                    DkimKeysReport.Code.DKIM_KEY_TOO_LONG,
                    check,
                    "The DKIM key at "
                        + where
                        + " is RSA with "
                        + bits
                        + " bits; verifiers "
                        + "need only support keys up to 4096 bits, so some cannot verify its signatures.")
                .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
                .evidence("domain", domain)
                .evidence("bits", bits)
                .rfc("RFC 8301 §3.2")
                .build());
      }
    }

    private void malformed(String why) {
      findings.add(
          error(
                  DkimKeysReport.Code.DKIM_MALFORMED_KEY,
                  "The DKIM key record at " + where + " is unusable: " + why + ".",
                  "RFC 6376 §3.6.1")
              .build());
    }

    private void syntax(String part, String why) {
      usable = false;
      findings.add(
          error(
                  DkimKeysReport.Code.DKIM_SYNTAX_ERROR,
                  "The DKIM key record at "
                      + where
                      + " is not a valid tag-list: "
                      + why
                      + "; verifiers ignore the record.",
                  "RFC 6376 §3.2")
              .evidence("text", q(part))
              .build());
    }

    private Finding.Builder error(DkimKeysReport.Code code, String message, String rfc) {
      return Finding.error(code, check, message)
          .evidence(DkimKeysReport.Evidence.SELECTOR, selector)
          .evidence("domain", domain)
          .evidence("record", q(text))
          .rfc(rfc);
    }
  }

  /** The key of p=, as far as it decoded. */
  private static final class KeyData {
    byte[] data = new byte[0];
    @Nullable PublicKey key;
    int bits;
    boolean bare;
  }

  private static boolean validName(String name) {
    if (name.isEmpty() || !Character.isLetter(name.charAt(0)) || name.charAt(0) > 0x7f) {
      return false;
    }
    return name.chars()
        .allMatch(
            c ->
                (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_');
  }

  private static List<String> list(@Nullable String v) {
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String s : v.split(":")) {
      String t = DmarcRecordParser.wsp(s);
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  private static @Nullable RSAPublicKey rsaSpki(byte[] data) {
    try {
      PublicKey k = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(data));
      return k instanceof RSAPublicKey r ? r : null;
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A bare RSAPublicKey: SEQUENCE { INTEGER modulus, INTEGER publicExponent } (RFC 8017 Appendix
   * A.1.1).
   */
  private static @Nullable RSAPublicKey rsaPkcs1(byte[] d) {
    try {
      int[] pos = {0};
      if (d[pos[0]++] != 0x30) {
        return null;
      }
      int len = length(d, pos);
      if (pos[0] + len != d.length) {
        return null;
      }
      BigInteger n = integer(d, pos);
      BigInteger e = integer(d, pos);
      if (n == null || e == null || pos[0] != d.length || n.signum() <= 0 || e.signum() <= 0) {
        return null;
      }
      PublicKey k = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
      return k instanceof RSAPublicKey r ? r : null;
    } catch (GeneralSecurityException | RuntimeException ex) {
      return null;
    }
  }

  private static @Nullable BigInteger integer(byte[] d, int[] pos) {
    if (d[pos[0]++] != 0x02) {
      return null;
    }
    int len = length(d, pos);
    if (len <= 0 || pos[0] + len > d.length) {
      return null;
    }
    BigInteger v = new BigInteger(Arrays.copyOfRange(d, pos[0], pos[0] + len));
    pos[0] += len;
    return v;
  }

  private static int length(byte[] d, int[] pos) {
    int b = d[pos[0]++] & 0xff;
    if (b < 0x80) {
      return b;
    }
    int n = b & 0x7f;
    if (n == 0 || n > 3) {
      throw new IllegalArgumentException("bad DER length");
    }
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (d[pos[0]++] & 0xff);
    }
    return len;
  }

  private static @Nullable PublicKey ed25519(byte[] raw) {
    byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + raw.length);
    System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  private static String q(@Nullable String s) {
    return s == null ? "" : TxtStrings.printable(s, 200);
  }
}
