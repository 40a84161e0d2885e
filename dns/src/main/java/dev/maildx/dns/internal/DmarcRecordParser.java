package dev.maildx.dns.internal;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.Verdict;
import dev.maildx.report.DmarcRecord;
import dev.maildx.report.DmarcRecord.Alignment;
import dev.maildx.report.DmarcRecord.Policy;
import dev.maildx.report.DmarcRecord.Psd;
import dev.maildx.report.DmarcReport;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses and lints one DMARC Policy Record (RFC 9989 §4.7–4.8, RFC 7489 §6.3). Never throws on
 * record text: every problem becomes a {@link Finding} quoting the offending text, and the parsed
 * {@link DmarcRecord} carries defaults in place of what was wrong (RFC 9989 §4.8).
 *
 * <p>Findings: the record-level codes of {@link DmarcReport.Code}.
 *
 * <p>Thread-safe (stateless).
 */
public final class DmarcRecordParser {
  /** The most tags read from one record. */
  public static final int MAX_TAGS = 64;

  /** The most URIs read from one {@code rua} or {@code ruf}. */
  public static final int MAX_URIS = 16;

  private static final int QUOTE = 200;

  private static final Pattern VERSION = Pattern.compile("^[vV][ \\t]*=[ \\t]*DMARC1[ \\t]*(;|$)");
  private static final Pattern NEAR_VERSION =
      Pattern.compile("(^|;)\\s*v\\s*=\\s*dmarc", Pattern.CASE_INSENSITIVE);
  private static final Pattern SPF =
      Pattern.compile("^\\s*v\\s*=\\s*spf1(\\s|$)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE = Pattern.compile("^(.*)!([0-9]+)([kmgtKMGT]?)$");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
  private static final Set<String> KNOWN =
      Set.of(
          "v", "p", "sp", "np", "adkim", "aspf", "pct", "rua", "ruf", "fo", "rf", "ri", "t", "psd");

  private DmarcRecordParser() {}

  /** What a TXT record at a {@code _dmarc} name is. */
  public enum Kind {
    /** A DMARC Policy Record: starts with {@code v=DMARC1}. */
    DMARC,
    /** Starts with white space, then {@code v=DMARC1}: receivers discard it. */
    LEADING_WHITESPACE,
    /** Mentions {@code v=DMARC...} but not exactly {@code v=DMARC1} first: receivers discard it. */
    BAD_VERSION,
    /** An SPF record published where the DMARC record belongs. */
    SPF,
    /** Anything else (unrelated TXT data). */
    OTHER
  }

  /**
   * A parsed record with its findings.
   *
   * @param record the record, defaults in place of invalid values
   * @param findings the record-level findings, in order
   */
  public record Parsed(DmarcRecord record, List<Finding> findings) {
    /** Copies. */
    public Parsed {
      findings = List.copyOf(findings);
    }
  }

  /**
   * Says what a TXT record found at a {@code _dmarc} name is.
   *
   * @param text the TXT record (character-strings joined)
   * @return its kind
   */
  public static Kind classify(String text) {
    if (VERSION.matcher(text).find()) {
      return Kind.DMARC;
    }
    if (!text.isEmpty()
        && Character.isWhitespace(text.charAt(0))
        && VERSION.matcher(text.strip()).find()) {
      return Kind.LEADING_WHITESPACE;
    }
    if (NEAR_VERSION.matcher(text).find()) {
      return Kind.BAD_VERSION;
    }
    if (SPF.matcher(text).find()) {
      return Kind.SPF;
    }
    return Kind.OTHER;
  }

  /**
   * Parses and lints a record that {@link #classify} called {@link Kind#DMARC}.
   *
   * @param text the record
   * @param check the check name for the findings
   * @param domain the domain the record was published for (for messages)
   * @return the record and its findings
   */
  public static Parsed parse(String text, String check, DomainName domain) {
    return new Run(text, check, domain).parse();
  }

  private static final class Run {
    final String text;
    final String check;
    final DomainName domain;
    final List<Finding> findings = new ArrayList<>();
    final Map<String, String> tags = new LinkedHashMap<>();

    /** Historic tags whose value RFC 7489 would reject, with what RFC 7489 receivers do then. */
    final Map<String, String> rfc7489Invalid = new LinkedHashMap<>();

    final List<String> order = new ArrayList<>();

    Run(String text, String check, DomainName domain) {
      this.text = text;
      this.check = check;
      this.domain = domain;
    }

    Parsed parse() {
      tags.put("v", "DMARC1");
      readTags();

      List<String> rua = uris("rua");
      List<String> ruf = uris("ruf");
      Policy p = policy("p");
      Policy sp = policy("sp");
      Policy np = policy("np");
      boolean pValid = p != null;
      boolean spValid = !tags.containsKey("sp") || sp != null;
      boolean npValid = !tags.containsKey("np") || np != null;
      boolean usable = true;
      Policy policy = p == null ? Policy.NONE : p;
      if (!pValid || !spValid || !npValid) {
        if (!rua.isEmpty()) {
          policy = Policy.NONE;
          sp = null;
          np = null;
        } else {
          usable = false;
          policy = Policy.NONE;
        }
      }
      policyFindings(usable);

      Alignment adkim = alignment("adkim");
      Alignment aspf = alignment("aspf");
      int pct = pct();
      List<String> fo = fo(!ruf.isEmpty());
      String rf = rf();
      Duration ri = ri();
      boolean testing = yesNo("t");
      Psd psd = psd();
      reportRemovedTags();
      DmarcRecord record =
          new DmarcRecord(
              text, tags, policy, sp, np, adkim, aspf, pct, rua, ruf, fo, rf, ri, testing, psd,
              usable);
      if (usable) {
        lintPolicy(record);
      }
      return new Parsed(record, findings);
    }

    /**
     * Whether the record states a policy receivers apply (RFC 9989 §4.10.1: without p, or with an
     * invalid p, sp or np, only a valid rua keeps the record, as p=none) and where p stands.
     */
    private void policyFindings(boolean usable) {
      if (!tags.containsKey("p")) {
        findings.add(
            Finding.warning(
                    DmarcReport.Code.DMARC_P_MISSING,
                    check,
                    "The DMARC record of "
                        + domain
                        + " has no policy tag p. "
                        + (usable
                            ? "RFC 9989 receivers read it as p=none because it has a valid rua; RFC 7489 required p."
                            : "Without a valid rua either, receivers apply no DMARC at all."))
                .evidence("domain", domain)
                .evidence("record", q(text))
                .rfc("RFC 9989 §4.10.1")
                .build());
      }
      if (!usable) {
        findings.add(
            Finding.error(
                    DmarcReport.Code.DMARC_NO_POLICY,
                    check,
                    "The DMARC record of "
                        + domain
                        + " states no valid policy "
                        + "(p, sp or np missing or invalid) and no valid rua, so receivers apply no DMARC processing: the domain is unprotected "
                        + "and mailbox providers that require DMARC treat it as having none.")
                .effect(Verdict.AT_RISK)
                .evidence("domain", domain)
                .evidence("record", q(text))
                .rfc("RFC 9989 §4.10.1")
                .build());
      } else if (tags.containsKey("p") && !order.isEmpty() && !order.get(0).equals("p")) {
        findings.add(
            Finding.warning(
                    DmarcReport.Code.DMARC_P_NOT_SECOND,
                    check,
                    "In the DMARC record of "
                        + domain
                        + " the p tag does not immediately "
                        + "follow the v tag. RFC 9989 allows any order, but RFC 7489 required p second and some older receivers ignore such a record.")
                .evidence("domain", domain)
                .evidence("record", q(text))
                .rfc("RFC 7489 §6.4")
                .build());
      }
    }

    /** Reads the tag=value pairs after v (RFC 9989 §4.7), reporting what is not one. */
    private void readTags() {
      String[] parts = text.split(";", MAX_TAGS + 2);
      for (int i = 1; i < parts.length; i++) {
        String part = wsp(parts[i]);
        if (part.isEmpty()) {
          continue;
        }
        if (i > MAX_TAGS) {
          syntax(part, "the record has more than " + MAX_TAGS + " parts; the rest is ignored");
          break;
        }
        int eq = part.indexOf('=');
        if (eq < 0) {
          syntax(part, "\"" + q(part) + "\" is not a tag=value pair; it is ignored");
          continue;
        }
        String name = wsp(part.substring(0, eq));
        String value = wsp(part.substring(eq + 1));
        if (name.isEmpty()
            || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
          syntax(
              part,
              "\"" + q(part) + "\" does not start with a tag name (letters only); it is ignored");
          continue;
        }
        if (!value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
          syntax(
              part,
              "the value of \""
                  + q(name)
                  + "\" contains characters other than printable ASCII; the tag is ignored");
          continue;
        }
        String key = name.toLowerCase(Locale.ROOT);
        if (tags.containsKey(key)) {
          findings.add(
              Finding.error(
                      DmarcReport.Code.DMARC_DUPLICATE_TAG,
                      check,
                      "The DMARC record of "
                          + domain
                          + " has the tag \""
                          + key
                          + "\" more than once (\""
                          + q(part)
                          + "\"); receivers differ on which value counts, and some discard the record.")
                  .evidence("domain", domain)
                  .evidence("record", q(text))
                  .evidence("tag", key)
                  .evidence("text", q(part))
                  .rfc("RFC 9989 §4.7")
                  .build());
          continue;
        }
        tags.put(key, value);
        order.add(key);
        if (!KNOWN.contains(key)) {
          findings.add(
              Finding.warning(
                      DmarcReport.Code.DMARC_UNKNOWN_TAG,
                      check,
                      "The DMARC record of "
                          + domain
                          + " has the unknown tag \""
                          + q(part)
                          + "\"; receivers ignore it."
                          + hint(key))
                  .evidence("domain", domain)
                  .evidence("record", q(text))
                  .evidence("tag", key)
                  .evidence("text", q(part))
                  .rfc("RFC 9989 §4.7")
                  .build());
        }
      }
    }

    /** pct, rf and ri are historic in RFC 9989 (its tag registry) and still read by RFC 7489. */
    private void reportRemovedTags() {
      for (String removed : List.of("pct", "rf", "ri")) {
        if (tags.containsKey(removed)) {
          // RFC 9989 §4.7 gives rf and ri no meaning, so their values are not errors of the record;
          // RFC 7489 §6.3 still reads them, and what its receivers do with an invalid one is said.
          String invalid7489 = rfc7489Invalid.get(removed);
          findings.add(
              Finding.info(
                      DmarcReport.Code.DMARC_TAG_REMOVED,
                      check,
                      "The "
                          + removed
                          + " tag was removed in RFC 9989 (\""
                          + removed
                          + "="
                          + q(tags.get(removed))
                          + "\"); RFC 9989 receivers ignore it, "
                          + (invalid7489 == null
                              ? "RFC 7489 receivers still honour it."
                              : "RFC 7489 receivers read it, but "
                                  + invalid7489
                                  + " (RFC 7489 §6.3)."))
                  .evidence("domain", domain)
                  .evidence("record", q(text))
                  .evidence("tag", removed)
                  .evidence("value", q(tags.get(removed)))
                  .evidence("rfc7489", invalid7489 == null ? "valid" : "invalid")
                  .rfc(invalid7489 == null ? "RFC 9989 Appendix C.5.2" : "RFC 7489 §6.3")
                  .build());
        }
      }
    }

    /** What an applied policy means for the mail of the domain, tag by tag (RFC 9989 §4.7). */
    private void lintPolicy(DmarcRecord r) {
      lintPct(r);
      lintMonitoring(r);
      lintSubdomainPolicy(r);
      lintNonExistentPolicy(r);
      lintTesting(r);
      lintStrictAlignment(r);
    }

    /** pct is historic (RFC 9989 Appendix A.6) but still read by RFC 7489 receivers. */
    private void lintPct(DmarcRecord r) {
      if (r.percent() < 100) {
        findings.add(
            Finding.warning(
                    DmarcReport.Code.DMARC_PCT_PARTIAL,
                    check,
                    "The DMARC record of "
                        + domain
                        + " has pct="
                        + r.percent()
                        + ": RFC 7489 receivers apply p="
                        + r.policy().tagValue()
                        + " to only "
                        + r.percent()
                        + "% of failing mail and the next lower "
                        + "policy to the rest; RFC 9989 receivers ignore pct"
                        + (r.percent() == 0
                            ? " (pct=0 is read by some intermediaries as t=y)."
                            : ".")
                        + " Use t=y for testing instead.")
                .evidence("domain", domain)
                .evidence("record", q(text))
                .evidence("pct", r.percent())
                .rfc("RFC 9989 Appendix A.6")
                .build());
      }
    }

    /** p=none asks for reports only (RFC 9989 §3.2.12); rua is where they go (§5.1.3, §5.1.4). */
    private void lintMonitoring(DmarcRecord r) {
      if (r.policy() == Policy.NONE) {
        if (r.aggregateReportUris().isEmpty()) {
          findings.add(
              Finding.warning(
                      DmarcReport.Code.DMARC_POLICY_NONE_NO_RUA,
                      check,
                      "The DMARC record of "
                          + domain
                          + " has p=none and no rua: it "
                          + "neither protects the domain nor asks for reports, so it does nothing. Add rua=mailto:... to learn who sends as "
                          + domain
                          + ", then move to quarantine or reject.")
                  .evidence("domain", domain)
                  .evidence("record", q(text))
                  .rfc("RFC 9989 §5.1.4")
                  .build());
        } else {
          findings.add(
              Finding.info(
                      DmarcReport.Code.DMARC_POLICY_NONE,
                      check,
                      "The DMARC record of "
                          + domain
                          + " has p=none (monitoring mode): receivers "
                          + "send reports but deliver mail that fails DMARC, including spoofed mail.")
                  .evidence("domain", domain)
                  .evidence("record", q(text))
                  .rfc("RFC 9989 §3.2.12")
                  .build());
        }
      } else if (r.aggregateReportUris().isEmpty()) {
        findings.add(
            Finding.info(
                    DmarcReport.Code.DMARC_NO_RUA,
                    check,
                    "The DMARC record of "
                        + domain
                        + " enforces p="
                        + r.policy().tagValue()
                        + " but has no rua: nobody sees the aggregate reports, so legitimate mail that fails DMARC goes unnoticed.")
                .evidence("domain", domain)
                .evidence("record", q(text))
                .rfc("RFC 9989 §5.1.3")
                .build());
      }
    }

    /** sp weaker than p leaves the subdomains less protected (RFC 9989 §4.7). */
    private void lintSubdomainPolicy(DmarcRecord r) {
      if (r.subdomainPolicy() != null && r.subdomainPolicy().compareTo(r.policy()) < 0) {
        findings.add(
            Finding.warning(
                    DmarcReport.Code.DMARC_SUBDOMAIN_POLICY_WEAKER,
                    check,
                    "The DMARC record of "
                        + domain
                        + " has an sp tag value of "
                        + r.subdomainPolicy().tagValue()
                        + ", weaker than p="
                        + r.policy().tagValue()
                        + ": mail from subdomains of "
                        + domain
                        + " can be spoofed more easily than mail from "
                        + domain
                        + " itself.")
                .evidence("domain", domain)
                .evidence("record", q(text))
                .evidence("p", r.policy().tagValue())
                .evidence("sp", r.subdomainPolicy().tagValue())
                .rfc("RFC 9989 §4.7")
                .build());
      }
    }

    /** np weaker than p leaves the non-existent subdomains less protected (RFC 9989 §4.7). */
    private void lintNonExistentPolicy(DmarcRecord r) {
      if (r.nonExistentPolicy() != null && r.nonExistentPolicy().compareTo(r.policy()) < 0) {
        findings.add(
            Finding.warning(
                    DmarcReport.Code.DMARC_NP_WEAKER,
                    check,
                    "The DMARC record of "
                        + domain
                        + " has np="
                        + r.nonExistentPolicy().tagValue()
                        + ", weaker than p="
                        + r.policy().tagValue()
                        + ": mail from made-up subdomains of "
                        + domain
                        + " is treated more leniently than mail from "
                        + domain
                        + " itself.")
                .evidence("domain", domain)
                .evidence("record", q(text))
                .evidence("p", r.policy().tagValue())
                .evidence("np", r.nonExistentPolicy().tagValue())
                .rfc("RFC 9989 §4.7")
                .build());
      }
    }

    /** t=y applies the policy one level lower (RFC 9989 §4.7). */
    private void lintTesting(DmarcRecord r) {
      if (r.testing()) {
        findings.add(
            Finding.warning(
                    DmarcReport.Code.DMARC_TESTING,
                    check,
                    "The DMARC record of "
                        + domain
                        + " has t=y (testing): receivers apply "
                        + (r.policy() == Policy.NONE
                            ? "no policy"
                            : "p="
                                + r.policy().downgraded().tagValue()
                                + " instead of p="
                                + r.policy().tagValue())
                        + " to failing mail.")
                .evidence("domain", domain)
                .evidence("record", q(text))
                .rfc("RFC 9989 §4.7")
                .build());
      }
    }

    /** adkim=s or aspf=s: only identical domains align (RFC 9989 §4.4). */
    private void lintStrictAlignment(DmarcRecord r) {
      if (r.dkimAlignment() == Alignment.STRICT || r.spfAlignment() == Alignment.STRICT) {
        String which =
            r.dkimAlignment() == Alignment.STRICT && r.spfAlignment() == Alignment.STRICT
                ? "adkim=s and aspf=s"
                : r.dkimAlignment() == Alignment.STRICT ? "adkim=s" : "aspf=s";
        findings.add(
            Finding.info(
                    DmarcReport.Code.DMARC_STRICT_ALIGNMENT,
                    check,
                    "The DMARC record of "
                        + domain
                        + " asks for strict alignment ("
                        + which
                        + "): a DKIM d= or SPF MAIL FROM domain must equal the From domain exactly; a subdomain (as many mail providers use for "
                        + "bounces) does not align.")
                .evidence("domain", domain)
                .evidence("record", q(text))
                .rfc("RFC 9989 §4.4")
                .build());
      }
    }

    private @Nullable Policy policy(String tag) {
      String v = tags.get(tag);
      if (v == null) {
        return null;
      }
      switch (v.toLowerCase(Locale.ROOT)) {
        case "none":
          return Policy.NONE;
        case "quarantine":
          return Policy.QUARANTINE;
        case "reject":
          return Policy.REJECT;
        default:
          invalid(
              tag,
              v,
              "none, quarantine or reject",
              tag.equals("p")
                  ? "the record then reads as p=none if it has a valid rua, "
                      + "else receivers ignore it"
                  : "the whole record then reads as p=none if it has a valid rua, else receivers ignore it");
          return null;
      }
    }

    private Alignment alignment(String tag) {
      String v = tags.get(tag);
      if (v == null) {
        return Alignment.RELAXED;
      }
      switch (v.toLowerCase(Locale.ROOT)) {
        case "r":
          return Alignment.RELAXED;
        case "s":
          return Alignment.STRICT;
        default:
          invalid(tag, v, "r or s", "relaxed alignment applies");
          return Alignment.RELAXED;
      }
    }

    private int pct() {
      String v = tags.get("pct");
      if (v == null) {
        return 100;
      }
      if (v.length() <= 3
          && !v.isEmpty()
          && v.chars().allMatch(c -> c >= '0' && c <= '9')
          && Integer.parseInt(v) <= 100) {
        return Integer.parseInt(v);
      }
      invalid("pct", v, "an integer from 0 to 100", "100 applies");
      return 100;
    }

    /**
     * {@code ri}: a 32-bit unsigned integer of seconds (RFC 7489 §6.3); anything else is reported
     * and the default of one day applies (RFC 7489 §6.3: syntax errors fall back to the default).
     */
    private Duration ri() {
      String v = tags.get("ri");
      if (v == null) {
        return Duration.ofDays(1);
      }
      if (!v.isEmpty()
          && v.length() <= 10
          && v.chars().allMatch(c -> c >= '0' && c <= '9')
          && Long.parseLong(v) <= 0xFFFF_FFFFL) {
        return Duration.ofSeconds(Long.parseLong(v));
      }
      rfc7489Invalid.put(
          "ri",
          "\""
              + q(v)
              + "\" is not a number of seconds from 0 to 4294967295, so they use the default of 86400");
      return Duration.ofDays(1);
    }

    /**
     * {@code rf}: a colon-separated list of report formats registered with IANA, of which there is
     * one, {@code afrf} (RFC 7489 §6.3 and §11.5). A receiver ignores a value not in the registry
     * (RFC 7489 §6.3 SHOULD); each one is reported, and without a registered one the default {@code
     * afrf} applies.
     */
    private String rf() {
      String v = tags.get("rf");
      if (v == null) {
        return "afrf";
      }
      List<String> unknown = new ArrayList<>();
      for (String format : v.split(":", -1)) {
        String f = format.strip();
        if (!f.equalsIgnoreCase("afrf")) {
          unknown.add("\"" + q(f) + "\"");
        }
      }
      if (!unknown.isEmpty()) {
        rfc7489Invalid.put(
            "rf",
            String.join(", ", unknown)
                + (unknown.size() == 1
                    ? " is not a registered report format"
                    : " are not registered report formats")
                + " (afrf), so they ignore it and may ignore the whole record");
      }
      return "afrf";
    }

    private boolean yesNo(String tag) {
      String v = tags.get(tag);
      if (v == null) {
        return false;
      }
      String l = v.toLowerCase(Locale.ROOT);
      if (l.equals("y") || l.equals("n")) {
        return l.equals("y");
      }
      invalid(tag, v, "y or n", "n applies");
      return false;
    }

    private Psd psd() {
      String v = tags.get("psd");
      if (v == null) {
        return Psd.U;
      }
      switch (v.toLowerCase(Locale.ROOT)) {
        case "y":
          return Psd.Y;
        case "n":
          return Psd.N;
        case "u":
          return Psd.U;
        default:
          invalid("psd", v, "y, n or u", "u applies");
          return Psd.U;
      }
    }

    private List<String> fo(boolean hasRuf) {
      String v = tags.get("fo");
      if (v == null) {
        return List.of("0");
      }
      Set<String> out = new LinkedHashSet<>();
      List<String> bad = new ArrayList<>();
      for (String t : v.split(":", -1)) {
        String o = wsp(t).toLowerCase(Locale.ROOT);
        if (o.equals("0") || o.equals("1") || o.equals("d") || o.equals("s")) {
          out.add(o);
        } else {
          bad.add(wsp(t));
        }
      }
      if (!bad.isEmpty()) {
        invalid(
            "fo",
            v,
            "a colon-separated list of 0, 1, d and s",
            bad.size() == v.split(":", -1).length ? "0 applies" : "the other options apply");
      }
      if (out.contains("0") && out.contains("1")) {
        findings.add(
            Finding.warning(
                    DmarcReport.Code.DMARC_FO_CONFLICT,
                    check,
                    "The DMARC record of "
                        + domain
                        + " has fo="
                        + q(v)
                        + ": 0 and 1 are "
                        + "mutually exclusive, and 1 (report any failure) makes 0 redundant.")
                .evidence("domain", domain)
                .evidence("record", q(text))
                .evidence("value", q(v))
                .rfc("RFC 9989 §4.7")
                .build());
      }
      if (!hasRuf) {
        findings.add(
            Finding.info(
                    DmarcReport.Code.DMARC_FO_WITHOUT_RUF,
                    check,
                    "The DMARC record of "
                        + domain
                        + " has fo="
                        + q(v)
                        + " but no ruf; fo is ignored without ruf.")
                .evidence("domain", domain)
                .evidence("record", q(text))
                .rfc("RFC 9989 §4.7")
                .build());
      }
      return out.isEmpty() ? List.of("0") : List.copyOf(out);
    }

    private List<String> uris(String tag) {
      String v = tags.get(tag);
      if (v == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      String[] items = v.split(",", MAX_URIS + 1);
      boolean sized = false;
      for (int i = 0; i < items.length; i++) {
        String u = wsp(items[i]);
        if (i >= MAX_URIS) {
          invalidUri(tag, u, "more than " + MAX_URIS + " URIs; the rest are ignored");
          break;
        }
        Matcher m = SIZE.matcher(u);
        if (m.matches()) {
          u = m.group(1);
          sized = true;
        }
        String problem = uriProblem(u);
        if (problem != null) {
          invalidUri(tag, u, problem);
          continue;
        }
        String scheme = u.substring(0, u.indexOf(':')).toLowerCase(Locale.ROOT);
        if (!scheme.equals("mailto")) {
          findings.add(
              Finding.warning(
                      DmarcReport.Code.DMARC_REPORT_URI_UNSUPPORTED,
                      check,
                      "The "
                          + tag
                          + " URI \""
                          + q(u)
                          + "\" of "
                          + domain
                          + " uses the scheme "
                          + scheme
                          + ":; receivers need only support mailto:, so most will not send reports there.")
                  .evidence("domain", domain)
                  .evidence("record", q(text))
                  .evidence("tag", tag)
                  .evidence("uri", q(u))
                  .rfc("RFC 9989 §4.7")
                  .build());
        }
        out.add(u);
      }
      if (sized) {
        findings.add(
            Finding.info(
                    DmarcReport.Code.DMARC_REPORT_URI_SIZE_OBSOLETE,
                    check,
                    "The "
                        + tag
                        + " tag of "
                        + domain
                        + " uses the \"!size\" suffix ("
                        + q(v)
                        + "), obsolete syntax that RFC 9989 receivers ignore.")
                .evidence("domain", domain)
                .evidence("record", q(text))
                .evidence("tag", tag)
                .rfc("RFC 9989 §4.8")
                .build());
      }
      return out;
    }

    private static @Nullable String uriProblem(String u) {
      if (u.isEmpty()) {
        return "it is empty";
      }
      if (!SCHEME.matcher(u).find()) {
        return "it has no scheme (write mailto:"
            + (u.indexOf('@') > 0 ? u : "address@example.com")
            + ")";
      }
      try {
        new URI(u);
      } catch (URISyntaxException e) {
        return "it is not a valid URI: " + e.getReason();
      }
      if (u.regionMatches(true, 0, "mailto:", 0, 7)) {
        String addr = u.substring(7);
        int q = addr.indexOf('?');
        if (q >= 0) {
          addr = addr.substring(0, q);
        }
        int at = addr.lastIndexOf('@');
        if (at <= 0 || !DomainName.isValid(addr.substring(at + 1))) {
          return "mailto: needs an address with a valid domain";
        }
      }
      return null;
    }

    private void invalidUri(String tag, String u, String problem) {
      findings.add(
          Finding.warning(
                  DmarcReport.Code.DMARC_INVALID_REPORT_URI,
                  check,
                  "The "
                      + tag
                      + " entry \""
                      + q(u)
                      + "\" of the DMARC record of "
                      + domain
                      + " is not a valid reporting URI: "
                      + problem
                      + ".")
              .evidence("domain", domain)
              .evidence("record", q(text))
              .evidence("tag", tag)
              .evidence("uri", q(u))
              .rfc("RFC 9989 §4.8")
              .build());
    }

    private void invalid(String tag, String value, String allowed, String consequence) {
      findings.add(
          Finding.warning(
                  DmarcReport.Code.DMARC_INVALID_TAG_VALUE,
                  check,
                  "The DMARC record of "
                      + domain
                      + " has "
                      + tag
                      + "="
                      + q(value)
                      + ", but "
                      + tag
                      + " must be "
                      + allowed
                      + "; "
                      + consequence
                      + ".")
              .evidence("domain", domain)
              .evidence("record", q(text))
              .evidence("tag", tag)
              .evidence("value", q(value))
              .rfc("RFC 9989 §4.7")
              .build());
    }

    private void syntax(String part, String message) {
      findings.add(
          Finding.warning(
                  DmarcReport.Code.DMARC_SYNTAX_ERROR,
                  check,
                  "Syntax error in the DMARC record of " + domain + ": " + message + ".")
              .evidence("domain", domain)
              .evidence("record", q(text))
              .evidence("text", q(part))
              .rfc("RFC 9989 §4.8")
              .build());
    }

    private static String hint(String tag) {
      switch (tag) {
        case "ruv":
        case "rue":
        case "ru":
          return " Did you mean rua or ruf?";
        case "policy":
          return " Did you mean p?";
        case "subdomain":
          return " Did you mean sp?";
        default:
          return "";
      }
    }
  }

  /**
   * Trims the white space the ABNF allows around tags and values (WSP; CR and LF too, leniently).
   */
  static String wsp(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isWsp(s.charAt(a))) {
      a++;
    }
    while (b > a && isWsp(s.charAt(b - 1))) {
      b--;
    }
    return s.substring(a, b);
  }

  private static boolean isWsp(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  static String q(String s) {
    return TxtStrings.printable(s, QUOTE);
  }
}
