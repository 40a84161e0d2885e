/**
 * Bounce and delay notices, parsed and classified: {@link dev.maildx.bounce.BounceParser} reads RFC
 * 3464 / RFC 6533 delivery status notifications, the non-standard notices real mail servers send,
 * RFC 5965 feedback reports and RFC 3834 automatic replies into a {@link
 * dev.maildx.report.BounceReport}.
 */
@NullMarked
package dev.maildx.bounce;

import org.jspecify.annotations.NullMarked;
