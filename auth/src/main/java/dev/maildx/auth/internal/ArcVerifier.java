package dev.maildx.auth.internal;

import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.auth.internal.DkimKeySource.KeyLookup;
import dev.maildx.auth.internal.DkimSignature.Algorithm;
import dev.maildx.auth.internal.SignatureVerifier.HeaderIndex;
import dev.maildx.auth.internal.SignatureVerifier.Settings;
import dev.maildx.dns.internal.TxtStrings;
import dev.maildx.internal.mail.Bytes;
import dev.maildx.internal.mail.HeaderField;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.Arc.ArcSet;
import dev.maildx.report.AuthReport.Arc.ChainStatus;
import dev.maildx.report.AuthReport.DkimSignature.Result;
import dev.maildx.report.DkimKeysReport;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Validates an Authenticated Received Chain (RFC 8617 §5.2): collects the ARC sets, checks their
 * structure (one {@code ARC-Seal}, {@code ARC-Message-Signature} and {@code
 * ARC-Authentication-Results} per instance, instances 1 to N without gaps, at most 50, {@code
 * cv=none} at 1 and {@code cv=pass} above), the newest message signature, and every seal from the
 * newest down; and, for diagnosis, the older message signatures ("oldest-pass").
 *
 * <p>Findings (check {@code auth}): the {@code ARC_} codes of {@link AuthReport.Code}.
 *
 * <p>Not thread-safe; one per message.
 */
public final class ArcVerifier {
  /** The most ARC sets (RFC 8617 §4.2.1). */
  public static final int MAX_SETS = 50;

  /** Older message signatures are verified for "oldest-pass" only in chains up to this length. */
  public static final int MAX_OLDEST_PASS = 10;

  private final List<HeaderField> seals = new ArrayList<>();
  private final List<HeaderField> messageSignatures = new ArrayList<>();
  private final List<HeaderField> results = new ArrayList<>();
  private @Nullable String structureProblem;
  private int failedInstance;
  private int n;
  private HeaderField[] as = new HeaderField[0];
  private DkimSignature[] ams = new DkimSignature[0];
  private HeaderField[] aar = new HeaderField[0];
  private DkimTags[] asTags = new DkimTags[0];
  private final List<DkimSignature> toVerify = new ArrayList<>();

  /**
   * Collects the ARC sets of a message and checks their structure.
   *
   * @param headers the message's header fields
   */
  public ArcVerifier(HeaderIndex headers) {
    for (HeaderField f : headers.fields()) {
      switch (f.lowerName()) {
        case "arc-seal":
          seals.add(f);
          break;
        case "arc-message-signature":
          messageSignatures.add(f);
          break;
        case "arc-authentication-results":
          results.add(f);
          break;
        default:
          break;
      }
    }
    if (present()) {
      structure();
    }
  }

  /**
   * @return whether the message has any ARC header field
   */
  public boolean present() {
    return !seals.isEmpty() || !messageSignatures.isEmpty() || !results.isEmpty();
  }

  private void broken(String why, int instance) {
    if (structureProblem == null) {
      structureProblem = why;
      failedInstance = instance;
    }
  }

  /**
   * The structural checks of RFC 8617 §5.2 steps 1 to 3: at most {@value #MAX_SETS} sets, each
   * instance complete and unique, and the {@code cv=} of every seal as its position requires.
   */
  private void structure() {
    int max = highestInstance();
    if (max > MAX_SETS) {
      broken(
          "The chain has "
              + max
              + " ARC sets; at most "
              + MAX_SETS
              + " are allowed (RFC 8617 §4.2.1).",
          0);
      return;
    }
    n = max;
    as = new HeaderField[n + 1];
    asTags = new DkimTags[n + 1];
    ams = new DkimSignature[n + 1];
    aar = new HeaderField[n + 1];
    placeSeals();
    placeMessageSignatures();
    placeResults();
    requireCompleteSets();
    if (structureProblem != null || !chainValidationValuesFit()) {
      return;
    }
    toVerify.add(ams[n]);
    if (n <= MAX_OLDEST_PASS) {
      for (int i = n - 1; i >= 1; i--) {
        toVerify.add(ams[i]);
      }
    }
  }

  /** The highest instance any ARC header field names (N of RFC 8617 §5.2 step 1), or 0. */
  private int highestInstance() {
    int max = 0;
    for (HeaderField f : seals) {
      max = Math.max(max, Math.max(0, instanceOf(DkimTags.parse(f.rawValue()).get("i"))));
    }
    for (HeaderField f : messageSignatures) {
      max = Math.max(max, Math.max(0, instanceOf(DkimTags.parse(f.rawValue()).get("i"))));
    }
    for (HeaderField f : results) {
      max = Math.max(max, Math.max(0, aarInstance(f)));
    }
    return max;
  }

  /** Files each ARC-Seal under its instance; one per instance (RFC 8617 §4.2.1). */
  private void placeSeals() {
    for (HeaderField f : seals) {
      DkimTags t = DkimTags.parse(f.rawValue());
      int i = instanceOf(t.get("i"));
      if (i < 1) {
        broken("An ARC-Seal has no valid i= (an instance from 1 to 50).", 0);
        continue;
      }
      if (as[i] != null) {
        broken("There are two ARC-Seal header fields with i=" + i + ".", i);
        continue;
      }
      as[i] = f;
      asTags[i] = t;
    }
  }

  /** Files each ARC-Message-Signature under its instance; one per instance (RFC 8617 §4.2.1). */
  private void placeMessageSignatures() {
    int k = 0;
    for (HeaderField f : messageSignatures) {
      k++;
      DkimSignature sig = DkimSignature.parse(DkimSignature.Kind.AMS, k, f);
      int i = instanceOf(sig.tags.get("i"));
      if (i < 1) {
        broken("An ARC-Message-Signature has no valid i= (an instance from 1 to 50).", 0);
        continue;
      }
      if (ams[i] != null) {
        broken("There are two ARC-Message-Signature header fields with i=" + i + ".", i);
        continue;
      }
      ams[i] = sig;
    }
  }

  /** Files each ARC-Authentication-Results under its instance (RFC 8617 §4.1.1, §4.2.1). */
  private void placeResults() {
    for (HeaderField f : results) {
      int i = aarInstance(f);
      if (i < 1) {
        broken(
            "An ARC-Authentication-Results does not start with a valid \"i=N;\" (RFC 8617 §4.1.1).",
            0);
        continue;
      }
      if (aar[i] != null) {
        broken("There are two ARC-Authentication-Results header fields with i=" + i + ".", i);
        continue;
      }
      aar[i] = f;
    }
  }

  /** Every instance from 1 to N has all three header fields (RFC 8617 §5.2 step 2). */
  private void requireCompleteSets() {
    for (int i = 1; i <= n; i++) {
      if (as[i] == null || ams[i] == null || aar[i] == null) {
        broken(
            "ARC set "
                + i
                + " of "
                + n
                + " is incomplete: "
                + (as[i] == null
                    ? "no ARC-Seal"
                    : ams[i] == null ? "no ARC-Message-Signature" : "no ARC-Authentication-Results")
                + " with i="
                + i
                + ".",
            i);
      }
    }
  }

  /**
   * The newest seal does not say {@code cv=fail}, instance 1 says {@code cv=none} and every later
   * one {@code cv=pass} (RFC 8617 §5.2 steps 2 and 3); records the first that does not.
   */
  private boolean chainValidationValuesFit() {
    String newestCv = cv(n);
    if (newestCv.equals("fail")) {
      broken(
          "The newest ARC-Seal (i="
              + n
              + ") says cv=fail: an earlier intermediary found the chain broken.",
          n);
      return false;
    }
    for (int i = 1; i <= n; i++) {
      String cv = cv(i);
      String want = i == 1 ? "none" : "pass";
      if (!cv.equals(want)) {
        broken(
            "The ARC-Seal with i="
                + i
                + " says cv="
                + (cv.isEmpty() ? "(nothing)" : TxtStrings.printable(cv, 20))
                + "; it must say cv="
                + want
                + " (RFC 8617 §5.2).",
            i);
        return false;
      }
    }
    return true;
  }

  private String cv(int i) {
    String v = asTags[i].get("cv");
    return v == null ? "" : v.toLowerCase(Locale.ROOT);
  }

  /**
   * The message signatures to verify (the newest first), for body hashes and keys.
   *
   * @return the ARC-Message-Signatures to verify; empty if the structure already failed
   */
  public List<DkimSignature> messageSignatures() {
    return toVerify;
  }

  /**
   * The keys the seals need: {@code d=} and {@code s=} of each well-formed seal.
   *
   * @return pairs of domain and selector
   */
  public List<Map.Entry<DomainName, String>> sealKeys() {
    List<Map.Entry<DomainName, String>> out = new ArrayList<>();
    if (structureProblem != null || n == 0) {
      return out;
    }
    for (int i = n; i >= 1; i--) {
      String d = asTags[i].get("d");
      String s = asTags[i].get("s");
      if (d != null && s != null && DomainName.isValid(d) && DkimSignature.validSelector(s)) {
        out.add(Map.entry(DomainName.of(d), s));
      }
    }
    return out;
  }

  /**
   * Validates the chain, once the body was hashed and the keys looked up.
   *
   * @param amsOutcomes the outcomes of {@link #messageSignatures()}, same order
   * @param keys the seals' keys by domain and selector
   * @param settings the verification settings
   * @return the result
   */
  public AuthReport.Arc validate(
      List<SignatureVerifier.Outcome> amsOutcomes,
      BiFunction<DomainName, String, @Nullable KeyLookup> keys,
      Settings settings) {
    if (!present()) {
      return AuthReport.Arc.none();
    }
    AuthReport.DkimSignature[] amsResults = new AuthReport.DkimSignature[n + 1];
    for (int k = 0; k < amsOutcomes.size(); k++) {
      AuthReport.DkimSignature r = amsOutcomes.get(k).toResult(true);
      amsResults[amsOutcomes.get(k).signature().instance] = r;
    }
    ChainValidation v = new ChainValidation(n);
    if (structureProblem != null) {
      v.status = ChainStatus.FAIL;
      v.reason = structureProblem;
    } else {
      validateSignatures(v, amsResults, keys);
    }
    int oldestPass = oldestPass(amsResults);
    List<ArcSet> sets = arcSets(v, amsResults);
    List<Finding> findings = new ArrayList<>();
    findings.add(chainFinding(v, sets, oldestPass, settings.check()));
    return new AuthReport.Arc(
        v.status,
        n,
        v.status == ChainStatus.FAIL ? failedInstance : 0,
        v.status == ChainStatus.PASS ? oldestPass : 0,
        v.reason,
        sets,
        findings);
  }

  /** What the validation of a structurally sound chain found, built up step by step. */
  private static final class ChainValidation {
    ChainStatus status = ChainStatus.FAIL;
    String reason = "";
    boolean temp;
    final Result[] sealResults;
    final String[] sealReasons;

    ChainValidation(int n) {
      sealResults = new Result[n + 1];
      sealReasons = new String[n + 1];
    }
  }

  /**
   * RFC 8617 §5.2 steps 4 and 5: the newest ARC-Message-Signature must verify, then every ARC-Seal
   * from the newest down; the first that does not stops the validation.
   */
  private void validateSignatures(
      ChainValidation v,
      AuthReport.DkimSignature[] amsResults,
      BiFunction<DomainName, String, @Nullable KeyLookup> keys) {
    AuthReport.DkimSignature newest = amsResults[n];
    if (newest == null || newest.result() != Result.PASS) {
      v.status = ChainStatus.FAIL;
      failedInstance = n;
      v.temp = newest != null && newest.result() == Result.TEMPERROR;
      v.reason =
          "The newest ARC-Message-Signature (i="
              + n
              + ", d="
              + (newest == null ? "" : newest.domain())
              + ") does not verify: "
              + (newest == null ? "it was not checked." : newest.reason());
      return;
    }
    v.status = ChainStatus.PASS;
    for (int i = n; i >= 1; i--) {
      String[] why = new String[1];
      Result r = seal(i, keys, why);
      v.sealResults[i] = r;
      v.sealReasons[i] = why[0];
      if (r != Result.PASS) {
        v.status = ChainStatus.FAIL;
        failedInstance = i;
        v.temp = r == Result.TEMPERROR;
        v.reason =
            "The ARC-Seal of instance "
                + i
                + " (d="
                + nz(asTags[i].get("d"))
                + ") does not verify: "
                + why[0];
        return;
      }
    }
    v.reason =
        "The chain of "
            + n
            + " ARC set"
            + (n == 1 ? "" : "s")
            + " validates: every seal verifies and so does the newest "
            + "message signature.";
  }

  /**
   * The oldest instance from which every newer message signature passes (RFC 8617 §5.2 step 6,
   * "oldest-pass"), or 0 when the newest does not pass.
   */
  private int oldestPass(AuthReport.DkimSignature[] amsResults) {
    int oldestPass = 0;
    if (amsResults[n] != null && amsResults[n].pass()) {
      oldestPass = n;
      for (int i = n - 1; i >= 1 && amsResults[i] != null && amsResults[i].pass(); i--) {
        oldestPass = i;
      }
    }
    return oldestPass;
  }

  /** The sets as reported, oldest first. */
  private List<ArcSet> arcSets(ChainValidation v, AuthReport.DkimSignature[] amsResults) {
    List<ArcSet> sets = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      DkimTags t = asTags[i];
      String[] aarParts = aar[i] == null ? new String[] {"", ""} : aarParts(aar[i]);
      sets.add(
          new ArcSet(
              i,
              t == null ? "" : nz(t.get("d")).toLowerCase(Locale.ROOT),
              t == null ? "" : nz(t.get("s")),
              t == null ? "" : nz(t.get("cv")),
              v.sealResults[i],
              v.sealReasons[i] == null ? "" : v.sealReasons[i],
              amsResults[i],
              aarParts[0],
              aarParts[1]));
    }
    return sets;
  }

  /** The one finding on the chain: it passes, could not be checked, or is broken. */
  private Finding chainFinding(ChainValidation v, List<ArcSet> sets, int oldestPass, String check) {
    if (v.status == ChainStatus.PASS) {
      ArcSet first = sets.get(0);
      return Finding.info(
              AuthReport.Code.ARC_PASS,
              check,
              "The ARC chain validates ("
                  + n
                  + " set"
                  + (n == 1 ? "" : "s")
                  + ", sealed by "
                  + String.join(", ", sets.stream().map(ArcSet::sealDomain).distinct().toList())
                  + "). At the first hop, "
                  + first.authservId()
                  + " recorded: "
                  + TxtStrings.printable(first.authResults(), 300)
                  + ". A receiver that trusts these sealers may accept the message "
                  + "even if DMARC fails after forwarding.")
          .evidence("instances", n)
          .evidence("oldestPass", oldestPass)
          .rfc("RFC 8617 §5.2")
          .build();
    }
    if (v.temp) {
      return Finding.inconclusive(
              AuthReport.Code.ARC_KEY_TEMPERROR,
              check,
              "The ARC chain could not be validated: " + v.reason)
          .evidence("instances", n)
          .evidence("failedInstance", failedInstance)
          .rfc("RFC 8617 §5.2")
          .build();
    }
    return Finding.warning(
            AuthReport.Code.ARC_FAIL,
            check,
            "The ARC chain is broken: "
                + v.reason
                + " Receivers ignore a broken chain, so a DMARC "
                + "failure caused by a forwarder or mailing list is not forgiven.")
        .effect(Verdict.DELIVERABLE)
        .evidence("instances", n)
        .evidence("failedInstance", failedInstance)
        .rfc("RFC 8617 §5.2")
        .build();
  }

  /** Verifies the ARC-Seal of instance i (RFC 8617 §5.1.1). */
  private Result seal(
      int i, BiFunction<DomainName, String, @Nullable KeyLookup> keys, String[] why) {
    DkimTags t = asTags[i];
    Result malformed = sealTagsProblem(t, why);
    if (malformed != null) {
      return malformed;
    }
    String a = requireNonNull(t.get("a"), "required tags were checked above");
    Algorithm alg = requireNonNull(Algorithm.of(a), "the algorithm was checked above");
    String d = requireNonNull(t.get("d"), "required tags were checked above");
    String s = requireNonNull(t.get("s"), "required tags were checked above");
    byte[] b =
        DkimSignature.base64(
            DkimTags.compact(requireNonNull(t.get("b"), "required tags were checked above")));
    if (b == null || b.length == 0) {
      why[0] = "its b= is empty or not base64.";
      return Result.NEUTRAL;
    }
    KeyLookup key = keys.apply(DomainName.of(d), s);
    String where = s + "._domainkey." + d.toLowerCase(Locale.ROOT);
    Result unusable = sealKeyProblem(key, alg, a, where, why);
    if (unusable != null) {
      return unusable;
    }
    DkimKeysReport.Key k =
        requireNonNull(requireNonNull(key, "checked above").key(), "a FOUND lookup has a key");
    if (SignatureVerifier.check(
        alg,
        requireNonNull(k.publicKey(), "a FOUND key has a public key"),
        sealedBlock(i, t).toArray(),
        b)) {
      why[0] = "it verifies (d=" + d + ", s=" + s + ").";
      return Result.PASS;
    }
    why[0] =
        "the signature over the ARC sets 1 to "
            + i
            + " does not verify with the key at "
            + where
            + ": an ARC header field was changed"
            + " or the seal was not made with that key.";
    return Result.FAIL;
  }

  /**
   * The tags of an ARC-Seal (RFC 8617 §4.1.3): the required ones present, no {@code h=}, a numeric
   * {@code t=}, an algorithm RFC 8301 allows, a domain name and a selector.
   *
   * @return the result when the seal cannot be verified, or {@code null} when its tags allow it
   */
  private static @Nullable Result sealTagsProblem(DkimTags t, String[] why) {
    if (t.problem() != null) {
      why[0] = "it is not a valid tag list: " + t.problem() + ".";
      return Result.NEUTRAL;
    }
    for (String r : List.of("a", "b", "cv", "d", "i", "s")) {
      if (t.get(r) == null) {
        why[0] = "it has no " + r + "= tag.";
        return Result.NEUTRAL;
      }
    }
    if (t.get("h") != null) {
      why[0] = "it has an h= tag, which an ARC-Seal must not have (RFC 8617 §4.1.3).";
      return Result.NEUTRAL;
    }
    String tv = t.get("t");
    if (tv != null
        && (tv.isEmpty() || tv.length() > 12 || !tv.chars().allMatch(c -> c >= '0' && c <= '9'))) {
      why[0] = "its t=" + TxtStrings.printable(tv, 20) + " is not a number of seconds.";
      return Result.NEUTRAL;
    }
    String a = requireNonNull(t.get("a"), "required tags were checked above");
    Algorithm alg = Algorithm.of(a);
    if (alg == null || alg == Algorithm.RSA_SHA1) {
      why[0] =
          "it uses a="
              + TxtStrings.printable(a, 30)
              + (alg == Algorithm.RSA_SHA1
                  ? ", which RFC 8301 forbids."
                  : ", an unknown algorithm.");
      return alg == null ? Result.NEUTRAL : Result.POLICY;
    }
    String d = requireNonNull(t.get("d"), "required tags were checked above");
    String s = requireNonNull(t.get("s"), "required tags were checked above");
    if (!DomainName.isValid(d)) {
      why[0] = "its d=" + TxtStrings.printable(d, 60) + " is not a domain name.";
      return Result.NEUTRAL;
    }
    if (!DkimSignature.validSelector(s)) {
      why[0] = "its s=" + TxtStrings.printable(s, 60) + " is not a selector.";
      return Result.NEUTRAL;
    }
    return null;
  }

  /**
   * The seal's key (RFC 6376 §6.1.2 as RFC 8617 §5.1.1 applies it): found, of the algorithm's type
   * and hash, and, for RSA, at least 1024 bits (RFC 8301 §3.2).
   *
   * @return the result when the key cannot verify the seal, or {@code null} when it can
   */
  private static @Nullable Result sealKeyProblem(
      @Nullable KeyLookup key, Algorithm alg, String a, String where, String[] why) {
    if (key == null || key.status() == DkimKeySource.Status.TEMPFAIL) {
      why[0] =
          "its key at "
              + where
              + " could not be looked up"
              + (key == null ? "." : ": " + key.detail() + ".");
      return Result.TEMPERROR;
    }
    if (key.status() != DkimKeySource.Status.FOUND) {
      why[0] = key.detail() + ".";
      return Result.PERMERROR;
    }
    DkimKeysReport.Key k = requireNonNull(key.key(), "a FOUND lookup has a key");
    if (alg.rsa != (k.keyType() == DkimKeysReport.Key.KeyType.RSA)
        || !k.allowsHash(alg.hashName())) {
      why[0] = "the key at " + where + " does not fit a=" + a + ".";
      return Result.PERMERROR;
    }
    if (alg.rsa && k.keyBits() < 1024) {
      why[0] =
          "its key at "
              + where
              + " has only "
              + k.keyBits()
              + " bits; verifiers must not accept keys under 1024 bits (RFC 8301 §3.2).";
      return Result.POLICY;
    }
    return null;
  }

  /**
   * What the seal of instance i signs (RFC 8617 §5.1.1): the sets 1 to i in relaxed header
   * canonicalization, each ARC-Authentication-Results, ARC-Message-Signature and (below i)
   * ARC-Seal, then this seal with its {@code b=} value emptied and no final CRLF.
   */
  private Bytes sealedBlock(int i, DkimTags t) {
    Bytes block = new Bytes(2048);
    for (int j = 1; j <= i; j++) {
      HeaderCanon.append(aar[j], true, true, block);
      HeaderCanon.append(ams[j].field(), true, true, block);
      if (j < i) {
        HeaderCanon.append(as[j], true, true, block);
      }
    }
    DkimTags.Tag bt = requireNonNull(t.tag("b"), "required tags were checked above");
    byte[] raw = as[i].raw();
    int colon = as[i].colon();
    int from = colon + 1 + bt.eq() + 1;
    int to = colon + 1 + bt.end();
    byte[] stripped = new byte[raw.length - (to - from)];
    System.arraycopy(raw, 0, stripped, 0, from);
    System.arraycopy(raw, to, stripped, from, raw.length - to);
    HeaderCanon.append(stripped, colon, true, false, block);
    return block;
  }

  /** The instance of an {@code i=} value, or -1. */
  private static int instanceOf(@Nullable String v) {
    if (v == null
        || v.isEmpty()
        || v.length() > 2
        || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    int i = Integer.parseInt(v);
    return i >= 1 ? i : -1;
  }

  /** The instance of an ARC-Authentication-Results ("i=N;" first, RFC 8617 §4.1.1), or -1. */
  private static int aarInstance(HeaderField f) {
    String v = f.rawValue();
    int k = 0;
    while (k < v.length() && DkimTags.fws(v.charAt(k))) {
      k++;
    }
    if (!v.startsWith("i", k)) {
      return -1;
    }
    k++;
    while (k < v.length() && DkimTags.fws(v.charAt(k))) {
      k++;
    }
    if (k >= v.length() || v.charAt(k) != '=') {
      return -1;
    }
    int semi = v.indexOf(';', k);
    if (semi < 0) {
      return -1;
    }
    return instanceOf(v.substring(k + 1, semi).strip());
  }

  /** The authserv-id and the rest of an ARC-Authentication-Results, unfolded. */
  private static String[] aarParts(HeaderField f) {
    String v = f.value();
    int semi = v.indexOf(';');
    String rest = semi < 0 ? "" : v.substring(semi + 1).strip();
    int end = 0;
    while (end < rest.length()
        && rest.charAt(end) != ';'
        && !Character.isWhitespace(rest.charAt(end))) {
      end++;
    }
    String id = rest.substring(0, end);
    String results = rest.substring(end).strip();
    if (results.startsWith(";")) {
      results = results.substring(1).strip();
    }
    return new String[] {id, results.replaceAll("\\s+", " ")};
  }

  private static String nz(@Nullable String s) {
    return s == null ? "" : s;
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
