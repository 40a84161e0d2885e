package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.jspecify.annotations.Nullable;

/**
 * Signs messages with DKIM (RFC 6376; {@code ed25519-sha256} per RFC 8463) for tests: the whole
 * message in memory, canonicalized line by line — deliberately a plain implementation, independent
 * of maildx's streaming verifier, so that each checks the other. It can also make signatures that
 * receivers must refuse ({@code rsa-sha1}, short keys, {@code l=}, expired) to test them.
 *
 * <pre>{@code
 * KeyPair keys = DkimSigner.rsaKeyPair(2048);
 * dns.txt("sel._domainkey.example.test", DkimSigner.keyRecord(keys.getPublic()));
 * byte[] signed = DkimSigner.builder("example.test", "sel", keys.getPrivate()).build().sign(message);
 * }</pre>
 *
 * <p>By default it signs, bottom-up as RFC 6376 §5.4.2 says, the header fields of RFC 6376 §5.4.1's
 * list that the message has, and signs From once more than it occurs (over-signing, as dkimpy does)
 * so that an added From breaks the signature. Immutable and thread-safe.
 */
public final class DkimSigner {
  /** The header fields signed by default when present (RFC 6376 §5.4.1). */
  public static final List<String> DEFAULT_HEADERS =
      List.of(
          "from",
          "sender",
          "reply-to",
          "subject",
          "date",
          "message-id",
          "to",
          "cc",
          "mime-version",
          "content-type",
          "content-transfer-encoding",
          "content-id",
          "content-description",
          "resent-date",
          "resent-from",
          "resent-sender",
          "resent-to",
          "resent-cc",
          "resent-message-id",
          "in-reply-to",
          "references",
          "list-id",
          "list-help",
          "list-unsubscribe",
          "list-subscribe",
          "list-post",
          "list-owner",
          "list-archive");

  private final String domain;
  private final String selector;
  private final PrivateKey key;
  private final String algorithm;
  private final boolean relaxedHeader;
  private final boolean relaxedBody;
  private final @Nullable List<String> headers;
  private final List<String> oversign;
  private final @Nullable String identity;
  private final boolean bodyLength;
  private final @Nullable Instant timestamp;
  private final @Nullable Instant expiration;
  private final boolean copyHeaders;

  private DkimSigner(Builder b) {
    this.domain = b.domain;
    this.selector = b.selector;
    this.key = b.key;
    this.algorithm =
        b.algorithm != null
            ? b.algorithm
            : b.key.getAlgorithm().equals("RSA") ? "rsa-sha256" : "ed25519-sha256";
    this.relaxedHeader = b.relaxedHeader;
    this.relaxedBody = b.relaxedBody;
    this.headers = b.headers;
    this.oversign = List.copyOf(b.oversign);
    this.identity = b.identity;
    this.bodyLength = b.bodyLength;
    this.timestamp = b.timestamp;
    this.expiration = b.expiration;
    this.copyHeaders = b.copyHeaders;
  }

  /**
   * Starts a signer.
   *
   * @param domain the signing domain ({@code d=})
   * @param selector the selector ({@code s=})
   * @param key an RSA or Ed25519 private key
   * @return a builder
   */
  public static Builder builder(String domain, String selector, PrivateKey key) {
    return new Builder(
        requireNonNull(domain, "domain"),
        requireNonNull(selector, "selector"),
        requireNonNull(key, "key"));
  }

  /**
   * Signs a message: returns it with a {@code DKIM-Signature} header field on top, written with the
   * message's own line ending (CRLF, or LF if its first line ends with a bare LF).
   *
   * @param message the message
   * @return the signed message
   */
  public byte[] sign(byte[] message) {
    String field = signatureField(message);
    boolean lf = firstLineEnding(message).equals("\n");
    byte[] head =
        (lf ? field.replace("\r\n", "\n") + "\n" : field + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = Arrays.copyOf(head, head.length + message.length);
    System.arraycopy(message, 0, out, head.length, message.length);
    return out;
  }

  /**
   * Signs a message given as text (UTF-8).
   *
   * @param message the message
   * @return the signed message as text
   */
  public String sign(String message) {
    return new String(sign(message.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  /**
   * The {@code DKIM-Signature} header field for a message, folded with CRLF, without the final
   * CRLF.
   *
   * @param message the message
   * @return the header field
   */
  public String signatureField(byte[] message) {
    Parsed m = Parsed.of(message);
    byte[] body = relaxedBody ? relaxedBody(m.bodyLines) : simpleBody(m.bodyLines);
    String hashName = algorithm.equals("rsa-sha1") ? "SHA-1" : "SHA-256";
    byte[] bh = digest(hashName, body);
    List<String> h = new ArrayList<>();
    List<String> names = headers != null ? headers : DEFAULT_HEADERS;
    for (String n : names) {
      long count =
          m.fields.stream().filter(f -> f.lower.equals(n.toLowerCase(Locale.ROOT))).count();
      if (headers != null) {
        h.add(n);
      } else {
        for (int i = 0; i < count; i++) {
          h.add(n);
        }
      }
    }
    for (String n : oversign) {
      h.add(n);
    }
    StringBuilder v =
        new StringBuilder(" v=1; a=")
            .append(algorithm)
            .append("; c=")
            .append(relaxedHeader ? "relaxed" : "simple")
            .append('/')
            .append(relaxedBody ? "relaxed" : "simple")
            .append(";\r\n\td=")
            .append(domain)
            .append("; s=")
            .append(selector)
            .append(';');
    if (identity != null) {
      v.append(" i=").append(identity).append(';');
    }
    if (timestamp != null) {
      v.append(" t=").append(timestamp.getEpochSecond()).append(';');
    }
    if (expiration != null) {
      v.append(" x=").append(expiration.getEpochSecond()).append(';');
    }
    if (bodyLength) {
      v.append(" l=").append(body.length).append(';');
    }
    v.append("\r\n\th=").append(String.join(":", h)).append(';');
    if (copyHeaders) {
      List<String> z = new ArrayList<>();
      for (String n : h) {
        m.fields.stream()
            .filter(f -> f.lower.equals(n.toLowerCase(Locale.ROOT)))
            .reduce((a, b) -> b)
            .ifPresent(f -> z.add(dkimQp(f.name + ":" + f.value())));
      }
      v.append("\r\n\tz=").append(String.join("|", z)).append(';');
    }
    v.append("\r\n\tbh=").append(Base64.getEncoder().encodeToString(bh)).append(";\r\n\tb=");
    String unsigned = "DKIM-Signature:" + v;
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    boolean[] used = new boolean[m.fields.size()];
    for (String n : h) {
      for (int i = m.fields.size() - 1; i >= 0; i--) {
        Field f = m.fields.get(i);
        if (!used[i] && f.lower.equals(n.toLowerCase(Locale.ROOT))) {
          used[i] = true;
          write(data, canonHeader(f.text));
          write(data, "\r\n");
          break;
        }
      }
    }
    write(data, canonHeader(unsigned));
    byte[] sig;
    try {
      if (algorithm.startsWith("rsa")) {
        Signature s =
            Signature.getInstance(algorithm.equals("rsa-sha1") ? "SHA1withRSA" : "SHA256withRSA");
        s.initSign(key);
        s.update(data.toByteArray());
        sig = s.sign();
      } else {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(digest("SHA-256", data.toByteArray()));
        sig = s.sign();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with " + algorithm + ": " + e.getMessage(), e);
    }
    String b64 = Base64.getEncoder().encodeToString(sig);
    StringBuilder folded = new StringBuilder();
    for (int i = 0; i < b64.length(); i += 72) {
      folded.append(i == 0 ? "" : "\r\n\t ").append(b64, i, Math.min(b64.length(), i + 72));
    }
    return unsigned + folded;
  }

  private String canonHeader(String field) {
    if (!relaxedHeader) {
      return field;
    }
    int colon = field.indexOf(':');
    String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String value = field.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
    return name + ":" + value;
  }

  private static byte[] simpleBody(List<String> lines) {
    int end = lines.size();
    while (end > 0 && lines.get(end - 1).isEmpty()) {
      end--;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < end; i++) {
      b.append(lines.get(i)).append("\r\n");
    }
    if (b.length() == 0) {
      b.append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] relaxedBody(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.replaceAll("[ \t]+", " ").replaceAll(" $", ""));
    }
    int end = out.size();
    while (end > 0 && out.get(end - 1).isEmpty()) {
      end--;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < end; i++) {
      b.append(out.get(i)).append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String dkimQp(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.ISO_8859_1)) {
      int c = x & 0xff;
      if (c > 0x20 && c < 0x7f && c != ';' && c != '=' && c != '|') {
        b.append((char) c);
      } else {
        b.append('=').append(String.format("%02X", c));
      }
    }
    return b.toString();
  }

  private static String firstLineEnding(byte[] m) {
    for (int i = 0; i < m.length; i++) {
      if (m[i] == '\n') {
        return i > 0 && m[i - 1] == '\r' ? "\r\n" : "\n";
      }
    }
    return "\r\n";
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * The DKIM key record (RFC 6376 §3.6.1) for a public key, ready for {@code MockDnsServer.txt}
   * (split it into character-strings of at most 255 octets first if it is longer).
   *
   * @param key an RSA or Ed25519 public key
   * @return {@code v=DKIM1; k=rsa; p=...} or {@code v=DKIM1; k=ed25519; p=...} (the raw 32 octets)
   */
  public static String keyRecord(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }
    byte[] spki = key.getEncoded();
    return "v=DKIM1; k=ed25519; p="
        + Base64.getEncoder()
            .encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }

  /**
   * Splits a TXT record into character-strings of at most 255 octets.
   *
   * @param record the record
   * @return the strings, in order
   */
  public static String[] txtStrings(String record) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < record.length(); i += 255) {
      out.add(record.substring(i, Math.min(record.length(), i + 255)));
    }
    return out.toArray(String[]::new);
  }

  /**
   * A new RSA key pair.
   *
   * @param bits the modulus size, e.g. 2048
   * @return the pair
   */
  public static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A new Ed25519 key pair.
   *
   * @return the pair
   */
  public static KeyPair ed25519KeyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An Ed25519 private key from its 32-octet seed (RFC 8032 §5.1.5), as dkimpy's {@code dknewkey}
   * writes it (base64).
   *
   * @param seed the seed
   * @return the key
   */
  public static PrivateKey ed25519PrivateKey(byte[] seed) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 seed: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a PEM private key: {@code RSA PRIVATE KEY} (PKCS#1) or {@code PRIVATE KEY} (PKCS#8), as
   * opendkim-genkey and openssl write them.
   *
   * @param pem the PEM text
   * @return the key
   */
  public static PrivateKey readPrivateKey(String pem) {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter c = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) {
        return c.getKeyPair(kp).getPrivate();
      }
      if (o instanceof PrivateKeyInfo info) {
        return KeyFactory.getInstance(
                info.getPrivateKeyAlgorithm().getAlgorithm().getId().equals("1.3.101.112")
                    ? "Ed25519"
                    : "RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      }
      throw new IllegalArgumentException("not a PEM private key");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
    }
  }

  /** A message split into header fields and body lines (line endings CRLF or LF). */
  private record Parsed(List<Field> fields, List<String> bodyLines) {
    static Parsed of(byte[] message) {
      String text = new String(message, StandardCharsets.ISO_8859_1);
      String[] lines = text.split("\r?\n", -1);
      List<Field> fields = new ArrayList<>();
      int i = 0;
      for (; i < lines.length; i++) {
        String l = lines[i];
        if (l.isEmpty()) {
          i++;
          break;
        }
        if ((l.startsWith(" ") || l.startsWith("\t")) && !fields.isEmpty()) {
          Field last = fields.remove(fields.size() - 1);
          fields.add(new Field(last.name, last.lower, last.text + "\r\n" + l));
        } else {
          int c = l.indexOf(':');
          String name = c < 0 ? l : l.substring(0, c).strip();
          fields.add(new Field(name, name.toLowerCase(Locale.ROOT), l));
        }
      }
      List<String> body =
          new ArrayList<>(Arrays.asList(lines).subList(Math.min(i, lines.length), lines.length));
      if (!body.isEmpty() && body.get(body.size() - 1).isEmpty() && text.endsWith("\n")) {
        body.remove(body.size() - 1); // the split after the final line end
      }
      return new Parsed(fields, body);
    }
  }

  private record Field(String name, String lower, String text) {
    String value() {
      return text.substring(text.indexOf(':') + 1).replace("\r\n", "").strip();
    }
  }

  /** Builds a {@link DkimSigner}. Not thread-safe. */
  public static final class Builder {
    private final String domain;
    private final String selector;
    private final PrivateKey key;
    private @Nullable String algorithm;
    private boolean relaxedHeader = true;
    private boolean relaxedBody = true;
    private @Nullable List<String> headers;
    private List<String> oversign = List.of("from");
    private @Nullable String identity;
    private boolean bodyLength;
    private @Nullable Instant timestamp;
    private @Nullable Instant expiration;
    private boolean copyHeaders;

    private Builder(String domain, String selector, PrivateKey key) {
      this.domain = domain;
      this.selector = selector;
      this.key = key;
    }

    /**
     * Sets the algorithm (default {@code rsa-sha256} for RSA keys, {@code ed25519-sha256} for
     * Ed25519 keys).
     *
     * @param algorithm {@code rsa-sha256}, {@code rsa-sha1} or {@code ed25519-sha256}
     * @return this builder
     */
    public Builder algorithm(String algorithm) {
      this.algorithm = requireNonNull(algorithm, "algorithm");
      return this;
    }

    /**
     * Sets the canonicalization (default {@code relaxed/relaxed}).
     *
     * @param c {@code simple/simple}, {@code relaxed/simple}, ...
     * @return this builder
     */
    public Builder canonicalization(String c) {
      String[] p = c.split("/");
      this.relaxedHeader = p[0].equals("relaxed");
      this.relaxedBody = p.length > 1 && p[1].equals("relaxed");
      return this;
    }

    /**
     * Sets exactly the header field names of {@code h=} (no defaults, no over-signing).
     *
     * @param names the names, in order; a name may repeat, and may name an absent field
     * @return this builder
     */
    public Builder headers(String... names) {
      this.headers = List.of(names);
      this.oversign = List.of();
      return this;
    }

    /**
     * Sets the header fields signed once more than they occur (default From).
     *
     * @param names the names
     * @return this builder
     */
    public Builder oversign(String... names) {
      this.oversign = List.of(names);
      return this;
    }

    /**
     * Sets {@code i=}.
     *
     * @param identity for example {@code @mail.example.test}
     * @return this builder
     */
    public Builder identity(String identity) {
      this.identity = identity;
      return this;
    }

    /**
     * Adds {@code l=} with the canonicalized body length.
     *
     * @return this builder
     */
    public Builder bodyLength() {
      this.bodyLength = true;
      return this;
    }

    /**
     * Sets {@code t=}.
     *
     * @param t the signing time
     * @return this builder
     */
    public Builder timestamp(Instant t) {
      this.timestamp = t;
      return this;
    }

    /**
     * Sets {@code x=}.
     *
     * @param x the expiry
     * @return this builder
     */
    public Builder expiration(Instant x) {
      this.expiration = x;
      return this;
    }

    /**
     * Adds {@code z=} with copies of the signed header fields (RFC 6376 §3.5), for diagnostics.
     *
     * @return this builder
     */
    public Builder copyHeaders() {
      this.copyHeaders = true;
      return this;
    }

    /**
     * @return the signer
     */
    public DkimSigner build() {
      return new DkimSigner(this);
    }
  }
}
