package dev.maildx.auth.internal;

import dev.maildx.DomainName;
import dev.maildx.auth.internal.DkimKeySource.KeyLookup;
import dev.maildx.auth.internal.SignatureVerifier.HeaderIndex;
import dev.maildx.auth.internal.SignatureVerifier.Outcome;
import dev.maildx.auth.internal.SignatureVerifier.Settings;
import dev.maildx.internal.mail.HeaderField;
import dev.maildx.internal.mail.HeaderSection;
import dev.maildx.internal.mail.MailLimits;
import dev.maildx.internal.mail.MessageReader;
import dev.maildx.report.AuthReport;
import dev.maildx.report.AuthReport.DkimSignature.Failure;
import dev.maildx.report.AuthReport.DkimSignature.Result;
import dev.maildx.spi.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One message's DKIM (RFC 6376 §6) and ARC (RFC 8617 §5.2) verification, in two steps: {@link
 * #read} reads the header section, parses every signature, starts the key lookups, and streams the
 * body through the hashers while the lookups are in flight (blocking I/O: call it on an executor);
 * {@link #verify} then checks every signature and the ARC chain once the keys are there.
 *
 * <p>The message is read by core's one bounded reader ({@link MessageReader}); signatures are
 * canonicalized from its {@link HeaderField#raw()} octets, never from decoded text.
 *
 * <p>Not thread-safe; one per message.
 */
public final class MessageVerification {
  /** The most header fields read; later ones are dropped and reported. */
  public static final int MAX_FIELDS = MailLimits.DEFAULT_MAX_FIELDS;

  /**
   * Read limits.
   *
   * @param maxMessageBytes the most octets read; the signatures of a longer message are not
   *     verified
   * @param maxHeaderBytes the most octets of header section
   * @param maxSignatures the most DKIM signatures verified; the rest are reported as not verified
   */
  public record Limits(long maxMessageBytes, int maxHeaderBytes, int maxSignatures) {
    /**
     * The bounds of the core reader for these limits: the header section bound, {@value
     * #MAX_FIELDS} fields, and no bound on one field of its own. DKIM hashes every octet of a
     * signed field (RFC 6376 §3.4), so a field that fits in the header section must not be cut; and
     * a bound equal to the header section's would not do, because the reader stores folding as
     * CRLF: a field folded with bare LFs is stored up to half again as long as it was read. (The
     * MIME bounds are not used: authentication reads no MIME structure.)
     *
     * @return the reader's limits
     */
    public MailLimits readerLimits() {
      return new MailLimits(
          maxHeaderBytes,
          MAX_FIELDS,
          Integer.MAX_VALUE,
          MailLimits.DEFAULT_MAX_PARTS,
          MailLimits.DEFAULT_MAX_DEPTH);
    }
  }

  private final HeaderSection headers;
  private final HeaderIndex index;
  private final long messageBytes;
  private final boolean truncated;
  private final List<DkimSignature> signatures;
  private final int maxSignatures;
  private final int[] handles;
  private final ArcVerifier arc;
  private final int[] arcHandles;
  private final BodyHasher hasher;
  private final Map<String, CompletableFuture<KeyLookup>> keys;

  private MessageVerification(
      HeaderSection headers,
      HeaderIndex index,
      long messageBytes,
      boolean truncated,
      List<DkimSignature> signatures,
      int maxSignatures,
      int[] handles,
      ArcVerifier arc,
      int[] arcHandles,
      BodyHasher hasher,
      Map<String, CompletableFuture<KeyLookup>> keys) {
    this.headers = headers;
    this.index = index;
    this.messageBytes = messageBytes;
    this.truncated = truncated;
    this.signatures = signatures;
    this.maxSignatures = maxSignatures;
    this.handles = handles;
    this.arc = arc;
    this.arcHandles = arcHandles;
    this.hasher = hasher;
    this.keys = keys;
  }

  /**
   * Reads a message: headers, signatures, key lookups started, body hashed. Blocks on the stream.
   *
   * @param in the message (not closed)
   * @param limits the read limits
   * @param keySource where keys come from
   * @param deadline for the key lookups
   * @return the read message, ready for {@link #verify}
   * @throws IOException if the stream fails
   */
  public static MessageVerification read(
      InputStream in, Limits limits, DkimKeySource keySource, Deadline deadline)
      throws IOException {
    return read(in, limits, keySource, deadline, h -> {});
  }

  /**
   * Reads a message as {@link #read(InputStream, Limits, DkimKeySource, Deadline)} does, telling
   * {@code onHeaders} about the header section before the body is read (to start other lookups that
   * need only the headers, such as SPF for the Return-Path).
   *
   * @param in the message (not closed)
   * @param limits the read limits
   * @param keySource where keys come from
   * @param deadline for the key lookups
   * @param onHeaders called once with the header section; must not block
   * @return the read message
   * @throws IOException if the stream fails
   */
  public static MessageVerification read(
      InputStream in,
      Limits limits,
      DkimKeySource keySource,
      Deadline deadline,
      java.util.function.Consumer<HeaderSection> onHeaders)
      throws IOException {
    MessageReader reader = new MessageReader(in, limits.maxMessageBytes(), limits.readerLimits());
    HeaderSection headers = reader.readHeaders();
    onHeaders.accept(headers);
    HeaderIndex index = new HeaderIndex(headers.fields());
    List<DkimSignature> sigs = new ArrayList<>();
    int k = 0;
    for (HeaderField f : headers.fields()) {
      if (f.lowerName().equals("dkim-signature")) {
        sigs.add(DkimSignature.parse(DkimSignature.Kind.DKIM, ++k, f));
      }
    }
    ArcVerifier arc = new ArcVerifier(index);
    BodyHasher hasher = new BodyHasher();
    Map<String, CompletableFuture<KeyLookup>> keys = new LinkedHashMap<>();
    int[] handles = new int[sigs.size()];
    boolean readable = !headers.tooLarge();
    for (int i = 0; i < sigs.size(); i++) {
      DkimSignature sig = sigs.get(i);
      handles[i] = -1;
      if (readable && i < limits.maxSignatures() && sig.failure == null) {
        handles[i] = SignatureVerifier.requestBodyHash(sig, hasher);
        key(keys, keySource, sig.domain, sig.s, deadline);
      }
    }
    List<DkimSignature> amsList = arc.messageSignatures();
    int[] arcHandles = new int[amsList.size()];
    for (int i = 0; i < amsList.size(); i++) {
      DkimSignature sig = amsList.get(i);
      arcHandles[i] = -1;
      if (readable && sig.failure == null) {
        arcHandles[i] = SignatureVerifier.requestBodyHash(sig, hasher);
        key(keys, keySource, sig.domain, sig.s, deadline);
      }
    }
    if (readable) {
      for (Map.Entry<DomainName, String> e : arc.sealKeys()) {
        key(keys, keySource, e.getKey(), e.getValue(), deadline);
      }
      if (hasher.needed()) {
        reader.readBody(hasher);
      } else {
        reader.skipRest();
      }
    }
    return new MessageVerification(
        headers,
        index,
        reader.bytesRead(),
        reader.truncated(),
        sigs,
        limits.maxSignatures(),
        handles,
        arc,
        arcHandles,
        hasher,
        keys);
  }

  private static void key(
      Map<String, CompletableFuture<KeyLookup>> keys,
      DkimKeySource source,
      @Nullable DomainName domain,
      String selector,
      Deadline deadline) {
    if (domain == null) {
      return;
    }
    keys.computeIfAbsent(name(domain, selector), n -> source.lookup(domain, selector, deadline));
  }

  private static String name(DomainName domain, String selector) {
    return (selector + "._domainkey." + domain.ascii()).toLowerCase(Locale.ROOT);
  }

  /** The longest message re-read to diagnose a body hash mismatch. */
  public static final long MAX_DIAGNOSED_BYTES = 8L << 20;

  private java.util.concurrent.@Nullable Callable<InputStream> reopen;

  /**
   * Lets the verification read the message a second time to diagnose a body hash mismatch (was
   * content only added after the signed body?), for sources that can be re-read (a file, octets in
   * memory) and of at most {@value #MAX_DIAGNOSED_BYTES} octets.
   *
   * @param source opens the message again
   * @return this
   */
  public MessageVerification reopenWith(java.util.concurrent.Callable<InputStream> source) {
    this.reopen = source;
    return this;
  }

  /**
   * {@link #verify(Settings)} with the checks (and any re-read to diagnose a mismatch) on an
   * executor rather than the thread that completes the last key lookup.
   *
   * @param settings the settings
   * @param executor where to verify
   * @return a future with the results
   */
  public CompletableFuture<Verified> verify(
      Settings settings, java.util.concurrent.Executor executor) {
    return keysReady().thenApplyAsync(v -> verifyNow(settings), executor);
  }

  /**
   * @return the header section
   */
  public HeaderSection headers() {
    return headers;
  }

  /**
   * @return the header fields indexed
   */
  public HeaderIndex index() {
    return index;
  }

  /**
   * @return the octets read
   */
  public long messageBytes() {
    return messageBytes;
  }

  /**
   * @return whether the message was longer than the limit
   */
  public boolean truncated() {
    return truncated;
  }

  /**
   * @return a future that completes when every key lookup has
   */
  public CompletableFuture<Void> keysReady() {
    return CompletableFuture.allOf(keys.values().toArray(CompletableFuture[]::new));
  }

  /**
   * The verification of every signature and of the ARC chain.
   *
   * @param settings the clock reading, skew, policies and check name
   * @return a future with the results; completes when the key lookups have
   */
  public CompletableFuture<Verified> verify(Settings settings) {
    return keysReady().thenApply(v -> verifyNow(settings));
  }

  private @Nullable KeyLookup keyNow(@Nullable DomainName domain, String selector) {
    if (domain == null) {
      return null;
    }
    CompletableFuture<KeyLookup> f = keys.get(name(domain, selector));
    return f == null || !f.isDone() || f.isCompletedExceptionally() ? null : f.join();
  }

  private Verified verifyNow(Settings settings) {
    String unreadable =
        headers.tooLarge()
            ? "the header section is larger than the limit, so the message was not read"
            : truncated
                ? "the message is larger than the limit of "
                    + messageBytes
                    + " octets, so its body hash could not be computed"
                : null;
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < signatures.size(); i++) {
      DkimSignature sig = signatures.get(i);
      if (sig.failure != null) {
        outcomes.add(SignatureVerifier.verify(sig, index, hasher, -1, null, settings));
      } else if (unreadable != null) {
        outcomes.add(
            Outcome.notVerified(
                sig, settings, Failure.NOT_VERIFIED, "It was not verified: " + unreadable + "."));
      } else if (i >= maxSignatures) {
        outcomes.add(
            Outcome.notVerified(
                sig,
                settings,
                Failure.NOT_VERIFIED,
                "The message has "
                    + signatures.size()
                    + " DKIM signatures; only "
                    + "the first "
                    + maxSignatures
                    + " are verified, as a guard against messages built to cause many lookups."));
      } else {
        outcomes.add(
            SignatureVerifier.verify(
                sig, index, hasher, handles[i], keyNow(sig.domain, sig.s), settings));
      }
    }
    for (Outcome o : outcomes) {
      if (o.failure() == Failure.BODY_HASH_MISMATCH
          && reopen != null
          && messageBytes <= MAX_DIAGNOSED_BYTES) {
        diagnoseBody(o, reopen);
      }
    }
    boolean anyPass = outcomes.stream().anyMatch(o -> o.result() == Result.PASS);
    List<AuthReport.DkimSignature> results = new ArrayList<>();
    for (Outcome o : outcomes) {
      results.add(o.toResult(anyPass && o.result() != Result.PASS));
    }
    AuthReport.Arc arcResult;
    if (!arc.present()) {
      arcResult = AuthReport.Arc.none();
    } else {
      List<Outcome> amsOutcomes = new ArrayList<>();
      List<DkimSignature> amsList = arc.messageSignatures();
      for (int i = 0; i < amsList.size(); i++) {
        DkimSignature sig = amsList.get(i);
        if (unreadable != null && sig.failure == null) {
          amsOutcomes.add(
              Outcome.notVerified(
                  sig, settings, Failure.NOT_VERIFIED, "It was not verified: " + unreadable + "."));
        } else {
          amsOutcomes.add(
              SignatureVerifier.verify(
                  sig, index, hasher, arcHandles[i], keyNow(sig.domain, sig.s), settings));
        }
      }
      arcResult = arc.validate(amsOutcomes, this::keyNow, settings);
    }
    return new Verified(results, arcResult);
  }

  /**
   * Re-reads the body to see whether the body as signed is still there, with content added after
   * it.
   */
  private void diagnoseBody(Outcome o, java.util.concurrent.Callable<InputStream> reopen) {
    DkimSignature sig = o.signature();
    if (sig.algorithm == null) {
      return; // not reached: a body hash was compared, so the algorithm is known
    }
    BodyHasher.Probe probe =
        BodyHasher.probe(
            sig.relaxedBody ? BodyHasher.Canon.RELAXED : BodyHasher.Canon.SIMPLE,
            sig.algorithm.digest(),
            sig.bh);
    try (InputStream in = reopen.call()) {
      MessageReader r = new MessageReader(in, MAX_DIAGNOSED_BYTES, Integer.MAX_VALUE);
      r.readHeaders();
      r.readBody(probe.hasher());
    } catch (Exception e) {
      return; // the diagnosis is a bonus; the mismatch stands as reported
    }
    if (probe.appended()) {
      o.appended(probe.signedLength(), probe.signedLines(), probe.totalLength());
    }
  }

  /**
   * The verification results.
   *
   * @param dkim one result per DKIM-Signature, top to bottom
   * @param arc the ARC chain validation
   */
  public record Verified(List<AuthReport.DkimSignature> dkim, AuthReport.Arc arc) {}
}
