package dev.maildx;

/** Who has to act to resolve a {@link LikelyCause}. */
public enum Party {
  /** Whoever manages the sender domain's DNS (SPF, DKIM, DMARC, MX records). */
  SENDER_DNS_ADMIN,
  /** The sender's mail provider or outbound mail server operator. */
  SENDER_MAIL_PROVIDER,
  /** The person sending: fix the address, resend, or change what is sent. */
  SENDER,
  /** Whoever manages the recipient domain's DNS. */
  RECIPIENT_DNS_ADMIN,
  /** The recipient's postmaster, who runs the receiving gateways. */
  RECIPIENT_POSTMASTER,
  /** Nobody: the condition is temporary and resolves by waiting. */
  NOBODY
}
