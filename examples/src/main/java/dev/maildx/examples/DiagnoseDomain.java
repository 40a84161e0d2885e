package dev.maildx.examples;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import java.time.Duration;

/**
 * The README's example: why is mail to an address not arriving?
 *
 * <p>Run: {@code java -cp maildx-cli.jar dev.maildx.examples.DiagnoseDomain bob@example.com
 * [alice@corp.example] [--dns HOST:PORT] [--timeout 20s]}
 */
public final class DiagnoseDomain {
  static final String USAGE =
      "DiagnoseDomain <recipient address|domain> [sender address] [--dns HOST:PORT]"
          + " [--timeout 20s]";

  private DiagnoseDomain() {}

  /**
   * Diagnoses the address or domain given as the first argument and prints the answer.
   *
   * @param args the recipient, and optionally the sender
   */
  public static void main(String[] args) {
    ExampleArgs a = ExampleArgs.parseOrExit(args, USAGE, 1, 2, true, Duration.ofSeconds(20));
    try (MailDiagnostics maildx = a.apply(MailDiagnostics.builder()).build()) {
      print(maildx, a.positional.toArray(String[]::new), System.out);
    } catch (IllegalArgumentException e) {
      ExampleArgs.usageExit(USAGE, e.getMessage());
    }
  }

  /**
   * Diagnoses {@code args[0]} (from {@code args[1]}, if given) and prints the verdict, the likely
   * causes and the findings.
   *
   * @param maildx the diagnostics
   * @param args the recipient, and optionally the sender
   * @param out where to print
   * @return the diagnosis
   */
  public static DeliveryDiagnosis print(
      MailDiagnostics maildx, String[] args, java.io.PrintStream out) {
    DeliveryQuestion.Builder question = DeliveryQuestion.builder().to(args[0]);
    if (args.length > 1) {
      question.from(args[1]);
    }
    DeliveryDiagnosis d = maildx.diagnose(question.build());
    out.println(d.verdict());
    d.likelyCauses()
        .forEach(c -> out.println("- " + c.summary() + " -> " + c.party() + ": " + c.action()));
    d.findings()
        .forEach(f -> out.println("  " + f.severity() + " " + f.code() + ": " + f.message()));
    return d;
  }
}
