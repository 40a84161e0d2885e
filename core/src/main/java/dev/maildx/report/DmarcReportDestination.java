package dev.maildx.report;

import dev.maildx.DomainName;
import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A reporting URI of a DMARC record ({@code rua} or {@code ruf}) and whether its destination has
 * agreed to receive the domain's reports (RFC 7489 §7.1, RFC 9990 §4: an external destination
 * publishes {@code <domain>._report._dmarc.<destination>}).
 *
 * @param tag {@code rua} or {@code ruf}
 * @param uri the URI as published
 * @param destination the domain of a {@code mailto:} address, or {@code null} for other schemes
 * @param external whether the destination lies outside the policy's Organizational Domain
 * @param authorization whether the destination authorizes the reports
 * @param authorizationName the name queried for the authorization record, or {@code null} if none
 *     was needed
 */
public record DmarcReportDestination(String tag, String uri, @Nullable DomainName destination, boolean external,
    Authorization authorization, @Nullable String authorizationName) {

  /** Validates. */
  public DmarcReportDestination {
    requireNonNull(tag, "tag");
    requireNonNull(uri, "uri");
    requireNonNull(authorization, "authorization");
  }

  /** Whether an external report destination accepts a domain's reports. */
  public enum Authorization {
    /** The destination is within the domain's own Organizational Domain: no authorization needed. */
    NOT_REQUIRED,
    /** The destination publishes a {@code v=DMARC1} record at the authorization name. */
    AUTHORIZED,
    /** It does not: receivers will not send reports there. */
    NOT_AUTHORIZED,
    /** The authorization lookup failed or was not made (non-{@code mailto} URI, limit reached). */
    UNKNOWN
  }
}
