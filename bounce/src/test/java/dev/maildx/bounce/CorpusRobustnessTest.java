package dev.maildx.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maildx.report.BounceReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CRLF ({@code maildir/dos}) and CR ({@code maildir/mac}) copies give the same results as their
 * LF originals; the non-bounces ({@code maildir/not}), mbox fragments ({@code maildir/err}) and
 * mbox files ({@code mailbox/}) are handled without failures.
 */
class CorpusRobustnessTest {
  static final Path MAILDIR = SisimaiCorpusTest.CORPUS.resolve("maildir");
  final BounceParser parser = BounceParser.create();

  static String lf(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace('\r', '\n');
  }

  static Object summary(BounceReport r) {
    return List.of(
        r.kind(),
        r.format(),
        String.valueOf(r.reportingMta()),
        String.valueOf(r.originalMessageId()),
        r.recipients());
  }

  @Test
  void crlfAndCrCopies_giveTheSameResultsAsTheirLfOriginals() throws IOException {
    Assumptions.assumeTrue(
        Files.isDirectory(MAILDIR.resolve("dos")),
        "corpus not found at " + MAILDIR.toAbsolutePath());
    // Pair each copy with the bsd message of the same content (the copies use older file names).
    Map<String, Path> bsd = new HashMap<>();
    try (Stream<Path> s = Files.list(MAILDIR.resolve("bsd"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        bsd.put(lf(Files.readAllBytes(p)), p);
      }
    }
    int pairedWithBsd = 0;
    int copies = 0;
    for (String dir : List.of("dos", "mac")) {
      try (Stream<Path> s = Files.list(MAILDIR.resolve(dir))) {
        for (Path p : (Iterable<Path>) s::iterator) {
          copies++;
          byte[] raw = Files.readAllBytes(p);
          BounceReport copy = parser.parse(p);
          BounceReport asLf =
              parser.parse(lf(raw).getBytes(StandardCharsets.ISO_8859_1), p.toString());
          assertThat(summary(copy)).as(p.toString()).isEqualTo(summary(asLf));
          Path original = bsd.get(lf(raw));
          if (original != null) {
            pairedWithBsd++;
            assertThat(summary(copy))
                .as(p + " vs " + original)
                .isEqualTo(summary(parser.parse(original)));
          }
        }
      }
    }
    System.out.printf(
        "line endings: %d CRLF/CR copies identical to their LF form; %d of them paired with a bsd original and identical%n",
        copies, pairedWithBsd);
    assertThat(copies).isGreaterThan(100);
    assertThat(pairedWithBsd).isGreaterThan(0);
  }

  @Test
  void nonBounces_errFragments_andMboxFiles_areHandledWithoutFailure() throws IOException {
    Assumptions.assumeTrue(
        Files.isDirectory(MAILDIR.resolve("not")),
        "corpus not found at " + MAILDIR.toAbsolutePath());
    try (Stream<Path> s = Files.list(MAILDIR.resolve("not"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        BounceReport r = parser.parse(p);
        // Two of the three are ordinary mail; the third is a provider's "bounce notification" that
        // carries
        // no diagnostic at all (Sisimai yields nothing for it); maildx reads it as a textual
        // notice.
        System.out.println("not-a-bounce: " + p.getFileName() + " -> " + r.kind());
        assertThat(r.findings()).noneMatch(f -> f.code().equals("BOUNCE_READ_FAILED"));
        if (p.getFileName().toString().startsWith("is-not-bounce")) {
          assertThat(r.kind())
              .as(p.toString())
              .isIn(BounceReport.Kind.NOT_BOUNCE, BounceReport.Kind.AUTOREPLY);
        }
      }
    }
    int n = 0;
    for (Path dir :
        List.of(
            MAILDIR.resolve("err"),
            MAILDIR.resolve("tmp"),
            SisimaiCorpusTest.CORPUS.resolve("mailbox"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      for (BounceReport r : parser.parseAll(dir)) {
        n++;
        assertThat(r.findings())
            .as(r.source())
            .noneMatch(f -> f.code().equals("BOUNCE_READ_FAILED"));
      }
    }
    assertThat(n).isGreaterThan(37);
  }
}
