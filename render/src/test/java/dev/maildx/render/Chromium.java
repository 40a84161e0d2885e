package dev.maildx.render;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a page in headless Chromium (Debian's {@code chromium}) and reports what the page wrote
 * to the console. With {@code --enable-logging=stderr --v=0}, Chromium logs every console message
 * of the page (errors, uncaught exceptions, and the Content Security Policy's refusals to load a
 * resource) as a line holding {@code :CONSOLE}; {@code HtmlReportChromiumInteropTest} proves that a
 * page with an error produces such a line.
 */
final class Chromium {
  /**
   * What a render gave: the exit code, the console lines, the whole log, whether the screenshot was
   * written.
   */
  record Result(int exit, List<String> console, String log, boolean screenshot) {}

  private Chromium() {}

  static Path binary() {
    for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    throw new AssertionError(
        "chromium not found: .ci/interop/install.sh installs it (package chromium, .ci/interop/packages.txt)");
  }

  /** Renders {@code page} and takes a screenshot into {@code png}. */
  static Result render(Path page, Path png) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("maildx-chromium-");
    Path log = Files.createTempFile("maildx-chromium-", ".log");
    try {
      Process p =
          new ProcessBuilder(
                  binary().toString(),
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-background-networking",
                  "--disable-component-update",
                  "--disable-sync",
                  "--no-first-run",
                  "--user-data-dir=" + profile,
                  "--enable-logging=stderr",
                  "--v=0",
                  "--window-size=1200,1600",
                  "--screenshot=" + png,
                  page.toUri().toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("chromium did not finish within 90 s");
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      List<String> console = text.lines().filter(l -> l.contains(":CONSOLE")).toList();
      boolean shot =
          Files.isRegularFile(png)
              && Files.size(png) > 0
              && text.contains("bytes written to file " + png);
      return new Result(p.exitValue(), console, text, shot);
    } finally {
      Files.deleteIfExists(log);
      try (Stream<Path> s = Files.walk(profile)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** Whether the file starts with the PNG signature. */
  static boolean isPng(Path f) throws IOException {
    byte[] b = Files.readAllBytes(f);
    return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
  }
}
