package dev.maildx.report;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One DNS query made while evaluating SPF, with what it returned: part of the trace of an
 * {@link SpfReport}.
 *
 * @param name the name queried, ASCII, without the final dot
 * @param type the record type, for example {@code TXT}, {@code A}, {@code MX}
 * @param outcome how the query ended
 * @param answers the answer data in presentation form (addresses, host names, TXT strings
 *     joined); empty unless {@code outcome} is {@link DnsOutcome#ANSWER}
 * @param voidLookup whether the query counted as a "void lookup" (RFC 7208 §4.6.4: NXDOMAIN or
 *     no records)
 */
public record SpfLookup(String name, String type, DnsOutcome outcome, List<String> answers, boolean voidLookup) {
  /** Validates and copies. */
  public SpfLookup {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(outcome, "outcome");
    answers = List.copyOf(answers);
  }
}
