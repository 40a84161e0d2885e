/**
 * The typed reports of a {@link dev.maildx.DeliveryDiagnosis}: one report per check ({@link
 * dev.maildx.report.MxReport} for RFC 5321 §5.1 and RFC 7505, {@link dev.maildx.report.SpfReport}
 * for RFC 7208, {@link dev.maildx.report.DmarcReport} for RFC 7489, {@link
 * dev.maildx.report.ProbeReport} for the SMTP conversation of RFC 5321, {@link
 * dev.maildx.report.BounceReport} for RFC 3464 notices, ...), each an immutable record whose part
 * types are nested in it.
 *
 * <p>Every type here is immutable and safe to share between threads; collections are never null.
 */
@NullMarked
package dev.maildx.report;

import org.jspecify.annotations.NullMarked;
