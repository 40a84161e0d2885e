/**
 * maildx auth: a received message, authenticated as its receiver did — DKIM signatures (RFC 6376,
 * RFC 8301, RFC 8463), the ARC chain (RFC 8617), the DMARC outcome for the author's domain (RFC
 * 7489) and the Authentication-Results header field value (RFC 8601).
 *
 * <p>Needs maildx-core and maildx-dns (for DKIM keys, SPF and DMARC policies) at run time. Jakarta
 * Mail is optional ({@code requires static}): only {@link dev.maildx.auth.JakartaMailMessages},
 * which authenticates a {@code jakarta.mail.Part} an application already holds, needs it.
 */
module dev.maildx.auth {
  requires transitive dev.maildx.core;
  requires dev.maildx.dns;
  requires static org.jspecify;
  requires static jakarta.mail;

  exports dev.maildx.auth;

  provides dev.maildx.spi.CheckProvider with
      dev.maildx.auth.AuthChecks;
}
