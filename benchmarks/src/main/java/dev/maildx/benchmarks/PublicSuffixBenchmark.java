package dev.maildx.benchmarks;

import com.google.common.net.InternetDomainName;
import dev.maildx.dns.PublicSuffixList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The registrable domain of 10,000 names: maildx's {@link PublicSuffixList} against what it
 * replaced, Guava's {@code InternetDomainName} ({@code topPrivateDomain()} with the same handling
 * of names under no rule). The names are made from the bundled list's rules (one to three labels in
 * front, wildcards filled in, IDN rules as A-labels as DMARC sees them) plus one in ten under an
 * unlisted top-level label. Guava is a dependency of this module only for this comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class PublicSuffixBenchmark {
  static final int NAMES = 10_000;

  private String[] names;
  private PublicSuffixList psl;

  /**
   * Makes the names and loads both lists; prints how many answers differ (the lists' ages differ).
   */
  @Setup
  public void setup() {
    names = names(NAMES, 20261207L);
    psl = PublicSuffixList.bundled();
    int differ = 0;
    for (String n : names) {
      if (!Objects.equals(psl.registrableDomain(n).orElse(null), guava(n).orElse(null))) {
        differ++;
      }
    }
    System.out.println(
        "[psl] "
            + names.length
            + " names, answers differ for "
            + differ
            + " (list versions: "
            + psl.version()
            + " / guava's own)");
  }

  /**
   * @param bh the sink
   */
  @Benchmark
  @OperationsPerInvocation(NAMES)
  public void maildx(Blackhole bh) {
    for (String n : names) {
      bh.consume(psl.registrableDomain(n));
    }
  }

  /**
   * @param bh the sink
   */
  @Benchmark
  @OperationsPerInvocation(NAMES)
  public void guava(Blackhole bh) {
    for (String n : names) {
      bh.consume(guava(n));
    }
  }

  /** maildx's PublicSuffixList.registrableDomain(String) as it was on Guava (before 2026-12). */
  static Optional<String> guava(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.isEmpty() || lower.startsWith(".")) {
      return Optional.empty();
    }
    InternetDomainName d;
    try {
      d = InternetDomainName.from(lower);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (d.isPublicSuffix()) {
      return Optional.empty();
    }
    if (d.isUnderPublicSuffix()) {
      return Optional.of(d.topPrivateDomain().toString());
    }
    List<String> parts = d.parts();
    return parts.size() < 2
        ? Optional.empty()
        : Optional.of(parts.get(parts.size() - 2) + "." + parts.get(parts.size() - 1));
  }

  /** {@code count} names made from the bundled list's rules, the same for the same seed. */
  static String[] names(int count, long seed) {
    List<String> rules = new ArrayList<>();
    try (InputStream in =
        PublicSuffixList.class
            .getClassLoader()
            .getResourceAsStream("dev/maildx/dns/public_suffix_list.dat")) {
      if (in == null) {
        throw new IllegalStateException(
            "dev/maildx/dns/public_suffix_list.dat is not on the class path");
      }
      new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("//"))
          .forEach(rules::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] labels = {
      "www", "mail", "shop", "mx-01", "a1b2", "news", "cdn", "mta-sts", "_dmarc", "o1"
    };
    Random random = new Random(seed);
    String[] names = new String[count];
    for (int i = 0; i < count; i++) {
      String base;
      if (i % 10 == 9) {
        base = "example-" + random.nextInt(1000) + ".unlisted" + random.nextInt(10);
      } else {
        String rule = rules.get(random.nextInt(rules.size()));
        base =
            rule.startsWith("!") ? rule.substring(1) : rule.replace("*", "w" + random.nextInt(100));
      }
      StringBuilder b = new StringBuilder();
      int prefix = 1 + random.nextInt(3);
      for (int j = 0; j < prefix; j++) {
        b.append(labels[random.nextInt(labels.length)]).append('.');
      }
      try {
        names[i] = IDN.toASCII(b + base, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        i--; // not convertible by the JDK's IDNA 2003: another rule
      }
    }
    return names;
  }
}
