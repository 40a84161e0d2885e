package dev.maildx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maildx.report.CheckReport;
import dev.maildx.spi.Check;
import dev.maildx.spi.CheckContext;
import dev.maildx.spi.CheckEnvironment;
import dev.maildx.spi.CheckProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Orchestration: concurrency, dependencies, the one deadline, failures as data. */
class MailDiagnosticsTest {
  private static final DeliveryQuestion QUESTION = DeliveryQuestion.to("bob@agency.example");

  /** A check whose behaviour a test supplies; it does no I/O. */
  private static final class ScriptedCheck implements Check {
    private final String name;
    private final Set<String> deps;
    private final Function<CheckContext, CompletableFuture<? extends CheckReport>> body;

    ScriptedCheck(
        String name,
        Set<String> deps,
        Function<CheckContext, CompletableFuture<? extends CheckReport>> body) {
      this.name = name;
      this.deps = deps;
      this.body = body;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Set<String> dependsOn() {
      return deps;
    }

    @Override
    public boolean appliesTo(DeliveryQuestion question) {
      return true;
    }

    @Override
    public CompletableFuture<? extends CheckReport> run(CheckContext context) {
      return body.apply(context);
    }
  }

  record TestReport(String check, List<Finding> findings) implements CheckReport {}

  private static CompletableFuture<CheckReport> report(String check, Finding... findings) {
    return CompletableFuture.completedFuture(new TestReport(check, List.of(findings)));
  }

  private static CompletableFuture<CheckReport> after(
      CheckContext ctx, Duration delay, String check, Finding... findings) {
    return CompletableFuture.supplyAsync(
        () -> new TestReport(check, List.of(findings)),
        CompletableFuture.delayedExecutor(
            delay.toMillis(), TimeUnit.MILLISECONDS, ctx.environment().executor()));
  }

  private static MailDiagnostics with(Duration timeout, Check... checks) {
    return MailDiagnostics.builder().discoverChecks(false).timeout(timeout).checks(checks).build();
  }

  @Test
  void verdictIsTheGravestEffectOfAllFindings() {
    try (MailDiagnostics m =
        with(
            Duration.ofSeconds(5),
            new ScriptedCheck(
                "a",
                Set.of(),
                c -> report("a", Finding.warning(TestCode.A_WARN, "a", "w").build())),
            new ScriptedCheck(
                "b", Set.of(), c -> report("b", Finding.error(TestCode.B_ERR, "b", "e").build())),
            new ScriptedCheck(
                "c",
                Set.of(),
                c -> report("c", Finding.info(TestCode.C_INFO, "c", "i").build())))) {
      DeliveryDiagnosis d = m.diagnose(QUESTION);

      assertThat(d.verdict()).isEqualTo(Verdict.AT_RISK);
      assertThat(d.findings())
          .extracting(Finding::severity)
          .containsExactly(Severity.ERROR, Severity.WARNING, Severity.INFO);
      assertThat(d.reports()).extracting(CheckReport::check).containsExactly("a", "b", "c");
    }
  }

  @Test
  void noFindings_isDeliverable() {
    try (MailDiagnostics m =
        with(Duration.ofSeconds(5), new ScriptedCheck("a", Set.of(), c -> report("a")))) {
      assertThat(m.diagnose(QUESTION).verdict()).isEqualTo(Verdict.DELIVERABLE);
    }
  }

  @Test
  void independentChecksRunConcurrently() {
    Duration each = Duration.ofMillis(300);
    List<Check> checks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String n = "c" + i;
      checks.add(new ScriptedCheck(n, Set.of(), c -> after(c, each, n)));
    }
    try (MailDiagnostics m = with(Duration.ofSeconds(10), checks.toArray(Check[]::new))) {
      DeliveryDiagnosis d = m.diagnose(QUESTION);

      assertThat(d.reports()).hasSize(6);
      assertThat(d.elapsed()).isLessThan(each.multipliedBy(3)); // sequential would be 6 x 300 ms
    }
  }

  @Test
  void aCheckStartsOnlyAfterItsDependencies_andSeesTheirReports() {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    Check mx =
        new ScriptedCheck(
            "mx",
            Set.of(),
            c -> {
              order.add("mx-start");
              return after(c, Duration.ofMillis(100), "mx")
                  .thenApply(
                      r -> {
                        order.add("mx-done");
                        return r;
                      });
            });
    Check probe =
        new ScriptedCheck(
            "probe",
            Set.of("mx"),
            c -> {
              order.add("probe-start");
              assertThat(c.report("mx", TestReport.class)).isPresent();
              return report("probe");
            });
    // Registered in the wrong order on purpose: the graph orders them.
    try (MailDiagnostics m = with(Duration.ofSeconds(5), probe, mx)) {
      assertThat(m.checks()).containsExactly("mx", "probe");

      DeliveryDiagnosis d = m.diagnose(QUESTION);

      assertThat(order).containsExactly("mx-start", "mx-done", "probe-start");
      assertThat(d.reports()).hasSize(2);
    }
  }

  @Test
  void aCheckThatMissesTheDeadline_isInconclusive_andTheDiagnosisReturnsOnTimeWithEverythingElse() {
    Duration timeout = Duration.ofMillis(500);
    Check fast =
        new ScriptedCheck(
            "fast",
            Set.of(),
            c -> report("fast", Finding.info(TestCode.FAST_OK, "fast", "ok").build()));
    Check hung =
        new ScriptedCheck("hung", Set.of(), c -> new CompletableFuture<>()); // never completes
    Check waiting = new ScriptedCheck("waiting", Set.of("hung"), c -> report("waiting"));
    try (MailDiagnostics m = with(timeout, fast, hung, waiting)) {
      long t0 = System.nanoTime();
      DeliveryDiagnosis d = m.diagnose(QUESTION);
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(ms).isBetween(450L, 550L + 50L);
      assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
      assertThat(d.reports()).extracting(CheckReport::check).containsExactly("fast");
      assertThat(d.findings())
          .filteredOn(f -> f.is(DeliveryDiagnosis.Code.CHECK_DEADLINE_EXCEEDED))
          .extracting(Finding::check)
          .containsExactlyInAnyOrder("hung", "waiting");
      assertThat(d.findings("CHECK_DEADLINE_EXCEEDED")).allMatch(Finding::inconclusive);
      assertThat(
              d.findings("CHECK_DEADLINE_EXCEEDED").stream()
                  .filter(f -> f.check().equals("waiting"))
                  .findFirst()
                  .orElseThrow()
                  .message())
          .contains("could not start");
    }
  }

  @Test
  void aCheckThatThrows_isReportedAsCheckFailed_notAsACrash() {
    Check bad =
        new ScriptedCheck(
            "bad",
            Set.of(),
            c -> {
              throw new IllegalStateException("boom");
            });
    Check failing =
        new ScriptedCheck(
            "failing",
            Set.of(),
            c -> CompletableFuture.failedFuture(new RuntimeException("async boom")));
    Check good = new ScriptedCheck("good", Set.of(), c -> report("good"));
    try (MailDiagnostics m = with(Duration.ofSeconds(5), bad, failing, good)) {
      DeliveryDiagnosis d = m.diagnose(QUESTION);

      assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
      assertThat(d.findings("CHECK_FAILED"))
          .extracting(Finding::check)
          .containsExactlyInAnyOrder("bad", "failing");
      assertThat(d.findings("CHECK_FAILED").get(0).evidence().get("exception")).contains("boom");
      assertThat(d.reports()).extracting(CheckReport::check).containsExactly("good");
    }
  }

  @Test
  void diagnoseAsync_completesWithTheDiagnosis_neverExceptionally() throws Exception {
    Check bad =
        new ScriptedCheck(
            "bad",
            Set.of(),
            c -> {
              throw new IllegalStateException("boom");
            });
    try (MailDiagnostics m = with(Duration.ofSeconds(5), bad)) {
      CompletableFuture<DeliveryDiagnosis> f = m.diagnoseAsync(QUESTION);

      assertThat(f.get(5, TimeUnit.SECONDS).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
      assertThat(f.isCompletedExceptionally()).isFalse();
    }
  }

  @Test
  void programmerErrorsThrowAtOnce() {
    try (MailDiagnostics m = with(Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> m.diagnose(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("question");
      assertThatThrownBy(() -> m.diagnoseAsync(null)).isInstanceOf(NullPointerException.class);
    }
    assertThatThrownBy(() -> MailDiagnostics.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> DeliveryQuestion.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a recipient");
  }

  @Test
  void dependencyCycles_areRejectedWhenBuilding() {
    Check a = new ScriptedCheck("a", Set.of("b"), c -> report("a"));
    Check b = new ScriptedCheck("b", Set.of("a"), c -> report("b"));
    assertThatThrownBy(() -> with(Duration.ofSeconds(1), a, b))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void noApplicableCheck_isInconclusive() {
    try (MailDiagnostics m = with(Duration.ofSeconds(1))) {
      DeliveryDiagnosis d = m.diagnose(QUESTION);
      assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
      assertThat(d.findings()).extracting(Finding::code).containsExactly("NOTHING_TO_CHECK");
    }
  }

  @Test
  void listenerIsToldAboutEachCheck_andItsExceptionsAreIgnored() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    DiagnosticsListener listener =
        new DiagnosticsListener() {
          @Override
          public void checkStarted(String check, DeliveryQuestion question) {
            events.add("started " + check);
            throw new RuntimeException("listener bug");
          }

          @Override
          public void checkFinished(
              String check, DeliveryQuestion question, Duration elapsed, boolean completed) {
            events.add("finished " + check + " " + completed);
          }
        };
    try (MailDiagnostics m =
        MailDiagnostics.builder()
            .discoverChecks(false)
            .listener(listener)
            .checks(new ScriptedCheck("a", Set.of(), c -> report("a")))
            .build()) {
      assertThat(m.diagnose(QUESTION).reports()).hasSize(1);
      assertThat(events).containsExactly("started a", "finished a true");
    }
  }

  @Test
  void checkProvidersRegisteredOnTheBuilderContributeChecks() {
    CheckProvider provider =
        env -> List.of(new ScriptedCheck("provided", Set.of(), c -> report("provided")));
    try (MailDiagnostics m =
        MailDiagnostics.builder().discoverChecks(false).checkProvider(provider).build()) {
      assertThat(m.checks()).containsExactly("provided");
    }
  }

  @Test
  void oneInstanceServesManyConcurrentDiagnoses() {
    Check slow = new ScriptedCheck("slow", Set.of(), c -> after(c, Duration.ofMillis(100), "slow"));
    try (MailDiagnostics m = with(Duration.ofSeconds(10), slow)) {
      List<CompletableFuture<DeliveryDiagnosis>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        all.add(m.diagnoseAsync(DeliveryQuestion.to("user" + i + "@agency.example")));
      }
      Set<String> recipients = ConcurrentHashMap.newKeySet();
      all.forEach(f -> recipients.add(f.join().question().recipient().orElseThrow().toString()));
      assertThat(recipients).hasSize(50);
    }
  }

  @Test
  void closingEndsTheThreadsItOwns() throws Exception {
    MailDiagnostics m =
        with(
            Duration.ofSeconds(5),
            new ScriptedCheck("a", Set.of(), c -> after(c, Duration.ofMillis(20), "a")));
    m.diagnose(QUESTION);
    m.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < deadline && maildxThreads() > 0) {
      Thread.sleep(20);
    }
    assertThat(maildxThreads()).isZero();
  }

  @Test
  void withoutClose_idleThreadsEndByThemselves() throws Exception {
    MailDiagnostics m =
        with(
            Duration.ofSeconds(5),
            new ScriptedCheck("a", Set.of(), c -> after(c, Duration.ofMillis(20), "a")));
    m.diagnose(QUESTION);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    while (System.nanoTime() < deadline && maildxThreads() > 0) {
      Thread.sleep(50);
    }
    assertThat(maildxThreads()).isZero();
  }

  private static long maildxThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(CheckEnvironment.THREAD_PREFIX) && t.isAlive())
        .count();
  }
}
