package dev.maildx.report;

import java.util.Optional;

/**
 * A report that carries a domain's MTA-STS policy (RFC 8461 §3.2), such as the report of the {@code
 * mta-sts} check. Other checks read the policy through this interface, so that they need not know
 * the concrete report type: the {@code smtp} check makes a host that fails TLS or the certificate
 * name check under an {@link MtaStsReport.Policy.Mode#ENFORCE enforce} policy an error.
 */
public interface MtaStsPolicyReport extends CheckReport {
  /**
   * The policy in force for the domain.
   *
   * @return the fetched policy, or empty if the domain has none or it could not be fetched
   */
  Optional<MtaStsReport.Policy> policy();
}
