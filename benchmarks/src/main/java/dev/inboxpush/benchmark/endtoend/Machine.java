package dev.inboxpush.benchmark.endtoend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine and the code a run measured: cores, CPU model, memory, kernel, JDK, dynalite, and the
 * commit. Read once at the start.
 */
record Machine(
    int cores,
    String cpu,
    long memoryMb,
    String kernel,
    String jdk,
    String commit,
    String services) {

  static Machine describe() {
    String cpu = "unknown CPU";
    long memory = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("MemTotal:")) {
          memory = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the description stays partial
    }
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        cpu,
        memory,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        git("rev-parse", "HEAD")
            + (git("status", "--porcelain").isBlank() ? "" : " (with uncommitted changes)"),
        git(
            "log",
            "-1",
            "--format=%H %s",
            "--",
            "listener-service",
            "store",
            "service-autoconfigure",
            "shared-model"));
  }

  String summary() {
    return String.format(
        Locale.ROOT,
        "machine: %d cores (%s), %,d MB, %s, %s%ncommit: %s%nthe services' code last changed in: %s",
        cores,
        cpu,
        memoryMb,
        kernel,
        jdk,
        commit,
        services);
  }

  private static String git(String... arguments) {
    String[] command = new String[arguments.length + 1];
    command[0] = "git";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(
                  Path.of(System.getProperty("bench.repository", "..")).toAbsolutePath().toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return output.trim();
    } catch (IOException e) {
      return "unknown (git: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
