package dev.maildx.auth.internal;

import dev.maildx.DomainName;
import dev.maildx.dns.internal.TxtStrings;
import dev.maildx.internal.mail.HeaderField;
import dev.maildx.report.AuthReport.DkimSignature.Failure;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code DKIM-Signature} (RFC 6376 §3.5) or {@code ARC-Message-Signature} (RFC 8617
 * §4.1.2) header field, validated as RFC 6376 §6.1.1 asks: the tag list, the required tags, the
 * version, algorithm, canonicalization, query method, {@code h=} including From (DKIM) and not
 * ARC-Seal (ARC), {@code i=} within {@code d=}, and the timestamps' syntax. The first problem found
 * is kept as {@link #failure()} with a reason; time is checked later, against the configured clock.
 *
 * <p>Immutable after parsing.
 */
public final class DkimSignature {
  /** The header field kinds verified this way. */
  public enum Kind {
    /** {@code DKIM-Signature}. */
    DKIM,
    /** {@code ARC-Message-Signature}. */
    AMS
  }

  /** The signing algorithms (RFC 6376 §3.3, RFC 8463 §3). */
  public enum Algorithm {
    /** {@code rsa-sha256}. */
    RSA_SHA256("rsa-sha256", "SHA-256", "SHA256withRSA", true),
    /** {@code rsa-sha1}: parsed, then refused (RFC 8301 §3.1). */
    RSA_SHA1("rsa-sha1", "SHA-1", "SHA1withRSA", true),
    /** {@code ed25519-sha256}: Ed25519 over the SHA-256 hash of the header block (RFC 8463 §3). */
    ED25519_SHA256("ed25519-sha256", "SHA-256", "Ed25519", false);

    final String tag;
    final String digest;
    final String jca;
    final boolean rsa;

    Algorithm(String tag, String digest, String jca, boolean rsa) {
      this.tag = tag;
      this.digest = digest;
      this.jca = jca;
      this.rsa = rsa;
    }

    /**
     * @return the JDK digest name ({@code SHA-256}, {@code SHA-1})
     */
    public String digest() {
      return digest;
    }

    /**
     * @return the hash name as in a key record's {@code h=} ({@code sha256}, {@code sha1})
     */
    public String hashName() {
      return digest.replace("-", "").toLowerCase(Locale.ROOT);
    }

    static @Nullable Algorithm of(String tag) {
      for (Algorithm a : values()) {
        if (a.tag.equals(tag)) {
          return a;
        }
      }
      return null;
    }
  }

  /**
   * The most header field names read from {@code h=}; a longer list makes the signature malformed.
   */
  public static final int MAX_SIGNED_HEADERS = 512;

  /**
   * The longest {@code l=} accepted (RFC 6376 §3.5: at most 76 digits; we need it to fit a long).
   */
  private static final int MAX_TIMESTAMP_DIGITS = 12;

  final Kind kind;
  final int index;
  final HeaderField field;
  final DkimTags tags;
  String a = "";
  @Nullable Algorithm algorithm;
  byte[] b = new byte[0];
  String bText = "";
  byte[] bh = new byte[0];
  String bhText = "";
  String cHeader = "simple";
  String cBody = "simple";
  boolean relaxedHeader;
  boolean relaxedBody;
  String d = "";
  @Nullable DomainName domain;
  List<String> h = List.of();
  String i = "";
  int instance;
  long l = -1;
  String s = "";
  @Nullable Long t;
  @Nullable Long x;
  List<String> z = List.of();
  @Nullable Failure failure;
  String reason = "";

  private DkimSignature(Kind kind, int index, HeaderField field) {
    this.kind = kind;
    this.index = index;
    this.field = field;
    this.tags = DkimTags.parse(field.rawValue());
  }

  /**
   * Parses and validates a signature header field.
   *
   * @param kind DKIM or AMS
   * @param index its position among the fields of its kind, from 1
   * @param field the header field
   * @return the signature; check {@link #failure()}
   */
  public static DkimSignature parse(Kind kind, int index, HeaderField field) {
    DkimSignature sig = new DkimSignature(kind, index, field);
    sig.validate();
    return sig;
  }

  /**
   * @return the first problem, or {@code null} if the signature is well formed
   */
  public @Nullable Failure failure() {
    return failure;
  }

  /**
   * @return why, when there is a {@link #failure()}
   */
  public String reason() {
    return reason;
  }

  /**
   * @return the header field
   */
  public HeaderField field() {
    return field;
  }

  /**
   * @return the ARC instance ({@code i=} of an AMS), 0 for DKIM
   */
  public int instance() {
    return instance;
  }

  private void fail(Failure f, String why) {
    if (failure == null) {
      failure = f;
      reason = why;
    }
  }

  private String name() {
    return kind == Kind.DKIM ? "DKIM-Signature" : "ARC-Message-Signature";
  }

  private void validate() {
    readTags();
    if (checkTagList()
        && checkAlgorithm()
        && decodeHashes()
        && checkCanonicalization()
        && checkDomainAndSelector()
        && checkSignedHeaders()
        && checkIdentity()
        && checkBodyLength()
        && checkQueryMethod()
        && checkTimestamps()) {
      readCopiedHeaders();
    }
  }

  /** Reads the tags into the fields, with their defaults; checks nothing yet. */
  private void readTags() {
    a = nz(tags.get("a"));
    d = nz(tags.get("d")).toLowerCase(Locale.ROOT);
    s = nz(tags.get("s"));
    bText = DkimTags.compact(nz(tags.get("b")));
    bhText = DkimTags.compact(nz(tags.get("bh")));
    algorithm = Algorithm.of(a.toLowerCase(Locale.ROOT));
    String hText = tags.get("h");
    if (hText != null) {
      List<String> names = new ArrayList<>();
      for (String n : DkimTags.compact(hText).split(":", -1)) {
        names.add(n);
      }
      h =
          names.size() == 1 && names.get(0).isEmpty()
              ? List.of()
              : List.copyOf(names.subList(0, Math.min(names.size(), MAX_SIGNED_HEADERS + 1)));
    }
    String c = tags.get("c");
    if (c == null && kind == Kind.AMS) {
      // RFC 8617 gives no default for an AMS; the ARC test suite (ams_fields_c_na) and the ARC
      // implementations it was written with read a missing c= as relaxed/relaxed.
      cHeader = "relaxed";
      cBody = "relaxed";
    }
    if (c != null) {
      int slash = c.indexOf('/');
      cHeader = (slash < 0 ? c : c.substring(0, slash)).strip().toLowerCase(Locale.ROOT);
      cBody = slash < 0 ? "simple" : c.substring(slash + 1).strip().toLowerCase(Locale.ROOT);
    }
    relaxedHeader = cHeader.equals("relaxed");
    relaxedBody = cBody.equals("relaxed");
    String iText = tags.get("i");
    i = iText != null ? iText : kind == Kind.DKIM ? "@" + d : "";
  }

  /** The tag list's syntax, the version (DKIM) and the required tags. */
  private boolean checkTagList() {
    String v = tags.get("v");
    if (tags.problem() != null) {
      fail(
          Failure.MALFORMED, "The " + name() + " is not a valid tag list: " + tags.problem() + ".");
      return false;
    }
    if (kind == Kind.DKIM) {
      if (v == null) {
        fail(Failure.MALFORMED, "The DKIM-Signature has no v= tag.");
        return false;
      }
      if (!v.equals("1")) {
        fail(
            Failure.UNSUPPORTED_VERSION,
            "The DKIM-Signature has v=" + TxtStrings.printable(v, 20) + "; only v=1 exists.");
        return false;
      }
    }
    List<String> required =
        kind == Kind.DKIM
            ? List.of("a", "b", "bh", "d", "h", "s")
            : List.of("a", "b", "bh", "d", "h", "i", "s");
    for (String r : required) {
      if (tags.get(r) == null) {
        fail(Failure.MALFORMED, "The " + name() + " has no " + r + "= tag, which is required.");
        return false;
      }
    }
    return true;
  }

  private boolean checkAlgorithm() {
    if (algorithm == null) {
      fail(
          Failure.UNSUPPORTED_ALGORITHM,
          "The "
              + name()
              + " uses a="
              + TxtStrings.printable(a, 40)
              + "; verifiers know rsa-sha256 and ed25519-sha256 (and the retired rsa-sha1).");
      return false;
    }
    if (!a.equals(algorithm.tag)) {
      // tag values are case-sensitive where the RFC lists them in lower case
      fail(
          Failure.UNSUPPORTED_ALGORITHM,
          "The "
              + name()
              + " uses a="
              + TxtStrings.printable(a, 40)
              + ", not the registered "
              + algorithm.tag
              + ".");
      return false;
    }
    return true;
  }

  /** Decodes b= and bh=. */
  private boolean decodeHashes() {
    byte[] decodedB = base64(bText);
    b = decodedB == null ? new byte[0] : decodedB;
    if (b == null || b.length == 0) {
      fail(
          Failure.MALFORMED,
          "The " + name() + "'s b= is " + (bText.isEmpty() ? "empty" : "not valid base64") + ".");
      b = new byte[0];
      return false;
    }
    byte[] decodedBh = base64(bhText);
    bh = decodedBh == null ? new byte[0] : decodedBh;
    if (bh == null || bh.length == 0) {
      fail(
          Failure.MALFORMED,
          "The " + name() + "'s bh= is " + (bhText.isEmpty() ? "empty" : "not valid base64") + ".");
      bh = new byte[0];
      return false;
    }
    return true;
  }

  private boolean checkCanonicalization() {
    String c = tags.get("c");
    if (!(cHeader.equals("simple") || cHeader.equals("relaxed"))
        || !(cBody.equals("simple") || cBody.equals("relaxed"))
        || (c != null && c.chars().anyMatch(ch -> ch >= 'A' && ch <= 'Z'))) {
      fail(
          Failure.UNSUPPORTED_CANONICALIZATION,
          "The "
              + name()
              + " has c="
              + TxtStrings.printable(nz(c), 40)
              + "; the canonicalizations are simple and relaxed (header/body).");
      return false;
    }
    return true;
  }

  private boolean checkDomainAndSelector() {
    try {
      domain = DomainName.of(d);
    } catch (IllegalArgumentException e) {
      fail(
          Failure.MALFORMED,
          "The " + name() + "'s d=" + TxtStrings.printable(d, 80) + " is not a valid domain name.");
      return false;
    }
    if (!validSelector(s) || (s + "._domainkey." + domain.ascii()).length() > 253) {
      fail(
          Failure.MALFORMED,
          "The " + name() + "'s s=" + TxtStrings.printable(s, 80) + " is not a valid selector.");
      return false;
    }
    return true;
  }

  /** h=: its length, its names, From included (DKIM), ARC-Seal excluded (AMS). */
  private boolean checkSignedHeaders() {
    if (h.size() > MAX_SIGNED_HEADERS) {
      fail(
          Failure.MALFORMED,
          "The " + name() + "'s h= lists more than " + MAX_SIGNED_HEADERS + " header fields.");
      return false;
    }
    for (String n : h) {
      // an empty name (h=from::to) selects no field and adds nothing to the hash, as dkimpy reads
      // it
      if (!n.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e && ch != ':')) {
        fail(
            Failure.MALFORMED,
            "The "
                + name()
                + "'s h= holds \""
                + TxtStrings.printable(n, 60)
                + "\", which is not a header field name.");
        return false;
      }
    }
    if (kind == Kind.DKIM && h.stream().noneMatch(n -> n.equalsIgnoreCase("from"))) {
      fail(
          Failure.FROM_NOT_SIGNED,
          "The DKIM-Signature's h= does not include From, so it does not protect the author: verifiers must "
              + "ignore it (RFC 6376 §6.1.1).");
      return false;
    }
    if (kind == Kind.AMS && h.stream().anyMatch(n -> n.equalsIgnoreCase("arc-seal"))) {
      fail(
          Failure.MALFORMED,
          "The ARC-Message-Signature's h= includes ARC-Seal, which RFC 8617 §4.1.2 forbids.");
      return false;
    }
    return true;
  }

  /** i=: an identity within d= (DKIM), an instance number (AMS). */
  private boolean checkIdentity() {
    if (kind == Kind.DKIM) {
      int at = i.lastIndexOf('@');
      String iDomain = at < 0 ? "" : i.substring(at + 1);
      if (at < 0 || !DomainName.isValid(iDomain)) {
        fail(
            Failure.MALFORMED,
            "The DKIM-Signature's i="
                + TxtStrings.printable(i, 80)
                + " is not an identity (local part, @, domain).");
        return false;
      }
      DomainName id = DomainName.of(iDomain);
      DomainName signer = domain;
      if (signer == null) { // not reached: checkDomainAndSelector runs first and sets it or fails
        return false;
      }
      if (!id.equals(signer) && !id.isSubdomainOf(signer)) {
        fail(
            Failure.IDENTITY_MISMATCH,
            "The DKIM-Signature's i="
                + TxtStrings.printable(i, 80)
                + " is not in d="
                + d
                + " or a subdomain of it (RFC 6376 §6.1.1).");
        return false;
      }
    } else {
      Integer n = small(i, 2);
      if (n == null || n < 1 || n > 50) {
        fail(
            Failure.MALFORMED,
            "The ARC-Message-Signature's i="
                + TxtStrings.printable(i, 20)
                + " is not an instance number from 1 to 50.");
        return false;
      }
      instance = n;
    }
    return true;
  }

  private boolean checkBodyLength() {
    String lText = tags.get("l");
    if (lText != null) {
      if (lText.isEmpty()
          || lText.length() > 76
          || !lText.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        fail(
            Failure.MALFORMED,
            "The "
                + name()
                + "'s l="
                + TxtStrings.printable(lText, 40)
                + " is not a number of octets.");
        return false;
      }
      l = lText.length() > 18 ? Long.MAX_VALUE : Long.parseLong(lText);
    }
    return true;
  }

  private boolean checkQueryMethod() {
    String q = tags.get("q");
    if (q != null) {
      boolean dnsTxt = false;
      for (String m : DkimTags.compact(q).split(":")) {
        dnsTxt |= m.equals("dns/txt") || m.equals("dns");
      }
      if (!dnsTxt) {
        fail(
            Failure.UNSUPPORTED_QUERY_METHOD,
            "The "
                + name()
                + " has q="
                + TxtStrings.printable(q, 40)
                + "; the only query method is dns/txt.");
        return false;
      }
    }
    return true;
  }

  /** t= and x=, when present, and x= after t=. */
  private boolean checkTimestamps() {
    t = timestamp("t");
    if (failure != null) {
      return false;
    }
    x = timestamp("x");
    if (failure != null) {
      return false;
    }
    if (t != null && x != null && x <= t) {
      fail(
          Failure.BAD_TIMESTAMP,
          "The " + name() + "'s x=" + x + " is not after its t=" + t + " (RFC 6376 §3.5).");
      return false;
    }
    return true;
  }

  /** z=, the copied header fields, when present (at most 100). */
  private void readCopiedHeaders() {
    String zText = tags.get("z");
    if (zText != null) {
      List<String> copies = new ArrayList<>();
      for (String part : DkimTags.compact(zText).split("\\|")) {
        if (copies.size() < 100) {
          copies.add(dkimQuotedPrintable(part));
        }
      }
      z = List.copyOf(copies);
    }
  }

  private @Nullable Long timestamp(String name) {
    String v = tags.get(name);
    if (v == null) {
      return null;
    }
    if (v.isEmpty()
        || v.length() > MAX_TIMESTAMP_DIGITS
        || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      fail(
          Failure.MALFORMED,
          "The "
              + name()
              + "'s "
              + name
              + "="
              + TxtStrings.printable(v, 40)
              + " is not a number of seconds.");
      return null;
    }
    return Long.parseLong(v);
  }

  private static @Nullable Integer small(String v, int digits) {
    if (v.isEmpty() || v.length() > digits || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      return null;
    }
    return Integer.parseInt(v);
  }

  /**
   * RFC 6376 §3.1 selector: dot-separated labels of letters, digits, '-' (and, in practice, '_').
   */
  static boolean validSelector(String s) {
    if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
      return false;
    }
    for (String label : s.split("\\.")) {
      if (label.isEmpty() || label.length() > 63) {
        return false;
      }
      for (int k = 0; k < label.length(); k++) {
        char c = label.charAt(k);
        if (!((c >= 'a' && c <= 'z')
            || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9')
            || c == '-'
            || c == '_')) {
          return false;
        }
      }
    }
    return true;
  }

  static byte @Nullable [] base64(String s) {
    if (s.isEmpty()) {
      return new byte[0];
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Decodes DKIM-Quoted-Printable (RFC 6376 §2.11): =XX escapes; white space was already removed.
   */
  static String dkimQuotedPrintable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '='
          && k + 2 < s.length()
          && hex(s.charAt(k + 1)) >= 0
          && hex(s.charAt(k + 2)) >= 0) {
        out.append((char) (hex(s.charAt(k + 1)) * 16 + hex(s.charAt(k + 2))));
        k += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static String nz(@Nullable String s) {
    return s == null ? "" : s;
  }
}
