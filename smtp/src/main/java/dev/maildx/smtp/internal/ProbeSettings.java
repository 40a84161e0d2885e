package dev.maildx.smtp.internal;

import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import java.security.KeyStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The prober's fixed settings, built from {@code ProbeOptions}.
 *
 * @param heloName the EHLO name; {@code null} for the address literal of the local end
 * @param mailFrom the {@code MAIL FROM} path; {@code null} for the null reverse-path {@code <>}
 * @param maxHosts probe at most this many MX hosts, in preference order
 * @param ipv4 probe IPv4 addresses
 * @param ipv6 probe IPv6 addresses
 * @param startTls try STARTTLS when offered
 * @param dane look up TLSA records and match them
 * @param catchAll test a random address after an accepted recipient
 * @param allowNonPublic connect to loopback, private and reserved addresses found in the DNS
 * @param connectTimeout limit of the TCP connect
 * @param greetingTimeout limit of the wait for the greeting
 * @param commandTimeout limit of the wait for the reply to each command
 * @param tlsTimeout limit of STARTTLS and the handshake
 * @param quitTimeout limit of {@code RSET} and {@code QUIT} when leaving
 * @param stallTimeout the longest a started reply line may take to complete (tarpit detection)
 * @param slowGreeting a greeting slower than this is reported
 * @param expiryWarning a certificate expiring within this is reported
 * @param maxReplyLines the most lines one reply may have
 * @param maxLineBytes the longest a reply line may be, CRLF excluded
 * @param maxConnections the most connections open at once, across every probe of the prober
 * @param trustStore the trust anchors; {@code null} for the JDK's
 */
public record ProbeSettings(
    @Nullable DomainName heloName,
    @Nullable EmailAddress mailFrom,
    int maxHosts,
    boolean ipv4,
    boolean ipv6,
    boolean startTls,
    boolean dane,
    boolean catchAll,
    boolean allowNonPublic,
    Duration connectTimeout,
    Duration greetingTimeout,
    Duration commandTimeout,
    Duration tlsTimeout,
    Duration quitTimeout,
    Duration stallTimeout,
    Duration slowGreeting,
    Duration expiryWarning,
    int maxReplyLines,
    int maxLineBytes,
    int maxConnections,
    @Nullable KeyStore trustStore) {}
