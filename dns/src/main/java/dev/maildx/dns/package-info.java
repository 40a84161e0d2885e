/**
 * Checks answered by DNS, usable inside a diagnosis or alone: {@link dev.maildx.dns.MxResolver}
 * (RFC 5321 §5.1, RFC 7505), {@link dev.maildx.dns.SpfEvaluator} (RFC 7208) and, as they land,
 * DMARC, DKIM keys and the domain's other mail policies.
 */
@NullMarked
package dev.maildx.dns;

import org.jspecify.annotations.NullMarked;
