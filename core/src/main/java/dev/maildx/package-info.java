/**
 * The maildx API: ask {@link dev.maildx.MailDiagnostics} a {@link dev.maildx.DeliveryQuestion} and
 * get one immutable {@link dev.maildx.DeliveryDiagnosis} with a verdict, findings, likely causes
 * and a typed report per check.
 */
@NullMarked
package dev.maildx;

import org.jspecify.annotations.NullMarked;
