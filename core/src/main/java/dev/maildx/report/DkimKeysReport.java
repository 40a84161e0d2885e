package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The DKIM public keys a domain publishes (RFC 6376 §3.6, RFC 8463): each selector tried, the key
 * records found and what is wrong with them.
 *
 * <p>DNS offers no way to list a domain's selectors, so besides the selectors given, maildx tries
 * a documented list of common ones; a domain whose keys sit under other selectors can look as if
 * it had none.
 *
 * @param check the check name ({@code dkim})
 * @param domain the signing domain
 * @param selectors every selector tried, the given ones first, each in the order tried
 * @param findings what the check found
 */
public record DkimKeysReport(String check, DomainName domain, List<DkimSelectorResult> selectors, List<Finding> findings)
    implements CheckReport {

  /** Validates and copies. */
  public DkimKeysReport {
    requireNonNull(check, "check");
    requireNonNull(domain, "domain");
    selectors = List.copyOf(selectors);
    findings = List.copyOf(findings);
  }

  /**
   * The selectors under which a key record was found.
   *
   * @return the results that hold a key, in order
   */
  public List<DkimSelectorResult> found() {
    return selectors.stream().filter(s -> s.key() != null).toList();
  }
}
