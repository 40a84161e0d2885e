package dev.maildx.report;

/**
 * Where an SMTP probe of one mail server address ended (the {@code outcome} of the CLI's JSON
 * contract). The conversation follows RFC 5321 §3 and §4.3.2: connect, greeting ({@code 220}),
 * EHLO, STARTTLS (RFC 3207), EHLO again, {@code MAIL FROM}, {@code RCPT TO}, {@code RSET},
 * {@code QUIT} — never {@code DATA}.
 */
public enum ProbeOutcome {
  /** The server completed every step that was asked for: greeting, EHLO, TLS if offered, and the recipient if one was given. */
  ACCEPTED,
  /** The TCP connection was refused (RST) or the network reported the address unreachable. */
  CONNECT_REFUSED,
  /** The TCP connection was not answered in time: the port is filtered or the host is down. */
  CONNECT_TIMEOUT,
  /** Connected, but no complete greeting arrived: a black hole or a tarpit (RFC 5321 §4.5.3.2.1). */
  NO_BANNER,
  /** The greeting was a refusal: {@code 4xx} (temporary, often {@code 421}) or {@code 5xx} ({@code 554}), RFC 5321 §3.1. */
  BANNER_REJECTED,
  /** Both EHLO and HELO were refused, or EHLO after STARTTLS was (RFC 5321 §4.1.1.1). */
  EHLO_REJECTED,
  /** STARTTLS was refused or the TLS handshake failed (RFC 3207 §4). */
  TLS_FAILED,
  /** The server closed the connection, or stopped answering, in the middle of the conversation. */
  DISCONNECTED,
  /** The server broke the protocol: malformed, oversized, endless or inconsistent replies (RFC 5321 §4.2). */
  PROTOCOL_ERROR,
  /** {@code MAIL FROM} or {@code RCPT TO} was refused permanently ({@code 5xx}). */
  RCPT_REJECTED,
  /** {@code MAIL FROM} or {@code RCPT TO} was refused temporarily ({@code 4xx}), for example greylisting. */
  RCPT_DEFERRED;

  /**
   * Whether a TCP connection was established, so the outcome says something about the server
   * rather than about the path to it.
   *
   * @return {@code false} only for {@link #CONNECT_REFUSED} and {@link #CONNECT_TIMEOUT}
   */
  public boolean connected() {
    return this != CONNECT_REFUSED && this != CONNECT_TIMEOUT;
  }
}
