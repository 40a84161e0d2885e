/**
 * Renderings of a diagnosis for people and programs: {@link dev.maildx.render.Render} turns a
 * {@link dev.maildx.DeliveryDiagnosis}, or one check's {@link dev.maildx.report.CheckReport}, into
 * text, ANSI-coloured text, JSON (the {@code maildx --json} contract) or a self-contained HTML
 * page.
 */
@NullMarked
package dev.maildx.render;

import org.jspecify.annotations.NullMarked;
