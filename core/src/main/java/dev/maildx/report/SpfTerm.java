package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One term (mechanism or modifier) of an SPF record, as evaluated by {@code check_host()} (RFC
 * 7208 §4.6, §5, §6): its text, where it stands in the record, what it matched and why, the DNS
 * queries it made, and the record it led to for {@code include} and {@code redirect}.
 *
 * @param term the term as written, for example {@code include:_spf.example.com} or {@code -all}
 * @param position 1-based column of the term in the record
 * @param outcome what evaluating it gave
 * @param target the domain it referred to after macro expansion, if any
 * @param detail one sentence on what happened, for example
 *     {@code "203.0.113.5 is not in 192.0.2.128/25"}
 * @param lookups the DNS queries it made, in order
 * @param child the evaluation of the included or redirected-to domain, for {@code include} and
 *     {@code redirect}
 */
public record SpfTerm(
    String term,
    int position,
    Outcome outcome,
    @Nullable String target,
    String detail,
    List<SpfLookup> lookups,
    @Nullable SpfTrace child) {

  /** Validates and copies. */
  public SpfTerm {
    requireNonNull(term, "term");
    requireNonNull(outcome, "outcome");
    requireNonNull(detail, "detail");
    lookups = List.copyOf(lookups);
  }

  /** What evaluating a term gave. */
  public enum Outcome {
    /** The mechanism matched: its qualifier decides the result (RFC 7208 §4.6.2). */
    MATCH,
    /** The mechanism did not match; evaluation went on. */
    NO_MATCH,
    /** The term ended evaluation with {@code temperror} or {@code permerror}. */
    ERROR,
    /** A modifier that was applied ({@code redirect}, {@code exp}). */
    APPLIED,
    /** Not evaluated: an earlier term decided the result, or no IP address was given. */
    NOT_EVALUATED
  }
}
