package dev.maildx.smtp.internal;

import dev.maildx.internal.InetAddresses;
import dev.maildx.report.ProbeReport;
import java.net.IDN;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * TLS for the prober: a client context whose trust manager records the server's chain and accepts
 * it (so that the conversation continues and the chain is captured even when untrusted), and the
 * separate judgement of that chain afterwards: PKIX trust against the trust store (RFC 5280 §6),
 * the host name against the certificate (RFC 6125 §6.4), validity dates.
 *
 * <p>One per prober; thread-safe. The trust store is loaded once.
 */
final class TlsInspector {
  private final SSLContext context;
  private final X509TrustManager trust;
  private final Map<Socket, Recorded> recorded = new ConcurrentHashMap<>();

  /** What the handshake presented. */
  record Recorded(List<X509Certificate> chain, String authType) {}

  TlsInspector(@Nullable KeyStore trustStore) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore);
      X509TrustManager found = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager) {
          found = (X509TrustManager) tm;
          break;
        }
      }
      if (found == null) {
        throw new IllegalStateException("no X509TrustManager in the JDK");
      }
      this.trust = found;
      this.context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Recorder()}, new SecureRandom());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  SSLContext context() {
    return context;
  }

  /**
   * The chain the server presented on this socket, and forgets it.
   *
   * @param socket the TLS socket
   * @return the chain, leaf first; from the recorder, else from the session
   */
  Recorded take(SSLSocket socket) {
    Recorded r = recorded.remove(socket);
    if (r != null) {
      return r;
    }
    try {
      Certificate[] peer = socket.getSession().getPeerCertificates();
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : peer) {
        if (c instanceof X509Certificate) {
          chain.add((X509Certificate) c);
        }
      }
      return new Recorded(chain, "UNKNOWN");
    } catch (SSLPeerUnverifiedException e) {
      return new Recorded(List.of(), "UNKNOWN");
    }
  }

  /** Forgets a socket whose handshake failed. */
  @Nullable Recorded forget(@Nullable SSLSocket socket) {
    return socket == null ? null : recorded.remove(socket);
  }

  /**
   * Judges the session.
   *
   * @param session the established session
   * @param rec what the handshake presented
   * @param host the MX host name (or IP literal) the certificate must name
   * @param clock for the validity dates
   * @param expiryWarning how close to the end of validity is "soon"
   * @param handshake how long the handshake took
   * @return the TLS information
   */
  ProbeReport.Tls inspect(
      SSLSession session,
      Recorded rec,
      String host,
      Clock clock,
      Duration expiryWarning,
      Duration handshake) {
    List<X509Certificate> chain = rec.chain();
    List<ProbeReport.Certificate> infos = new ArrayList<>(chain.size());
    for (X509Certificate c : chain) {
      infos.add(describe(c));
    }
    Instant now = clock.instant();
    boolean trusted = false;
    String problem = null;
    boolean expired = false;
    boolean soon = false;
    boolean matches = false;
    if (chain.isEmpty()) {
      problem = "the server presented no certificate";
    } else {
      ProbeReport.Certificate leaf = infos.get(0);
      expired = !leaf.validAt(now);
      soon = !expired && leaf.notAfter().isBefore(now.plus(expiryWarning));
      matches = nameMatches(leaf, chain.get(0), host);
      try {
        trust.checkServerTrusted(chain.toArray(new X509Certificate[0]), rec.authType());
        trusted = true;
      } catch (CertificateException | RuntimeException e) {
        problem = trustProblem(e, infos, now);
      }
    }
    return new ProbeReport.Tls(
        session.getProtocol(),
        session.getCipherSuite(),
        infos,
        trusted,
        problem,
        matches,
        expired,
        soon,
        handshake);
  }

  private static String trustProblem(
      Exception e, List<ProbeReport.Certificate> chain, Instant now) {
    ProbeReport.Certificate leaf = chain.get(0);
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return "a certificate of the chain has expired";
      }
      if (t instanceof CertificateNotYetValidException) {
        return "a certificate of the chain is not yet valid";
      }
    }
    if (leaf.selfSigned()) {
      return "self-signed certificate";
    }
    if (now.isAfter(leaf.notAfter())) {
      return "the certificate expired on " + leaf.notAfter();
    }
    String m = String.valueOf(e.getMessage());
    if (m.contains("PKIX path building failed")
        || m.contains("unable to find valid certification path")) {
      return "issued by an unknown or untrusted authority ("
          + leaf.issuer()
          + "), or the server did not send the intermediate certificates";
    }
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }

  static ProbeReport.Certificate describe(X509Certificate c) {
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && san.get(0) instanceof Integer && san.get(1) instanceof String) {
            int type = (Integer) san.get(0);
            if (type == 2) {
              dns.add((String) san.get(1));
            } else if (type == 7) {
              ips.add((String) san.get(1));
            }
          }
        }
      }
    } catch (CertificateParsingException ignored) {
      // no usable SANs
    }
    PublicKey key = c.getPublicKey();
    return new ProbeReport.Certificate(
        c.getSubjectX500Principal().getName(X500Principal.RFC2253),
        c.getIssuerX500Principal().getName(X500Principal.RFC2253),
        dns,
        ips,
        c.getNotBefore().toInstant(),
        c.getNotAfter().toInstant(),
        key.getAlgorithm(),
        keySize(key),
        c.getSigAlgName(),
        sha256(encoded(c)),
        sha256(key.getEncoded()),
        selfSigned(c));
  }

  static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      return new byte[0];
    }
  }

  private static boolean selfSigned(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static int keySize(PublicKey k) {
    if (k instanceof RSAPublicKey) {
      return ((RSAPublicKey) k).getModulus().bitLength();
    }
    if (k instanceof ECPublicKey) {
      return ((ECPublicKey) k).getParams().getCurve().getField().getFieldSize();
    }
    if (k instanceof DSAPublicKey) {
      return ((DSAPublicKey) k).getParams().getP().bitLength();
    }
    String alg = k.getAlgorithm();
    if (alg.equalsIgnoreCase("Ed25519") || alg.equalsIgnoreCase("X25519")) {
      return 255;
    }
    if (alg.equalsIgnoreCase("Ed448") || alg.equalsIgnoreCase("X448")) {
      return 448;
    }
    return 0;
  }

  static String sha256(byte[] data) {
    return HexFormat.of().formatHex(digest("SHA-256", data));
  }

  static byte[] digest(String alg, byte[] data) {
    try {
      return MessageDigest.getInstance(alg).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(alg + " missing from the JDK", e);
    }
  }

  /**
   * Whether the certificate names the host (RFC 6125 §6.4): a DNS name of the subjectAltName, with
   * a wildcard only as the whole left-most label, matching exactly one label; the subject CN only
   * when there is no DNS name at all; an IP literal against the iPAddress entries.
   *
   * @param info the leaf certificate, described
   * @param c the leaf certificate
   * @param host the MX host name or IP literal
   * @return whether it matches
   */
  static boolean nameMatches(ProbeReport.Certificate info, X509Certificate c, String host) {
    InetAddress ip = InetAddresses.tryParse(host);
    if (ip != null) {
      for (String s : info.ipAddresses()) {
        InetAddress other = InetAddresses.tryParse(s);
        if (ip.equals(other)) {
          return true;
        }
      }
      return false;
    }
    String h = ascii(host);
    List<String> names = info.dnsNames();
    if (names.isEmpty()) {
      String cn = commonName(c);
      names = cn == null ? List.of() : List.of(cn);
    }
    for (String n : names) {
      if (matches(ascii(n), h)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0
          && host.substring(dot + 1).equals(pattern.substring(2))
          && pattern.substring(2).indexOf('.') > 0;
    }
    return pattern.equals(host);
  }

  private static String ascii(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    try {
      return IDN.toASCII(n, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return n.toLowerCase(Locale.ROOT);
    }
  }

  private static @Nullable String commonName(X509Certificate c) {
    String dn = c.getSubjectX500Principal().getName(X500Principal.RFC2253);
    for (String part : dn.split("(?<!\\\\),")) {
      if (part.regionMatches(true, 0, "CN=", 0, 3)) {
        return part.substring(3).replace("\\", "");
      }
    }
    return null;
  }

  /** Records the chain and accepts it; the judgement happens after the handshake. */
  private final class Recorder extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      if (socket != null) {
        recorded.put(socket, new Recorded(List.of(chain), authType));
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      // engines are not used
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // no socket to record against; the session still holds the chain
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the prober is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the prober is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the prober is a client only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
