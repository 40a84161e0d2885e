/**
 * The one bounded message reader of maildx, for the modules that read mail (bounce, auth): the
 * header section (RFC 5322 §2.2, unfolding per §2.2.3, raw octets kept for DKIM), RFC 2047 encoded
 * words, RFC 5322 §3.4 address lists, MIME structure (RFC 2045, 2046) and transfer encodings,
 * charsets. Every reader here is bounded ({@link dev.maildx.internal.mail.MailLimits}) and never
 * throws on content. JDK only.
 *
 * <p>Exported only to maildx's own modules; not an API.
 */
@NullMarked
package dev.maildx.internal.mail;

import org.jspecify.annotations.NullMarked;
