package dev.maildx.cli;

import dev.maildx.DeliveryDiagnosis;
import dev.maildx.DeliveryQuestion;
import dev.maildx.MailDiagnostics;
import dev.maildx.render.Render;
import dev.maildx.smtp.ProbeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maildx diagnose <domain|address>}: the whole diagnosis. */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    description =
        "Diagnose why mail to a domain or address is not arriving: every applicable check, one verdict, the likely causes.")
final class DiagnoseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DOMAIN|ADDRESS",
      description = "The recipient: bob@agency.example or agency.example.")
  String to;

  @Option(
      names = "--from",
      paramLabel = "ADDR",
      description = "The sender's address (for SPF, DKIM, DMARC of the sender's domain).")
  @Nullable String from;

  @Option(
      names = "--ip",
      paramLabel = "IP",
      description = "The IP address the sender's mail leaves from.")
  @Nullable String ip;

  @Option(
      names = "--helo",
      paramLabel = "NAME",
      description = "The HELO name of the sending server.")
  @Nullable String helo;

  @Option(
      names = "--bounce",
      paramLabel = "FILE",
      description = "The bounce or delay notice the sender received.")
  @Nullable Path bounce;

  @Option(
      names = "--message",
      paramLabel = "FILE",
      description = "A received message to authenticate.")
  @Nullable Path message;

  @Option(
      names = "--selector",
      paramLabel = "S",
      description = "A DKIM selector to check (repeatable).")
  List<String> selectors = new ArrayList<>();

  @Option(names = "--no-smtp", description = "Do not probe the recipient's mail servers over SMTP.")
  boolean noSmtp;

  @Option(
      names = "--smtp-port",
      paramLabel = "N",
      description =
          "Probe SMTP on this port instead of 25 (for tests; also allows loopback and private addresses).")
  @Nullable Integer smtpPort;

  @Option(
      names = "--allow-private",
      description = "Probe loopback, private and reserved addresses found in the DNS too.")
  boolean allowPrivate;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description =
          "Also write the diagnosis as a self-contained HTML page (verdict, causes, SPF tree, SMTP timeline) to FILE.")
  @Nullable Path html;

  @Override
  public Integer call() {
    DeliveryQuestion.Builder q = DeliveryQuestion.builder().to(to);
    if (from != null) {
      q.from(from);
    }
    if (ip != null) {
      q.sendingIp(ip);
    }
    if (helo != null) {
      q.helo(helo);
    }
    if (bounce != null) {
      if (!Files.isReadable(bounce)) {
        throw new IllegalArgumentException("--bounce " + bounce + ": no such readable file");
      }
      q.bounce(bounce);
    }
    if (message != null) {
      if (!Files.isReadable(message)) {
        throw new IllegalArgumentException("--message " + message + ": no such readable file");
      }
      q.message(message);
    }
    q.dkimSelectors(selectors.toArray(String[]::new));
    q.smtpProbe(!noSmtp);
    if (smtpPort != null) {
      q.smtpPort(smtpPort);
    }
    DeliveryQuestion question = q.build();
    MailDiagnostics.Builder builder = MailDiagnostics.builder().config(network.config().build());
    if (allowPrivate || smtpPort != null) {
      builder.options(ProbeOptions.builder().allowNonPublicAddresses(true).build());
    }
    if (html != null) {
      Path parent = html.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new IllegalArgumentException("--html " + html + ": no such directory " + parent);
      }
    }
    try (MailDiagnostics maildx = builder.build()) {
      DeliveryDiagnosis d = maildx.diagnose(question);
      Output.print(spec, d, json);
      if (html != null) {
        writeHtml(spec, d, html);
      }
      return Exit.of(d.verdict(), d.findings());
    }
  }

  /** Writes the HTML report; a write failure is a one-line error and exit 2. */
  static void writeHtml(CommandSpec spec, DeliveryDiagnosis d, Path file) {
    try {
      Files.writeString(file, Render.html(d), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("--html " + file + ": cannot write: " + e.getMessage());
    }
    spec.commandLine().getErr().println("maildx: wrote " + file);
  }
}
