package dev.maildx.smtp.internal;

import dev.maildx.report.ProbeReport;
import dev.maildx.report.TlsaRecord;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * Matches a presented certificate chain against TLSA records, as RFC 7672 §3 prescribes for SMTP.
 *
 * <ul>
 *   <li>DANE-EE(3): the leaf certificate (selector 0) or its public key (selector 1) matches; names
 *       and validity dates are ignored (RFC 7672 §3.1.1).
 *   <li>DANE-TA(2): a certificate of the chain other than the leaf matches, the chain from the leaf
 *       up to it verifies signature by signature, and the leaf names the MX host (RFC 7672 §3.1.2,
 *       §3.2.2).
 *   <li>PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP (RFC 7672 §3.1.3); unknown selectors and
 *       matching types are unusable (RFC 6698 §4.1).
 * </ul>
 */
final class Dane {
  private Dane() {}

  static ProbeReport.Dane match(
      List<TlsaRecord> records,
      boolean authenticated,
      List<X509Certificate> chain,
      boolean tls,
      boolean leafNamesHost) {
    List<TlsaRecord> usable = records.stream().filter(Dane::usable).toList();
    if (usable.isEmpty()) {
      return new ProbeReport.Dane(
          ProbeReport.Dane.Status.UNUSABLE,
          records,
          authenticated,
          null,
          "none of the "
              + records.size()
              + " TLSA records is usable for SMTP (only usages 2 and 3, selectors 0/1, matching types 0/1/2 are)");
    }
    if (!tls || chain.isEmpty()) {
      return new ProbeReport.Dane(
          ProbeReport.Dane.Status.NO_TLS,
          records,
          authenticated,
          null,
          "the host publishes TLSA records but TLS could not be established, so DANE senders will not deliver to it");
    }
    for (TlsaRecord r : usable) {
      if (r.usage() == 3 && matches(r, chain.get(0))) {
        return new ProbeReport.Dane(
            ProbeReport.Dane.Status.MATCHED,
            records,
            authenticated,
            r,
            "the server's certificate matches TLSA "
                + r.usage()
                + " "
                + r.selector()
                + " "
                + r.matchingType()
                + " (DANE-EE)");
      }
    }
    for (TlsaRecord r : usable) {
      if (r.usage() != 2) {
        continue;
      }
      for (int i = 1; i < chain.size(); i++) {
        if (matches(r, chain.get(i))) {
          if (!chainVerifies(chain, i)) {
            return new ProbeReport.Dane(
                ProbeReport.Dane.Status.NOT_MATCHED,
                records,
                authenticated,
                null,
                "TLSA 2 "
                    + r.selector()
                    + " "
                    + r.matchingType()
                    + " matches certificate "
                    + (i + 1)
                    + " of the chain, but the chain does not verify up to it");
          }
          if (!leafNamesHost) {
            return new ProbeReport.Dane(
                ProbeReport.Dane.Status.NOT_MATCHED,
                records,
                authenticated,
                null,
                "the chain leads to the DANE-TA trust anchor, but the certificate does not name the MX host (RFC 7672 §3.2.2)");
          }
          return new ProbeReport.Dane(
              ProbeReport.Dane.Status.MATCHED,
              records,
              authenticated,
              r,
              "the chain leads to the trust anchor of TLSA 2 "
                  + r.selector()
                  + " "
                  + r.matchingType()
                  + " (DANE-TA)");
        }
      }
    }
    return new ProbeReport.Dane(
        ProbeReport.Dane.Status.NOT_MATCHED,
        records,
        authenticated,
        null,
        "no usable TLSA record matches the presented certificate chain");
  }

  static boolean usable(TlsaRecord r) {
    return (r.usage() == 2 || r.usage() == 3)
        && (r.selector() == 0 || r.selector() == 1)
        && r.matchingType() >= 0
        && r.matchingType() <= 2;
  }

  static boolean matches(TlsaRecord r, X509Certificate c) {
    byte[] selected = r.selector() == 0 ? TlsInspector.encoded(c) : c.getPublicKey().getEncoded();
    byte[] data;
    switch (r.matchingType()) {
      case 0:
        data = selected;
        break;
      case 1:
        data = TlsInspector.digest("SHA-256", selected);
        break;
      case 2:
        data = TlsInspector.digest("SHA-512", selected);
        break;
      default:
        return false;
    }
    return Arrays.equals(data, r.data());
  }

  private static boolean chainVerifies(List<X509Certificate> chain, int anchor) {
    for (int i = 0; i < anchor; i++) {
      try {
        chain.get(i).verify(chain.get(i + 1).getPublicKey());
      } catch (GeneralSecurityException | RuntimeException e) {
        return false;
      }
    }
    return true;
  }
}
