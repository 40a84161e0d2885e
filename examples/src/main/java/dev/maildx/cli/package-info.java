/**
 * The {@code maildx} command-line tool: subcommands, the JSON contract of DESIGN.md, the human
 * report, and the offline {@code demo}.
 */
@NullMarked
package dev.maildx.cli;

import org.jspecify.annotations.NullMarked;
