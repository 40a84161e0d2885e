/**
 * The service-provider interface through which modules contribute checks to a diagnosis: a {@link
 * dev.maildx.spi.CheckProvider} found by {@link java.util.ServiceLoader} (or registered on the
 * builder) supplies {@link dev.maildx.spi.Check}s, which run concurrently under one {@link
 * dev.maildx.spi.Deadline}.
 */
@NullMarked
package dev.maildx.spi;

import org.jspecify.annotations.NullMarked;
