package dev.maildx.internal.mail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A header section as read (RFC 5322 §2.2), with what was odd or cut about it.
 *
 * @param fields the header fields, top to bottom (at most {@link MailLimits#maxFields()})
 * @param headerBytes the octets of the header section as read (the empty line included)
 * @param tooLarge whether the header section exceeded {@link MailLimits#maxHeaderBytes()} (then
 *     {@code fields} is incomplete; a stream reader does not reach the body)
 * @param tooManyFields whether more than {@link MailLimits#maxFields()} fields were found (the rest
 *     were dropped)
 * @param longLines how many lines or fields were cut at {@link MailLimits#maxLineLength()}
 * @param mboxLine the skipped mbox {@code From } line, or {@code null}
 * @param malformedLine the line that ended the header section without being a header field, or
 *     {@code null} (it is the first line of the body)
 * @param bareLfLines how many header lines ended with a bare LF
 * @param bodyOffset where the body starts in the buffer the section was parsed from (just after the
 *     empty line, or at the malformed line, or at the end); {@code -1} when read from a stream
 */
public record HeaderSection(
    List<HeaderField> fields,
    long headerBytes,
    boolean tooLarge,
    boolean tooManyFields,
    int longLines,
    @Nullable String mboxLine,
    @Nullable String malformedLine,
    int bareLfLines,
    int bodyOffset) {
  /** An empty section. */
  public static final HeaderSection EMPTY =
      new HeaderSection(List.of(), 0, false, false, 0, null, null, 0, 0);

  /** Copies. */
  public HeaderSection {
    fields = List.copyOf(fields);
  }

  /**
   * Parses the header section at the start of {@code b[from, to)}. Line ends: LF or CRLF.
   *
   * @param b the octets
   * @param from where the section starts
   * @param to where the entity ends
   * @param limits the bounds
   * @return the section; {@link #bodyOffset()} says where the body starts
   */
  public static HeaderSection parse(byte[] b, int from, int to, MailLimits limits) {
    return parse(b, from, to, limits, false);
  }

  /**
   * Parses the header section at the start of {@code b[from, to)}, optionally recovering from lines
   * that are not header fields.
   *
   * @param b the octets
   * @param from where the section starts
   * @param to where the entity ends
   * @param limits the bounds
   * @param skipMalformed {@code false}: a line that is neither a field nor a continuation ends the
   *     section and starts the body (what an MTA and a DKIM verifier see); {@code true}: once a
   *     field has been read, such a line is skipped and the section ends only at the empty line
   *     (white space and {@code >From } lines before the first field are skipped too), to recover
   *     the fields of mangled notices; {@link #malformedLine()} is the first line skipped
   * @return the section; {@link #bodyOffset()} says where the body starts
   */
  public static HeaderSection parse(
      byte[] b, int from, int to, MailLimits limits, boolean skipMalformed) {
    HeaderParser p = new HeaderParser(limits, skipMalformed);
    int i = from;
    int body = to;
    while (i < to) {
      int nl = i;
      while (nl < to && b[nl] != '\n') {
        nl++;
      }
      int next = nl < to ? nl + 1 : to;
      int r = p.line(b, i, next - i);
      if (r == HeaderParser.END_AFTER) {
        body = next;
        break;
      }
      if (r == HeaderParser.END_BEFORE) {
        body = i;
        break;
      }
      i = next;
    }
    return p.finish(Math.min(body, to));
  }

  /**
   * Parses header fields written as text (for example a returned message's headers quoted in a
   * notice), encoded as UTF-8 for the reader, skipping lines that are not fields.
   *
   * @param text the text
   * @param limits the bounds
   * @return the section ({@link #bodyOffset()} counts UTF-8 octets)
   */
  public static HeaderSection parse(String text, MailLimits limits) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return parse(b, 0, b.length, limits, true);
  }

  /**
   * The first field of a name.
   *
   * @param name the field name, any case
   * @return the field, or {@code null}
   */
  public @Nullable HeaderField field(String name) {
    int key = HeaderField.key(name);
    for (HeaderField f : fields) {
      if (f.nameKey == key && f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }

  /**
   * The value of the first field of a name ({@link HeaderField#value()}).
   *
   * @param name the field name, any case
   * @return the value, or {@code null} if there is no such field
   */
  public @Nullable String get(String name) {
    HeaderField f = field(name);
    return f == null ? null : f.value();
  }

  /**
   * The values of every field of a name, top to bottom.
   *
   * @param name the field name, any case
   * @return the values
   */
  public List<String> all(String name) {
    List<String> out = new ArrayList<>();
    int key = HeaderField.key(name);
    for (HeaderField f : fields) {
      if (f.nameKey == key && f.name().equalsIgnoreCase(name)) {
        out.add(f.value());
      }
    }
    return out;
  }

  /**
   * Whether there is a field of a name.
   *
   * @param name the field name, any case
   * @return {@code true} if there is
   */
  public boolean has(String name) {
    return field(name) != null;
  }

  /**
   * @return how many fields were kept
   */
  public int size() {
    return fields.size();
  }
}
