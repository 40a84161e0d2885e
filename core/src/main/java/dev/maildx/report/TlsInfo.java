package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The TLS session an SMTP server negotiated after STARTTLS (RFC 3207), with its certificate chain
 * as presented and how it was judged: trust against the trust store (RFC 5280 §6), the MX host
 * name against the certificate's names (RFC 6125 §6, as MTA-STS requires: RFC 8461 §4.2), and its
 * validity dates.
 *
 * <p>Most senders deliver over TLS whatever the certificate (opportunistic TLS, RFC 7435); the
 * judgement matters for senders that enforce MTA-STS or DANE.
 *
 * @param protocol the negotiated protocol, for example {@code TLSv1.3}
 * @param cipherSuite the negotiated cipher suite, for example {@code TLS_AES_256_GCM_SHA384}
 * @param chain the certificates as presented, leaf first; empty if the server sent none
 * @param trusted whether the chain validates against the trust store
 * @param trustProblem why it does not validate, if it does not (for example {@code self-signed})
 * @param hostnameMatches whether the leaf certificate names the host probed (the MX name, or the
 *     IP address for a probe by address)
 * @param expired whether the leaf certificate was outside its validity period at the time of the
 *     probe
 * @param expiresSoon whether the leaf certificate expires within the configured warning window
 * @param handshake how long the handshake took
 */
public record TlsInfo(
    String protocol,
    String cipherSuite,
    List<CertificateInfo> chain,
    boolean trusted,
    @Nullable String trustProblem,
    boolean hostnameMatches,
    boolean expired,
    boolean expiresSoon,
    Duration handshake) {

  /** Validates and copies. */
  public TlsInfo {
    requireNonNull(protocol, "protocol");
    requireNonNull(cipherSuite, "cipherSuite");
    chain = List.copyOf(chain);
    requireNonNull(handshake, "handshake");
  }

  /**
   * The server's own certificate.
   *
   * @return the first certificate of the chain, or {@code null} if there was none
   */
  public @Nullable CertificateInfo leaf() {
    return chain.isEmpty() ? null : chain.get(0);
  }

  /**
   * Whether the leaf certificate is self-signed.
   *
   * @return {@code true} if it is
   */
  public boolean selfSigned() {
    CertificateInfo leaf = leaf();
    return leaf != null && leaf.selfSigned();
  }
}
