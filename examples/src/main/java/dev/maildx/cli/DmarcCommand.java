package dev.maildx.cli;

import dev.maildx.MailDiagnostics;
import dev.maildx.dns.DmarcResolver;
import dev.maildx.report.DmarcReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maildx dmarc <domain>}: a domain's DMARC policy (RFC 9989, RFC 7489). */
@Command(
    name = "dmarc",
    mixinStandardHelpOptions = true,
    description =
        "Show and check a domain's DMARC policy: the record that applies, its Organizational Domain by the DNS tree walk "
            + "(RFC 9989) and by the Public Suffix List (RFC 7489), every tag, and whether report destinations accept the reports.")
final class DmarcCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DOMAIN",
      description = "The domain (the From domain of its mail), e.g. example.com.")
  String domain;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    try (MailDiagnostics maildx = network.runtime();
        DmarcResolver resolver = DmarcResolver.create(maildx)) {
      DmarcReport r = resolver.resolve(domain);
      Output.print(spec, r, json);
      return Exit.of(Exit.verdict(r.findings()), r.findings());
    }
  }
}
