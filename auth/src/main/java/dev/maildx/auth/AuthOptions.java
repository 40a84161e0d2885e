package dev.maildx.auth;

import static java.util.Objects.requireNonNull;

import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckOptions;
import java.time.Duration;

/**
 * Settings of message authentication ({@link DkimVerifier}, {@link MessageAuthenticator}): the
 * limits that bound the work one message can cause, the clock skew allowed for signature timestamps
 * (RFC 6376 §3.5 {@code t=}, {@code x=}), whether partial-body signatures may pass, and the
 * authserv-id written into the Authentication-Results header field (RFC 8601 §2.5).
 *
 * <p>For a whole diagnosis, set them with {@code MailDiagnostics.builder().options(authOptions)};
 * for a standalone component, {@code MessageAuthenticator.create(maildx, authOptions)}.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}, derive variants with {@link
 * #toBuilder()}. Unset values are the documented defaults.
 */
public final class AuthOptions implements CheckOptions {
  /** The default limit on the size of a message read: 64 MiB. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 64L << 20;

  /** The default limit on the header section: 1 MiB. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;

  /** The default number of DKIM signatures verified per message: 10. */
  public static final int DEFAULT_MAX_SIGNATURES = 10;

  /**
   * The default clock skew allowed for {@code t=} in the future and {@code x=} in the past: 5
   * minutes.
   */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

  /** The default authserv-id (RFC 8601 §2.5). */
  public static final String DEFAULT_AUTHSERV_ID = "maildx";

  private static final AuthOptions DEFAULTS = new Builder().build();

  private final long maxMessageBytes;
  private final int maxHeaderBytes;
  private final int maxSignatures;
  private final Duration clockSkew;
  private final boolean acceptPartialBody;
  private final boolean useReturnPath;
  private final String authservId;

  private AuthOptions(Builder b) {
    this.maxMessageBytes = b.maxMessageBytes;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.maxSignatures = b.maxSignatures;
    this.clockSkew = b.clockSkew;
    this.acceptPartialBody = b.acceptPartialBody;
    this.useReturnPath = b.useReturnPath;
    this.authservId = b.authservId;
  }

  /**
   * @return the defaults
   */
  public static AuthOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder holding these options
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxMessageBytes = maxMessageBytes;
    b.maxHeaderBytes = maxHeaderBytes;
    b.maxSignatures = maxSignatures;
    b.clockSkew = clockSkew;
    b.acceptPartialBody = acceptPartialBody;
    b.useReturnPath = useReturnPath;
    b.authservId = authservId;
    return b;
  }

  /** The options a {@code MailDiagnostics} was built with, or the defaults. */
  static AuthOptions of(CheckEnvironment env) {
    return env.config().options(AuthOptions.class).orElse(DEFAULTS);
  }

  /**
   * @return the most octets of a message read (default {@link #DEFAULT_MAX_MESSAGE_BYTES}); the
   *     signatures of a longer one are not verified
   */
  public long maxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * @return the most octets of header section read (default {@link #DEFAULT_MAX_HEADER_BYTES})
   */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /**
   * @return the most DKIM signatures verified per message (default {@value
   *     #DEFAULT_MAX_SIGNATURES})
   */
  public int maxSignatures() {
    return maxSignatures;
  }

  /**
   * @return the clock skew allowed for signature timestamps (default {@link #DEFAULT_CLOCK_SKEW})
   */
  public Duration clockSkew() {
    return clockSkew;
  }

  /**
   * Whether a signature whose {@code l=} leaves part of the body unsigned may pass (default {@code
   * true}, as RFC 6376 allows; a warning says how much is unsigned). {@code false} gives such
   * signatures the result {@code policy}.
   *
   * @return whether partial-body signatures may pass
   */
  public boolean acceptPartialBody() {
    return acceptPartialBody;
  }

  /**
   * Whether the MAIL FROM for SPF is taken from the message's {@code Return-Path} header field when
   * the envelope gives none (default {@code true}): the final delivery agent records the envelope
   * sender there.
   *
   * @return whether Return-Path stands in for MAIL FROM
   */
  public boolean useReturnPath() {
    return useReturnPath;
  }

  /**
   * @return the authserv-id of the Authentication-Results header field (default {@value
   *     #DEFAULT_AUTHSERV_ID})
   */
  public String authservId() {
    return authservId;
  }

  /** Builds {@link AuthOptions}; checks each value as it is set. Not thread-safe. */
  public static final class Builder {
    private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private int maxSignatures = DEFAULT_MAX_SIGNATURES;
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;
    private boolean acceptPartialBody = true;
    private boolean useReturnPath = true;
    private String authservId = DEFAULT_AUTHSERV_ID;

    private Builder() {}

    /**
     * Sets the most octets of a message read (default 64 MiB); the signatures of a longer message
     * are not verified.
     *
     * @param bytes at least 1 KiB
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is less than 1024
     */
    public Builder maxMessageBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxMessageBytes must be at least 1024, was " + bytes);
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * Sets the most octets of header section read (default 1 MiB).
     *
     * @param bytes from 1 KiB to 64 MiB
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is outside 1 KiB to 64 MiB
     */
    public Builder maxHeaderBytes(int bytes) {
      if (bytes < 1024 || bytes > (64 << 20)) {
        throw new IllegalArgumentException(
            "maxHeaderBytes must be between 1024 and 67108864, was " + bytes);
      }
      this.maxHeaderBytes = bytes;
      return this;
    }

    /**
     * Sets the most DKIM signatures verified per message (default 10).
     *
     * @param count from 1 to 100
     * @return this builder
     * @throws IllegalArgumentException if {@code count} is outside 1 to 100
     */
    public Builder maxSignatures(int count) {
      if (count < 1 || count > 100) {
        throw new IllegalArgumentException("maxSignatures must be between 1 and 100, was " + count);
      }
      this.maxSignatures = count;
      return this;
    }

    /**
     * Sets the clock skew allowed for signature timestamps (default 5 minutes).
     *
     * @param skew zero to one day
     * @return this builder
     * @throws IllegalArgumentException if {@code skew} is negative or longer than a day
     */
    public Builder clockSkew(Duration skew) {
      requireNonNull(skew, "skew");
      if (skew.isNegative() || skew.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("clockSkew must be between 0 and 1 day, was " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * Sets whether partial-body signatures ({@code l=}) may pass (default {@code true}).
     *
     * @param accept {@code false} to give them the result {@code policy}
     * @return this builder
     */
    public Builder acceptPartialBody(boolean accept) {
      this.acceptPartialBody = accept;
      return this;
    }

    /**
     * Sets whether Return-Path stands in for a missing MAIL FROM (default {@code true}).
     *
     * @param use {@code false} to use only the envelope given
     * @return this builder
     */
    public Builder useReturnPath(boolean use) {
      this.useReturnPath = use;
      return this;
    }

    /**
     * Sets the authserv-id (RFC 8601 §2.5), usually the receiving host's name (default {@value
     * #DEFAULT_AUTHSERV_ID}).
     *
     * @param id a token of printable ASCII without white space, {@code ;} or quotes
     * @return this builder
     * @throws IllegalArgumentException if {@code id} is empty, longer than 255 characters, or holds
     *     white space, control characters or one of {@code ();"\[]<>,:@}
     */
    public Builder authservId(String id) {
      requireNonNull(id, "id");
      if (id.isEmpty()
          || id.length() > 255
          || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f && "();\"\\[]<>,:@".indexOf(c) < 0)) {
        throw new IllegalArgumentException(
            "invalid authserv-id \"" + id + "\": use a host name such as mx.example.com");
      }
      this.authservId = id;
      return this;
    }

    /**
     * @return the options
     */
    public AuthOptions build() {
      return new AuthOptions(this);
    }
  }
}
