package dev.maildx.cli;

import dev.maildx.MailDiagnostics;
import dev.maildx.auth.AuthOptions;
import dev.maildx.auth.MessageAuthenticator;
import dev.maildx.report.AuthReport;
import dev.maildx.report.SmtpEnvelope;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maildx auth <message.eml> [--ip IP] [--helo NAME] [--mail-from ADDR]}: authenticates a
 * received message as its receiving MTA did — every DKIM signature, SPF for the envelope, DMARC,
 * ARC — and prints the Authentication-Results header field it would add, with why each failure
 * happened. Exit 0 when nothing failed, 1 when something did, 3 when it could not be checked.
 */
@Command(
    name = "auth",
    mixinStandardHelpOptions = true,
    description =
        "Authenticate a received message as its receiver did: DKIM signatures (which header or body changed), SPF for the "
            + "envelope, DMARC, ARC, and the Authentication-Results header field.")
final class AuthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MESSAGE",
      description = "The message as received (an .eml file), or - for standard input.")
  String message;

  @Option(
      names = "--ip",
      paramLabel = "IP",
      description = "The IP address of the client that delivered it (for SPF).")
  @Nullable String ip;

  @Option(
      names = "--helo",
      paramLabel = "NAME",
      description = "The HELO/EHLO name the client gave.")
  @Nullable String helo;

  @Option(
      names = "--mail-from",
      paramLabel = "ADDR",
      description =
          "The envelope sender (MAIL FROM); default: the message's Return-Path. Use \"\" for a bounce.")
  @Nullable String mailFrom;

  @Option(
      names = "--authserv-id",
      paramLabel = "ID",
      description = "The authserv-id of the Authentication-Results field (default: maildx).")
  @Nullable String authservId;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SmtpEnvelope envelope = SmtpEnvelope.of(ip, helo, mailFrom);
    AuthOptions.Builder options = AuthOptions.builder();
    if (authservId != null) {
      options.authservId(authservId);
    }
    AuthReport r;
    try (MailDiagnostics maildx = network.runtime();
        MessageAuthenticator auth = MessageAuthenticator.create(maildx, options.build())) {
      if (message.equals("-")) {
        r = auth.authenticate(System.in, "stdin", envelope);
      } else {
        Path p = Path.of(message);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
          throw new IllegalArgumentException("no such readable file: " + message);
        }
        try (InputStream in = Files.newInputStream(p)) {
          r = auth.authenticate(in, p.toString(), envelope);
        }
      }
    }
    Output.print(spec, r, json);
    return Exit.of(Exit.verdict(r.findings()), r.findings());
  }
}
