package dev.maildx.auth.internal;

import dev.maildx.internal.mail.BodySink;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Canonicalizes a message body as it streams past (RFC 6376 §3.4.3 simple, §3.4.4 relaxed) and
 * hashes it for every signature that asked, in one pass and in constant memory: each
 * canonicalization runs once and feeds every digest that uses it, each digest stopping at its
 * {@code l=} limit.
 *
 * <p>Input may end lines with CRLF or a bare LF (both are a line end); a bare CR is data. Trailing
 * empty lines are held back as a count, never buffered, so their number does not matter.
 *
 * <p>Not thread-safe; one hasher per message.
 */
public final class BodyHasher implements BodySink {
  /** A body canonicalization algorithm. */
  public enum Canon {
    /** RFC 6376 §3.4.3. */
    SIMPLE,
    /** RFC 6376 §3.4.4. */
    RELAXED
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private final List<Request> requests = new ArrayList<>();
  private @Nullable Canonicalizer simple;
  private @Nullable Canonicalizer relaxed;
  private boolean finished;

  /**
   * Asks for a body hash.
   *
   * @param canon the canonicalization
   * @param algorithm the JDK digest name, {@code SHA-256} or {@code SHA-1}
   * @param limit the most canonicalized octets hashed ({@code l=}), or -1 for all
   * @return a handle for {@link #digest(int)}; equal requests share one
   */
  public int request(Canon canon, String algorithm, long limit) {
    if (finished) {
      throw new IllegalStateException("already finished");
    }
    for (int i = 0; i < requests.size(); i++) {
      Request r = requests.get(i);
      if (r.canon == canon && r.algorithm.equals(algorithm) && r.limit == limit) {
        return i;
      }
    }
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException(algorithm, e);
    }
    Request r = new Request(canon, algorithm, limit, md);
    requests.add(r);
    canonicalizer(canon).out.add(r);
    return requests.size() - 1;
  }

  /**
   * @return whether any hash was asked for
   */
  public boolean needed() {
    return !requests.isEmpty();
  }

  /**
   * Feeds body octets.
   *
   * @param b the buffer
   * @param off the first octet
   * @param len how many
   */
  @Override
  public void update(byte[] b, int off, int len) {
    if (simple != null) {
      simple.update(b, off, len);
    }
    if (relaxed != null) {
      relaxed.update(b, off, len);
    }
  }

  /** Ends the body: flushes what is held back and completes the digests. */
  @Override
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (simple != null) {
      simple.finish();
    }
    if (relaxed != null) {
      relaxed.finish();
    }
    for (Request r : requests) {
      r.result = r.md.digest();
    }
  }

  /**
   * A computed hash.
   *
   * @param handle from {@link #request}
   * @return the digest
   * @throws IllegalStateException before {@link #finish()}
   */
  public byte[] digest(int handle) {
    Request r = requests.get(handle);
    if (r.result == null) {
      throw new IllegalStateException("not finished");
    }
    return r.result.clone();
  }

  /**
   * The length of the canonicalized body.
   *
   * @param canon the canonicalization (it must have been requested)
   * @return its length in octets, or -1 if it was not computed
   */
  public long canonicalLength(Canon canon) {
    Canonicalizer c = canon == Canon.SIMPLE ? simple : relaxed;
    return c == null ? -1 : c.out.length;
  }

  /**
   * A hasher for the diagnosis of a body hash mismatch: it finds the longest prefix of the
   * canonicalized body, ending at the end of a line, whose hash is the claimed one — the body as
   * signed, when content was only added after it (a footer from a mailing list or a gateway).
   * Slower than hashing (a digest is finished at every line), so it runs only after a mismatch.
   *
   * @param canon the signature's body canonicalization
   * @param algorithm the JDK digest name
   * @param target the claimed body hash ({@code bh=})
   * @return the probe; feed its {@link Probe#hasher()} the body
   */
  public static Probe probe(Canon canon, String algorithm, byte[] target) {
    return new Probe(canon, algorithm, target);
  }

  /** See {@link #probe}. Not thread-safe. */
  public static final class Probe {
    private final BodyHasher hasher = new BodyHasher();
    private final Canonicalizer canonicalizer;
    private long signedLength = -1;
    private long signedLines;
    private long lines;

    private Probe(Canon canon, String algorithm, byte[] target) {
      Request r = hasher.requests.get(hasher.request(canon, algorithm, -1));
      canonicalizer = hasher.canonicalizer(canon);
      byte[] empty = canon == Canon.SIMPLE ? CRLF : new byte[0];
      try {
        if (MessageDigest.isEqual(MessageDigest.getInstance(algorithm).digest(empty), target)) {
          signedLength = 0; // the body was empty when signed
        }
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalArgumentException(algorithm, e);
      }
      canonicalizer.lineEnd =
          () -> {
            lines++;
            if (signedLength < 0) {
              try {
                if (MessageDigest.isEqual(((MessageDigest) r.md.clone()).digest(), target)) {
                  signedLength = canonicalizer.out.length;
                  signedLines = lines;
                }
              } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
              }
            }
          };
    }

    /**
     * @return the hasher to feed the body to (then finish it)
     */
    public BodyHasher hasher() {
      return hasher;
    }

    /**
     * @return whether the body as signed is a proper prefix of the body: content was only added
     */
    public boolean appended() {
      return signedLength >= 0 && signedLength < canonicalizer.out.length;
    }

    /**
     * @return the canonical length of the body as signed, or -1 if no prefix matched
     */
    public long signedLength() {
      return signedLength;
    }

    /**
     * @return how many lines the body as signed has
     */
    public long signedLines() {
      return signedLines;
    }

    /**
     * @return the canonical length of the whole body
     */
    public long totalLength() {
      return canonicalizer.out.length;
    }
  }

  private Canonicalizer canonicalizer(Canon canon) {
    if (canon == Canon.SIMPLE) {
      if (simple == null) {
        simple = new Canonicalizer(false);
      }
      return simple;
    }
    if (relaxed == null) {
      relaxed = new Canonicalizer(true);
    }
    return relaxed;
  }

  /** One requested digest. */
  private static final class Request {
    final Canon canon;
    final String algorithm;
    final long limit;
    final MessageDigest md;
    long remaining;
    byte @Nullable [] result;

    Request(Canon canon, String algorithm, long limit, MessageDigest md) {
      this.canon = canon;
      this.algorithm = algorithm;
      this.limit = limit;
      this.md = md;
      this.remaining = limit < 0 ? Long.MAX_VALUE : limit;
    }
  }

  /** The canonicalized output: staged in a buffer, fed to each digest up to its limit. */
  private static final class Out {
    final List<Request> sinks = new ArrayList<>();
    Request[] array = new Request[0];
    final byte[] stage = new byte[4096];
    int n;
    long length;

    void add(Request r) {
      sinks.add(r);
      array = sinks.toArray(new Request[0]);
    }

    void put(byte[] b, int off, int len) {
      length += len;
      while (len > 0) {
        int k = Math.min(len, stage.length - n);
        System.arraycopy(b, off, stage, n, k);
        n += k;
        off += k;
        len -= k;
        if (n == stage.length) {
          flush();
        }
      }
    }

    void put(byte c) {
      length++;
      stage[n++] = c;
      if (n == stage.length) {
        flush();
      }
    }

    void crlf() {
      if (n + 2 > stage.length) {
        flush();
      }
      stage[n++] = '\r';
      stage[n++] = '\n';
      length += 2;
    }

    void flush() {
      for (Request r : array) {
        if (r.remaining > 0) {
          int k = (int) Math.min(n, r.remaining);
          r.md.update(stage, 0, k);
          r.remaining -= k;
        }
      }
      n = 0;
    }
  }

  /**
   * The simple (RFC 6376 §3.4.3) or relaxed (§3.4.4) body canonicalization as a state machine over
   * chunks: empty lines are counted and written only when content follows, so trailing ones are
   * dropped; in relaxed mode a run of white space is remembered and written as one SP only when
   * content follows on the same line, so trailing white space is dropped.
   */
  private static final class Canonicalizer {
    final boolean relaxedMode;
    final Out out = new Out();

    /**
     * Called after each content line's CRLF, with the digests flushed (diagnosis only; null
     * otherwise).
     */
    @Nullable Runnable lineEnd;

    long pendingEmpty;
    boolean inLine;
    boolean cr;
    boolean wsp;

    Canonicalizer(boolean relaxedMode) {
      this.relaxedMode = relaxedMode;
    }

    void update(byte[] b, int off, int len) {
      int i = off;
      int end = off + len;
      while (i < end) {
        if (cr) {
          cr = false;
          if (b[i] == '\n') {
            endLine();
            i++;
            continue;
          }
          content();
          out.put((byte) '\r');
        }
        int s = i;
        if (relaxedMode) {
          while (i < end) {
            byte c = b[i];
            if (c == ' ' && i > s && i + 1 < end) {
              // a single SP between two content octets is already canonical: keep it in the span
              byte n = b[i + 1];
              if (n != ' ' && n != '\t' && n != '\r' && n != '\n') {
                i += 2;
                continue;
              }
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
              break;
            }
            i++;
          }
        } else {
          while (i < end) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
              break;
            }
            i++;
          }
        }
        if (i > s) {
          content();
          out.put(b, s, i - s);
        }
        if (i == end) {
          break;
        }
        byte c = b[i++];
        if (c == '\n') {
          endLine();
        } else if (c == '\r') {
          cr = true;
        } else {
          wsp = true; // relaxed only: SP or HTAB
        }
      }
    }

    /** Content follows on this line: write held-back empty lines and white space first. */
    private void content() {
      if (!inLine) {
        for (; pendingEmpty > 0; pendingEmpty--) {
          out.crlf();
        }
        inLine = true;
      }
      if (wsp) {
        wsp = false;
        out.put((byte) ' ');
      }
    }

    private void endLine() {
      wsp = false;
      if (inLine) {
        out.crlf();
        inLine = false;
        if (lineEnd != null) {
          out.flush();
          lineEnd.run();
        }
      } else {
        pendingEmpty++;
      }
    }

    void finish() {
      if (cr) {
        cr = false;
        content();
        out.put((byte) '\r');
      }
      wsp = false;
      if (inLine) {
        out.crlf();
        inLine = false;
      }
      if (!relaxedMode && out.length == 0) {
        out.put(CRLF, 0, 2); // RFC 6376 §3.4.3: an empty body is one CRLF
      }
      out.flush();
    }
  }
}
