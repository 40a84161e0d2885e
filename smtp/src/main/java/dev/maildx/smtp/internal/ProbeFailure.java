package dev.maildx.smtp.internal;

import dev.maildx.report.ProbeReport;

/** Why a step of the conversation could not complete: the server's doing, reported as data. */
final class ProbeFailure extends Exception {
  /** How a step failed. */
  enum Kind {
    /** No (complete) answer in time. */
    TIMEOUT,
    /** A reply line started but did not complete within the stall limit: a tarpit. */
    STALLED,
    /** The server closed or reset the connection. */
    CLOSED,
    /** The server broke the protocol. */
    PROTOCOL,
    /** The TLS handshake failed. */
    TLS
  }

  final Kind kind;
  final ProbeReport.Phase phase;
  final String detail;

  /** Bytes of an incomplete line received before the failure, decoded and escaped. */
  final String partial;

  ProbeFailure(Kind kind, ProbeReport.Phase phase, String detail, String partial) {
    super(detail, null, false, false);
    this.kind = kind;
    this.phase = phase;
    this.detail = detail;
    this.partial = partial;
  }
}
