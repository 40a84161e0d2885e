package dev.maildx.report;

import static dev.maildx.Severity.ERROR;
import static dev.maildx.Severity.INFO;
import static dev.maildx.Severity.WARNING;
import static dev.maildx.Verdict.AT_RISK;
import static dev.maildx.Verdict.DELIVERABLE;
import static dev.maildx.Verdict.INCONCLUSIVE;
import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.Finding;
import dev.maildx.FindingCode;
import dev.maildx.Severity;
import dev.maildx.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a receiving MTA computes when it authenticates a message (check {@code auth}): every DKIM
 * signature verified (RFC 6376, RFC 8301, RFC 8463), SPF for the envelope when the client IP is
 * known (RFC 7208), the RFC5322.From and the DMARC outcome (RFC 9989, RFC 7489), the ARC chain (RFC
 * 8617), and the {@code Authentication-Results} header field value it would add (RFC 8601).
 *
 * @param check the check name, {@code auth}
 * @param source where the message was read from (a file name, or a description)
 * @param messageBytes the size of the message as read, in octets
 * @param messageId the Message-ID header field's value, empty if there is none
 * @param envelope the SMTP envelope used for SPF (the MAIL FROM may come from the {@code
 *     Return-Path} header field when none was given; a finding then says so)
 * @param from the RFC5322.From as DMARC reads it
 * @param dkim one result per {@code DKIM-Signature} header field, top to bottom
 * @param spf the SPF evaluation, or {@code null} if no client IP was given
 * @param dmarc the DMARC evaluation that decides (for several Author Domains the strictest failing
 *     one), or {@code null} if none could be made
 * @param dmarcResult the DMARC result for the message: that of {@code dmarc}, or {@code permerror}
 *     when the From is unusable (none, several fields, no domain), or {@code temperror} when it
 *     could not be evaluated in time
 * @param arc the ARC chain validation
 * @param authenticationResults the Authentication-Results header field value, one line
 * @param findings what the check found, most severe first
 */
public record AuthReport(
    String check,
    String source,
    long messageBytes,
    String messageId,
    SmtpEnvelope envelope,
    From from,
    List<DkimSignature> dkim,
    @Nullable SpfReport spf,
    @Nullable DmarcEvaluation dmarc,
    DmarcEvaluation.Result dmarcResult,
    Arc arc,
    String authenticationResults,
    List<Finding> findings)
    implements DmarcOutcomeReport {
  /** The name of the check that authenticates a received message: {@value}. */
  public static final String CHECK = "auth";

  /** Validates and copies. */
  public AuthReport {
    requireNonNull(check, "check");
    requireNonNull(source, "source");
    requireNonNull(messageId, "messageId");
    requireNonNull(envelope, "envelope");
    requireNonNull(from, "from");
    dkim = List.copyOf(dkim);
    requireNonNull(dmarcResult, "dmarcResult");
    requireNonNull(arc, "arc");
    requireNonNull(authenticationResults, "authenticationResults");
    findings = List.copyOf(findings);
  }

  /**
   * The signatures that verified.
   *
   * @return the passing DKIM results, in order
   */
  public List<DkimSignature> passingSignatures() {
    return dkim.stream().filter(DkimSignature::pass).toList();
  }

  /**
   * The Authentication-Results header field as a receiving MTA adds it, folded before each method
   * result (RFC 8601 §2.2, RFC 5322 §2.2.3).
   *
   * @return {@code Authentication-Results: authserv-id;} and the results, lines joined by CRLF
   */
  public String authenticationResultsHeader() {
    String[] parts = authenticationResults.split("; ");
    StringBuilder b = new StringBuilder("Authentication-Results: ").append(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      b.append(";\r\n\t").append(parts[i]);
    }
    return b.toString();
  }

  /**
   * The validation of a message's Authenticated Received Chain (RFC 8617 §5.2): the chain
   * validation status ({@code cv}) a receiver would seal with, the ARC sets found, which one broke
   * and why, and what each intermediary recorded in its {@code ARC-Authentication-Results} — so
   * that a message that failed DMARC after passing through a mailing list or forwarder shows what
   * the first hop saw.
   *
   * @param status none (no ARC header fields), pass or fail
   * @param instances the highest instance number found ({@code i=}), 0 if none
   * @param failedInstance the instance whose set broke the chain, 0 if none did or the chain's
   *     structure broke as a whole
   * @param oldestPass the lowest instance {@code i} such that every ARC-Message-Signature from
   *     {@code i} to the newest verifies (RFC 8617 §5.2 "oldest-pass"); 0 if the newest does not
   * @param reason one sentence: why this status
   * @param sets the ARC sets, oldest ({@code i=1}) first
   * @param findings what the validation found
   */
  public record Arc(
      ChainStatus status,
      int instances,
      int failedInstance,
      int oldestPass,
      String reason,
      List<ArcSet> sets,
      List<Finding> findings) {

    /** Validates and copies. */
    public Arc {
      requireNonNull(status, "status");
      requireNonNull(reason, "reason");
      sets = List.copyOf(sets);
      findings = List.copyOf(findings);
    }

    /**
     * The result when the message has no ARC header fields.
     *
     * @return status none, no sets
     */
    public static Arc none() {
      return new Arc(
          ChainStatus.NONE, 0, 0, 0, "The message has no ARC header fields.", List.of(), List.of());
    }

    /**
     * This result as an {@code arc} method result of an Authentication-Results header field (RFC
     * 8617 §7.2).
     *
     * @return for example {@code arc=pass (i=2) header.oldest-pass=1}
     */
    public String authenticationResult() {
      StringBuilder b = new StringBuilder("arc=").append(status.name().toLowerCase(Locale.ROOT));
      if (status != ChainStatus.NONE) {
        b.append(" (i=").append(instances);
        if (status == ChainStatus.FAIL && failedInstance > 0) {
          b.append(", broken at i=").append(failedInstance);
        }
        b.append(')');
      }
      if (status == ChainStatus.PASS && oldestPass > 0) {
        b.append(" header.oldest-pass=").append(oldestPass);
      }
      return b.toString();
    }

    /** The chain validation status (RFC 8617 §4.4). */
    public enum ChainStatus {
      /** No ARC sets. */
      NONE,
      /** Every seal and the newest message signature verify, and the chain is well formed. */
      PASS,
      /** The chain is malformed or a seal or the newest message signature does not verify. */
      FAIL
    }

    /**
     * One ARC set: the three header fields of one instance.
     *
     * @param instance {@code i=}
     * @param sealDomain the {@code ARC-Seal}'s {@code d=}; empty if absent
     * @param sealSelector its {@code s=}; empty if absent
     * @param sealCv its {@code cv=} as written (none, pass, fail); empty if absent
     * @param sealResult whether the seal verified: PASS, FAIL, or the error; {@code null} if it was
     *     not checked (the chain broke before it)
     * @param sealReason why, one sentence
     * @param messageSignature the verification of this set's {@code ARC-Message-Signature}; {@code
     *     null} if it was not checked
     * @param authservId the authserv-id of its {@code ARC-Authentication-Results}; empty if absent
     * @param authResults the results recorded there (after {@code i=N; authserv-id;}), unfolded
     */
    public record ArcSet(
        int instance,
        String sealDomain,
        String sealSelector,
        String sealCv,
        DkimSignature.@Nullable Result sealResult,
        String sealReason,
        @Nullable DkimSignature messageSignature,
        String authservId,
        String authResults) {
      /** Validates. */
      public ArcSet {
        requireNonNull(sealDomain, "sealDomain");
        requireNonNull(sealSelector, "sealSelector");
        requireNonNull(sealCv, "sealCv");
        requireNonNull(sealReason, "sealReason");
        requireNonNull(authservId, "authservId");
        requireNonNull(authResults, "authResults");
      }
    }
  }

  /**
   * The verification of one {@code DKIM-Signature} header field of a received message (RFC 6376
   * §6.1, RFC 8301, RFC 8463), or of one {@code ARC-Message-Signature} (RFC 8617 §5.1.2, which is
   * verified the same way): the result, why, and what was computed — the body hash computed beside
   * the one claimed ({@code bh=}), the header hash computed beside the one the signer signed (when
   * the RSA signature gives it back), and the canonicalized header block that was hashed, so that a
   * changed header can be found by comparing it with the sender's copy.
   *
   * <p>How failures map to results (RFC 8601 §2.7.1):
   *
   * <ul>
   *   <li>{@link Result#FAIL} — the signature was checked and does not hold: {@link
   *       Failure#BODY_HASH_MISMATCH} (the body changed), {@link Failure#SIGNATURE_MISMATCH} (a
   *       signed header changed: {@link #changedHeaders()} names it when it can be found), {@link
   *       Failure#WRONG_KEY} (the signature was not made with the published key), {@link
   *       Failure#BODY_TRUNCATED} (the body is shorter than {@code l=});
   *   <li>{@link Result#NEUTRAL} — the signature cannot be processed: a malformed or incomplete tag
   *       list, an unsupported version, algorithm, canonicalization or query method, {@code From}
   *       not signed, {@code i=} outside {@code d=}, expired, dated in the future, or not verified
   *       because of the limit on signatures per message;
   *   <li>{@link Result#POLICY} — verifiable, but refused: {@code rsa-sha1} (RFC 8301 §3.1), an RSA
   *       key under 1024 bits (RFC 8301 §3.2), or (if so configured) an {@code l=} that leaves part
   *       of the body unsigned;
   *   <li>{@link Result#PERMERROR} — the key: no key record, revoked, unusable, of the wrong type
   *       for {@code a=}, not for email or for this hash, or not valid for the {@code i=}
   *       subdomain;
   *   <li>{@link Result#TEMPERROR} — the key could not be looked up (timeout, SERVFAIL).
   * </ul>
   *
   * @param index the position of the header field among those of its kind, 1 for the topmost
   * @param result the result
   * @param failure what exactly went wrong ({@link Failure#NONE} for a pass)
   * @param reason one sentence: why this result
   * @param domain the signing domain ({@code d=}) as written, lower case; empty if absent
   * @param selector the selector ({@code s=}); empty if absent
   * @param identity the Agent or User Identifier ({@code i=}, default {@code @d}); for an
   *     ARC-Message-Signature the instance, such as {@code 1}
   * @param algorithm {@code a=} as written, such as {@code rsa-sha256}
   * @param headerCanonicalization {@code simple} or {@code relaxed} (from {@code c=}); as written
   *     if unknown
   * @param bodyCanonicalization {@code simple} or {@code relaxed}; as written if unknown
   * @param signedHeaders the header field names of {@code h=}, in order, as written
   * @param bodyLength {@code l=}, or {@code null} if the whole body is signed
   * @param timestamp {@code t=}, or {@code null}
   * @param expiration {@code x=}, or {@code null}
   * @param bodyHashClaimed {@code bh=} (base64, white space removed); empty if absent
   * @param bodyHashComputed the body hash maildx computed (base64); empty if it was not computed
   * @param canonicalBodyBytes the length of the canonicalized body, in octets ({@code -1} if not
   *     computed)
   * @param headerHashComputed the hash of the signed header block maildx computed (base64); empty
   *     if not computed
   * @param headerHashSigned the header hash the signer signed, recovered from an RSA signature
   *     (base64); empty if not known (a passing or an Ed25519 signature)
   * @param signedHeaderBlock the canonicalized header block that was hashed (the selected header
   *     fields and the signature field with an empty {@code b=}), in the message's encoding decoded
   *     as UTF-8; empty if not computed; at most 64 KiB
   * @param changedHeaders the signed header fields found to have changed (or to have been added)
   *     after signing, by name in lower case; empty if none was found or none changed
   * @param keyBits the size of the key used, 0 if no key was used
   * @param keyTesting whether the key record says {@code t=y} (testing): receivers may treat a
   *     failure as if the message were unsigned
   * @param findings what the verification found, in order
   */
  public record DkimSignature(
      int index,
      Result result,
      Failure failure,
      String reason,
      String domain,
      String selector,
      String identity,
      String algorithm,
      String headerCanonicalization,
      String bodyCanonicalization,
      List<String> signedHeaders,
      @Nullable Long bodyLength,
      @Nullable Instant timestamp,
      @Nullable Instant expiration,
      String bodyHashClaimed,
      String bodyHashComputed,
      long canonicalBodyBytes,
      String headerHashComputed,
      String headerHashSigned,
      String signedHeaderBlock,
      List<String> changedHeaders,
      int keyBits,
      boolean keyTesting,
      List<Finding> findings) {

    /** Validates and copies. */
    public DkimSignature {
      requireNonNull(result, "result");
      requireNonNull(failure, "failure");
      requireNonNull(reason, "reason");
      requireNonNull(domain, "domain");
      requireNonNull(selector, "selector");
      requireNonNull(identity, "identity");
      requireNonNull(algorithm, "algorithm");
      requireNonNull(headerCanonicalization, "headerCanonicalization");
      requireNonNull(bodyCanonicalization, "bodyCanonicalization");
      signedHeaders = List.copyOf(signedHeaders);
      requireNonNull(bodyHashClaimed, "bodyHashClaimed");
      requireNonNull(bodyHashComputed, "bodyHashComputed");
      requireNonNull(headerHashComputed, "headerHashComputed");
      requireNonNull(headerHashSigned, "headerHashSigned");
      requireNonNull(signedHeaderBlock, "signedHeaderBlock");
      changedHeaders = List.copyOf(changedHeaders);
      findings = List.copyOf(findings);
    }

    /**
     * @return whether the signature verified
     */
    public boolean pass() {
      return result == Result.PASS;
    }

    /**
     * Whether the body hash was computed and equals {@code bh=}.
     *
     * @return {@code true} if the body is as signed
     */
    public boolean bodyHashMatches() {
      return !bodyHashComputed.isEmpty() && bodyHashComputed.equals(bodyHashClaimed);
    }

    /**
     * @return the signing domain as a {@link DomainName}, if {@code d=} is a valid one
     */
    public Optional<DomainName> signingDomain() {
      try {
        return domain.isEmpty() ? Optional.empty() : Optional.of(DomainName.of(domain));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }

    /**
     * This result as a {@code dkim} method result of an Authentication-Results header field (RFC
     * 8601 §2.7.1; {@code header.s} and {@code header.a} as registered by RFC 8601 §2.7.1 and RFC
     * 6008).
     *
     * @return for example {@code dkim=pass (2048-bit key) header.d=example.com
     *     header.i=@example.com header.s=sel header.a=rsa-sha256}
     */
    public String authenticationResult() {
      StringBuilder b = new StringBuilder("dkim=").append(result.name().toLowerCase(Locale.ROOT));
      if (result == Result.PASS && keyBits > 0) {
        b.append(" (").append(keyBits).append("-bit key)");
      } else if (result != Result.PASS) {
        b.append(" reason=\"").append(quotable(failure.description())).append('"');
      }
      if (!domain.isEmpty()) {
        b.append(" header.d=").append(token(domain));
      }
      if (!identity.isEmpty() && identity.indexOf('@') >= 0) {
        b.append(" header.i=").append(token(identity));
      }
      if (!selector.isEmpty()) {
        b.append(" header.s=").append(token(selector));
      }
      if (!algorithm.isEmpty()) {
        b.append(" header.a=").append(token(algorithm));
      }
      return b.toString();
    }

    private static String token(String s) {
      boolean plain =
          !s.isEmpty()
              && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>,;:\\\"[]?= ".indexOf(c) < 0);
      return plain ? s : "\"" + quotable(s) + "\"";
    }

    private static String quotable(String s) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < s.length() && b.length() < 200; i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          b.append('\\');
        }
        b.append(c < 0x20 || c == 0x7f ? '?' : c);
      }
      return b.toString();
    }

    /** A DKIM verification result (RFC 8601 §2.7.1). */
    public enum Result {
      /** The signature verified. */
      PASS,
      /** The signature was checked and does not verify. */
      FAIL,
      /** The signature could not be processed (malformed, unsupported, expired). */
      NEUTRAL,
      /** The signature is verifiable but not acceptable (rsa-sha1, a short key). */
      POLICY,
      /** The key could not be looked up; a later retry may succeed. */
      TEMPERROR,
      /** The key cannot be used: absent, revoked, malformed, of the wrong type. */
      PERMERROR
    }

    /** What exactly went wrong with a signature. */
    public enum Failure {
      /** Nothing: the signature verified. */
      NONE("verified"),
      /**
       * The body hash does not match {@code bh=}: the body changed after signing (RFC 6376 §6.1.3).
       */
      BODY_HASH_MISMATCH("body hash did not verify"),
      /**
       * The body hash matches but the signature does not verify: a signed header changed (RFC 6376
       * §6.1.3).
       */
      SIGNATURE_MISMATCH("signature did not verify"),
      /**
       * The RSA signature does not decrypt under the published key: another key signed, or {@code
       * b=} is damaged.
       */
      WRONG_KEY("signature was not made with the published key"),
      /** The body is shorter than {@code l=} says: it was truncated (RFC 6376 §3.5). */
      BODY_TRUNCATED("body shorter than l="),
      /**
       * The tag list is malformed, or a required tag is missing or invalid (RFC 6376 §3.5, §6.1.1).
       */
      MALFORMED("malformed signature"),
      /** {@code v=} is not {@code 1} (RFC 6376 §6.1.1). */
      UNSUPPORTED_VERSION("unsupported version"),
      /** {@code a=} names an unknown algorithm. */
      UNSUPPORTED_ALGORITHM("unsupported algorithm"),
      /** {@code c=} names an unknown canonicalization. */
      UNSUPPORTED_CANONICALIZATION("unsupported canonicalization"),
      /** {@code q=} does not offer {@code dns/txt}. */
      UNSUPPORTED_QUERY_METHOD("unsupported query method"),
      /** {@code h=} does not include From (RFC 6376 §6.1.1). */
      FROM_NOT_SIGNED("From field not signed"),
      /** The domain of {@code i=} is not {@code d=} or a subdomain of it (RFC 6376 §6.1.1). */
      IDENTITY_MISMATCH("i= not within d="),
      /** {@code x=} is in the past (RFC 6376 §6.1.1). */
      EXPIRED("signature expired"),
      /** {@code t=} is in the future, or {@code x=} is not after {@code t=} (RFC 6376 §3.5). */
      BAD_TIMESTAMP("timestamp in the future"),
      /** {@code rsa-sha1}, which verifiers must not accept (RFC 8301 §3.1). */
      ALGORITHM_REFUSED("rsa-sha1 not accepted"),
      /** An RSA key under 1024 bits, which verifiers must not accept (RFC 8301 §3.2). */
      KEY_TOO_SHORT("key too short"),
      /** An {@code l=} that leaves part of the body unsigned, refused by configuration. */
      PARTIAL_BODY("l= leaves part of the body unsigned"),
      /** No key record at {@code <s>._domainkey.<d>} (RFC 6376 §6.1.2). */
      KEY_NOT_FOUND("no key for signature"),
      /** The key record has an empty {@code p=} (RFC 6376 §6.1.2). */
      KEY_REVOKED("key revoked"),
      /**
       * The key record cannot be used for this signature: malformed, wrong type, not for email or
       * sha256, {@code t=s}.
       */
      KEY_UNUSABLE("key unusable"),
      /** The key lookup failed (timeout, SERVFAIL). */
      KEY_LOOKUP_FAILED("key lookup failed"),
      /**
       * Not verified: more signatures than the configured limit, or the message could not be read
       * in full.
       */
      NOT_VERIFIED("not verified");

      private final String description;

      Failure(String description) {
        this.description = description;
      }

      /**
       * @return a short phrase, as used in Authentication-Results {@code reason=}
       */
      public String description() {
        return description;
      }
    }
  }

  /**
   * The RFC5322.From of a message as DMARC reads it (RFC 5322 §3.6.2, RFC 7489 §6.6.1): how many
   * From header fields there are, the mailbox addresses in the (first) one — groups opened up,
   * display names decoded from RFC 2047 encoded words — and their domains, the Author Domains.
   *
   * <p>A message should have exactly one From field (RFC 5322 §3.6) with one mailbox. Several
   * fields, no field, no domain (an empty group, a bare local part, an address literal) or several
   * different domains are each reported by a finding of the {@code auth} check.
   *
   * @param fields how many From header fields the message has
   * @param value the (first) field's value, unfolded; empty if there is none; at most 2,000
   *     characters
   * @param displayNames the display names of the mailboxes, decoded, in order (empty strings for
   *     mailboxes without one)
   * @param addresses the addr-specs of the mailboxes, in order, as written
   * @param domains the distinct domains of those addresses that are valid domain names, in order
   */
  public record From(
      int fields,
      String value,
      List<String> displayNames,
      List<String> addresses,
      List<DomainName> domains) {
    /** Validates and copies. */
    public From {
      requireNonNull(value, "value");
      displayNames = List.copyOf(displayNames);
      addresses = List.copyOf(addresses);
      domains = List.copyOf(domains);
    }

    /**
     * The Author Domain, if the message has exactly one.
     *
     * @return the single domain of the From field(s), or empty if there are none or several
     */
    public Optional<DomainName> authorDomain() {
      return domains.size() == 1 ? Optional.of(domains.get(0)) : Optional.empty();
    }
  }

  /**
   * The codes of the findings of the {@code auth} check on a received message: its From, its DMARC
   * outcome (RFC 9989 §5.3), each DKIM signature (RFC 6376 §6) and the ARC chain (RFC 8617). The
   * {@code auth} check also repeats the SPF result ({@link SpfReport.Code}) and key record warnings
   * ({@link DkimKeysReport.Code}).
   *
   * @see FindingCode
   */
  public enum Code implements FindingCode {
    AUTH_DMARC_PASS(
        INFO,
        DELIVERABLE,
        "RFC 9989 §5.3",
        "The message passes DMARC: an aligned SPF or DKIM identifier passed."),
    AUTH_DMARC_FAIL(
        ERROR,
        AT_RISK,
        "RFC 9989 §5.3",
        "The message fails DMARC: undeliverable under p=reject, at risk under p=quarantine, a warning under p=none."),
    AUTH_DMARC_NONE(
        INFO,
        DELIVERABLE,
        "RFC 9989 §5.3",
        "No DMARC policy applies to the author domain: the receiver decides on its own."),
    AUTH_DMARC_TEMPERROR(
        WARNING,
        INCONCLUSIVE,
        "RFC 9989 §5.3",
        "DMARC could not be evaluated because a DNS lookup failed: a receiver would defer the message."),
    AUTH_DMARC_PERMERROR(
        ERROR,
        AT_RISK,
        "RFC 9989 §5.3",
        "DMARC cannot be evaluated: the message has no single usable From, so there is no author domain."),
    DMARC_FAIL(
        ERROR,
        AT_RISK,
        "RFC 9989 §5.3",
        "The message fails DMARC (made by the correlation when the report that says so has no finding to cite)."),
    AUTH_FROM_MISSING(
        ERROR,
        AT_RISK,
        "RFC 5322 §3.6",
        "The message has no From header field; receivers reject such messages."),
    AUTH_FROM_MULTIPLE(
        ERROR,
        AT_RISK,
        "RFC 7489 §6.6.1",
        "The message has more than one From header field: the author is ambiguous, DMARC gives permerror and receivers reject it."),
    AUTH_FROM_NO_DOMAIN(
        ERROR,
        AT_RISK,
        "RFC 7489 §6.6.1",
        "The From field has no mailbox with a domain (an empty group, a bare local part, an address literal)."),
    AUTH_FROM_MULTIPLE_MAILBOXES(
        WARNING,
        AT_RISK,
        "RFC 7489 §6.6.1",
        "The From field has several mailboxes; DMARC is evaluated for each domain and the strictest failure applies."),
    AUTH_FROM_DISPLAY_NAME_ADDRESS(
        WARNING,
        DELIVERABLE,
        null,
        "The From display name holds an address of another domain, a common impersonation."),
    AUTH_SPF_NOT_EVALUATED(
        INFO,
        DELIVERABLE,
        "RFC 7208 §2.3",
        "No client IP (or no identity) was given, so SPF was not evaluated and DMARC rests on DKIM alone."),
    AUTH_MAIL_FROM_FROM_RETURN_PATH(
        INFO,
        DELIVERABLE,
        "RFC 5321 §4.4",
        "No MAIL FROM was given: SPF uses the Return-Path the delivering server recorded."),
    AUTH_LINE_ENDINGS(
        INFO,
        DELIVERABLE,
        "RFC 5322 §2.1",
        "The message has bare LF line endings; they were read as CRLF."),
    AUTH_MBOX_LINE(
        INFO,
        DELIVERABLE,
        null,
        "The file starts with an mbox From separator line, which is not part of the message; it was skipped."),
    AUTH_MALFORMED_HEADER(
        WARNING,
        DELIVERABLE,
        "RFC 5322 §2.2",
        "A line of the header section is not a header field: it ends the header section, as at an MTA, so the fields below it do not count."),
    AUTH_TOO_MANY_HEADER_FIELDS(
        WARNING,
        DELIVERABLE,
        null,
        "The message has more header fields than maildx reads; the rest were not read."),
    AUTH_MESSAGE_TOO_LARGE(
        WARNING,
        INCONCLUSIVE,
        null,
        "The message is larger than the configured limit, so its signatures were not verified."),
    AUTH_HEADER_TOO_LARGE(
        WARNING,
        INCONCLUSIVE,
        null,
        "The header section is larger than the configured limit, so the message was not authenticated."),
    AUTH_READ_FAILED(WARNING, INCONCLUSIVE, null, "The message could not be read."),
    AUTH_TIMEOUT(
        WARNING,
        INCONCLUSIVE,
        null,
        "The authentication of the message did not finish before the deadline."),
    DKIM_PASS(INFO, DELIVERABLE, "RFC 6376 §6.1.3", "A DKIM signature of the message verified."),
    DKIM_NO_SIGNATURE(
        WARNING, AT_RISK, "RFC 6376 §6.1", "The message has no DKIM-Signature at all."),
    DKIM_BODY_HASH_MISMATCH(
        ERROR,
        AT_RISK,
        "RFC 6376 §6.1.3",
        "The body changed after signing: the body hash does not match bh= (a warning when another signature passes)."),
    DKIM_SIGNATURE_MISMATCH(
        ERROR,
        AT_RISK,
        "RFC 6376 §6.1.3",
        "The body is intact but a signed header field changed, so the signature does not verify (a warning when another signature passes)."),
    DKIM_WRONG_KEY(
        ERROR,
        AT_RISK,
        "RFC 6376 §6.1.3",
        "The RSA signature does not decrypt under the published key: another (rotated or replaced) key signed, or b= is damaged."),
    DKIM_BODY_TRUNCATED(
        ERROR,
        AT_RISK,
        "RFC 6376 §3.5",
        "The body is shorter than the signature's l= says: it was truncated."),
    DKIM_SIGNATURE_MALFORMED(
        ERROR,
        AT_RISK,
        "RFC 6376 §6.1.1",
        "The signature's tag list is malformed, or a required tag is missing or invalid."),
    DKIM_SIGNATURE_UNSUPPORTED(
        ERROR,
        AT_RISK,
        "RFC 6376 §6.1.1",
        "The signature names an unknown version, algorithm, canonicalization or query method."),
    DKIM_FROM_NOT_SIGNED(
        ERROR, AT_RISK, "RFC 6376 §6.1.1", "The signature's h= does not include From."),
    DKIM_IDENTITY_MISMATCH(
        ERROR, AT_RISK, "RFC 6376 §6.1.1", "The signature's i= is not within its d= domain."),
    DKIM_SIGNATURE_EXPIRED(
        ERROR, AT_RISK, "RFC 6376 §6.1.1", "The signature's expiry (x=) has passed."),
    DKIM_SIGNATURE_TIMESTAMP(
        ERROR,
        AT_RISK,
        "RFC 6376 §3.5",
        "The signature's t= is in the future, or its x= is not after t=."),
    DKIM_RSA_SHA1_REFUSED(
        ERROR,
        AT_RISK,
        "RFC 8301 §3.1",
        "The signature uses rsa-sha1, which verifiers must not accept."),
    DKIM_SIGNATURE_KEY_TOO_SHORT(
        ERROR,
        AT_RISK,
        "RFC 8301 §3.2",
        "The signing RSA key is shorter than 1024 bits, which verifiers must not accept."),
    DKIM_PARTIAL_BODY_REFUSED(
        ERROR,
        AT_RISK,
        "RFC 6376 §3.5",
        "The signature's l= leaves part of the body unsigned, and the configuration refuses that."),
    DKIM_BODY_LENGTH_PARTIAL(
        WARNING,
        DELIVERABLE,
        "RFC 6376 §8.2",
        "A passing signature's l= leaves part of the body unsigned: anyone could have added it."),
    DKIM_KEY_NOT_FOUND(
        ERROR, AT_RISK, "RFC 6376 §6.1.2", "There is no key record for the signature's s= and d=."),
    DKIM_SIGNATURE_KEY_REVOKED(
        ERROR, AT_RISK, "RFC 6376 §6.1.2", "The signature's key is revoked (empty p=)."),
    DKIM_KEY_UNUSABLE(
        ERROR,
        AT_RISK,
        "RFC 6376 §6.1.2",
        "The key record cannot be used for this signature: malformed, of the wrong type, not for email or sha256, or t=s."),
    DKIM_KEY_TEMPERROR(
        WARNING,
        INCONCLUSIVE,
        "RFC 6376 §6.1.2",
        "The signature's key could not be looked up (timeout, SERVFAIL)."),
    DKIM_NOT_VERIFIED(
        WARNING,
        DELIVERABLE,
        "RFC 6376 §6.1.1",
        "The signature was not verified: more signatures than the configured limit, or the message could not be read in full."),
    ARC_PASS(
        INFO,
        DELIVERABLE,
        "RFC 8617 §5.2",
        "The ARC chain validates: the sealers, and what the first one saw."),
    ARC_FAIL(
        WARNING,
        DELIVERABLE,
        "RFC 8617 §5.2",
        "The ARC chain is broken (where and why): receivers ignore it, so a DMARC failure caused by forwarding is not forgiven."),
    ARC_KEY_TEMPERROR(
        WARNING,
        INCONCLUSIVE,
        "RFC 8617 §5.2",
        "A sealer's key could not be looked up, so the ARC chain could not be validated.");

    private final Severity severity;
    private final Verdict effect;
    private final @Nullable String reference;
    private final String meaning;

    Code(Severity severity, Verdict effect, @Nullable String reference, String meaning) {
      this.severity = severity;
      this.effect = effect;
      this.reference = reference;
      this.meaning = meaning;
    }

    @Override
    public List<String> checks() {
      return List.of(CHECK);
    }

    @Override
    public Severity severity() {
      return severity;
    }

    @Override
    public Verdict effect() {
      return effect;
    }

    @Override
    public String meaning() {
      return meaning;
    }

    @Override
    public Optional<String> reference() {
      return Optional.ofNullable(reference);
    }
  }
}
