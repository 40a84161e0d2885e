package dev.maildx.testkit;

import java.time.Instant;

/**
 * One query {@link MockDnsServer} received.
 *
 * @param name the queried name, lower case, without the final dot
 * @param type the type mnemonic, for example {@code MX}
 * @param transport {@code udp} or {@code tcp}
 * @param receivedAt when it arrived
 */
public record DnsQueryLog(String name, String type, String transport, Instant receivedAt) {}
