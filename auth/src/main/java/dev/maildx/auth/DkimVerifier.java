package dev.maildx.auth;

import static java.util.Objects.requireNonNull;

import dev.maildx.DiagnosticsConfig;
import dev.maildx.MailDiagnostics;
import dev.maildx.auth.internal.DkimKeySource;
import dev.maildx.auth.internal.MessageVerification;
import dev.maildx.auth.internal.SignatureVerifier;
import dev.maildx.dns.DkimKeyResolver;
import dev.maildx.dns.internal.DnsClient;
import dev.maildx.report.AuthReport;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.Deadline;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Verifies every {@code DKIM-Signature} of a received message as a receiving MTA does (RFC 6376 §6,
 * RFC 8301, RFC 8463): the tag list, simple and relaxed canonicalization of header and body on the
 * raw octets, {@code l=}, {@code h=} with over-signed and missing header fields, {@code t=} and
 * {@code x=} against the configured clock, {@code rsa-sha256} (with {@code rsa-sha1} refused) and
 * {@code ed25519-sha256}, and the key record looked up through {@link DkimKeyResolver}.
 *
 * <pre>{@code
 * try (MailDiagnostics maildx = MailDiagnostics.create()) {  // share one; components borrow its threads
 *   DkimVerifier dkim = DkimVerifier.create(maildx);
 *   for (AuthReport.DkimSignature r : dkim.verify(Path.of("message.eml"))) {
 *     r.result();             // PASS, FAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR
 *     r.failure();            // e.g. BODY_HASH_MISMATCH, with bodyHashComputed() and bodyHashClaimed()
 *     r.changedHeaders();     // e.g. [Subject] when a signed header field was changed
 *   }
 * }
 * }</pre>
 *
 * <p>The message is read in bounded memory: the body streams through the canonicalizers and hashes
 * and is never held, so a 25 MiB message needs no more heap than a small one. Lines may end with
 * CRLF or a bare LF (both count as CRLF, as for dkimpy and an MTA); a bare CR is data. Limits,
 * clock skew and the partial-body policy are set with {@link AuthOptions}. For the whole
 * receiving-side evaluation (SPF, DMARC, ARC, Authentication-Results) use {@link
 * MessageAuthenticator}. The finding codes are listed on {@code SignatureVerifier} (internal) and
 * in the CHANGELOG. A message held as a Jakarta Mail {@code Part}: {@link
 * JakartaMailMessages#verify}, when Jakarta Mail is on the class path.
 *
 * <p>Thread-safe; share one instance.
 */
public final class DkimVerifier implements AutoCloseable {
  static final String CHECK = AuthReport.CHECK;

  private final DnsClient dns;
  private final DkimKeySource keys;
  private final AuthOptions options;

  private DkimVerifier(DnsClient dns, AuthOptions options) {
    this.dns = dns;
    this.keys = new DnsKeySource(DkimKeyResolver.create(dns), CHECK);
    this.options = options;
  }

  /**
   * Creates a verifier on the runtime of a {@code MailDiagnostics}: its DNS client, threads and
   * configuration (the deadline of a blocking call is its {@link DiagnosticsConfig#timeout()}),
   * with its {@link AuthOptions}. The verifier starts no threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the verifier is
   *     used, and closing the verifier leaves it open
   * @return a new verifier
   */
  public static DkimVerifier create(MailDiagnostics maildx) {
    CheckEnvironment env = CheckEnvironment.of(maildx);
    return create(DnsClient.of(env), AuthOptions.of(env));
  }

  /**
   * Creates a verifier on the runtime of a {@code MailDiagnostics} with other options; it starts no
   * threads of its own.
   *
   * @param maildx the instance whose runtime to borrow; it must stay open while the verifier is
   *     used, and closing the verifier leaves it open
   * @param options limits and policies
   * @return a new verifier
   */
  public static DkimVerifier create(MailDiagnostics maildx, AuthOptions options) {
    requireNonNull(options, "options");
    return create(DnsClient.of(CheckEnvironment.of(maildx)), options);
  }

  static DkimVerifier create(DnsClient dns, AuthOptions options) {
    return new DkimVerifier(dns, options);
  }

  /**
   * Verifies the signatures of a message file, blocking up to the configured timeout.
   *
   * @param message the message (RFC 5322, as received)
   * @return one result per DKIM-Signature, top to bottom; empty if there is none
   * @throws UncheckedIOException if the file cannot be read
   */
  public List<AuthReport.DkimSignature> verify(Path message) {
    requireNonNull(message, "message");
    try (InputStream in = Files.newInputStream(message)) {
      return run(
              in,
              Deadline.after(dns.environment().config().timeout()),
              () -> Files.newInputStream(message))
          .join();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Verifies the signatures of a message, blocking up to the configured timeout.
   *
   * @param message the message octets
   * @return one result per DKIM-Signature
   */
  public List<AuthReport.DkimSignature> verify(byte[] message) {
    requireNonNull(message, "message");
    return verify(message, message.length);
  }

  /**
   * As {@link #verify(byte[])}, for the first {@code length} octets ({@link JakartaMailMessages}).
   */
  List<AuthReport.DkimSignature> verify(byte[] message, int length) {
    try {
      return run(
              new ByteArrayInputStream(message, 0, length),
              Deadline.after(dns.environment().config().timeout()),
              () -> new ByteArrayInputStream(message, 0, length))
          .join();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @return the options ({@link JakartaMailMessages} takes the size limit)
   */
  AuthOptions options() {
    return options;
  }

  /**
   * Verifies the signatures of a message read from a stream (not closed), blocking on the stream
   * and up to the configured timeout for the keys.
   *
   * @param message the message
   * @return one result per DKIM-Signature
   * @throws UncheckedIOException if the stream fails
   */
  public List<AuthReport.DkimSignature> verify(InputStream message) {
    requireNonNull(message, "message");
    Deadline deadline = Deadline.after(dns.environment().config().timeout());
    try {
      return run(message, deadline, null).join();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Verifies the signatures of a message file: the file is read on the environment's executor, the
   * keys are looked up meanwhile.
   *
   * @param message the message file
   * @param deadline when to give up on key lookups (they then give {@code temperror})
   * @return a future with one result per DKIM-Signature; it fails with an {@link
   *     UncheckedIOException} if the file cannot be read
   */
  @SuppressWarnings(
      "FutureReturnValueIgnored") // the nested future supplyAsync returns is unwrapped by
  // thenCompose
  public CompletableFuture<List<AuthReport.DkimSignature>> verifyAsync(
      Path message, Deadline deadline) {
    requireNonNull(message, "message");
    requireNonNull(deadline, "deadline");
    return CompletableFuture.supplyAsync(
            () -> {
              try (InputStream in = Files.newInputStream(message)) {
                return run(in, deadline, () -> Files.newInputStream(message));
              } catch (IOException e) {
                throw new CompletionException(new UncheckedIOException(e));
              }
            },
            dns.environment().executor())
        .thenCompose(f -> f);
  }

  private CompletableFuture<List<AuthReport.DkimSignature>> run(
      InputStream in,
      Deadline deadline,
      java.util.concurrent.@Nullable Callable<InputStream> reopen)
      throws IOException {
    MessageVerification m = MessageVerification.read(in, limits(options), keys, deadline);
    if (reopen != null) {
      m.reopenWith(reopen);
    }
    return m.verify(settings(dns.environment(), options), dns.environment().executor())
        .thenApply(MessageVerification.Verified::dkim);
  }

  static MessageVerification.Limits limits(AuthOptions o) {
    return new MessageVerification.Limits(
        o.maxMessageBytes(), o.maxHeaderBytes(), o.maxSignatures());
  }

  static SignatureVerifier.Settings settings(CheckEnvironment env, AuthOptions o) {
    return new SignatureVerifier.Settings(
        env.clock().instant(), o.clockSkew(), o.acceptPartialBody(), CHECK);
  }

  /**
   * Does nothing: a verifier owns no threads, and the runtime it borrows stays open with its {@code
   * MailDiagnostics}.
   */
  @Override
  public void close() {}
}
