package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A certificate and key generated in memory for test servers: self-signed, expired, for the wrong
 * name, or issued by a test {@linkplain #authority(String) certificate authority} whose {@linkplain
 * #trustStore() trust store} a client under test can use.
 *
 * <p>Keys are ECDSA P-256 unless {@link Spec#rsa(int)} is used. Immutable; generation takes a few
 * milliseconds (RSA longer).
 */
public final class TestCertificate {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivateKey key;
  private final List<X509Certificate> chain;

  private TestCertificate(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = List.copyOf(chain);
  }

  /**
   * A self-signed certificate for host names, valid from a day ago for a year.
   *
   * @param names the DNS names (the first is also the subject CN)
   * @return the certificate
   */
  public static TestCertificate selfSigned(String... names) {
    return spec(names).build();
  }

  /**
   * A self-signed certificate that expired a day ago.
   *
   * @param names the DNS names
   * @return the certificate
   */
  public static TestCertificate expired(String... names) {
    Instant now = Instant.now();
    return spec(names)
        .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
        .build();
  }

  /**
   * A certificate authority for issuing test certificates.
   *
   * @param commonName the CA's name
   * @return the CA (its certificate is self-signed)
   */
  public static TestCertificate authority(String commonName) {
    return new Spec(new String[] {commonName}).ca(true).build();
  }

  /**
   * A certificate for host names at the end of a long chain: a root authority, then {@code length -
   * 2} intermediate authorities each issued by the one before, then the leaf. A server presenting
   * it sends all {@code length} certificates (a hostile or broken peer; real chains have 2 to 4).
   *
   * @param length the number of certificates in the chain, at least 2
   * @param names the DNS names of the leaf
   * @return the leaf, whose {@link #chain()} holds {@code length} certificates, leaf first
   */
  public static TestCertificate longChain(int length, String... names) {
    if (length < 2) {
      throw new IllegalArgumentException("a chain needs a leaf and a root, length was " + length);
    }
    TestCertificate ca = authority("maildx Test Root");
    for (int i = 1; i <= length - 2; i++) {
      ca = new Spec(new String[] {"maildx Test Intermediate " + i}).ca(true).issuer(ca).build();
    }
    return ca.issue(names);
  }

  /**
   * Starts a certificate specification.
   *
   * @param names the DNS names (the first is the subject CN)
   * @return a specification to refine and build
   */
  public static Spec spec(String... names) {
    return new Spec(names);
  }

  /**
   * Issues a certificate for host names, signed by this authority, valid for a year.
   *
   * @param names the DNS names
   * @return a certificate whose chain is [leaf, this authority]
   */
  public TestCertificate issue(String... names) {
    return spec(names).issuer(this).build();
  }

  /**
   * @return the certificate chain, leaf first
   */
  public List<X509Certificate> chain() {
    return chain;
  }

  /**
   * @return the leaf certificate
   */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * @return the private key of the leaf
   */
  public PrivateKey privateKey() {
    return key;
  }

  /**
   * A key store holding this key and chain, for servers.
   *
   * @return an in-memory PKCS#12 key store with the entry "server" and an empty password
   */
  public KeyStore keyStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", key, new char[0], chain.toArray(new Certificate[0]));
      return ks;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A trust store that trusts this certificate (for a CA: everything it issued).
   *
   * @return an in-memory key store with one trusted entry
   */
  public KeyStore trustStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("trusted", chain.get(chain.size() - 1));
      return ks;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An SSL context for a server presenting this certificate.
   *
   * @return a TLS server context
   */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore(), new char[0]);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, RANDOM);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An SSL context for a client that trusts this certificate only.
   *
   * @return a TLS client context
   */
  public SSLContext clientContext() {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), RANDOM);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate to be generated; not thread-safe. */
  public static final class Spec {
    private final String[] names;
    private Instant notBefore = Instant.now().minus(Duration.ofDays(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(365));
    private boolean ca;
    private @Nullable TestCertificate issuer;
    private int rsaBits;

    private Spec(String[] names) {
      if (names.length == 0) {
        throw new IllegalArgumentException("a certificate needs at least one name");
      }
      for (String n : names) {
        requireNonNull(n, "name");
      }
      this.names = names.clone();
    }

    /**
     * Sets the validity period.
     *
     * @param notBefore start
     * @param notAfter end
     * @return this spec
     */
    public Spec validity(Instant notBefore, Instant notAfter) {
      this.notBefore = requireNonNull(notBefore, "notBefore");
      this.notAfter = requireNonNull(notAfter, "notAfter");
      return this;
    }

    /**
     * Makes it a CA certificate.
     *
     * @param ca whether it may sign certificates
     * @return this spec
     */
    public Spec ca(boolean ca) {
      this.ca = ca;
      return this;
    }

    /**
     * Has it signed by a test authority instead of by itself.
     *
     * @param issuer the authority
     * @return this spec
     */
    public Spec issuer(TestCertificate issuer) {
      this.issuer = requireNonNull(issuer, "issuer");
      return this;
    }

    /**
     * Uses an RSA key of the given size instead of ECDSA P-256.
     *
     * @param bits for example 2048
     * @return this spec
     */
    public Spec rsa(int bits) {
      this.rsaBits = bits;
      return this;
    }

    /**
     * Generates the key and certificate.
     *
     * @return the certificate
     */
    public TestCertificate build() {
      try {
        KeyPair kp;
        if (rsaBits > 0) {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(rsaBits, RANDOM);
          kp = g.generateKeyPair();
        } else {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
          g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
          kp = g.generateKeyPair();
        }
        X500Name subject = new X500Name("CN=" + names[0].replace(",", "\\,"));
        X500Name issuerName =
            issuer == null
                ? subject
                : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
        PrivateKey signingKey = issuer == null ? kp.getPrivate() : issuer.privateKey();
        JcaX509v3CertificateBuilder b =
            new JcaX509v3CertificateBuilder(
                issuerName,
                new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                Date.from(notBefore),
                Date.from(notAfter),
                subject,
                kp.getPublic());
        if (ca) {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
          b.addExtension(
              Extension.keyUsage,
              true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        } else {
          GeneralName[] san = new GeneralName[names.length];
          for (int i = 0; i < names.length; i++) {
            san[i] =
                looksLikeIp(names[i])
                    ? new GeneralName(GeneralName.iPAddress, names[i])
                    : new GeneralName(GeneralName.dNSName, names[i]);
          }
          b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        }
        String alg = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        ContentSigner signer = new JcaContentSignerBuilder(alg).build(signingKey);
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        if (issuer != null) {
          chain.addAll(issuer.chain());
        }
        return new TestCertificate(kp.getPrivate(), chain);
      } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
        throw new IllegalStateException("cannot generate a test certificate: " + e.getMessage(), e);
      }
    }

    private static boolean looksLikeIp(String s) {
      return s.matches("[0-9.]+") || s.contains(":");
    }
  }
}
