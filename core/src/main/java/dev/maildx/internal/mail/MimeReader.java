package dev.maildx.internal.mail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the MIME structure of a message held in memory (RFC 2045, RFC 2046 §5): header sections,
 * multipart bodies split at their delimiters, embedded messages (message/rfc822 and message/global,
 * transfer-decoded first if they are encoded). From the bounce reader's {@code Mime.parse}, on
 * octets instead of a string, with the header rules of {@link HeaderSection}.
 *
 * <p>Header sections are read {@linkplain HeaderSection#parse(byte[], int, int, MailLimits,
 * boolean) recovering}: a stray line among the fields is skipped, not taken as the start of the
 * body.
 *
 * <p>Line ends: LF or CRLF. A delimiter is {@code --boundary} at the start of a line followed by
 * {@code --} (the closing one) or by nothing but white space; the line end before it belongs to it.
 * A part that is never closed runs to the end of its parent. When a multipart's declared boundary
 * never occurs, a {@code --token} line that occurs twice is taken instead (bodies mangled in
 * transit). Parts of a multipart/digest are message/rfc822 by default.
 *
 * <p>Bounds ({@link MailLimits}): entities per message, nesting depth, and the header bounds per
 * entity; exceeding one stops the descent there and is recorded in {@link #problems()}. Time is
 * linear in the message size times the depth. Never throws on content.
 *
 * <p>Not thread-safe: one reader per message.
 */
public final class MimeReader {
  /** At most this many problems are recorded. */
  public static final int MAX_PROBLEMS = 20;

  /** At most this many boundary guesses per message (each costs a scan of the part). */
  static final int MAX_GUESSES = 4;

  private final MailLimits limits;
  private final List<String> problems = new ArrayList<>();
  private int parts;
  private int guesses;
  private byte @Nullable [] viewOf;
  private String view = "";

  /**
   * A reader.
   *
   * @param limits the bounds
   */
  public MimeReader(MailLimits limits) {
    this.limits = limits;
  }

  /** A reader with {@link MailLimits#DEFAULT}. */
  public MimeReader() {
    this(MailLimits.DEFAULT);
  }

  /**
   * Reads a whole message.
   *
   * @param message the octets
   * @return the root entity
   */
  public MimeEntity parse(byte[] message) {
    return parse(message, 0, message.length);
  }

  /**
   * Reads the message in {@code b[from, to)}.
   *
   * @param b the octets (kept, not copied: do not modify them while the entities are used)
   * @param from the first octet
   * @param to the end
   * @return the root entity
   */
  public MimeEntity parse(byte[] b, int from, int to) {
    return parse(b, from, to, 0, "text/plain");
  }

  /**
   * @return what was cut short or skipped, in words (at most {@value #MAX_PROBLEMS})
   */
  public List<String> problems() {
    return problems;
  }

  /**
   * @return how many entities were read
   */
  public int parts() {
    return parts;
  }

  /**
   * Records a problem (also for callers that cut something themselves).
   *
   * @param p the problem in words
   */
  public void problem(String p) {
    if (problems.size() < MAX_PROBLEMS && !problems.contains(p)) {
      problems.add(p);
    }
  }

  private MimeEntity parse(byte[] b, int from, int to, int depth, String defaultType) {
    HeaderSection h = HeaderSection.parse(b, from, to, limits, true);
    if (h.tooManyFields()) {
      problem("more than " + limits.maxFields() + " header fields; the rest were ignored");
    }
    if (h.longLines() > 0) {
      problem("a header field longer than " + limits.maxLineLength() + " characters was cut");
    }
    if (h.tooLarge()) {
      problem(
          "a header section larger than "
              + limits.maxHeaderBytes()
              + " bytes was not read completely");
    }
    MimeEntity e = new MimeEntity(b, h, h.bodyOffset(), to, depth, defaultType);
    parts++;
    if (e.isMultipart()) {
      String boundary = e.param("boundary");
      if (boundary != null && !boundary.isEmpty() && boundary.length() <= 200) {
        if (depth >= limits.maxDepth()) {
          problem("MIME nesting deeper than " + limits.maxDepth() + " levels was not read");
        } else {
          String childType =
              e.mediaType().equals("multipart/digest") ? "message/rfc822" : "text/plain";
          byte[] delim = boundary.getBytes(StandardCharsets.UTF_8);
          split(e, delim, childType);
          if (e.children.isEmpty() && guesses < MAX_GUESSES) {
            // The declared boundary never occurs (mangled in transit or by hand): use the one the
            // body does use.
            guesses++;
            byte[] found = guessBoundary(b, e.bodyStart(), e.bodyEnd());
            if (found != null) {
              split(e, found, childType);
            }
          }
        }
      }
    } else if (e.isMessage()) {
      if (depth >= limits.maxDepth()) {
        problem("MIME nesting deeper than " + limits.maxDepth() + " levels was not read");
      } else if (parts < limits.maxParts()) {
        String enc = e.transferEncoding();
        if (enc.equals("base64") || enc.equals("quoted-printable")) {
          byte[] inner = e.decodedBody();
          e.embedded = parse(inner, 0, inner.length, depth + 1, "text/plain");
        } else {
          e.embedded = parse(b, e.bodyStart(), e.bodyEnd(), depth + 1, "text/plain");
        }
      }
    }
    return e;
  }

  private void split(MimeEntity p, byte[] boundary, String childType) {
    byte[] b = p.buffer();
    int start = p.bodyStart();
    int end = p.bodyEnd();
    // Look for "--boundary" with String.indexOf over a one-char-per-octet view of the buffer
    // (vectorized in the
    // JDK), then check that it starts a line and is a whole delimiter line.
    String s = view(b);
    String needle = "--" + new String(boundary, StandardCharsets.ISO_8859_1);
    int partStart = -1;
    int pos = start;
    while (pos < end) {
      int at = s.indexOf(needle, pos);
      if (at < 0 || at + needle.length() > end) {
        break;
      }
      if (at != start && b[at - 1] != '\n') {
        pos = at + 1;
        continue;
      }
      int nl = indexOf(b, (byte) '\n', at + needle.length(), end);
      int lineEnd = nl < 0 ? end : nl;
      int next = nl < 0 ? end : nl + 1;
      int kind = delimiter(b, at, lineEnd, boundary);
      if (kind == 0) {
        pos = at + 1;
        continue;
      }
      if (partStart >= 0) {
        int partEnd = at;
        if (partEnd > partStart && b[partEnd - 1] == '\n') {
          partEnd--;
          if (partEnd > partStart && b[partEnd - 1] == '\r') {
            partEnd--;
          }
        }
        if (!addChild(p, partStart, partEnd, childType)) {
          return;
        }
      }
      if (kind == 2) {
        p.epilogueStart = next;
        return;
      }
      partStart = next;
      pos = next;
    }
    if (partStart >= 0 && partStart < end) {
      addChild(p, partStart, end, childType);
    }
  }

  /** The buffer as a string of one char per octet (made once per buffer). */
  private String view(byte[] b) {
    if (viewOf != b) {
      view = new String(b, StandardCharsets.ISO_8859_1);
      viewOf = b;
    }
    return view;
  }

  /** 0: not a delimiter line; 1: a delimiter; 2: the closing delimiter. */
  private static int delimiter(byte[] b, int from, int lineEnd, byte[] boundary) {
    int n = boundary.length;
    if (lineEnd - from < n + 2 || b[from] != '-' || b[from + 1] != '-') {
      return 0;
    }
    for (int k = 0; k < n; k++) {
      if (b[from + 2 + k] != boundary[k]) {
        return 0;
      }
    }
    int i = from + 2 + n;
    if (i + 2 <= lineEnd && b[i] == '-' && b[i + 1] == '-') {
      return 2;
    }
    for (; i < lineEnd; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r') {
        return 0;
      }
    }
    return 1;
  }

  private boolean addChild(MimeEntity p, int from, int to, String childType) {
    if (parts >= limits.maxParts()) {
      problem("more than " + limits.maxParts() + " MIME parts; the rest were not read");
      return false;
    }
    p.children.add(parse(p.buffer(), from, Math.max(from, to), p.depth() + 1, childType));
    return true;
  }

  /**
   * The first "--token" line of a body that occurs again at the start of a later line, or null; a
   * few candidates at most.
   */
  static byte @Nullable [] guessBoundary(byte[] b, int start, int end) {
    int line = start;
    int lines = 0;
    int candidates = 0;
    while (line < end && lines < 2000 && candidates < 4) {
      lines++;
      int nl = indexOf(b, (byte) '\n', line, end);
      int e = nl < 0 ? end : nl;
      int len = e - line;
      if (len > 4 && len < 200 && b[line] == '-' && b[line + 1] == '-') {
        int ts = line + 2;
        int te = e;
        while (te > ts && (b[te - 1] == ' ' || b[te - 1] == '\t' || b[te - 1] == '\r')) {
          te--;
        }
        if (te - ts > 2 && b[te - 1] == '-' && b[te - 2] == '-') {
          te -= 2;
        }
        boolean ok = te > ts;
        for (int k = ts; k < te && ok; k++) {
          ok = b[k] != ' ' && b[k] != '\t';
        }
        if (ok) {
          candidates++;
          byte[] token = java.util.Arrays.copyOfRange(b, ts, te);
          int l2 = nl < 0 ? end : nl + 1;
          while (l2 < end) {
            int nl2 = indexOf(b, (byte) '\n', l2, end);
            int e2 = nl2 < 0 ? end : nl2;
            if (delimiter(b, l2, e2, token) != 0) {
              return token;
            }
            l2 = e2 + 1;
          }
        }
      }
      line = e + 1;
    }
    return null;
  }

  static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether a media type holds a message (message/rfc822, message/global).
   *
   * @param type the media type, lower case
   * @return {@code true} if it does
   */
  public static boolean isMessage(String type) {
    return type.equals("message/rfc822") || type.equals("message/global");
  }

  /**
   * Turns every CRLF and bare CR into LF (the bounce reader reads notices this way, so that CRLF,
   * LF and CR files read alike).
   *
   * @param b the octets
   * @param len how many of them
   * @return the octets with LF line ends ({@code b} itself when there is no CR and {@code len} is
   *     its length)
   */
  public static byte[] normalizeLineEnds(byte[] b, int len) {
    int cr = indexOf(b, (byte) '\r', 0, len);
    if (cr < 0) {
      return len == b.length ? b : java.util.Arrays.copyOf(b, len);
    }
    byte[] out = new byte[len];
    System.arraycopy(b, 0, out, 0, cr);
    int n = cr;
    for (int i = cr; i < len; i++) {
      byte c = b[i];
      if (c == '\r') {
        out[n++] = '\n';
        if (i + 1 < len && b[i + 1] == '\n') {
          i++;
        }
      } else {
        out[n++] = c;
      }
    }
    return n == len ? out : java.util.Arrays.copyOf(out, n);
  }
}
