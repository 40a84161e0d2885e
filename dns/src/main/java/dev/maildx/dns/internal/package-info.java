/**
 * Implementation of the dns module (the asynchronous DNS client on dnsjava); exported only to other
 * maildx modules, not an API.
 */
@NullMarked
package dev.maildx.dns.internal;

import org.jspecify.annotations.NullMarked;
