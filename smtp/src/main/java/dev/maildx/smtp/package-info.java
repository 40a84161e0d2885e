/**
 * SMTP probing: {@link dev.maildx.smtp.SmtpProber} shows, per mail server address, where an SMTP
 * conversation stops and what that means (RFC 5321, RFC 3207, RFC 7672), and {@link
 * dev.maildx.smtp.SmtpChecks} contributes it to a diagnosis as the {@code smtp} check.
 */
@NullMarked
package dev.maildx.smtp;

import org.jspecify.annotations.NullMarked;
