/**
 * Authentication of a received message, usable inside a diagnosis (the {@code auth} check of {@link
 * dev.maildx.auth.AuthChecks}) or alone: {@link dev.maildx.auth.DkimVerifier} verifies DKIM
 * signatures (RFC 6376 §6), {@link dev.maildx.auth.MessageAuthenticator} evaluates the whole
 * message as the receiving MTA does — DKIM, SPF, DMARC (RFC 7489 §6.6), ARC (RFC 8617 §5.2) — and
 * writes the Authentication-Results value (RFC 8601 §2.2); {@link dev.maildx.auth.AuthOptions}
 * holds their limits and policies.
 */
@NullMarked
package dev.maildx.auth;

import org.jspecify.annotations.NullMarked;
