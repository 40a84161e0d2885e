package dev.maildx.benchmarks;

import dev.maildx.DeliveryQuestion;
import dev.maildx.testkit.MockDnsServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The domains of the scale driver and the side-by-side comparison: {@code n} registrable domains
 * {@code dN.test} with a realistic mix of mail records, generated from a seed, and one question per
 * domain (mail from {@code alice@dN.test}, sent from a given IP, to {@code bob@dN.test}).
 *
 * <p>The mix, per domain: 1 to 3 MX hosts with A (and often AAAA) records, forward-confirmed PTR
 * records for most of their addresses, a few null MX or MX-less domains and a dangling MX host; SPF
 * records of several shapes (own networks, {@code a mx}, a two-level provider include tree, {@code
 * +all}, one over the 10-lookup limit, none); DMARC records with reports to the domain or to an
 * external destination that authorizes them, or none; DKIM keys (a real 2048-bit RSA key and an
 * Ed25519 key) under common selectors, one by CNAME delegation; MTA-STS and TLS-RPT records for
 * some domains (the policy host's address is a documentation address, which maildx does not connect
 * to); BIMI for a few; PTR records for most sending IPs; a local IP and domain blocklist listing a
 * few. Everything is under {@code .test}: nothing leaves the machine.
 */
final class ScaleZone {
  /** The local blocklists the zone carries data for. */
  static final String IP_BLOCKLIST = "bl.test";

  static final String DOMAIN_BLOCKLIST = "dbl.test";

  private static final String RSA_2048 = ScaleZoneKeys.RSA_2048;
  private static final String ED25519 = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  private final String[] domains;
  private final String[] sendingIps;
  private final String zone;

  private ScaleZone(String[] domains, String[] sendingIps, String zone) {
    this.domains = domains;
    this.sendingIps = sendingIps;
    this.zone = zone;
  }

  /**
   * Generates the zone.
   *
   * @param n the number of domains
   * @param seed the seed
   * @return the zone
   */
  static ScaleZone generate(int n, long seed) {
    Random r = new Random(seed);
    StringBuilder z = new StringBuilder(n * 1200);
    String[] domains = new String[n];
    String[] ips = new String[n];
    // A mail provider many domains include, two levels deep, as large providers do.
    z.append(
        "_spf.provider.test. 300 IN TXT \"v=spf1 include:_netblocks1.provider.test include:_netblocks2.provider.test ~all\"\n");
    z.append(
        "_netblocks1.provider.test. 300 IN TXT \"v=spf1 ip4:35.190.0.0/20 ip4:35.190.16.0/20 ip6:2a00:1450:4000::/36 ~all\"\n");
    z.append(
        "_netblocks2.provider.test. 300 IN TXT \"v=spf1 ip4:35.190.32.0/19 ip4:35.190.64.0/18 ~all\"\n");
    z.append(
        "reports.test. 300 IN MX 10 mx.reports.test.\nmx.reports.test. 300 IN A 34.255.0.25\n");
    z.append("selector1-provider._domainkey.provider.test. 300 IN TXT ")
        .append(quoted("v=DKIM1; k=rsa; p=" + RSA_2048))
        .append("\n");
    for (int i = 0; i < n; i++) {
      String d = "d" + i + ".test";
      domains[i] = d;
      int a = 1 + r.nextInt(250);
      int b = r.nextInt(250);
      String net = "34." + ((i >> 8) & 255) + "." + (i & 255);
      List<String> hostAddresses = mx(z, r, d, i, net);
      boolean edge = i % 8 == 7;
      String sending = spf(z, r, d, i, net, a, b, edge, hostAddresses);
      ips[i] = sending;
      if (r.nextInt(10) < 6) {
        z.append(reverse(sending)).append(". 300 IN PTR out.").append(d).append(".\n");
        z.append("out.").append(d).append(". 300 IN A ").append(sending).append('\n');
      }
      dmarc(z, r, d, i, edge);
      dkim(z, r, d);
      // MTA-STS, TLS-RPT, BIMI
      if (r.nextInt(10) == 0) {
        z.append("_mta-sts.")
            .append(d)
            .append(". 300 IN TXT \"v=STSv1; id=2024")
            .append(i)
            .append("\"\n");
        z.append("mta-sts.")
            .append(d)
            .append(". 300 IN A 192.0.2.")
            .append(1 + i % 250)
            .append('\n');
      }
      if (r.nextInt(10) < 3) {
        z.append("_smtp._tls.")
            .append(d)
            .append(". 300 IN TXT \"v=TLSRPTv1; rua=mailto:tls@")
            .append(d)
            .append("\"\n");
      }
      if (r.nextInt(20) == 0) {
        z.append("default._bimi.")
            .append(d)
            .append(". 300 IN TXT \"v=BIMI1; l=https://")
            .append(d)
            .append("/logo.svg\"\n");
      }
      // Blocklists
      if (r.nextInt(25) == 0) {
        z.append(reverseOctets(sending))
            .append('.')
            .append(IP_BLOCKLIST)
            .append(". 300 IN A 127.0.0.2\n");
      }
      if (r.nextInt(50) == 0) {
        z.append(d).append('.').append(DOMAIN_BLOCKLIST).append(". 300 IN A 127.0.1.2\n");
      }
    }
    return new ScaleZone(domains, ips, z.toString());
  }

  /**
   * Domain {@code d}'s MX records (a null MX, an A record alone, or 1 to 3 hosts) and its hosts'
   * records; returns their IPv4 addresses.
   */
  private static List<String> mx(StringBuilder z, Random r, String d, int i, String net) {
    int mx = r.nextInt(100);
    List<String> hostAddresses = new ArrayList<>();
    if (mx < 4) {
      z.append(d).append(". 300 IN MX 0 .\n");
    } else if (mx < 8) {
      z.append(d).append(". 300 IN A ").append(net).append(".10\n");
    } else {
      int hosts = 1 + r.nextInt(3);
      for (int h = 0; h < hosts; h++) {
        String host = "mx" + h + "." + d;
        z.append(d)
            .append(". 300 IN MX ")
            .append(10 * (h + 1))
            .append(' ')
            .append(host)
            .append(".\n");
        if (mx < 11 && h == hosts - 1) {
          continue; // a dangling MX host
        }
        String ip = net + "." + (20 + h);
        z.append(host).append(". 300 IN A ").append(ip).append('\n');
        hostAddresses.add(ip);
        if (r.nextInt(10) < 4) {
          z.append(host)
              .append(". 300 IN AAAA 2a00:1450:")
              .append(Integer.toHexString(i))
              .append("::")
              .append(20 + h)
              .append('\n');
        }
        if (r.nextInt(10) < 7) {
          z.append(reverse(ip)).append(". 300 IN PTR ").append(host).append(".\n");
        }
      }
    }
    return hostAddresses;
  }

  /** Domain {@code d}'s SPF record, if any; returns the IP the mail is sent from. */
  private static String spf(
      StringBuilder z,
      Random r,
      String d,
      int i,
      String net,
      int a,
      int b,
      boolean edge,
      List<String> hostAddresses) {
    int spf = r.nextInt(100);
    String own = net + ".0/24";
    String sending;
    if (edge) {
      sending = edgeSpf(z, d, (i / 8) % EDGE_SPF, net, a);
    } else if (spf < 30) {
      z.append(d).append(". 300 IN TXT \"v=spf1 ip4:").append(own).append(" -all\"\n");
      sending =
          r.nextInt(4) == 0
              ? "52." + b + "." + (i & 255) + "." + a
              : net + "." + (30 + r.nextInt(200));
    } else if (spf < 55) {
      z.append(d).append(". 300 IN TXT \"v=spf1 mx include:_spf.provider.test ~all\"\n");
      sending =
          r.nextInt(3) != 0
              ? "35.190." + r.nextInt(128) + "." + a
              : "52." + b + "." + (i & 255) + "." + a;
    } else if (spf < 70) {
      z.append(d)
          .append(". 300 IN TXT \"v=spf1 a mx ip4:")
          .append(own)
          .append(" include:_spf.provider.test -all\"\n");
      sending = hostAddresses.isEmpty() ? "35.190.1." + a : hostAddresses.get(0);
    } else if (spf < 75) {
      z.append(d).append(". 300 IN TXT \"v=spf1 +all\"\n");
      sending = "52." + b + "." + (i & 255) + "." + a;
    } else if (spf < 80) {
      StringBuilder many = new StringBuilder("v=spf1");
      for (int k = 0; k < 12; k++) {
        many.append(" a:h").append(k).append('.').append(d);
      }
      z.append(d).append(". 300 IN TXT \"").append(many).append(" -all\"\n");
      sending = "52." + b + "." + (i & 255) + "." + a;
    } else if (spf < 85) {
      z.append(d).append(". 300 IN TXT \"v=spf1 ip4:").append(own).append(" ?all\"\n");
      sending = "52." + b + "." + (i & 255) + "." + a;
    } else {
      sending = "52." + b + "." + (i & 255) + "." + a; // no SPF record
    }
    return sending;
  }

  /**
   * Domain {@code d}'s DMARC record, if any, and the external report destination's authorization.
   */
  private static void dmarc(StringBuilder z, Random r, String d, int i, boolean edge) {
    int dmarc = r.nextInt(100);
    if (edge) {
      edgeDmarc(z, d, (i / 8) % EDGE_DMARC);
    } else if (dmarc < 25) {
      z.append("_dmarc.")
          .append(d)
          .append(". 300 IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@")
          .append(d)
          .append("\"\n");
    } else if (dmarc < 45) {
      z.append("_dmarc.")
          .append(d)
          .append(". 300 IN TXT \"v=DMARC1; p=quarantine; pct=50; rua=mailto:agg@reports.test\"\n");
      z.append(d).append("._report._dmarc.reports.test. 300 IN TXT \"v=DMARC1\"\n");
    } else if (dmarc < 70) {
      z.append("_dmarc.")
          .append(d)
          .append(". 300 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@")
          .append(d)
          .append("\"\n");
    } else if (dmarc < 75) {
      z.append("_dmarc.")
          .append(d)
          .append(". 300 IN TXT \"v=DMARC1; p=reject; sp=none; adkim=s; aspf=s\"\n");
    }
  }

  /** Domain {@code d}'s DKIM keys, if any. */
  private static void dkim(StringBuilder z, Random r, String d) {
    int dkim = r.nextInt(100);
    if (dkim < 30) {
      z.append("selector1._domainkey.")
          .append(d)
          .append(". 300 IN TXT ")
          .append(quoted("v=DKIM1; k=rsa; p=" + RSA_2048))
          .append("\n");
      z.append("selector2._domainkey.")
          .append(d)
          .append(". 300 IN CNAME selector1-provider._domainkey.provider.test.\n");
    } else if (dkim < 50) {
      z.append("google._domainkey.")
          .append(d)
          .append(". 300 IN TXT ")
          .append(quoted("v=DKIM1; k=rsa; p=" + RSA_2048))
          .append("\n");
    } else if (dkim < 60) {
      z.append("default._domainkey.")
          .append(d)
          .append(". 300 IN TXT \"v=DKIM1; k=ed25519; p=")
          .append(ED25519)
          .append("\"\n");
    }
  }

  private static final String[] EDGE_SPF_NOTES = {
    "two SPF records: permerror (RFC 7208 §4.5)",
    "include of a domain without SPF: permerror (RFC 7208 §5.2)",
    "redirect to a domain without SPF: permerror (RFC 7208 §6.1)",
    "mx with eleven MX names: permerror (RFC 7208 §4.6.4)",
    "three void lookups before the match: permerror (RFC 7208 §4.6.4)",
    "V=SPF1 IP4:... -ALL: case-insensitive, pass (RFC 7208 §4.5, §12)",
    "ip4 prefix /33: permerror (RFC 7208 §5.6)",
    "exists:%{ir}.allow...: pass (RFC 7208 §5.7, §7.3)",
    "ptr confirmed by a forward lookup: pass (RFC 7208 §5.5)",
    "the record includes itself: permerror (RFC 7208 §4.6.4)",
    "a tab after v=spf1: not an SPF record, none (RFC 7208 §4.5: the version is ended by SP or the end of the record)",
    "include of a non-existent domain: permerror (RFC 7208 §5.2)"
  };
  private static final String[] EDGE_DMARC_NOTES = {
    "no p, a valid rua: p=none (RFC 9989 §4.10.1, RFC 7489 §6.6.3)",
    "two DMARC records: none apply (RFC 9989 §4.10)",
    "a leading space: not a DMARC record (it does not start with v=DMARC1)",
    "p=REJECT: values are case-insensitive, reject",
    "v=dmarc1: the version must be exactly DMARC1, not a DMARC record (RFC 9989 §4.7)",
    "p=bogus with a valid rua: p=none (RFC 9989 §4.10.1, RFC 7489 §6.6.3)",
    "p=quarantine; sp=reject at the domain itself: quarantine",
    "v=DMARC1;p=reject without spaces: reject"
  };
  private static final int EDGE_SPF = EDGE_SPF_NOTES.length;
  private static final int EDGE_DMARC = EDGE_DMARC_NOTES.length;

  /**
   * What is special about domain {@code i}'s records, with the result the RFCs give, or null for an
   * ordinary domain.
   */
  static String edgeNote(int i) {
    if (i % 8 != 7) {
      return null;
    }
    return "SPF: " + edgeSpfNote(i) + "; DMARC: " + edgeDmarcNote(i);
  }

  /** The SPF part of {@link #edgeNote}, or "ordinary records". */
  static String edgeSpfNote(int i) {
    return i % 8 != 7 ? "ordinary records" : EDGE_SPF_NOTES[(i / 8) % EDGE_SPF];
  }

  /** The DMARC part of {@link #edgeNote}, or "ordinary records". */
  static String edgeDmarcNote(int i) {
    return i % 8 != 7 ? "ordinary records" : EDGE_DMARC_NOTES[(i / 8) % EDGE_DMARC];
  }

  /**
   * One of the SPF records where implementations are known to differ (every eighth domain has one),
   * and the sending IP; the RFC 7208 result is in the comment.
   */
  private static String edgeSpf(StringBuilder z, String d, int kind, String net, int a) {
    String sending = net + "." + (30 + a % 200);
    String self = d + ". 300 IN TXT ";
    switch (kind) {
      case 0 ->
          z.append(self)
              .append("\"v=spf1 -all\"\n")
              .append(self)
              .append("\"v=spf1 +all\"\n"); // two records: permerror (4.5)
      case 1 ->
          z.append(self)
              .append("\"v=spf1 include:nospf.")
              .append(d)
              .append(" -all\"\n")
              .append("nospf.")
              .append(d)
              .append(
                  ". 300 IN TXT \"hello\"\n"); // include of a domain without SPF: permerror (5.2)
      case 2 ->
          z.append(self)
              .append("\"v=spf1 redirect=gone.")
              .append(d)
              .append("\"\n"); // redirect to none: permerror (6.1)
      case 3 ->
          sending = elevenMx(z, self, d, net); // one mx mechanism, 11 names: permerror (4.6.4)
      case 4 ->
          z.append(self)
              .append("\"v=spf1 a:v1.")
              .append(d)
              .append(" a:v2.")
              .append(d)
              .append(" a:v3.")
              .append(d)
              .append(" ip4:")
              .append(net)
              .append(".0/24 -all\"\n"); // three void lookups before the match: permerror (4.6.4)
      case 5 ->
          z.append(self)
              .append("\"V=SPF1 IP4:")
              .append(net)
              .append(".0/24 -ALL\"\n"); // case-insensitive: pass
      case 6 ->
          z.append(self)
              .append("\"v=spf1 ip4:")
              .append(net)
              .append(".0/33 -all\"\n"); // bad prefix length: permerror (4.6)
      case 7 -> existsMacro(z, self, d, sending); // exists with a reversed-IP macro: pass (7.3)
      case 8 -> {
        // ptr, validated by a forward lookup: pass (5.5)
        z.append(self).append("\"v=spf1 ptr -all\"\n");
        z.append(reverse(sending)).append(". 300 IN PTR mail.").append(d).append(".\n");
        z.append("mail.").append(d).append(". 300 IN A ").append(sending).append('\n');
      }
      case 9 ->
          z.append(self)
              .append("\"v=spf1 include:")
              .append(d)
              .append(" -all\"\n"); // includes itself: permerror (loop, 4.6.4)
      case 10 ->
          z.append(self)
              .append("\"v=spf1\tip4:")
              .append(net)
              .append(".0/24 -all\"\n"); // a tab after v=spf1: no SPF record, none (4.5)
      default ->
          z.append(self)
              .append("\"v=spf1 include:%{d}.nonexistent.test ?all\"\n"); // include of NXDOMAIN:
        // permerror (5.2)
    }
    return sending;
  }

  /** An mx mechanism whose name has eleven MX hosts, one more than RFC 7208 §4.6.4 allows. */
  private static String elevenMx(StringBuilder z, String self, String d, String net) {
    z.append(self).append("\"v=spf1 mx:many.").append(d).append(" -all\"\n");
    for (int k = 0; k < 11; k++) {
      z.append("many.")
          .append(d)
          .append(". 300 IN MX ")
          .append(k)
          .append(" m")
          .append(k)
          .append('.')
          .append(d)
          .append(".\n");
      z.append('m')
          .append(k)
          .append('.')
          .append(d)
          .append(". 300 IN A ")
          .append(net)
          .append('.')
          .append(240 + k)
          .append('\n');
    }
    return net + ".250";
  }

  /** An exists: mechanism with the %{ir} macro (RFC 7208 §7.3), and the name it expands to. */
  private static void existsMacro(StringBuilder z, String self, String d, String sending) {
    z.append(self).append("\"v=spf1 exists:%{ir}.allow.").append(d).append(" -all\"\n");
    String[] o = sending.split("\\.");
    z.append(o[3])
        .append('.')
        .append(o[2])
        .append('.')
        .append(o[1])
        .append('.')
        .append(o[0])
        .append(".allow.")
        .append(d)
        .append(". 300 IN A 127.0.0.2\n");
  }

  /**
   * One of the DMARC records where implementations are known to differ (every eighth domain has
   * one).
   */
  private static void edgeDmarc(StringBuilder z, String d, int kind) {
    String at = "_dmarc." + d + ". 300 IN TXT ";
    switch (kind) {
      case 0 ->
          z.append(at)
              .append("\"v=DMARC1; rua=mailto:dmarc@")
              .append(d)
              .append("\"\n"); // no p, valid rua: p=none
      case 1 ->
          z.append(at)
              .append("\"v=DMARC1; p=reject\"\n")
              .append(at)
              .append("\"v=DMARC1; p=none\"\n"); // two records: none
      case 2 ->
          z.append(at).append("\" v=DMARC1; p=reject\"\n"); // leading space: not a DMARC record
      case 3 ->
          z.append(at).append("\"v=DMARC1; p=REJECT\"\n"); // values are case-insensitive: reject
      case 4 ->
          z.append(at)
              .append(
                  "\"v=dmarc1; p=reject\"\n"); // the version must match exactly: not a DMARC record
      case 5 ->
          z.append(at)
              .append("\"v=DMARC1; p=bogus; rua=mailto:dmarc@")
              .append(d)
              .append("\"\n"); // invalid p, valid rua: p=none
      case 6 ->
          z.append(at)
              .append("\"v=DMARC1; p=quarantine; sp=reject\"\n"); // the domain's own p: quarantine
      default -> z.append(at).append("\"v=DMARC1;p=reject\"\n"); // no spaces: reject
    }
  }

  /** Publishes the zone on a server. */
  void publish(MockDnsServer dns) {
    dns.zone(zone);
  }

  int size() {
    return domains.length;
  }

  String domain(int i) {
    return domains[i];
  }

  String sendingIp(int i) {
    return sendingIps[i];
  }

  /** The full DNS question for domain {@code i}: every DNS check applies, no SMTP probe. */
  DeliveryQuestion question(int i) {
    return DeliveryQuestion.builder()
        .from("alice@" + domains[i])
        .sendingIp(sendingIps[i])
        .to("bob@" + domains[i])
        .smtpProbe(false)
        .build();
  }

  /** A TXT value as zone-file character-strings of at most 255 characters each. */
  private static String quoted(String value) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length(); i += 255) {
      b.append(i == 0 ? "" : " ")
          .append('"')
          .append(value, i, Math.min(value.length(), i + 255))
          .append('"');
    }
    return b.toString();
  }

  private static String reverse(String ip) {
    return reverseOctets(ip) + ".in-addr.arpa";
  }

  private static String reverseOctets(String ip) {
    String[] p = ip.split("\\.");
    return p[3] + "." + p[2] + "." + p[1] + "." + p[0];
  }
}
