package dev.maildx.internal.mail;

/**
 * The bounds of the message reader. Exceeding one never throws: what was cut is recorded ({@link
 * HeaderSection#tooLarge()}, {@link HeaderSection#tooManyFields()}, {@link
 * HeaderSection#longLines()}, {@link MimeReader#problems()}).
 *
 * @param maxHeaderBytes the most octets of one header section read (lines, line ends included)
 * @param maxFields the most header fields kept per header section; later ones are dropped
 * @param maxLineLength the most octets kept of one header line and of one header field (folded
 *     lines together); the rest of a longer one is dropped
 * @param maxParts the most MIME entities read in one message, nested messages included
 * @param maxDepth the deepest nesting of multiparts and embedded messages read
 */
public record MailLimits(
    int maxHeaderBytes, int maxFields, int maxLineLength, int maxParts, int maxDepth) {
  /** 1 MiB of header section: maildx-dns's {@code AuthOptions.DEFAULT_MAX_HEADER_BYTES}. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;

  /** 2,000 fields: the DKIM reader's bound (the bounce reader had 1,000). */
  public static final int DEFAULT_MAX_FIELDS = 2000;

  /** 64 KiB: the bounce reader's bound on one field (RFC 5322 §2.1.1 allows 998 octets a line). */
  public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

  /** 256 entities: the bounce reader's bound. */
  public static final int DEFAULT_MAX_PARTS = 256;

  /** 8 levels: the bounce reader's bound. */
  public static final int DEFAULT_MAX_DEPTH = 8;

  /** The defaults above. */
  public static final MailLimits DEFAULT =
      new MailLimits(
          DEFAULT_MAX_HEADER_BYTES,
          DEFAULT_MAX_FIELDS,
          DEFAULT_MAX_LINE_LENGTH,
          DEFAULT_MAX_PARTS,
          DEFAULT_MAX_DEPTH);

  /** Checks. */
  public MailLimits {
    if (maxHeaderBytes < 1 || maxFields < 1 || maxLineLength < 80 || maxParts < 1 || maxDepth < 0) {
      throw new IllegalArgumentException(
          "limits out of range: "
              + maxHeaderBytes
              + ", "
              + maxFields
              + ", "
              + maxLineLength
              + ", "
              + maxParts
              + ", "
              + maxDepth);
    }
  }

  /**
   * These limits with another header size bound.
   *
   * @param bytes the most octets of header section
   * @return the limits
   */
  public MailLimits withMaxHeaderBytes(int bytes) {
    return new MailLimits(bytes, maxFields, maxLineLength, maxParts, maxDepth);
  }

  /**
   * These limits with other MIME bounds.
   *
   * @param parts the most entities
   * @param depth the deepest nesting
   * @return the limits
   */
  public MailLimits withMime(int parts, int depth) {
    return new MailLimits(maxHeaderBytes, maxFields, maxLineLength, parts, depth);
  }
}
