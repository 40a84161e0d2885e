/**
 * The {@code maildx} command-line tool: subcommands, their options and exit codes, and the offline
 * {@code demo}. What they print is rendered by maildx-render ({@link dev.maildx.render.Render}).
 */
@NullMarked
package dev.maildx.cli;

import org.jspecify.annotations.NullMarked;
