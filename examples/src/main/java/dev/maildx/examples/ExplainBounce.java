package dev.maildx.examples;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.EmailAddress;
import dev.maildx.LikelyCause;
import dev.maildx.MailDiagnostics;
import dev.maildx.bounce.BounceParser;
import dev.maildx.report.BounceReport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Explains a bounce or delay notice: what the notice says about each recipient (status, reason, who
 * must act), then — with the sender and recipient read from the notice — a diagnosis of the
 * delivery it reports, whose likely causes join the notice with what the DNS and the recipient's
 * servers show now.
 *
 * <p>Run: {@code java -cp maildx-cli.jar dev.maildx.examples.ExplainBounce delayed.eml... [--dns
 * HOST:PORT] [--timeout 20s]}
 */
public final class ExplainBounce {
  static final String USAGE = "ExplainBounce <notice.eml>... [--dns HOST:PORT] [--timeout 20s]";

  private ExplainBounce() {}

  /**
   * Explains each notice given.
   *
   * @param args message files
   */
  public static void main(String[] args) {
    ExampleArgs a =
        ExampleArgs.parseOrExit(args, USAGE, 1, Integer.MAX_VALUE, true, Duration.ofSeconds(20));
    // Every file is checked before any network step.
    for (String f : a.positional) {
      if (!Files.isRegularFile(Path.of(f)) || !Files.isReadable(Path.of(f))) {
        ExampleArgs.usageExit(USAGE, f + ": not a readable file");
      }
    }
    try (MailDiagnostics maildx = a.apply(MailDiagnostics.builder()).build()) {
      for (String f : a.positional) {
        explain(Path.of(f), maildx, System.out);
      }
    }
  }

  /**
   * Explains one notice.
   *
   * @param notice the message file
   * @param maildx the diagnostics to diagnose the delivery with
   * @param out where to write the explanation
   * @return the diagnosis, if the notice named a sender and a recipient to diagnose
   */
  public static Optional<DeliveryDiagnosis> explain(
      Path notice, MailDiagnostics maildx, PrintStream out) {
    BounceReport r = BounceParser.create().parse(notice);
    out.println(
        notice
            + ": "
            + r.kind().name().toLowerCase(Locale.ROOT)
            + " notice"
            + (r.reportingMta() == null ? "" : " from " + r.reportingMta()));
    if (r.kind() == BounceReport.Kind.NOT_BOUNCE) {
      out.println("  not a delivery notice");
      return Optional.empty();
    }
    for (BounceReport.Recipient d : r.recipients()) {
      out.println(
          "  "
              + d.recipient()
              + ": "
              + d.action().name().toLowerCase(Locale.ROOT)
              + ", status "
              + d.status()
              + ", reason "
              + d.reason().id()
              + (d.hardBounce() ? " (hard bounce)" : ""));
      out.println("    " + d.explanation());
    }
    // Who sent what to whom: the returned message's From, and the first recipient the notice
    // reports on.
    Optional<EmailAddress> from =
        Optional.ofNullable(r.original())
            .map(BounceReport.ReturnedMessage::from)
            .flatMap(ExplainBounce::address);
    Optional<EmailAddress> to =
        r.recipients().stream()
            .map(BounceReport.Recipient::recipient)
            .map(ExplainBounce::address)
            .flatMap(Optional::stream)
            .findFirst();
    if (to.isEmpty()) {
      return Optional.empty();
    }
    DeliveryQuestion.Builder q = DeliveryQuestion.builder().to(to.get()).bounce(notice);
    from.ifPresent(q::from);
    DeliveryDiagnosis diagnosis = maildx.diagnose(q.build());
    out.println("  Diagnosis: " + diagnosis.verdict());
    for (LikelyCause c : diagnosis.likelyCauses()) {
      out.println("  - " + c.summary());
      out.println(
          "    who must act: "
              + c.party().name().toLowerCase(Locale.ROOT)
              + "; what to do: "
              + c.action());
    }
    return Optional.of(diagnosis);
  }

  /** The address in a header value such as {@code Alice <alice@corp.example>}, if it is one. */
  static Optional<EmailAddress> address(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.strip();
    int lt = v.lastIndexOf('<');
    int gt = v.lastIndexOf('>');
    if (lt >= 0 && gt > lt) {
      v = v.substring(lt + 1, gt);
    }
    try {
      return Optional.of(EmailAddress.parse(v));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
