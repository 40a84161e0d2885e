package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The verification of one {@code DKIM-Signature} header field of a received message (RFC 6376
 * §6.1, RFC 8301, RFC 8463), or of one {@code ARC-Message-Signature} (RFC 8617 §5.1.2, which is
 * verified the same way): the result, why, and what was computed — the body hash computed beside
 * the one claimed ({@code bh=}), the header hash computed beside the one the signer signed (when
 * the RSA signature gives it back), and the canonicalized header block that was hashed, so that a
 * changed header can be found by comparing it with the sender's copy.
 *
 * <p>How failures map to results (RFC 8601 §2.7.1):
 * <ul>
 *   <li>{@link Result#FAIL} — the signature was checked and does not hold: {@link
 *       Failure#BODY_HASH_MISMATCH} (the body changed), {@link Failure#SIGNATURE_MISMATCH} (a
 *       signed header changed: {@link #changedHeaders()} names it when it can be found), {@link
 *       Failure#WRONG_KEY} (the signature was not made with the published key), {@link
 *       Failure#BODY_TRUNCATED} (the body is shorter than {@code l=});
 *   <li>{@link Result#NEUTRAL} — the signature cannot be processed: a malformed or incomplete tag
 *       list, an unsupported version, algorithm, canonicalization or query method, {@code From}
 *       not signed, {@code i=} outside {@code d=}, expired, dated in the future, or not verified
 *       because of the limit on signatures per message;
 *   <li>{@link Result#POLICY} — verifiable, but refused: {@code rsa-sha1} (RFC 8301 §3.1), an RSA
 *       key under 1024 bits (RFC 8301 §3.2), or (if so configured) an {@code l=} that leaves part
 *       of the body unsigned;
 *   <li>{@link Result#PERMERROR} — the key: no key record, revoked, unusable, of the wrong type
 *       for {@code a=}, not for email or for this hash, or not valid for the {@code i=} subdomain;
 *   <li>{@link Result#TEMPERROR} — the key could not be looked up (timeout, SERVFAIL).
 * </ul>
 *
 * @param index the position of the header field among those of its kind, 1 for the topmost
 * @param result the result
 * @param failure what exactly went wrong ({@link Failure#NONE} for a pass)
 * @param reason one sentence: why this result
 * @param domain the signing domain ({@code d=}) as written, lower case; empty if absent
 * @param selector the selector ({@code s=}); empty if absent
 * @param identity the Agent or User Identifier ({@code i=}, default {@code @d}); for an
 *     ARC-Message-Signature the instance, such as {@code 1}
 * @param algorithm {@code a=} as written, such as {@code rsa-sha256}
 * @param headerCanonicalization {@code simple} or {@code relaxed} (from {@code c=}); as written
 *     if unknown
 * @param bodyCanonicalization {@code simple} or {@code relaxed}; as written if unknown
 * @param signedHeaders the header field names of {@code h=}, in order, as written
 * @param bodyLength {@code l=}, or {@code null} if the whole body is signed
 * @param timestamp {@code t=}, or {@code null}
 * @param expiration {@code x=}, or {@code null}
 * @param bodyHashClaimed {@code bh=} (base64, white space removed); empty if absent
 * @param bodyHashComputed the body hash maildx computed (base64); empty if it was not computed
 * @param canonicalBodyBytes the length of the canonicalized body, in octets ({@code -1} if not
 *     computed)
 * @param headerHashComputed the hash of the signed header block maildx computed (base64); empty
 *     if not computed
 * @param headerHashSigned the header hash the signer signed, recovered from an RSA signature
 *     (base64); empty if not known (a passing or an Ed25519 signature)
 * @param signedHeaderBlock the canonicalized header block that was hashed (the selected header
 *     fields and the signature field with an empty {@code b=}), in the message's encoding decoded
 *     as UTF-8; empty if not computed; at most 64 KiB
 * @param changedHeaders the signed header fields found to have changed (or to have been added)
 *     after signing, by name in lower case; empty if none was found or none changed
 * @param keyBits the size of the key used, 0 if no key was used
 * @param keyTesting whether the key record says {@code t=y} (testing): receivers may treat a
 *     failure as if the message were unsigned
 * @param findings what the verification found, in order
 */
public record DkimSignatureResult(
    int index,
    Result result,
    Failure failure,
    String reason,
    String domain,
    String selector,
    String identity,
    String algorithm,
    String headerCanonicalization,
    String bodyCanonicalization,
    List<String> signedHeaders,
    @Nullable Long bodyLength,
    @Nullable Instant timestamp,
    @Nullable Instant expiration,
    String bodyHashClaimed,
    String bodyHashComputed,
    long canonicalBodyBytes,
    String headerHashComputed,
    String headerHashSigned,
    String signedHeaderBlock,
    List<String> changedHeaders,
    int keyBits,
    boolean keyTesting,
    List<Finding> findings) {

  /** Validates and copies. */
  public DkimSignatureResult {
    requireNonNull(result, "result");
    requireNonNull(failure, "failure");
    requireNonNull(reason, "reason");
    requireNonNull(domain, "domain");
    requireNonNull(selector, "selector");
    requireNonNull(identity, "identity");
    requireNonNull(algorithm, "algorithm");
    requireNonNull(headerCanonicalization, "headerCanonicalization");
    requireNonNull(bodyCanonicalization, "bodyCanonicalization");
    signedHeaders = List.copyOf(signedHeaders);
    requireNonNull(bodyHashClaimed, "bodyHashClaimed");
    requireNonNull(bodyHashComputed, "bodyHashComputed");
    requireNonNull(headerHashComputed, "headerHashComputed");
    requireNonNull(headerHashSigned, "headerHashSigned");
    requireNonNull(signedHeaderBlock, "signedHeaderBlock");
    changedHeaders = List.copyOf(changedHeaders);
    findings = List.copyOf(findings);
  }

  /** @return whether the signature verified */
  public boolean pass() {
    return result == Result.PASS;
  }

  /**
   * Whether the body hash was computed and equals {@code bh=}.
   *
   * @return {@code true} if the body is as signed
   */
  public boolean bodyHashMatches() {
    return !bodyHashComputed.isEmpty() && bodyHashComputed.equals(bodyHashClaimed);
  }

  /** @return the signing domain as a {@link DomainName}, if {@code d=} is a valid one */
  public Optional<DomainName> signingDomain() {
    try {
      return domain.isEmpty() ? Optional.empty() : Optional.of(DomainName.of(domain));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * This result as a {@code dkim} method result of an Authentication-Results header field (RFC
   * 8601 §2.7.1; {@code header.s} and {@code header.a} as registered by RFC 8601 §2.7.1 and RFC
   * 6008).
   *
   * @return for example {@code dkim=pass (2048-bit key) header.d=example.com
   *     header.i=@example.com header.s=sel header.a=rsa-sha256}
   */
  public String authenticationResult() {
    StringBuilder b = new StringBuilder("dkim=").append(result.name().toLowerCase(Locale.ROOT));
    if (result == Result.PASS && keyBits > 0) {
      b.append(" (").append(keyBits).append("-bit key)");
    } else if (result != Result.PASS) {
      b.append(" reason=\"").append(quotable(failure.description())).append('"');
    }
    if (!domain.isEmpty()) {
      b.append(" header.d=").append(token(domain));
    }
    if (!identity.isEmpty() && identity.indexOf('@') >= 0) {
      b.append(" header.i=").append(token(identity));
    }
    if (!selector.isEmpty()) {
      b.append(" header.s=").append(token(selector));
    }
    if (!algorithm.isEmpty()) {
      b.append(" header.a=").append(token(algorithm));
    }
    return b.toString();
  }

  private static String token(String s) {
    boolean plain = !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>,;:\\\"[]?= ".indexOf(c) < 0);
    return plain ? s : "\"" + quotable(s) + "\"";
  }

  private static String quotable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }

  /** A DKIM verification result (RFC 8601 §2.7.1). */
  public enum Result {
    /** The signature verified. */
    PASS,
    /** The signature was checked and does not verify. */
    FAIL,
    /** The signature could not be processed (malformed, unsupported, expired). */
    NEUTRAL,
    /** The signature is verifiable but not acceptable (rsa-sha1, a short key). */
    POLICY,
    /** The key could not be looked up; a later retry may succeed. */
    TEMPERROR,
    /** The key cannot be used: absent, revoked, malformed, of the wrong type. */
    PERMERROR
  }

  /** What exactly went wrong with a signature. */
  public enum Failure {
    /** Nothing: the signature verified. */
    NONE("verified"),
    /** The body hash does not match {@code bh=}: the body changed after signing (RFC 6376 §6.1.3). */
    BODY_HASH_MISMATCH("body hash did not verify"),
    /** The body hash matches but the signature does not verify: a signed header changed (RFC 6376 §6.1.3). */
    SIGNATURE_MISMATCH("signature did not verify"),
    /** The RSA signature does not decrypt under the published key: another key signed, or {@code b=} is damaged. */
    WRONG_KEY("signature was not made with the published key"),
    /** The body is shorter than {@code l=} says: it was truncated (RFC 6376 §3.5). */
    BODY_TRUNCATED("body shorter than l="),
    /** The tag list is malformed, or a required tag is missing or invalid (RFC 6376 §3.5, §6.1.1). */
    MALFORMED("malformed signature"),
    /** {@code v=} is not {@code 1} (RFC 6376 §6.1.1). */
    UNSUPPORTED_VERSION("unsupported version"),
    /** {@code a=} names an unknown algorithm. */
    UNSUPPORTED_ALGORITHM("unsupported algorithm"),
    /** {@code c=} names an unknown canonicalization. */
    UNSUPPORTED_CANONICALIZATION("unsupported canonicalization"),
    /** {@code q=} does not offer {@code dns/txt}. */
    UNSUPPORTED_QUERY_METHOD("unsupported query method"),
    /** {@code h=} does not include From (RFC 6376 §6.1.1). */
    FROM_NOT_SIGNED("From field not signed"),
    /** The domain of {@code i=} is not {@code d=} or a subdomain of it (RFC 6376 §6.1.1). */
    IDENTITY_MISMATCH("i= not within d="),
    /** {@code x=} is in the past (RFC 6376 §6.1.1). */
    EXPIRED("signature expired"),
    /** {@code t=} is in the future, or {@code x=} is not after {@code t=} (RFC 6376 §3.5). */
    BAD_TIMESTAMP("timestamp in the future"),
    /** {@code rsa-sha1}, which verifiers must not accept (RFC 8301 §3.1). */
    ALGORITHM_REFUSED("rsa-sha1 not accepted"),
    /** An RSA key under 1024 bits, which verifiers must not accept (RFC 8301 §3.2). */
    KEY_TOO_SHORT("key too short"),
    /** An {@code l=} that leaves part of the body unsigned, refused by configuration. */
    PARTIAL_BODY("l= leaves part of the body unsigned"),
    /** No key record at {@code <s>._domainkey.<d>} (RFC 6376 §6.1.2). */
    KEY_NOT_FOUND("no key for signature"),
    /** The key record has an empty {@code p=} (RFC 6376 §6.1.2). */
    KEY_REVOKED("key revoked"),
    /** The key record cannot be used for this signature: malformed, wrong type, not for email or sha256, {@code t=s}. */
    KEY_UNUSABLE("key unusable"),
    /** The key lookup failed (timeout, SERVFAIL). */
    KEY_LOOKUP_FAILED("key lookup failed"),
    /** Not verified: more signatures than the configured limit, or the message could not be read in full. */
    NOT_VERIFIED("not verified");

    private final String description;

    Failure(String description) {
      this.description = description;
    }

    /** @return a short phrase, as used in Authentication-Results {@code reason=} */
    public String description() {
      return description;
    }
  }
}
