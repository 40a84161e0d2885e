/**
 * Implementation of the bounce parser: the bounded MIME reader and the classification rules. Not
 * API.
 */
@NullMarked
package dev.maildx.bounce.internal;

import org.jspecify.annotations.NullMarked;
