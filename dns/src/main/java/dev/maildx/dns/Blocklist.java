package dev.maildx.dns;

import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.report.DnsblReport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DNS blocklist (RFC 5782): its zone, whether it lists IP addresses or domains, and what its
 * return codes mean.
 *
 * <p>A listing is an A record in 127.0.0.0/8 (RFC 5782 §2.1); {@code codes} maps the documented
 * ones to their meaning, {@code errorCodes} those that say the query itself was refused (for
 * example Spamhaus' 127.255.255.254 for queries through public resolvers). An answer outside
 * 127.0.0.0/8 is not a listing: the list is broken or its domain has lapsed and is parked.
 *
 * <p>The {@linkplain #defaults() defaults} are public lists with their own terms of use, which the
 * user of maildx must respect:
 *
 * <ul>
 *   <li><b>Spamhaus ZEN and DBL</b> ({@code zen.spamhaus.org}, {@code dbl.spamhaus.org}): free only
 *       for low-volume, non-commercial use and not through public resolvers (8.8.8.8, 1.1.1.1 and
 *       the like get 127.255.255.254); commercial use needs a Spamhaus Data Query Service key (use
 *       its own zones through {@link #ip} and {@link #domain}).
 *   <li><b>SpamCop</b> ({@code bl.spamcop.net}): free; SpamCop advises it for scoring rather than
 *       outright rejection.
 *   <li><b>Barracuda</b> ({@code b.barracudacentral.org}): free, but queries are answered only for
 *       DNS servers registered at barracudacentral.org; unregistered ones get no answer.
 * </ul>
 *
 * Each diagnosis with a sending IP makes one query per IP list (two if listed: the TXT reason), and
 * one per domain list for the sender domain. Lists are queried through the configured DNS server,
 * as a mail server would.
 *
 * @param name a human name, for example {@code Spamhaus ZEN}
 * @param zone the DNS zone queried, for example {@code zen.spamhaus.org}
 * @param kind whether it lists IP addresses or domains
 * @param ipv6 whether it lists IPv6 addresses (ignored for domain lists)
 * @param codes return code (an address in 127.0.0.0/8, as a literal) to its meaning
 * @param errorCodes return codes that mean the query was refused or malformed, to their meaning
 * @param usage a short note on the list's terms of use
 */
public record Blocklist(
    String name,
    String zone,
    DnsblReport.Result.Kind kind,
    boolean ipv6,
    Map<String, String> codes,
    Map<String, String> errorCodes,
    String usage) {

  /** Spamhaus ZEN: SBL, CSS, DROP, XBL and PBL in one IP list. */
  public static final Blocklist SPAMHAUS_ZEN =
      new Blocklist(
          "Spamhaus ZEN",
          "zen.spamhaus.org",
          DnsblReport.Result.Kind.IP,
          true,
          ordered(
              "127.0.0.2",
              "SBL: a spam source or spam operation (Spamhaus Block List)",
              "127.0.0.3",
              "SBL CSS: a snowshoe spam source, listed automatically",
              "127.0.0.4",
              "XBL: an exploited or infected host, part of a botnet (Exploits Block List, CBL data)",
              "127.0.0.9",
              "SBL DROP: a network hijacked or leased by spammers",
              "127.0.0.10",
              "PBL (ISP maintained): an end-user address range that should not send mail directly to the Internet",
              "127.0.0.11",
              "PBL (Spamhaus maintained): an end-user address range that should not send mail directly to the Internet",
              "127.0.0.30",
              "BCL: a botnet controller"),
          spamhausErrors(),
          "free for low-volume non-commercial use only, never through public resolvers; commercial use needs a Spamhaus DQS key");

  /** Spamhaus DBL: domains with a bad reputation. */
  public static final Blocklist SPAMHAUS_DBL =
      new Blocklist(
          "Spamhaus DBL",
          "dbl.spamhaus.org",
          DnsblReport.Result.Kind.DOMAIN,
          false,
          ordered(
              "127.0.1.2",
              "a domain with a low reputation (spam)",
              "127.0.1.4",
              "a phishing domain",
              "127.0.1.5",
              "a malware domain",
              "127.0.1.6",
              "a botnet command-and-control domain",
              "127.0.1.102",
              "an abused legitimate domain used in spam",
              "127.0.1.103",
              "an abused legitimate redirector or URL shortener",
              "127.0.1.104",
              "an abused legitimate domain used for phishing",
              "127.0.1.105",
              "an abused legitimate domain used for malware",
              "127.0.1.106",
              "an abused legitimate domain hosting botnet command and control"),
          merge(
              spamhausErrors(),
              ordered("127.0.1.255", "error: IP address queried on a domain list")),
          "free for low-volume non-commercial use only, never through public resolvers; commercial use needs a Spamhaus DQS key");

  /** SpamCop Blocking List. */
  public static final Blocklist SPAMCOP =
      new Blocklist(
          "SpamCop",
          "bl.spamcop.net",
          DnsblReport.Result.Kind.IP,
          false,
          ordered("127.0.0.2", "reported by SpamCop users as a source of spam"),
          Map.of(),
          "free; SpamCop advises using it for scoring rather than rejecting outright");

  /** Barracuda Reputation Block List. */
  public static final Blocklist BARRACUDA =
      new Blocklist(
          "Barracuda BRBL",
          "b.barracudacentral.org",
          DnsblReport.Result.Kind.IP,
          false,
          ordered(
              "127.0.0.2",
              "poor sending reputation by Barracuda Central (Barracuda Reputation Block List)"),
          Map.of(),
          "free, but answers only DNS servers registered at barracudacentral.org");

  /** Validates and copies. */
  public Blocklist {
    requireNonNull(name, "name");
    requireNonNull(zone, "zone");
    requireNonNull(kind, "kind");
    codes = Collections.unmodifiableMap(new LinkedHashMap<>(codes));
    errorCodes = Collections.unmodifiableMap(new LinkedHashMap<>(errorCodes));
    requireNonNull(usage, "usage");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a blocklist needs a name");
    }
    if (!DomainName.isValid(zone)) {
      throw new IllegalArgumentException(
          "blocklist zone \"" + zone + "\" is not a valid domain name");
    }
    zone = DomainName.of(zone).ascii();
    for (String c : codes.keySet()) {
      requireLoopbackCode(c);
    }
    for (String c : errorCodes.keySet()) {
      requireLoopbackCode(c);
    }
  }

  /**
   * An IP blocklist with its own return codes (for example a Spamhaus DQS zone, or a private list).
   *
   * @param name a human name
   * @param zone the zone
   * @param ipv6 whether it lists IPv6 addresses
   * @param codes return code to meaning; codes not in the map still count as listings
   * @return the list
   */
  public static Blocklist ip(String name, String zone, boolean ipv6, Map<String, String> codes) {
    return new Blocklist(name, zone, DnsblReport.Result.Kind.IP, ipv6, codes, Map.of(), "");
  }

  /**
   * A domain blocklist with its own return codes.
   *
   * @param name a human name
   * @param zone the zone
   * @param codes return code to meaning
   * @return the list
   */
  public static Blocklist domain(String name, String zone, Map<String, String> codes) {
    return new Blocklist(name, zone, DnsblReport.Result.Kind.DOMAIN, false, codes, Map.of(), "");
  }

  /**
   * The lists maildx checks unless told otherwise: Spamhaus ZEN, SpamCop and Barracuda for the
   * sending IP, Spamhaus DBL for the sender domain. Mind their terms of use (see above).
   *
   * @return the default lists
   */
  public static List<Blocklist> defaults() {
    return List.of(SPAMHAUS_ZEN, SPAMCOP, BARRACUDA, SPAMHAUS_DBL);
  }

  /**
   * What a return code means by this list.
   *
   * @param code an address literal such as {@code 127.0.0.2}
   * @return its documented meaning, or a generic one for an undocumented code
   */
  public String meaning(String code) {
    String m = codes.get(code);
    if (m != null) {
      return m;
    }
    m = errorCodes.get(code);
    return m != null ? m : "listed (return code " + code + " is not documented by " + name + ")";
  }

  private static void requireLoopbackCode(String c) {
    if (!c.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
      throw new IllegalArgumentException(
          "blocklist return codes are addresses in 127.0.0.0/8, was \"" + c + "\"");
    }
  }

  private static Map<String, String> spamhausErrors() {
    return ordered(
        "127.255.255.252",
        "error: typing error in the DNSBL name",
        "127.255.255.254",
        "error: query through a public or open resolver, refused by Spamhaus",
        "127.255.255.255",
        "error: too many queries from this resolver (rate limited)");
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new LinkedHashMap<>(a);
    m.putAll(b);
    return m;
  }

  /**
   * @return for example {@code Spamhaus ZEN (zen.spamhaus.org)}
   */
  @Override
  public String toString() {
    return name + " (" + zone + ")";
  }
}
