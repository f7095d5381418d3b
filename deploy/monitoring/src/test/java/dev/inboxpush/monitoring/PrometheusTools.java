package dev.inboxpush.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} package on this machine: {@code promtool} and {@code prometheus},
 * found on the {@code PATH}. {@code .ci/run} installs the package; on a laptop without it the tests
 * skip ({@link NeedsPrometheus}).
 */
final class PrometheusTools {

  /** How long one promtool run may take. */
  static final Duration PROMTOOL_TIMEOUT = Duration.ofSeconds(60);

  private PrometheusTools() {}

  /** The executable {@code name} on the PATH, if any. */
  static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The executable, or an error that says how to get it. */
  static Path require(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    name
                        + " is not on the PATH: install Debian's prometheus package"
                        + " (apt-get install prometheus), as .ci/run does"));
  }

  /**
   * What a finished run printed and its exit code.
   *
   * @param code the exit code
   * @param output standard output and error, interleaved
   */
  record Run(int code, String output) {}

  /** Runs promtool with {@code arguments} in {@code directory}; waits at most the timeout. */
  static Run promtool(Path directory, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(require("promtool").toString());
    command.addAll(List.of(arguments));
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(PROMTOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not end within " + PROMTOOL_TIMEOUT);
      }
      return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }
}
