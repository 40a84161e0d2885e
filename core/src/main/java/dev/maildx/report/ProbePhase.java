package dev.maildx.report;

/**
 * The steps of an SMTP probe, in the order they run (RFC 5321 §3, RFC 3207 §4). Each has its own
 * deadline under the overall one and its duration is recorded.
 */
public enum ProbePhase {
  /** The TCP connection. */
  CONNECT,
  /** Waiting for the server's {@code 220} greeting (RFC 5321 §4.3.1). */
  GREETING,
  /** {@code EHLO} (or {@code HELO} as a fallback) and its reply. */
  EHLO,
  /** {@code STARTTLS} and the TLS handshake (RFC 3207). */
  STARTTLS,
  /** {@code EHLO} again inside TLS (RFC 3207 §4.2). */
  TLS_EHLO,
  /** {@code MAIL FROM}. */
  MAIL,
  /** {@code RCPT TO} for the recipient asked about. */
  RCPT,
  /** {@code RCPT TO} for a random address at the same domain, to detect a catch-all. */
  CATCH_ALL,
  /** {@code RSET}: the transaction is abandoned, nothing is sent. */
  RSET,
  /** {@code QUIT}. */
  QUIT
}
