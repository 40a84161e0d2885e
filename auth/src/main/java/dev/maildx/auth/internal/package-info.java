/**
 * Implementation of the auth module (the bounded message reader, canonicalization, body hashes,
 * DKIM-Signature and ARC parsing and verification); not exported, not an API.
 */
@NullMarked
package dev.maildx.auth.internal;

import org.jspecify.annotations.NullMarked;
