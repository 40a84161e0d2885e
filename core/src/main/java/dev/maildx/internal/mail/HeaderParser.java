package dev.maildx.internal.mail;

import dev.maildx.internal.Printable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a header section line by line (pushed by {@link HeaderSection#parse} from a buffer or by
 * {@link MessageReader} from a stream). From maildx-dns's {@code MessageReader}: a line ends at LF
 * (a CR before it is part of the line end; a bare CR elsewhere is data); a first line {@code "From
 * "} is an mbox separator, skipped; a line starting with white space continues the field before it
 * (kept with a CRLF, RFC 5322 §2.2.3); a line that is neither a field nor a continuation ends the
 * header section and is the first line of the body, as Postfix's cleanup does; the empty line ends
 * it (when reading the structure of a message already received, such a line among the fields is
 * skipped instead, as the bounce reader and Mime4j's lenient mode do). A field name is printable
 * US-ASCII but the colon; white space before the colon is allowed (RFC 5322 §4.5, obsolete).
 */
final class HeaderParser {
  /** The line was a header line; go on. */
  static final int MORE = 0;

  /** The line ended the header section (the empty line); the body starts after it. */
  static final int END_AFTER = 1;

  /** The line is not part of the header section; the body starts with it. */
  static final int END_BEFORE = 2;

  private static final byte[] CRLF = {'\r', '\n'};

  private final MailLimits limits;
  private final boolean skipMalformed;
  private boolean anyField;
  private final List<HeaderField> fields = new ArrayList<>();
  private final Bytes field = new Bytes(256);
  private int colon = -1;
  private boolean fieldCut;
  private long headerBytes;
  private boolean first = true;
  private boolean tooLarge;
  private boolean tooMany;
  private int longLines;
  private @Nullable String mbox;
  private @Nullable String malformed;
  private int bareLf;

  HeaderParser(MailLimits limits, boolean skipMalformed) {
    this.limits = limits;
    this.skipMalformed = skipMalformed;
  }

  /** Whether the header section has exceeded its size bound (the rest is not kept). */
  boolean tooLarge() {
    return tooLarge;
  }

  /**
   * One line, its line end included.
   *
   * @return {@link #MORE}, {@link #END_AFTER} or {@link #END_BEFORE}
   */
  int line(byte[] b, int off, int len) {
    int end = off + len;
    boolean lf = len > 0 && b[end - 1] == '\n';
    int content = lf ? len - 1 : len;
    if (lf && content > 0 && b[off + content - 1] == '\r') {
      content--;
    } else if (lf && !tooLarge) {
      bareLf++;
    }
    if (content == 0) {
      headerBytes += len;
      return END_AFTER; // the empty line that separates the body
    }
    if (tooLarge) {
      headerBytes += len;
      return MORE; // skipping to the end of the section
    }
    if (headerBytes + len > limits.maxHeaderBytes()) {
      headerBytes += len;
      tooLarge = true;
      colon = -1; // the field being read is not kept
      return MORE;
    }
    headerBytes += len;
    if (first) {
      first = false;
      if (content >= 5
          && b[off] == 'F'
          && b[off + 1] == 'r'
          && b[off + 2] == 'o'
          && b[off + 3] == 'm'
          && b[off + 4] == ' ') {
        mbox = printable(b, off, content);
        return MORE;
      }
    }
    byte c0 = b[off];
    if ((c0 == ' ' || c0 == '\t') && colon >= 0) {
      int room = limits.maxLineLength() - field.size - 2;
      if (room <= 0 || content > room) {
        if (!fieldCut) {
          longLines++;
          fieldCut = true;
        }
        if (room > 0) {
          field.append(CRLF, 0, 2);
          field.append(b, off, room);
        }
      } else {
        field.append(CRLF, 0, 2);
        field.append(b, off, content);
      }
      return MORE;
    }
    int col = (c0 == ' ' || c0 == '\t') ? -1 : nameEnd(b, off, content);
    if (col < 0) {
      if (skipMalformed && (anyField || c0 == ' ' || c0 == '\t' || startsFrom(b, off, content))) {
        // Recovering: a stray line among the fields (or white space or a quoted mbox line before
        // them) is skipped.
        if (malformed == null) {
          malformed = printable(b, off, content);
        }
        return MORE;
      }
      malformed = printable(b, off, content);
      return END_BEFORE;
    }
    anyField = true;
    flush();
    field.size = 0;
    fieldCut = false;
    if (content > limits.maxLineLength()) {
      longLines++;
      fieldCut = true;
      content = Math.max(limits.maxLineLength(), col + 1);
    }
    field.append(b, off, content);
    colon = col;
    return MORE;
  }

  private void flush() {
    if (colon >= 0) {
      if (fields.size() < limits.maxFields()) {
        fields.add(new HeaderField(field.toArray(), colon));
      } else {
        tooMany = true;
      }
      colon = -1;
    }
  }

  /** The section, the last field included. */
  HeaderSection finish(int bodyOffset) {
    if (!tooLarge) {
      flush();
    }
    return new HeaderSection(
        fields, headerBytes, tooLarge, tooMany, longLines, mbox, malformed, bareLf, bodyOffset);
  }

  /** The offset (from {@code off}) of the colon after a valid field name, or -1. */
  static int nameEnd(byte[] b, int off, int len) {
    int i = 0;
    while (i < len) {
      int c = b[off + i] & 0xff;
      if (c == ':' || c < 0x21 || c > 0x7e) {
        break;
      }
      i++;
    }
    if (i == 0) {
      return -1;
    }
    int j = i;
    while (j < len && (b[off + j] == ' ' || b[off + j] == '\t')) {
      j++;
    }
    return j < len && b[off + j] == ':' ? j : -1;
  }

  private static boolean startsFrom(byte[] b, int off, int len) {
    int i = off;
    if (len > 0 && b[i] == '>') {
      i++;
      len--;
    }
    return len >= 5
        && b[i] == 'F'
        && b[i + 1] == 'r'
        && b[i + 2] == 'o'
        && b[i + 3] == 'm'
        && b[i + 4] == ' ';
  }

  private static String printable(byte[] b, int off, int len) {
    return Printable.of(new String(b, off, Math.min(len, 200), StandardCharsets.ISO_8859_1));
  }
}
