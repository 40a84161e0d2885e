package dev.maildx.report;

import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import dev.maildx.Finding;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an SMTP probe of a domain's mail servers (or of one host) found, per server address: how
 * far each conversation got and why it stopped (RFC 5321, RFC 3207, RFC 7672), with findings that
 * explain it in words. The report of the {@code smtp} check and of {@code SmtpProber}.
 *
 * <p>The probe never sends {@code DATA}: it ends every conversation with {@code RSET} and
 * {@code QUIT}.
 *
 * @param check the check name, {@code smtp}
 * @param target what was probed, as given: a domain, a host name or an IP address
 * @param domain the domain whose MX hosts were probed, if a domain was probed
 * @param port the TCP port probed
 * @param recipient the address asked about with {@code RCPT TO}, if any
 * @param hosts one entry per address probed, in MX preference order and then address order
 * @param findings what the probe found, most severe first
 * @param elapsed how long the probe took
 */
public record ProbeReport(
    String check,
    String target,
    @Nullable DomainName domain,
    int port,
    @Nullable EmailAddress recipient,
    List<ProbedHost> hosts,
    List<Finding> findings,
    Duration elapsed) implements CheckReport {

  /** Validates and copies. */
  public ProbeReport {
    requireNonNull(check, "check");
    requireNonNull(target, "target");
    hosts = List.copyOf(hosts);
    findings = List.copyOf(findings);
    requireNonNull(elapsed, "elapsed");
  }

  /**
   * Whether at least one server accepted the probe (and the recipient, if one was asked about).
   *
   * @return {@code true} if any host's outcome is {@link ProbeOutcome#ACCEPTED}
   */
  public boolean anyAccepted() {
    return hosts.stream().anyMatch(h -> h.outcome() == ProbeOutcome.ACCEPTED);
  }

  /**
   * The probe of the first address of a host.
   *
   * @param name the host name (or IP literal)
   * @return the first entry for it, if it was probed
   */
  public Optional<ProbedHost> host(String name) {
    return hosts.stream().filter(h -> h.name().equalsIgnoreCase(name)).findFirst();
  }
}
