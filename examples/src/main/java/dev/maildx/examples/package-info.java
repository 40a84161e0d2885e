/** Small runnable programs that show how to embed maildx. */
@NullMarked
package dev.maildx.examples;

import org.jspecify.annotations.NullMarked;
