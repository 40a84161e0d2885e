/**
 * The SMTP prober's implementation: the bounded connection and reply reader, the conversation, TLS
 * inspection, DANE matching and the findings. Not exported.
 */
@NullMarked
package dev.maildx.smtp.internal;

import org.jspecify.annotations.NullMarked;
