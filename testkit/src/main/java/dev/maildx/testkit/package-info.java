/**
 * Test servers over real sockets on loopback: {@link dev.maildx.testkit.MockDnsServer} (UDP and
 * TCP, zone text or builder records, per-name faults) and {@link dev.maildx.testkit.MockSmtpServer}
 * (scriptable replies, STARTTLS with a generated certificate, misbehaviour policies), with JUnit 5
 * extensions for both.
 */
@NullMarked
package dev.maildx.testkit;

import org.jspecify.annotations.NullMarked;
