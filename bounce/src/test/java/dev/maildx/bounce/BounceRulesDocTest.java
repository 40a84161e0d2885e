package dev.maildx.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.bounce.internal.ReasonRules;
import dev.maildx.report.BounceReason;
import dev.maildx.report.BounceReport;
import dev.maildx.report.EnhancedStatusCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/BOUNCE-RULES.md} is generated from the rules in the code: the decision procedure, the
 * status-code table and every wording rule with its reason, its source and how many corpus
 * recipients it decides. Regenerate with {@code -Dmaildx.updateDocs=true}.
 */
class BounceRulesDocTest {
  static final String REGENERATE =
      "./mvnw -B -o test -pl bounce -Dtest=BounceRulesDocTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dmaildx.updateDocs=true";

  static final Pattern TEXT = Pattern.compile("text \"([^\"]+)\"");

  /** The root of the checkout: where the parent pom is. */
  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("core/pom.xml"))) {
      p = p.getParent();
    }
    assertThat(p).as("the checkout (a directory with core/pom.xml)").isNotNull();
    return p;
  }

  /** How many corpus recipients each rule decided: "text phrase" or "status X.s.d" keys. */
  static Map<String, Integer> decided() {
    Map<String, Integer> n = new TreeMap<>();
    BounceParser parser = BounceParser.create();
    for (String f : SisimaiCorpusTest.expected.keySet()) {
      for (BounceReport.Recipient r :
          parser.parse(SisimaiCorpusTest.CORPUS.resolve(f)).recipients()) {
        Matcher m = TEXT.matcher(r.decision());
        if (m.find() && m.start() < 2) {
          n.merge("text " + m.group(1), 1, Integer::sum);
        } else if (r.decision().startsWith("status") && r.status() != null) {
          n.merge("status X." + r.status().subject() + "." + r.status().detail(), 1, Integer::sum);
        }
      }
    }
    return n;
  }

  static String cell(String s) {
    return s.replace("|", "\\|");
  }

  static String render(Map<String, Integer> decided, Map<String, Set<String>> families) {
    StringBuilder b = new StringBuilder();
    b.append("# Bounce rules\n\n")
        .append("Generated from the code by `BounceRulesDocTest` (regenerate with `")
        .append(REGENERATE)
        .append("`). \"Decides\" counts the recipients of the Sisimai corpus ")
        .append("(`sisimai-set-of-emails/maildir/bsd`, ")
        .append(SisimaiCorpusTest.expected.values().stream().mapToInt(List::size).sum())
        .append(" rows) whose reason that rule decided.\n\n");
    b.append(PROCEDURE);
    statusTable(b, decided);
    wordingTable(b, decided, families);
    return b.toString();
  }

  static final String PROCEDURE =
      "## Decision procedure\n\n"
          + "In order; the first step that applies decides (`Classifier.decide`).\n\n"
          + "1. The kind of notice: a feedback report, an automatic reply (RFC 3834), a delivered or"
          + " relayed recipient, a sending service's suppression list.\n"
          + "2. The reporting MTA's own classification (PowerMTA's documented bounce categories),"
          + " the exit status of a local mailer (sysexits.h), a provider's published error code in"
          + " the reply (Orange/La Poste, Cox/Spectrum, Mimecast).\n"
          + "3. A status code whose description names one reason (table below), unless the words"
          + " name a more specific cause; explicit words beat the generic status subject (spam,"
          + " virus, SPF/DKIM/DMARC, PTR, relay, size under X.7.1). Where a reply names several"
          + " explicit causes, the one named first decides.\n"
          + "4. \"User unknown\" wording is `userunknown` at RCPT TO or with an X.1.x code; after"
          + " DATA the recipient had been accepted, so it is `filtered` (Sisimai's definition).\n"
          + "5. A refusal at the greeting or HELO that names no network failure is `blocked` (about"
          + " the sending host), never for a delay; at MAIL FROM it is `rejected`.\n"
          + "6. The wording alone (table below), then the broad status (X.6.x `contenterror`, X.7.x"
          + " `securityerror`), then the reply code (RFC 5321 §4.2.3).\n"
          + "7. A delay keeps the cause that delayed it (timeout, refused connection, DNS failure, a"
          + " 4xx reply); `expired` only when the notice gives up.\n\n";

  static void statusTable(StringBuilder b, Map<String, Integer> decided) {
    b.append("## Status codes (RFC 3463, RFC 7372, RFC 7505, IANA registry)\n\n")
        .append("| Code | Reason (class 4) | Reason (class 5) | Decides |\n|---|---|---|---:|\n");
    int[] extra = {316, 351, 509, 511, 515, 606, 708, 750};
    for (int subject = 0; subject <= 7; subject++) {
      for (int detail = 0; detail <= 30 + extra.length; detail++) {
        int d = detail <= 30 ? detail : extra[detail - 31];
        BounceReason t =
            ReasonRules.statusReason(EnhancedStatusCode.parse("4." + subject + "." + d));
        BounceReason p =
            ReasonRules.statusReason(EnhancedStatusCode.parse("5." + subject + "." + d));
        if (t != null || p != null) {
          String key = "X." + subject + "." + d;
          b.append("| ")
              .append(key)
              .append(" | ")
              .append(t == null ? "(the words decide)" : t.id())
              .append(" | ")
              .append(p == null ? "(the words decide)" : p.id())
              .append(" | ")
              .append(decided.getOrDefault("status " + key, 0))
              .append(" |\n");
        }
      }
    }
    b.append('\n');
  }

  static void wordingTable(
      StringBuilder b, Map<String, Integer> decided, Map<String, Set<String>> families) {
    List<ReasonRules.Phrase> all = ReasonRules.inventory();
    long sourced = all.stream().filter(p -> !p.source().isEmpty()).count();
    b.append("## Wording rules\n\n")
        .append(all.size())
        .append(" phrases: ")
        .append(sourced)
        .append(" with a published source, ")
        .append(all.size() - sourced)
        .append(" written from corpus files (source \"—\"; the number of corpus families whose")
        .append(" files contain the phrase is given). No phrase without a source is found in")
        .append(" only one corpus file (`SisimaiCorpusTest` checks it). Matching is on lower-cased")
        .append(" text, by substring; a phrase in *italics* must stand as a whole word.\n\n")
        .append("| Phrase | Reason | Source | Decides |\n|---|---|---|---:|\n");
    for (ReasonRules.Phrase p : all) {
      String phrase =
          ReasonRules.isWord(p.phrase()) ? "*" + p.phrase() + "*" : "`" + p.phrase() + "`";
      String source =
          p.source().isEmpty()
              ? "— (" + families.getOrDefault(p.phrase(), Set.of()).size() + " families)"
              : p.source();
      b.append("| ")
          .append(cell(phrase))
          .append(" | ")
          .append(p.reason().id())
          .append(" | ")
          .append(cell(source))
          .append(" | ")
          .append(decided.getOrDefault("text " + p.phrase(), 0))
          .append(" |\n");
    }
  }

  @Test
  void docsBounceRulesMd_isGeneratedFromTheRules() throws IOException {
    SisimaiCorpusTest.load();
    String expected = render(decided(), SisimaiCorpusTest.shapingFamilies());
    Path docs = root().resolve("docs/BOUNCE-RULES.md");
    if (Boolean.getBoolean("maildx.updateDocs")) {
      Files.createDirectories(docs.getParent());
      Files.writeString(docs, expected, StandardCharsets.UTF_8);
    }
    String actual = Files.exists(docs) ? Files.readString(docs, StandardCharsets.UTF_8) : "";
    assertThat(actual)
        .as(
            "docs/BOUNCE-RULES.md is not what the rules generate; regenerate it with%n  %s%n",
            REGENERATE)
        .isEqualTo(expected);
  }
}
