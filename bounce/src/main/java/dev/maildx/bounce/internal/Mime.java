package dev.maildx.bounce.internal;

import dev.maildx.internal.mail.EncodedWords;
import dev.maildx.internal.mail.HeaderSection;
import dev.maildx.internal.mail.MailLimits;
import dev.maildx.internal.mail.MimeEntity;
import dev.maildx.internal.mail.MimeReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The bounce analysis's view of core's message reader ({@link MimeReader}, {@link HeaderSection},
 * {@link EncodedWords}): the message is held as one ISO-8859-1 string (one char per byte) with
 * every line ending turned into LF, so CRLF, LF and CR input read alike; text is decoded to Unicode
 * only for the parts that are read. Nothing here throws on bad data.
 */
public final class Mime {
  private Mime() {}

  /** Limits and what was cut short. */
  public static final class Budget {
    final MimeReader reader;

    /** Human descriptions of what was truncated or skipped. */
    public final List<String> problems;

    public Budget(int maxParts, int maxDepth) {
      this.reader = new MimeReader(MailLimits.DEFAULT.withMime(maxParts, maxDepth));
      this.problems = reader.problems();
    }

    void problem(String p) {
      reader.problem(p);
    }
  }

  /** Turns raw bytes into the LF-only ISO-8859-1 string the analysis works on. */
  public static String normalize(byte[] b, int len) {
    return new String(MimeReader.normalizeLineEnds(b, len), StandardCharsets.ISO_8859_1);
  }

  /** Header fields of one entity, in order; names compared case-insensitively. */
  public static final class Headers {
    final HeaderSection section;

    Headers(HeaderSection section) {
      this.section = section;
    }

    public @Nullable String get(String name) {
      return section.get(name);
    }

    public List<String> all(String name) {
      return section.all(name);
    }

    public int size() {
      return section.size();
    }

    public String name(int i) {
      return section.fields().get(i).name();
    }

    public String value(int i) {
      return section.fields().get(i).value();
    }

    public boolean has(String name) {
      return section.has(name);
    }
  }

  /**
   * The header fields at the start of {@code s[start, end)} (text, such as returned headers quoted
   * in a notice).
   */
  public static Headers headers(String s, int start, int end, Budget budget) {
    return new Headers(HeaderSection.parse(s.substring(start, end), MailLimits.DEFAULT));
  }

  /**
   * The colon of a field name (printable ASCII, no space; at most 80 characters), or -1: for DSN
   * fields in free text.
   */
  static int fieldColon(String s, int from, int to) {
    int lim = Math.min(to, from + 80);
    for (int i = from; i < lim; i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return i > from ? i : -1;
      }
      if (c <= ' ' || c > '~') {
        // allow "Name :" (space before colon) only as the last thing before the colon
        if (c == ' ' || c == '\t') {
          int j = i;
          while (j < lim && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
            j++;
          }
          return j < lim && s.charAt(j) == ':' && i > from ? j : -1;
        }
        return -1;
      }
    }
    return -1;
  }

  /** One MIME entity with its children (multipart) or its embedded message (message/rfc822). */
  public static final class Part {
    final MimeEntity entity;
    public final Headers headers;
    public final String type;
    public final List<Part> children = new ArrayList<>();
    public @Nullable Part embedded;

    /** Where the text after a multipart's closing delimiter starts, or -1. */
    public int epilogueStart = -1;

    Part(MimeEntity e) {
      this.entity = e;
      this.headers = new Headers(e.headers());
      this.type = e.mediaType();
      for (MimeEntity c : e.children()) {
        children.add(new Part(c));
      }
      MimeEntity m = e.embedded();
      this.embedded = m == null ? null : new Part(m);
    }

    public @Nullable String param(String name) {
      return entity.param(name);
    }

    /** The body decoded to Unicode text (transfer encoding, then charset). */
    public String text() {
      return entity.text();
    }

    public boolean isMultipart() {
      return entity.isMultipart();
    }
  }

  /** Parses the entity in {@code s[start, end)}. */
  public static Part parse(String s, int start, int end, int depth, Budget budget) {
    String sub = s.substring(start, end);
    byte[] b = sub.getBytes(StandardCharsets.ISO_8859_1);
    boolean latin1 =
        new String(b, StandardCharsets.ISO_8859_1)
            .equals(sub); // bulk copies and compare: faster than a loop
    if (!latin1) {
      b =
          sub.getBytes(
              StandardCharsets.UTF_8); // text already decoded (a report quoted in a notice)
    }
    MimeEntity root = budget.reader.parse(b);
    Part p = new Part(root);
    int epi = root.epilogueStart();
    if (epi >= 0) {
      p.epilogueStart =
          start + (latin1 ? epi : new String(b, 0, epi, StandardCharsets.UTF_8).length());
    }
    return p;
  }

  static boolean isMessage(String type) {
    return MimeReader.isMessage(type);
  }

  /** Decodes RFC 2047 encoded words in a header value. */
  public static String decodeHeader(@Nullable String v) {
    return EncodedWords.decode(v);
  }
}
