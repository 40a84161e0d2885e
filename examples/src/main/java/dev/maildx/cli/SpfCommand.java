package dev.maildx.cli;

import dev.maildx.MailDiagnostics;
import dev.maildx.dns.SpfEvaluator;
import dev.maildx.report.SpfReport;
import dev.maildx.report.SpfResult;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maildx spf <ip> <sender>}: what SPF (RFC 7208 {@code check_host()}) says about a sending
 * IP and a sender, with the trace as a tree and the lint of the record.
 *
 * <p>Exit code: 0 for pass, 1 for fail, softfail, neutral, none or permerror (or lint errors), 3
 * for temperror.
 */
@Command(
    name = "spf",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate SPF for a sending IP and sender as a receiving mail server does, show why, and check the record.")
final class SpfCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "IP",
      description = "The sending IP address (IPv4 or IPv6).")
  String ip;

  @Parameters(
      index = "1",
      paramLabel = "SENDER",
      description =
          "The MAIL FROM address, e.g. alice@corp.example; \"\" for a bounce "
              + "(then postmaster@<helo> is checked).")
  String sender;

  @Option(
      names = "--helo",
      paramLabel = "NAME",
      description = "The HELO/EHLO name of the sending server.")
  @Nullable String helo;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    try (MailDiagnostics maildx = network.runtime();
        SpfEvaluator spf = SpfEvaluator.create(maildx)) {
      SpfReport r = spf.check(ip, sender, helo);
      Output.print(spec, r, json);
      if (r.spfResult() == null || r.spfResult() == SpfResult.TEMPERROR) {
        return Main.INCONCLUSIVE;
      }
      return r.spfResult() == SpfResult.PASS
          ? Exit.of(Exit.verdict(r.findings()), r.findings())
          : Main.PROBLEMS;
    }
  }
}
