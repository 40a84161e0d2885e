package dev.maildx.testkit;

import java.time.Instant;

/**
 * One request {@link MockHttpsServer} received.
 *
 * @param method the HTTP method
 * @param path the request path (without query)
 * @param host the {@code Host} header, or empty
 * @param userAgent the {@code User-Agent} header, or empty
 * @param at when it arrived
 */
public record HttpsRequestLog(
    String method, String path, String host, String userAgent, Instant at) {}
