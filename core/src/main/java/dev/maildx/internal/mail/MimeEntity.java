package dev.maildx.internal.mail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One MIME entity (RFC 2045 §2.4) of a message read by {@link MimeReader}: its header section, its
 * body as a range of the message's octets, and its children (a multipart's parts) or its embedded
 * message (message/rfc822, message/global). The body is decoded only when asked for.
 *
 * <p>Not thread-safe while being built; read-only afterwards (parameters are parsed once, on first
 * use).
 */
public final class MimeEntity {
  private final byte[] buf;
  private final HeaderSection headers;
  private final int bodyStart;
  private final int bodyEnd;
  private final int depth;
  private final String mediaType;
  private final @Nullable String contentType;
  final List<MimeEntity> children = new ArrayList<>();
  @Nullable MimeEntity embedded;
  int epilogueStart = -1;
  private @Nullable Map<String, String> params;

  MimeEntity(
      byte[] buf,
      HeaderSection headers,
      int bodyStart,
      int bodyEnd,
      int depth,
      String defaultType) {
    this.buf = buf;
    this.headers = headers;
    this.bodyStart = bodyStart;
    this.bodyEnd = Math.max(bodyStart, bodyEnd);
    this.depth = depth;
    this.contentType = headers.get("Content-Type");
    this.mediaType = HeaderParams.mediaType(contentType, defaultType);
  }

  /**
   * @return the entity's header fields
   */
  public HeaderSection headers() {
    return headers;
  }

  /**
   * @return {@code type/subtype}, lower case; {@code text/plain} (or {@code message/rfc822} in a
   *     digest) when absent or broken
   */
  public String mediaType() {
    return mediaType;
  }

  /**
   * @return the Content-Type field's value, or {@code null}
   */
  public @Nullable String contentType() {
    return contentType;
  }

  /**
   * A Content-Type parameter (RFC 2045 §5.1, RFC 2231).
   *
   * @param name the parameter name, any case
   * @return the value, or {@code null}
   */
  public @Nullable String param(String name) {
    Map<String, String> p = params;
    if (p == null) {
      p = contentType == null ? Map.of() : HeaderParams.parse(contentType);
      params = p;
    }
    return p.get(name.toLowerCase(Locale.ROOT));
  }

  /**
   * @return the Content-Transfer-Encoding, normalized ({@link TransferEncoding#name(String)})
   */
  public String transferEncoding() {
    return TransferEncoding.name(headers.get("Content-Transfer-Encoding"));
  }

  /**
   * @return the Content-Disposition type ({@code inline}, {@code attachment}), or {@code null}
   */
  public @Nullable String disposition() {
    return HeaderParams.main(headers.get("Content-Disposition"));
  }

  /**
   * @return whether the media type is {@code multipart/*}
   */
  public boolean isMultipart() {
    return mediaType.startsWith("multipart/");
  }

  /**
   * @return whether the media type is {@code message/rfc822} or {@code message/global}
   */
  public boolean isMessage() {
    return MimeReader.isMessage(mediaType);
  }

  /**
   * @return a multipart's parts, in order (empty for other entities, or when they were not read)
   */
  public List<MimeEntity> children() {
    return Collections.unmodifiableList(children);
  }

  /**
   * @return the message a message/rfc822 entity holds, or {@code null}
   */
  public @Nullable MimeEntity embedded() {
    return embedded;
  }

  /**
   * @return the nesting depth, 0 for the message itself
   */
  public int depth() {
    return depth;
  }

  /**
   * @return the octets the entity was read from (shared; do not modify)
   */
  public byte[] buffer() {
    return buf;
  }

  /**
   * @return where the body starts in {@link #buffer()}
   */
  public int bodyStart() {
    return bodyStart;
  }

  /**
   * @return where the body ends in {@link #buffer()}
   */
  public int bodyEnd() {
    return bodyEnd;
  }

  /**
   * @return where the text after a multipart's closing delimiter starts in {@link #buffer()}, or -1
   */
  public int epilogueStart() {
    return epilogueStart;
  }

  /**
   * @return the body after transfer decoding
   */
  public byte[] decodedBody() {
    return TransferEncoding.decode(buf, bodyStart, bodyEnd, transferEncoding());
  }

  /**
   * @return the body as text: transfer decoding, then the charset parameter ({@link
   *     Charsets#decode})
   */
  public String text() {
    byte[] b = decodedBody();
    return Charsets.decode(b, 0, b.length, param("charset"));
  }

  @Override
  public String toString() {
    return mediaType
        + (children.isEmpty() ? "" : children.toString())
        + (embedded == null ? "" : "{" + embedded + "}");
  }
}
