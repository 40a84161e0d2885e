package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import dev.maildx.DomainName;
import dev.maildx.EmailAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What DMARC validation needs to know about one message (RFC 9989 §5.3): the RFC5322.From domain
 * (the Author Domain), the SPF-checked RFC5321.MailFrom domain(s) and the DKIM signing domains
 * ({@code d=}), each with whether it passed.
 *
 * <p>Only identifiers that passed can align (RFC 9989 §4.4); failed ones are kept so the evaluation
 * can say why they did not count. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * DmarcInput in = DmarcInput.builder()
 *     .from("alice@corp.example")
 *     .spf("bounces.corp.example", true)
 *     .dkim("corp.example", true)
 *     .build();
 * }</pre>
 *
 * @param authorDomain the RFC5322.From domain
 * @param spf the SPF-checked MAIL FROM domains, in order
 * @param dkim the DKIM signing domains, in the order of the signatures
 */
public record DmarcInput(DomainName authorDomain, List<Identifier> spf, List<Identifier> dkim) {
  /** The most identifiers of one kind an input may hold. */
  public static final int MAX_IDENTIFIERS = 100;

  /** Validates and copies. */
  public DmarcInput {
    requireNonNull(authorDomain, "authorDomain");
    spf = List.copyOf(spf);
    dkim = List.copyOf(dkim);
    if (spf.size() > MAX_IDENTIFIERS || dkim.size() > MAX_IDENTIFIERS) {
      throw new IllegalArgumentException(
          "at most "
              + MAX_IDENTIFIERS
              + " SPF and "
              + MAX_IDENTIFIERS
              + " DKIM identifiers, were "
              + spf.size()
              + " and "
              + dkim.size());
    }
  }

  /**
   * Starts an input.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An authenticated identifier: a domain and whether its check passed.
   *
   * @param domain the SPF MAIL FROM domain or the DKIM {@code d=} domain
   * @param pass whether SPF gave {@code pass} for it, or the DKIM signature verified
   */
  public record Identifier(DomainName domain, boolean pass) {
    /** Validates. */
    public Identifier {
      requireNonNull(domain, "domain");
    }
  }

  /** Builds a {@link DmarcInput}; validates each value as it is set. Not thread-safe. */
  public static final class Builder {
    private @Nullable DomainName from;
    private final List<Identifier> spf = new ArrayList<>();
    private final List<Identifier> dkim = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the RFC5322.From address or just its domain.
     *
     * @param addressOrDomain for example {@code alice@corp.example} or {@code corp.example}
     * @return this builder
     * @throws IllegalArgumentException if it is neither a valid address nor a valid domain
     */
    public Builder from(String addressOrDomain) {
      requireNonNull(addressOrDomain, "addressOrDomain");
      this.from =
          addressOrDomain.indexOf('@') >= 0
              ? EmailAddress.parse(addressOrDomain).domain()
              : DomainName.of(addressOrDomain);
      return this;
    }

    /**
     * Sets the Author Domain.
     *
     * @param domain the RFC5322.From domain
     * @return this builder
     */
    public Builder from(DomainName domain) {
      this.from = requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Adds an SPF-checked MAIL FROM domain.
     *
     * @param domain the RFC5321.MailFrom domain (or the HELO name for a null sender)
     * @param pass whether SPF gave {@code pass}
     * @return this builder
     */
    public Builder spf(String domain, boolean pass) {
      spf.add(new Identifier(DomainName.of(requireNonNull(domain, "domain")), pass));
      return this;
    }

    /**
     * Adds a DKIM signing domain.
     *
     * @param domain the {@code d=} of a DKIM-Signature
     * @param pass whether the signature verified
     * @return this builder
     */
    public Builder dkim(String domain, boolean pass) {
      dkim.add(new Identifier(DomainName.of(requireNonNull(domain, "domain")), pass));
      return this;
    }

    /**
     * Builds the input.
     *
     * @return the input
     * @throws IllegalStateException if no From was set
     */
    public DmarcInput build() {
      if (from == null) {
        throw new IllegalStateException(
            "a DMARC input needs the RFC5322.From domain: call from(..)");
      }
      return new DmarcInput(from, spf, dkim);
    }
  }
}
