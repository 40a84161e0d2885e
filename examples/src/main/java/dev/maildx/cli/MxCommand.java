package dev.maildx.cli;

import dev.maildx.MailDiagnostics;
import dev.maildx.dns.MxResolver;
import dev.maildx.report.MxReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maildx mx <domain>}: where a domain's mail goes (RFC 5321 §5.1, RFC 7505). */
@Command(
    name = "mx",
    mixinStandardHelpOptions = true,
    description = "Show where a domain's mail goes: MX hosts by preference with their addresses.")
final class MxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DOMAIN",
      description = "The domain, e.g. example.com (Unicode allowed).")
  String domain;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    try (MailDiagnostics maildx = network.runtime();
        MxResolver resolver = MxResolver.create(maildx)) {
      MxReport r = resolver.resolve(domain);
      Output.print(spec, r, json);
      return Exit.of(Exit.verdict(r.findings()), r.findings());
    }
  }
}
