package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.util.HexFormat;

/**
 * A TLSA record: how a TLS server's certificate is to be matched for DANE (RFC 6698 §2, RFC 7672 §3
 * for SMTP).
 *
 * @param usage certificate usage: 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (SMTP uses 2 and 3)
 * @param selector 0 the full certificate, 1 the SubjectPublicKeyInfo
 * @param matchingType 0 exact, 1 SHA-256, 2 SHA-512
 * @param data the certificate association data
 */
@SuppressWarnings("ArrayRecordComponent") // equals and hashCode compare the bytes
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
  /** Validates the ranges and copies the data. */
  public TlsaRecord {
    requireNonNull(data, "data");
    if (usage < 0
        || usage > 255
        || selector < 0
        || selector > 255
        || matchingType < 0
        || matchingType > 255) {
      throw new IllegalArgumentException(
          "TLSA fields are octets, were " + usage + " " + selector + " " + matchingType);
    }
    data = data.clone();
  }

  /**
   * @return a copy of the certificate association data
   */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /**
   * @return the data in lower-case hex
   */
  public String hex() {
    return HexFormat.of().formatHex(data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsaRecord t
        && t.usage == usage
        && t.selector == selector
        && t.matchingType == matchingType
        && java.util.Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return ((usage * 31 + selector) * 31 + matchingType) * 31 + java.util.Arrays.hashCode(data);
  }

  /**
   * @return presentation format, for example {@code 3 1 1 0123...}
   */
  @Override
  public String toString() {
    return usage + " " + selector + " " + matchingType + " " + hex();
  }
}
