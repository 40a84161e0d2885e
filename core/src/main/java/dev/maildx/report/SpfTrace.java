package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code check_host()} evaluation of one domain (RFC 7208 §4): the SPF record fetched for it,
 * every term with its outcome, and the result. The evaluations of {@code include} and
 * {@code redirect} targets hang below the terms that caused them, so the whole include/redirect
 * tree is one {@code SpfTrace}.
 *
 * @param domain the domain whose record was evaluated, ASCII, without the final dot
 * @param via why it was evaluated
 * @param lookup how the TXT query for the record ended
 * @param records every {@code v=spf1} record found at the domain (more than one is a permerror)
 * @param terms the terms of the selected record, in record order
 * @param result what this evaluation returned to its caller; {@code null} if the record was only
 *     fetched (and linted), not evaluated
 * @param detail one sentence on why
 */
public record SpfTrace(
    String domain,
    Via via,
    @Nullable SpfLookup lookup,
    List<String> records,
    List<SpfTerm> terms,
    @Nullable SpfResult result,
    String detail) {

  /** Validates and copies. */
  public SpfTrace {
    requireNonNull(domain, "domain");
    requireNonNull(via, "via");
    records = List.copyOf(records);
    terms = List.copyOf(terms);
    requireNonNull(detail, "detail");
  }

  /**
   * The record that was evaluated.
   *
   * @return the single SPF record, or {@code null} if there was none or more than one
   */
  public @Nullable String record() {
    return records.size() == 1 ? records.get(0) : null;
  }

  /**
   * This evaluation and every one below it, depth first in evaluation order.
   *
   * @return the flattened tree, this evaluation first
   */
  public List<SpfTrace> flatten() {
    List<SpfTrace> out = new ArrayList<>();
    flatten(this, out);
    return List.copyOf(out);
  }

  private static void flatten(SpfTrace t, List<SpfTrace> out) {
    out.add(t);
    for (SpfTerm term : t.terms) {
      if (term.child() != null) {
        flatten(term.child(), out);
      }
    }
  }

  /** Why a domain's record was evaluated. */
  public enum Via {
    /** The domain of the identity being checked. */
    ROOT,
    /** The target of an {@code include} mechanism (RFC 7208 §5.2). */
    INCLUDE,
    /** The target of a {@code redirect} modifier (RFC 7208 §6.1). */
    REDIRECT
  }
}
