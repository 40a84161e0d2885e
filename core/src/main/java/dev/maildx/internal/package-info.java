/** Implementation detail shared by the maildx modules; exported only to them, not an API. */
@NullMarked
package dev.maildx.internal;

import org.jspecify.annotations.NullMarked;
