package dev.maildx.cli;

import dev.maildx.MailDiagnostics;
import dev.maildx.dns.DkimKeyResolver;
import dev.maildx.report.DkimKeysReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maildx dkim <domain> [--selector S]...}: a domain's DKIM keys (RFC 6376 §3.6, RFC 8463).
 */
@Command(
    name = "dkim",
    mixinStandardHelpOptions = true,
    description =
        "Show and check a domain's DKIM keys: the selectors given and the common ones (Microsoft 365, Google, SendGrid, ...), "
            + "CNAME delegation, key type and size, revoked and testing keys.")
final class DkimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DOMAIN",
      description = "The signing domain (d=), e.g. example.com.")
  String domain;

  @Option(
      names = "--selector",
      paramLabel = "S",
      description = "A selector in use (the s= of a DKIM-Signature); repeatable.")
  List<String> selectors = new ArrayList<>();

  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    try (MailDiagnostics maildx = network.runtime();
        DkimKeyResolver resolver = DkimKeyResolver.create(maildx)) {
      DkimKeysReport r = resolver.resolve(domain, selectors);
      Output.print(spec, r, json);
      return Exit.of(Exit.verdict(r.findings()), r.findings());
    }
  }
}
