package dev.maildx.auth.internal;

import static java.util.Objects.requireNonNull;

import dev.maildx.Finding;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import dev.maildx.auth.internal.DkimKeySource.KeyLookup;
import dev.maildx.auth.internal.DkimSignature.Algorithm;
import dev.maildx.dns.internal.TxtStrings;
import dev.maildx.internal.mail.Bytes;
import dev.maildx.internal.mail.HeaderField;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.DkimSignature.Failure;
import dev.maildx.report.AuthReport.DkimSignature.Result;
import dev.maildx.report.DkimKeysReport;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import org.jspecify.annotations.Nullable;

/**
 * Verifies one parsed signature (RFC 6376 §6.1.3; RFC 8463 §3 for Ed25519; RFC 8617 §5.1.2 for an
 * ARC-Message-Signature) against the message's header fields, the body hash computed while the body
 * streamed past, and the key — and, when it fails with the body intact, looks for the header field
 * that changed.
 *
 * <p>Findings (check {@code auth}): one per signature, its code one of the {@code DKIM_} codes of
 * {@link AuthReport.Code}. Besides, {@code DKIM_BODY_LENGTH_PARTIAL} (warning) when a passing
 * signature's {@code l=} leaves content unsigned, and the key record's own warnings ({@code
 * DKIM_KEY_WEAK}, {@code DKIM_TESTING}, {@code DKIM_BARE_RSA_KEY}, ...; see {@code DkimKeyParser}).
 * A failing signature is an error with effect at risk when no other signature of the message
 * passes, else a warning.
 *
 * <p>Thread-safe (stateless).
 */
public final class SignatureVerifier {
  /** The longest canonicalized header block kept in a result. */
  public static final int MAX_BLOCK_KEPT = 64 * 1024;

  /** The most alternative header selections tried to find a changed header field. */
  public static final int MAX_HYPOTHESES = 64;

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SHA256_PREFIX =
      HEX.parseHex("3031300d060960864801650304020105000420");
  private static final byte[] SHA256_PREFIX_NO_NULL =
      HEX.parseHex("302f300b0609608648016503040201" + "0420");
  private static final byte[] SHA1_PREFIX = HEX.parseHex("3021300906052b0e03021a05000414");

  private SignatureVerifier() {}

  /**
   * The verification settings.
   *
   * @param now the time to judge {@code t=} and {@code x=} by
   * @param skew how far {@code t=} may be in the future and {@code x=} in the past
   * @param acceptPartialBody whether a signature whose {@code l=} leaves content unsigned may pass
   * @param check the check name for findings
   */
  public record Settings(Instant now, Duration skew, boolean acceptPartialBody, String check) {}

  /**
   * The header fields of a message indexed by lower-case name, for selecting the instances {@code
   * h=} names (RFC 6376 §5.4.2: from the bottom up).
   */
  public static final class HeaderIndex {
    final List<HeaderField> fields;
    final Map<String, int[]> byName = new HashMap<>();

    /**
     * Indexes header fields.
     *
     * @param fields the header fields, top to bottom
     */
    public HeaderIndex(List<HeaderField> fields) {
      this.fields = fields;
      Map<String, List<Integer>> m = new HashMap<>();
      for (int k = 0; k < fields.size(); k++) {
        m.computeIfAbsent(fields.get(k).lowerName(), n -> new ArrayList<>()).add(k);
      }
      m.forEach((n, l) -> byName.put(n, l.stream().mapToInt(Integer::intValue).toArray()));
    }

    /**
     * @return the fields, top to bottom
     */
    public List<HeaderField> fields() {
      return fields;
    }

    /**
     * The fields {@code h=} selects: for each name, the bottom-most instance not yet taken, or
     * {@code null} when none is left (it then contributes nothing to the hash).
     */
    List<@Nullable HeaderField> select(
        List<String> names, HeaderField self, @Nullable HeaderField excluded) {
      Map<String, Integer> taken = new HashMap<>();
      List<@Nullable HeaderField> out = new ArrayList<>(names.size());
      for (String name : names) {
        String ln = name.toLowerCase(Locale.ROOT);
        int[] idx = byName.get(ln);
        HeaderField chosen = null;
        if (idx != null) {
          int k = taken.getOrDefault(ln, 0);
          while (k < idx.length) {
            HeaderField f = fields.get(idx[idx.length - 1 - k]);
            k++;
            if (f != self && f != excluded) {
              chosen = f;
              break;
            }
          }
          taken.put(ln, k);
        }
        out.add(chosen);
      }
      return out;
    }

    int count(String lowerName) {
      int[] idx = byName.get(lowerName);
      return idx == null ? 0 : idx.length;
    }

    List<HeaderField> all(String lowerName) {
      int[] idx = byName.get(lowerName);
      List<HeaderField> out = new ArrayList<>();
      if (idx != null) {
        for (int k : idx) {
          out.add(fields.get(k));
        }
      }
      return out;
    }
  }

  /**
   * Asks the body hasher for the hash this signature needs.
   *
   * @param sig the signature
   * @param hasher the message's hasher
   * @return the handle, or -1 if the signature is malformed (no hash needed)
   */
  public static int requestBodyHash(DkimSignature sig, BodyHasher hasher) {
    if (sig.failure != null || sig.algorithm == null) {
      return -1;
    }
    return hasher.request(
        sig.relaxedBody ? BodyHasher.Canon.RELAXED : BodyHasher.Canon.SIMPLE,
        sig.algorithm.digest,
        sig.l);
  }

  /**
   * Verifies a signature whose key was looked up.
   *
   * @param sig the signature
   * @param headers the message's header fields
   * @param hasher the finished body hasher
   * @param handle from {@link #requestBodyHash}
   * @param key the key lookup, or {@code null} if not needed (the signature is malformed)
   * @param s the settings
   * @return the outcome; make the result with {@link Outcome#toResult(boolean)}
   */
  public static Outcome verify(
      DkimSignature sig,
      HeaderIndex headers,
      BodyHasher hasher,
      int handle,
      @Nullable KeyLookup key,
      Settings s) {
    Outcome o = new Outcome(sig, s);
    if (sig.failure != null) {
      o.set(resultOf(sig.failure), sig.failure, sig.reason);
      return o;
    }
    Algorithm alg = requireNonNull(sig.algorithm, "a signature without a failure has an algorithm");
    // what was computed, whatever else happens
    byte[] bodyHash = hasher.digest(handle);
    o.bodyHashComputed = Base64.getEncoder().encodeToString(bodyHash);
    long canonLength =
        hasher.canonicalLength(
            sig.relaxedBody ? BodyHasher.Canon.RELAXED : BodyHasher.Canon.SIMPLE);
    o.canonicalBodyBytes = canonLength;
    List<@Nullable HeaderField> selected = headers.select(sig.h, sig.field, null);
    byte[] block = block(sig, selected);
    o.block = block;
    o.headerHashComputed = Base64.getEncoder().encodeToString(digest(alg.digest, block));

    if (refusedByTime(o, sig, s)) {
      return o;
    }
    if (key == null) {
      o.set(Result.TEMPERROR, Failure.KEY_LOOKUP_FAILED, "The key was not looked up.");
      return o;
    }
    o.keyFindings = key.findings();
    String where = sig.s + "._domainkey." + sig.d;
    if (refusedByLookup(o, sig, key, where)) {
      return o;
    }
    DkimKeysReport.Key k = requireNonNull(key.key(), "a FOUND lookup has a key");
    o.keyBits = k.keyBits();
    o.keyTesting = k.testing();
    if (refusedByKey(o, sig, alg, k, where)) {
      return o;
    }
    PublicKey pub = requireNonNull(k.publicKey(), "a FOUND key has a public key");
    if (failedVerification(
        o, sig, headers, selected, block, bodyHash, canonLength, pub, alg, where)) {
      return o;
    }
    // verified: now the policies
    if (refusedByPolicy(o, sig, alg, k, canonLength, s)) {
      return o;
    }
    o.set(
        Result.PASS,
        Failure.NONE,
        "The signature of "
            + sig.d
            + " (selector "
            + sig.s
            + ", "
            + sig.a
            + (o.keyBits > 0 ? ", " + o.keyBits + "-bit key" : "")
            + ") verifies: the signed header fields and the body are as signed.");
    return o;
  }

  /** Whether the signature expired or is dated in the future; if so, says so in {@code o}. */
  private static boolean refusedByTime(Outcome o, DkimSignature sig, Settings s) {
    long nowSeconds = s.now.getEpochSecond();
    if (sig.x != null && nowSeconds > sig.x + s.skew.toSeconds()) {
      o.set(
          Result.NEUTRAL,
          Failure.EXPIRED,
          "The signature expired at "
              + Instant.ofEpochSecond(sig.x)
              + " (x="
              + sig.x
              + "), "
              + Duration.ofSeconds(nowSeconds - sig.x).toMinutes()
              + " minutes before the verification time "
              + s.now
              + ".");
      return true;
    }
    if (sig.t != null && sig.t > nowSeconds + s.skew.toSeconds()) {
      o.set(
          Result.NEUTRAL,
          Failure.BAD_TIMESTAMP,
          "The signature is dated "
              + Instant.ofEpochSecond(sig.t)
              + " (t="
              + sig.t
              + "), after the "
              + "verification time "
              + s.now
              + ": the signer's clock is wrong, or the signature was made for later.");
      return true;
    }
    return false;
  }

  /** Whether the key lookup found no usable key; if so, says so in {@code o}. */
  private static boolean refusedByLookup(
      Outcome o, DkimSignature sig, KeyLookup key, String where) {
    switch (key.status()) {
      case TEMPFAIL:
        o.set(
            Result.TEMPERROR,
            Failure.KEY_LOOKUP_FAILED,
            "The key at " + where + " could not be looked up: " + key.detail() + ".");
        return true;
      case NOT_FOUND:
        o.set(
            Result.PERMERROR,
            Failure.KEY_NOT_FOUND,
            "There is no DKIM key at " + where + ": " + key.detail() + ".");
        return true;
      case REVOKED:
        o.set(
            Result.PERMERROR,
            Failure.KEY_REVOKED,
            "The key at "
                + where
                + " is revoked (empty p=): the signer no longer uses selector "
                + sig.s
                + ", or revoked it after a compromise.");
        return true;
      case UNUSABLE:
        o.set(
            Result.PERMERROR,
            Failure.KEY_UNUSABLE,
            "The key at " + where + " cannot be used: " + strip(key.detail()));
        return true;
      case FOUND:
      default:
        break;
    }
    return false;
  }

  /** Whether the key does not fit the signature (type, hash, t=s); if so, says so in {@code o}. */
  private static boolean refusedByKey(
      Outcome o, DkimSignature sig, Algorithm alg, DkimKeysReport.Key k, String where) {
    if (alg.rsa != (k.keyType() == DkimKeysReport.Key.KeyType.RSA)
        || (!alg.rsa && k.keyType() != DkimKeysReport.Key.KeyType.ED25519)) {
      o.set(
          Result.PERMERROR,
          Failure.KEY_UNUSABLE,
          "The signature uses a="
              + sig.a
              + " but the key at "
              + where
              + " is k="
              + k.keyTypeName()
              + ".");
      return true;
    }
    if (!k.allowsHash(alg.hashName())) {
      o.set(
          Result.PERMERROR,
          Failure.KEY_UNUSABLE,
          "The key at "
              + where
              + " allows only h="
              + String.join(":", k.hashAlgorithms())
              + ", not "
              + alg.hashName()
              + ".");
      return true;
    }
    if (k.strict() && sig.kind == DkimSignature.Kind.DKIM) {
      String iDomain = sig.i.substring(sig.i.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
      if (!iDomain.equals(sig.d)) {
        o.set(
            Result.PERMERROR,
            Failure.KEY_UNUSABLE,
            "The key at "
                + where
                + " has t=s (not for subdomains), but i="
                + sig.i
                + " is in a subdomain of "
                + sig.d
                + ".");
        return true;
      }
    }
    return false;
  }

  /** Whether the body hash or the signature fails to verify; if so, says why in {@code o}. */
  private static boolean failedVerification(
      Outcome o,
      DkimSignature sig,
      HeaderIndex headers,
      List<@Nullable HeaderField> selected,
      byte[] block,
      byte[] bodyHash,
      long canonLength,
      PublicKey pub,
      Algorithm alg,
      String where) {
    boolean bodyOk = MessageDigest.isEqual(bodyHash, sig.bh);
    boolean truncated = sig.l >= 0 && sig.l > canonLength;
    boolean sigOk = check(alg, pub, block, sig.b);
    o.sigOk = sigOk;
    if (!sigOk && alg.rsa) {
      o.signed = recover(pub, sig.b, alg);
    }
    if (truncated && !bodyOk) {
      o.set(
          Result.FAIL,
          Failure.BODY_TRUNCATED,
          "The signature covers the first l="
              + sig.l
              + " octets of the body, but the canonicalized "
              + "body has only "
              + canonLength
              + ": the body was cut short after signing.");
      return true;
    }
    if (!bodyOk) {
      String headersToo =
          sigOk
              ? " The signed header fields are intact (the signature over them verifies): only the body changed."
              : o.signed == null && alg.rsa
                  ? " The signature does not verify with the published key either."
                  : " A signed header field changed too.";
      o.set(
          Result.FAIL,
          Failure.BODY_HASH_MISMATCH,
          "The body changed after signing: its "
              + sig.cBody
              + " canonicalized hash is "
              + o.bodyHashComputed
              + " but the signature says bh="
              + sig.bhText
              + " ("
              + canonLength
              + " octets"
              + (sig.l >= 0 ? ", l=" + sig.l : "")
              + ")."
              + headersToo
              + bodyHint(sig));
      return true;
    }
    if (!sigOk) {
      if (alg.rsa && o.signed == null) {
        o.set(
            Result.FAIL,
            Failure.WRONG_KEY,
            "The body is intact, but the signature does not decrypt under the key published at "
                + where
                + ": the message was signed with another key (the key was rotated or replaced without updating the DNS, or the selector "
                + "points to the wrong key), or b= was damaged.");
        return true;
      }
      findChangedHeader(o, headers, selected, pub, alg);
      return true;
    }
    return false;
  }

  /**
   * Whether a verified signature is refused by policy (RFC 8301, l=); if so, says so in {@code o}.
   */
  private static boolean refusedByPolicy(
      Outcome o,
      DkimSignature sig,
      Algorithm alg,
      DkimKeysReport.Key k,
      long canonLength,
      Settings s) {
    if (alg == Algorithm.RSA_SHA1) {
      o.set(
          Result.POLICY,
          Failure.ALGORITHM_REFUSED,
          "The signature verifies, but uses rsa-sha1, which verifiers must not accept (RFC 8301 "
              + "§3.1): sign with rsa-sha256.");
      return true;
    }
    if (alg.rsa && k.keyBits() < 1024) {
      o.set(
          Result.POLICY,
          Failure.KEY_TOO_SHORT,
          "The signature verifies, but with a "
              + k.keyBits()
              + "-bit RSA key; verifiers must not "
              + "accept keys under 1024 bits (RFC 8301 §3.2).");
      return true;
    }
    if (sig.l >= 0 && sig.l < canonLength) {
      o.partialBody = canonLength - sig.l;
      if (!s.acceptPartialBody) {
        o.set(
            Result.POLICY,
            Failure.PARTIAL_BODY,
            "The signature verifies, but its l="
                + sig.l
                + " leaves "
                + o.partialBody
                + " octets of the "
                + "body unsigned, and partial body signatures are refused here.");
        return true;
      }
    }
    return false;
  }

  private static String bodyHint(DkimSignature sig) {
    if (!sig.relaxedBody) {
      return " The body canonicalization is simple: a relay that re-wraps lines or changes white space breaks it (c=relaxed/relaxed is "
          + "more robust).";
    }
    return "";
  }

  private static String strip(String s) {
    String t = s.strip();
    return t.endsWith(".") ? t : t + ".";
  }

  static Result resultOf(Failure f) {
    switch (f) {
      case NONE:
        return Result.PASS;
      case BODY_HASH_MISMATCH:
      case SIGNATURE_MISMATCH:
      case WRONG_KEY:
      case BODY_TRUNCATED:
        return Result.FAIL;
      case ALGORITHM_REFUSED:
      case KEY_TOO_SHORT:
      case PARTIAL_BODY:
        return Result.POLICY;
      case KEY_NOT_FOUND:
      case KEY_REVOKED:
      case KEY_UNUSABLE:
        return Result.PERMERROR;
      case KEY_LOOKUP_FAILED:
        return Result.TEMPERROR;
      default:
        return Result.NEUTRAL;
    }
  }

  /**
   * The canonicalized header block: the selected fields, then the signature field with an empty b=
   * and no final CRLF.
   */
  static byte[] block(DkimSignature sig, List<@Nullable HeaderField> selected) {
    Bytes out = new Bytes(1024);
    for (HeaderField f : selected) {
      if (f != null) {
        HeaderCanon.append(f, sig.relaxedHeader, true, out);
      }
    }
    appendSelf(sig, out);
    return out.toArray();
  }

  /**
   * The signature field itself with the value of b= (and the white space around it) deleted (RFC
   * 6376 §3.7).
   */
  static void appendSelf(DkimSignature sig, Bytes out) {
    byte[] raw = sig.field.raw();
    int colon = sig.field.colon();
    DkimTags.Tag b = sig.tags.tag("b");
    byte[] stripped = raw;
    if (b != null) {
      int from = colon + 1 + b.eq() + 1;
      int to = colon + 1 + b.end();
      stripped = new byte[raw.length - (to - from)];
      System.arraycopy(raw, 0, stripped, 0, from);
      System.arraycopy(raw, to, stripped, from, raw.length - to);
    }
    HeaderCanon.append(stripped, colon, sig.relaxedHeader, false, out);
  }

  static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Verifies the signature over the header block: RSA PKCS#1 v1.5, or Ed25519 over the block's
   * SHA-256 (RFC 8463 §3).
   */
  static boolean check(Algorithm alg, PublicKey key, byte[] block, byte[] b) {
    try {
      Signature v = Signature.getInstance(alg.jca);
      v.initVerify(key);
      v.update(alg.rsa ? block : digest("SHA-256", block));
      return v.verify(b);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The digest an RSA signature was made over (from its DigestInfo), or null if it does not decrypt
   * under this key.
   */
  static byte @Nullable [] recover(PublicKey key, byte[] b, Algorithm alg) {
    try {
      Cipher c = Cipher.getInstance("RSA/ECB/PKCS1Padding");
      c.init(Cipher.DECRYPT_MODE, key);
      byte[] em = c.doFinal(b);
      for (byte[] prefix :
          alg == Algorithm.RSA_SHA1
              ? List.of(SHA1_PREFIX)
              : List.of(SHA256_PREFIX, SHA256_PREFIX_NO_NULL)) {
        if (em.length > prefix.length
            && Arrays.equals(em, 0, prefix.length, prefix, 0, prefix.length)) {
          return Arrays.copyOfRange(em, prefix.length, em.length);
        }
      }
      return null;
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The body is intact but the signature fails: tries other readings of the header fields (a field
   * added after signing, another instance, a Subject list tag, the copies in {@code z=}) and checks
   * each against the signed digest (RSA) or the signature (Ed25519).
   */
  private static void findChangedHeader(
      Outcome o,
      HeaderIndex headers,
      List<@Nullable HeaderField> selected,
      PublicKey pub,
      Algorithm alg) {
    DkimSignature sig = o.sig;
    List<Hypothesis> hs = new ArrayList<>();
    addFieldHypotheses(sig, headers, selected, hs);
    addCopiedFieldHypotheses(sig, selected, hs);
    byte[] signed = o.signed;
    for (Hypothesis h : hs) {
      byte[] block = block(sig, h.selection);
      boolean match =
          signed != null
              ? MessageDigest.isEqual(digest(alg.digest, block), signed)
              : check(alg, pub, block, sig.b);
      if (match) {
        o.changed = List.of(h.name.toLowerCase(Locale.ROOT));
        o.set(
            Result.FAIL,
            Failure.SIGNATURE_MISMATCH,
            "The body is intact, but a signed header field changed after signing: "
                + h.what
                + ". With the field as it was, the signature verifies.");
        return;
      }
    }
    noChangeFound(o, headers);
  }

  /**
   * Readings of the signed fields as they may have been at signing: without the instance now
   * selected (added after signing; RFC 6376 §5.4.2 selects the bottom-most instance first), and a
   * Subject without the leading "[list]" tag mailing lists add.
   */
  private static void addFieldHypotheses(
      DkimSignature sig,
      HeaderIndex headers,
      List<@Nullable HeaderField> selected,
      List<Hypothesis> hs) {
    for (int p = 0; p < sig.h.size() && hs.size() < MAX_HYPOTHESES; p++) {
      HeaderField f = selected.get(p);
      String name = sig.h.get(p);
      if (f == null) {
        continue;
      }
      hs.add(
          new Hypothesis(
              name,
              "a "
                  + f.name()
                  + " header field was added after signing (the signer signed "
                  + (headers.count(f.lowerName()) > 1 ? "an earlier one" : "its absence")
                  + ")",
              headers.select(sig.h, sig.field, f)));
      if (f.lowerName().equals("subject")) {
        String v = f.rawValue();
        String stripped = v.replaceFirst("^(\\s*)\\[[^\\]]{1,80}\\]\\s?", "$1");
        if (!stripped.equals(v)) {
          hs.add(
              new Hypothesis(
                  name,
                  "a list tag was added to the Subject ("
                      + TxtStrings.printable(v.strip(), 80)
                      + ")",
                  replace(selected, p, f.name() + ":" + stripped)));
        }
      }
    }
  }

  /**
   * Readings with a field replaced by its copy in {@code z=} (RFC 6376 §3.5), where they differ.
   */
  private static void addCopiedFieldHypotheses(
      DkimSignature sig, List<@Nullable HeaderField> selected, List<Hypothesis> hs) {
    for (String copy : sig.z) {
      int c = copy.indexOf(':');
      if (c <= 0 || hs.size() >= MAX_HYPOTHESES) {
        continue;
      }
      String name = copy.substring(0, c);
      for (int p = 0; p < sig.h.size(); p++) {
        HeaderField f = selected.get(p);
        if (sig.h.get(p).equalsIgnoreCase(name)
            && (f == null || !f.rawValue().strip().equals(copy.substring(c + 1).strip()))) {
          hs.add(
              new Hypothesis(
                  name,
                  "the "
                      + name
                      + " header field differs from its copy in z= ("
                      + TxtStrings.printable(copy, 120)
                      + ")",
                  replace(selected, p, copy)));
          break;
        }
      }
    }
  }

  /**
   * No reading verifies: the failure names the signed fields and hashes, the fields that differ
   * from their {@code z=} copies, and the fragility of simple header canonicalization (RFC 6376
   * §3.4.1).
   */
  private static void noChangeFound(Outcome o, HeaderIndex headers) {
    DkimSignature sig = o.sig;
    byte[] signed = o.signed;
    StringBuilder hint = new StringBuilder();
    for (String copy : sig.z) {
      int c = copy.indexOf(':');
      if (c > 0) {
        String name = copy.substring(0, c).toLowerCase(Locale.ROOT);
        List<HeaderField> now = headers.all(name);
        if (!now.isEmpty()
            && now.stream()
                .noneMatch(f -> f.rawValue().strip().equals(copy.substring(c + 1).strip()))) {
          o.suspects.add(copy.substring(0, c));
        }
      }
    }
    if (!o.suspects.isEmpty()) {
      hint.append(" The fields that differ from their copies in z=: ")
          .append(String.join(", ", o.suspects))
          .append('.');
    }
    if (!sig.relaxedHeader) {
      hint.append(
          " The header canonicalization is simple: a relay that refolds a header field or changes its white space breaks the "
              + "signature (c=relaxed/relaxed is more robust).");
    }
    o.set(
        Result.FAIL,
        Failure.SIGNATURE_MISMATCH,
        "The body is intact, but the signature over the header fields does not verify: a signed "
            + "header field (h="
            + String.join(":", sig.h)
            + ") changed after signing. The header block hashes to "
            + o.headerHashComputed
            + (signed != null
                ? ", the signer signed " + Base64.getEncoder().encodeToString(signed)
                : "")
            + "; compare the signed header block with the sender's copy."
            + hint);
  }

  private static List<@Nullable HeaderField> replace(
      List<@Nullable HeaderField> selected, int p, String text) {
    List<@Nullable HeaderField> copy = new ArrayList<>(selected);
    // text holds octets one char each (rawValue(), z= copies): back to the same octets, not UTF-8
    copy.set(p, HeaderField.ofRaw(text.getBytes(StandardCharsets.ISO_8859_1)));
    return copy;
  }

  private record Hypothesis(String name, String what, List<@Nullable HeaderField> selection) {}

  /** The verification of one signature, before its findings are made. */
  public static final class Outcome {
    final DkimSignature sig;
    final Settings settings;
    Result result = Result.NEUTRAL;
    Failure failure = Failure.NOT_VERIFIED;
    String reason = "";
    String bodyHashComputed = "";
    long canonicalBodyBytes = -1;
    String headerHashComputed = "";
    byte @Nullable [] signed;
    byte @Nullable [] block;
    boolean sigOk;
    List<String> changed = List.of();
    final List<String> suspects = new ArrayList<>();
    int keyBits;
    boolean keyTesting;
    long partialBody;
    long appendedOctets = -1;
    List<Finding> keyFindings = List.of();

    Outcome(DkimSignature sig, Settings settings) {
      this.sig = sig;
      this.settings = settings;
    }

    /**
     * An outcome for a signature that was not verified.
     *
     * @param sig the signature
     * @param s the settings
     * @param failure why
     * @param reason one sentence
     * @return the outcome
     */
    public static Outcome notVerified(
        DkimSignature sig, Settings s, Failure failure, String reason) {
      Outcome o = new Outcome(sig, s);
      o.set(resultOf(failure), failure, reason);
      return o;
    }

    void set(Result r, Failure f, String why) {
      this.result = r;
      this.failure = f;
      this.reason = why;
    }

    /**
     * @return the result
     */
    public Result result() {
      return result;
    }

    /**
     * @return the failure
     */
    public Failure failure() {
      return failure;
    }

    /**
     * Records that the body as signed is still there with content added after it.
     *
     * @param signedLength the canonical length of the body as signed
     * @param signedLines its lines
     * @param totalLength the canonical length of the body now
     */
    public void appended(long signedLength, long signedLines, long totalLength) {
      appendedOctets = totalLength - signedLength;
      reason =
          reason
              + " The body as signed is still there: its first "
              + signedLength
              + " canonicalized octets ("
              + signedLines
              + " line"
              + (signedLines == 1 ? "" : "s")
              + ") hash to bh=, and "
              + appendedOctets
              + " octets were added after them — typically a footer "
              + "added by a mailing list, a gateway or a virus scanner.";
    }

    /**
     * @return the signature
     */
    public DkimSignature signature() {
      return sig;
    }

    /**
     * Makes the result with its findings.
     *
     * @param otherPasses whether another signature of the message passes (a failure is then a
     *     warning without effect on delivery)
     * @return the result
     */
    public AuthReport.DkimSignature toResult(boolean otherPasses) {
      List<Finding> findings = new ArrayList<>();
      String label = label();
      findings.add(resultFinding(label, otherPasses));
      if (result == Result.PASS && partialBody > 0) {
        findings.add(partialBodyFinding(label));
      }
      addKeyFindings(findings);
      String blockText = "";
      if (block != null) {
        blockText =
            new String(block, 0, Math.min(block.length, MAX_BLOCK_KEPT), StandardCharsets.UTF_8);
      }
      String identity =
          sig.kind == DkimSignature.Kind.AMS
              ? (sig.instance > 0 ? String.valueOf(sig.instance) : sig.i)
              : sig.i;
      return new AuthReport.DkimSignature(
          sig.index,
          result,
          failure,
          reason,
          sig.d,
          sig.s,
          identity,
          sig.a,
          sig.cHeader,
          sig.cBody,
          sig.h,
          sig.l >= 0 ? sig.l : null,
          sig.t == null ? null : Instant.ofEpochSecond(sig.t),
          sig.x == null ? null : Instant.ofEpochSecond(sig.x),
          sig.bhText,
          bodyHashComputed,
          canonicalBodyBytes,
          headerHashComputed,
          signed == null ? "" : Base64.getEncoder().encodeToString(signed),
          blockText,
          changed,
          keyBits,
          keyTesting,
          findings);
    }

    /** How the findings name the signature: its kind, number, domain and selector. */
    private String label() {
      String kind =
          sig.kind == DkimSignature.Kind.DKIM ? "DKIM signature" : "ARC-Message-Signature";
      return kind
          + " "
          + sig.index
          + (sig.d.isEmpty() ? "" : " (d=" + sig.d + (sig.s.isEmpty() ? "" : ", s=" + sig.s) + ")");
    }

    /**
     * The finding for the verifier's result (RFC 6376 §6.1): its severity follows the result, and a
     * failure is only a warning when another signature passes.
     */
    private Finding resultFinding(String label, boolean otherPasses) {
      Finding.Builder b;
      AuthReport.Code code = code(failure);
      if (result == Result.PASS) {
        b = Finding.info(code, settings.check, label + " passes. " + reason);
      } else if (result == Result.TEMPERROR) {
        b = Finding.inconclusive(code, settings.check, label + " could not be verified: " + reason);
      } else if (failure == Failure.NOT_VERIFIED) {
        b = Finding.warning(code, settings.check, label + " was not verified: " + reason);
      } else if (otherPasses) {
        b =
            Finding.warning(
                code,
                settings.check,
                label
                    + ": "
                    + result.name().toLowerCase(Locale.ROOT)
                    + ". "
                    + reason
                    + " (Another signature of the message passes.)");
      } else {
        b =
            Finding.error(
                    code,
                    settings.check,
                    label + ": " + result.name().toLowerCase(Locale.ROOT) + ". " + reason)
                .effect(Verdict.AT_RISK);
      }
      b.evidence("signature", sig.index)
          .evidence("result", result.name().toLowerCase(Locale.ROOT))
          .evidence("domain", sig.d)
          .evidence("selector", sig.s)
          .evidence("algorithm", sig.a);
      if (!bodyHashComputed.isEmpty()) {
        b.evidence("bodyHashClaimed", sig.bhText).evidence("bodyHashComputed", bodyHashComputed);
      }
      if (failure == Failure.SIGNATURE_MISMATCH || failure == Failure.WRONG_KEY) {
        b.evidence("headerHashComputed", headerHashComputed);
        if (signed != null) {
          b.evidence("headerHashSigned", Base64.getEncoder().encodeToString(signed));
        }
      }
      if (!changed.isEmpty()) {
        b.evidence("changedHeaders", String.join(", ", changed));
      }
      if (appendedOctets >= 0) {
        b.evidence("appendedOctets", appendedOctets);
      }
      b.rfc(rfc(failure));
      return b.build();
    }

    /** A passing signature with {@code l=} leaves the rest of the body unsigned (RFC 6376 §8.2). */
    private Finding partialBodyFinding(String label) {
      return Finding.warning(
              AuthReport.Code.DKIM_BODY_LENGTH_PARTIAL,
              settings.check,
              label
                  + " signs only the first l="
                  + sig.l
                  + " octets of the "
                  + "body; "
                  + partialBody
                  + " octets after them are unsigned and could have been added by anyone.")
          .evidence("signature", sig.index)
          .evidence("l", sig.l)
          .evidence("unsigned", partialBody)
          .rfc("RFC 6376 §8.2")
          .build();
    }

    /**
     * The key record's own warnings and notes, under this check; its errors and inconclusive
     * findings are left out, and so are unknown tags, which RFC 6376 §3.6.1 tells verifiers to
     * ignore.
     */
    private void addKeyFindings(List<Finding> findings) {
      for (Finding f : keyFindings) {
        if (f.severity() != Severity.ERROR
            && !f.inconclusive()
            && !f.is(DkimKeysReport.Code.DKIM_UNKNOWN_TAG)) {
          findings.add(
              new Finding(
                  f.findingCode(),
                  settings.check,
                  f.severity(),
                  f.effect(),
                  f.message(),
                  f.evidence(),
                  f.reference()));
        }
      }
    }
  }

  static AuthReport.Code code(Failure f) {
    return switch (f) {
      case NONE -> AuthReport.Code.DKIM_PASS;
      case BODY_HASH_MISMATCH -> AuthReport.Code.DKIM_BODY_HASH_MISMATCH;
      case SIGNATURE_MISMATCH -> AuthReport.Code.DKIM_SIGNATURE_MISMATCH;
      case WRONG_KEY -> AuthReport.Code.DKIM_WRONG_KEY;
      case BODY_TRUNCATED -> AuthReport.Code.DKIM_BODY_TRUNCATED;
      case MALFORMED -> AuthReport.Code.DKIM_SIGNATURE_MALFORMED;
      case UNSUPPORTED_VERSION,
          UNSUPPORTED_ALGORITHM,
          UNSUPPORTED_CANONICALIZATION,
          UNSUPPORTED_QUERY_METHOD ->
          AuthReport.Code.DKIM_SIGNATURE_UNSUPPORTED;
      case FROM_NOT_SIGNED -> AuthReport.Code.DKIM_FROM_NOT_SIGNED;
      case IDENTITY_MISMATCH -> AuthReport.Code.DKIM_IDENTITY_MISMATCH;
      case EXPIRED -> AuthReport.Code.DKIM_SIGNATURE_EXPIRED;
      case BAD_TIMESTAMP -> AuthReport.Code.DKIM_SIGNATURE_TIMESTAMP;
      case ALGORITHM_REFUSED -> AuthReport.Code.DKIM_RSA_SHA1_REFUSED;
      case KEY_TOO_SHORT -> AuthReport.Code.DKIM_SIGNATURE_KEY_TOO_SHORT;
      case PARTIAL_BODY -> AuthReport.Code.DKIM_PARTIAL_BODY_REFUSED;
      case KEY_NOT_FOUND -> AuthReport.Code.DKIM_KEY_NOT_FOUND;
      case KEY_REVOKED -> AuthReport.Code.DKIM_SIGNATURE_KEY_REVOKED;
      case KEY_UNUSABLE -> AuthReport.Code.DKIM_KEY_UNUSABLE;
      case KEY_LOOKUP_FAILED -> AuthReport.Code.DKIM_KEY_TEMPERROR;
      case NOT_VERIFIED -> AuthReport.Code.DKIM_NOT_VERIFIED;
    };
  }

  private static String rfc(Failure f) {
    switch (f) {
      case ALGORITHM_REFUSED:
        return "RFC 8301 §3.1";
      case KEY_TOO_SHORT:
        return "RFC 8301 §3.2";
      case KEY_NOT_FOUND:
      case KEY_REVOKED:
      case KEY_UNUSABLE:
      case KEY_LOOKUP_FAILED:
        return "RFC 6376 §6.1.2";
      case NONE:
      case BODY_HASH_MISMATCH:
      case SIGNATURE_MISMATCH:
      case WRONG_KEY:
        return "RFC 6376 §6.1.3";
      case BODY_TRUNCATED:
      case BAD_TIMESTAMP:
      case PARTIAL_BODY:
        return "RFC 6376 §3.5";
      default:
        return "RFC 6376 §6.1.1";
    }
  }
}
