package dev.maildx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class run as a user runs it: a new JVM on this module's runtime class path (what the
 * shaded {@code maildx-cli.jar} holds), its exit status, standard output and standard error.
 */
public record JavaProcess(int exit, String out, String err) {
  /**
   * Runs {@code mainClass} with {@code args} in a new JVM and waits at most a minute.
   *
   * @param mainClass the class whose {@code main} runs
   * @param args its arguments
   * @return what it did
   * @throws Exception if it cannot be started or does not end in time
   */
  public static JavaProcess run(String mainClass, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    File out = File.createTempFile("example", ".out");
    File err = File.createTempFile("example", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
      boolean ended = p.waitFor(60, TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly();
      }
      assertThat(ended).as("%s ended within a minute", cmd).isTrue();
      return new JavaProcess(
          p.exitValue(),
          Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out.toPath());
      Files.deleteIfExists(err.toPath());
    }
  }
}
