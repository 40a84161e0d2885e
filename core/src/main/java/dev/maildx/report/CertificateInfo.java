package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * What a mail server's X.509 certificate says (RFC 5280 §4.1): captured from the TLS handshake
 * whether or not it is trusted.
 *
 * @param subject the subject distinguished name (RFC 2253 form)
 * @param issuer the issuer distinguished name (RFC 2253 form)
 * @param dnsNames the {@code dNSName} entries of the subjectAltName extension (RFC 5280 §4.2.1.6)
 * @param ipAddresses the {@code iPAddress} entries of the subjectAltName extension
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param keyAlgorithm the public key's algorithm: {@code RSA}, {@code EC}, {@code Ed25519}, ...
 * @param keySize the key size in bits (RSA modulus, EC field size), 0 if unknown
 * @param signatureAlgorithm the algorithm the issuer signed with, for example {@code SHA256withRSA}
 * @param sha256 SHA-256 of the whole certificate (DER), lower-case hex (TLSA {@code 3 0 1} data)
 * @param spkiSha256 SHA-256 of the SubjectPublicKeyInfo (DER), lower-case hex (TLSA {@code 3 1 1}
 *     data, RFC 7671 §5.1)
 * @param selfSigned whether subject and issuer are the same and the certificate verifies with its
 *     own key
 */
public record CertificateInfo(
    String subject,
    String issuer,
    List<String> dnsNames,
    List<String> ipAddresses,
    Instant notBefore,
    Instant notAfter,
    String keyAlgorithm,
    int keySize,
    String signatureAlgorithm,
    String sha256,
    String spkiSha256,
    boolean selfSigned) {

  /** Validates and copies. */
  public CertificateInfo {
    requireNonNull(subject, "subject");
    requireNonNull(issuer, "issuer");
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    requireNonNull(notBefore, "notBefore");
    requireNonNull(notAfter, "notAfter");
    requireNonNull(keyAlgorithm, "keyAlgorithm");
    requireNonNull(signatureAlgorithm, "signatureAlgorithm");
    requireNonNull(sha256, "sha256");
    requireNonNull(spkiSha256, "spkiSha256");
  }

  /**
   * Whether the certificate is valid at an instant.
   *
   * @param at the instant
   * @return {@code true} if {@code notBefore <= at <= notAfter}
   */
  public boolean validAt(Instant at) {
    return !at.isBefore(notBefore) && !at.isAfter(notAfter);
  }
}
