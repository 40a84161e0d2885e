package dev.maildx.cli;

import dev.maildx.MailDiagnostics;
import dev.maildx.report.ProbeReport;
import dev.maildx.smtp.ProbeOptions;
import dev.maildx.smtp.ProbeRequest;
import dev.maildx.smtp.SmtpProber;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maildx probe <domain|host>}: what each of the mail servers really does, phase by phase
 * (RFC 5321, RFC 3207, RFC 7672).
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Probe a domain's mail servers (or one host) over SMTP and show where each conversation stops: connect, greeting, "
          + "EHLO, STARTTLS and the certificate, RCPT. Never sends DATA.",
      "A domain is probed through its MX hosts (a name without MX records as the host itself); an IP address directly."
    })
final class ProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DOMAIN|HOST",
      description = "A domain (example.com), a host name with --host, or an IP address.")
  String target;

  @Option(
      names = "--port",
      paramLabel = "N",
      description =
          "Probe this TCP port instead of 25 (for tests; also allows loopback and private addresses).")
  @Nullable Integer port;

  @Option(
      names = "--rcpt",
      paramLabel = "ADDR",
      description = "Ask about this recipient with RCPT TO (then RSET; nothing is sent).")
  @Nullable String rcpt;

  @Option(
      names = "--host",
      description =
          "Probe DOMAIN|HOST as one host (its A and AAAA records), not through MX records.")
  boolean host;

  @Option(
      names = "--helo",
      paramLabel = "NAME",
      description = "The EHLO name (default: the address literal of this end, e.g. [192.0.2.7]).")
  @Nullable String helo;

  @Option(
      names = "--from",
      paramLabel = "ADDR",
      description = "The MAIL FROM address (default: the null sender <>).")
  @Nullable String from;

  @Option(
      names = "--max-hosts",
      paramLabel = "N",
      description = "Probe only the first N MX hosts (default: all).")
  @Nullable Integer maxHosts;

  @Option(
      names = "--no-catch-all",
      description = "Do not test a random address after the recipient was accepted.")
  boolean noCatchAll;

  @Option(
      names = "--allow-private",
      description = "Also connect to loopback, private and reserved addresses found in the DNS.")
  boolean allowPrivate;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    ProbeRequest.Builder r = host ? ProbeRequest.host(target) : ProbeRequest.builder(target);
    if (port != null) {
      r.port(port);
    }
    if (rcpt != null) {
      r.recipient(rcpt);
    }
    ProbeOptions.Builder b =
        ProbeOptions.builder()
            .allowNonPublicAddresses(allowPrivate || port != null)
            .catchAllTest(!noCatchAll);
    if (helo != null) {
      b.heloName(helo);
    }
    if (from != null) {
      b.mailFrom(from);
    }
    if (maxHosts != null) {
      b.maxHosts(maxHosts);
    }
    ProbeRequest request = r.build();
    try (MailDiagnostics maildx = network.runtime();
        SmtpProber prober = SmtpProber.create(maildx, b.build())) {
      ProbeReport report = prober.probe(request);
      Output.print(spec, report, json);
      return Exit.of(Exit.verdict(report.findings()), report.findings());
    }
  }
}
