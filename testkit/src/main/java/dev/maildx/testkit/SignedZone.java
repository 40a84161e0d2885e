package dev.maildx.testkit;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNSSEC-signed zone for tests (RFC 4034, RFC 4035): the zone's records with a generated ECDSA
 * P-256 key (algorithm 13, one combined signing key), an NSEC chain and an RRSIG for every
 * authoritative RRset, ready for {@link MockDnsServer#zone(String)}. {@link MockDnsServer} then
 * answers queries that carry the DO bit with the signatures and the NSEC proofs of denial, as an
 * authoritative server does.
 *
 * <pre>{@code
 * SignedZone zone = SignedZone.builder("secure.test").records("""
 *     $ORIGIN secure.test.
 *     @   IN SOA ns hostmaster 1 3600 600 86400 300
 *     @   IN MX 10 mx1
 *     mx1 IN A 192.0.2.25
 *     """).build();
 * dns.zone(zone.zoneText());
 * String anchor = zone.dsRecords();   // the trust anchor for a validator
 * }</pre>
 *
 * <p>Names with NS records below the apex are delegations: their NS records are not signed, their
 * DS records are, and names below them are left out of the NSEC chain. Wildcards are not supported.
 * {@link Builder#corrupt(String, String)} breaks one RRset's signature, for a bogus answer.
 * Immutable.
 */
public final class SignedZone {
  private final Name origin;
  private final DNSKEYRecord dnskey;
  private final List<Record> records;

  private SignedZone(Name origin, DNSKEYRecord dnskey, List<Record> records) {
    this.origin = origin;
    this.dnskey = dnskey;
    this.records = List.copyOf(records);
  }

  /**
   * Starts a zone.
   *
   * @param origin the zone apex, for example {@code secure.test}
   * @return a builder
   */
  public static Builder builder(String origin) {
    return new Builder(name(origin));
  }

  /**
   * Signs zone text with a new key, valid from an hour ago for 30 days.
   *
   * @param origin the apex
   * @param zoneText the records (must include the apex SOA)
   * @return the signed zone
   */
  public static SignedZone sign(String origin, String zoneText) {
    return builder(origin).records(zoneText).build();
  }

  /**
   * @return the apex, with a trailing dot
   */
  public String origin() {
    return origin.toString();
  }

  /**
   * @return every record, signatures and NSEC chain included, as zone-file text
   */
  public String zoneText() {
    StringBuilder b = new StringBuilder();
    for (Record r : records) {
      b.append(r).append('\n');
    }
    return b.toString();
  }

  /**
   * @return the zone's DNSKEY record as zone-file text (a trust anchor too)
   */
  public String dnskey() {
    return dnskey.toString();
  }

  /**
   * @return the DS record of the key (SHA-256) as zone-file text: for the parent zone, or as a
   *     trust anchor
   */
  public String dsRecords() {
    return new DSRecord(origin, DClass.IN, 3600, DNSSEC.Digest.SHA256, dnskey).toString() + "\n";
  }

  @Override
  public String toString() {
    return "SignedZone[" + origin + ", " + records.size() + " records]";
  }

  private static Name name(String n) {
    try {
      return Name.fromString(n.endsWith(".") ? n : n + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid name \"" + n + "\": " + e.getMessage(), e);
    }
  }

  /** Builds a {@link SignedZone}. Not thread-safe. */
  public static final class Builder {
    private final Name origin;
    private final List<Record> data = new ArrayList<>();
    private Instant inception =
        Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    private Instant expiration =
        Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
    private final Set<String> corrupt = new HashSet<>();
    private final Set<String> unsigned = new HashSet<>();

    private Builder(Name origin) {
      this.origin = origin;
    }

    /**
     * Adds records as zone-file text; relative names are relative to the origin.
     *
     * @param zoneText the records
     * @return this builder
     */
    public Builder records(String zoneText) {
      requireNonNull(zoneText, "zoneText");
      try (Master m =
          new Master(
              new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.UTF_8)), origin, 300)) {
        Record r;
        while ((r = m.nextRecord()) != null) {
          if (!r.getName().subdomain(origin)) {
            throw new IllegalArgumentException(r.getName() + " is outside the zone " + origin);
          }
          data.add(r);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("zone text does not parse: " + e.getMessage(), e);
      }
      return this;
    }

    /**
     * Sets the signatures' validity period (default: from an hour ago for 30 days); a period in the
     * past gives expired signatures.
     *
     * @param inception start
     * @param expiration end
     * @return this builder
     */
    public Builder validity(Instant inception, Instant expiration) {
      this.inception = requireNonNull(inception, "inception").truncatedTo(ChronoUnit.SECONDS);
      this.expiration = requireNonNull(expiration, "expiration").truncatedTo(ChronoUnit.SECONDS);
      return this;
    }

    /**
     * Breaks the signature of one RRset (a flipped bit), so that validators find it bogus.
     *
     * @param name the owner name, absolute or relative to the origin
     * @param type the type mnemonic, for example {@code MX}
     * @return this builder
     */
    public Builder corrupt(String name, String type) {
      corrupt.add(key(owner(name), Type.value(type.toUpperCase(Locale.ROOT))));
      return this;
    }

    /**
     * Leaves one RRset without a signature, so that validators find it bogus (signature missing).
     *
     * @param name the owner name, absolute or relative to the origin
     * @param type the type mnemonic
     * @return this builder
     */
    public Builder unsigned(String name, String type) {
      unsigned.add(key(owner(name), Type.value(type.toUpperCase(Locale.ROOT))));
      return this;
    }

    private Name owner(String n) {
      if (n.equals("@")) {
        return origin;
      }
      try {
        return Name.fromString(n, origin);
      } catch (TextParseException e) {
        throw new IllegalArgumentException("invalid name \"" + n + "\"", e);
      }
    }

    private static String key(Name n, int type) {
      return n.toString().toLowerCase(Locale.ROOT) + "/" + type;
    }

    /**
     * Generates the key and signs the zone.
     *
     * @return the signed zone
     * @throws IllegalArgumentException if the zone has no SOA at its apex
     */
    public SignedZone build() {
      SOARecord soa =
          (SOARecord)
              data.stream()
                  .filter(r -> r.getType() == Type.SOA && r.getName().equals(origin))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "the zone " + origin + " needs an SOA record at its apex"));
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        DNSKEYRecord key =
            new DNSKEYRecord(
                origin,
                DClass.IN,
                soa.getTTL(),
                257,
                DNSKEYRecord.Protocol.DNSSEC,
                DNSSEC.Algorithm.ECDSAP256SHA256,
                kp.getPublic());
        List<Record> all = new ArrayList<>(data);
        all.add(key);
        // Delegation points: names below the apex with NS records.
        Set<Name> cuts = new HashSet<>();
        for (Record r : all) {
          if (r.getType() == Type.NS && !r.getName().equals(origin)) {
            cuts.add(r.getName());
          }
        }
        // RRsets by owner (canonical order), authoritative data only.
        TreeMap<Name, Map<Integer, RRset>> owners = new TreeMap<>();
        for (Record r : all) {
          Name n = r.getName();
          if (belowCut(n, cuts)) {
            continue; // glue and the child's data
          }
          if (cuts.contains(n) && r.getType() != Type.NS && r.getType() != Type.DS) {
            continue;
          }
          owners
              .computeIfAbsent(n, k -> new LinkedHashMap<>())
              .computeIfAbsent(r.getType(), t -> new RRset())
              .addRR(r);
        }
        List<Name> names = new ArrayList<>(owners.keySet());
        for (int i = 0; i < names.size(); i++) {
          Name n = names.get(i);
          Name next = names.get((i + 1) % names.size());
          TreeSet<Integer> types = new TreeSet<>(requireNonNull(owners.get(n)).keySet());
          types.add(Type.NSEC);
          types.add(Type.RRSIG);
          int[] bitmap = types.stream().mapToInt(Integer::intValue).toArray();
          NSECRecord nsec = new NSECRecord(n, DClass.IN, soa.getMinimum(), next, bitmap);
          owners.get(n).put(Type.NSEC, new RRset(nsec));
        }
        List<Record> out = new ArrayList<>(data);
        out.add(key);
        for (Map.Entry<Name, Map<Integer, RRset>> e : owners.entrySet()) {
          for (Map.Entry<Integer, RRset> t : e.getValue().entrySet()) {
            RRset set = t.getValue();
            if (t.getKey() == Type.NSEC) {
              out.add(set.first());
            }
            boolean delegationNs = cuts.contains(e.getKey()) && t.getKey() == Type.NS;
            if (delegationNs || unsigned.contains(key(e.getKey(), t.getKey()))) {
              continue;
            }
            RRSIGRecord sig = DNSSEC.sign(set, key, kp.getPrivate(), inception, expiration);
            if (corrupt.contains(key(e.getKey(), t.getKey()))) {
              byte[] s = sig.getSignature();
              s[s.length / 2] ^= 0x01;
              sig =
                  new RRSIGRecord(
                      sig.getName(),
                      sig.getDClass(),
                      sig.getTTL(),
                      sig.getTypeCovered(),
                      sig.getAlgorithm(),
                      sig.getOrigTTL(),
                      sig.getExpire(),
                      sig.getTimeSigned(),
                      sig.getFootprint(),
                      sig.getSigner(),
                      s);
            }
            out.add(sig);
          }
        }
        return new SignedZone(origin, key, out);
      } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
        throw new IllegalStateException("cannot sign " + origin + ": " + e.getMessage(), e);
      }
    }

    private static boolean belowCut(Name n, Set<Name> cuts) {
      for (Name c : cuts) {
        if (!n.equals(c) && n.subdomain(c)) {
          return true;
        }
      }
      return false;
    }
  }
}
