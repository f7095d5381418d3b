package dev.inboxpush.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of the local run: its command, environment and log file, the ports it was given, and
 * the URL that answers 200 once it is ready.
 *
 * <p>Lifecycle: {@link #start} launches it with its output appended to its log file (the terminal
 * stays for the summary); {@link #awaitReady} polls its readiness URL and fails early, with the end
 * of its log, when the process exits; {@link #stop} sends SIGTERM (a JVM runs its shutdown hooks,
 * Spring shuts down gracefully), waits, then kills what is left. Not thread-safe: the stack starts
 * and stops its processes from one thread, waiting for several in parallel through their futures.
 */
final class LocalProcess {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path logFile;
  private final List<Integer> ports;
  private final URI readiness;
  private Process process;

  LocalProcess(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path logFile,
      List<Integer> ports,
      URI readiness) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.logFile = logFile;
    this.ports = List.copyOf(ports);
    this.readiness = readiness;
  }

  /** The name it is reported by, e.g. {@code listener us-east-1}. */
  String name() {
    return name;
  }

  List<Integer> ports() {
    return ports;
  }

  Path logFile() {
    return logFile;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Launches the process; its environment is exactly {@link #environment} over a clean base. */
  LocalProcess start(Map<String, String> baseEnvironment) {
    return start(baseEnvironment, false);
  }

  /**
   * Launches it again after it stopped (a fault run's restart): the same command, environment and
   * ports, its output appended to the same log.
   */
  LocalProcess restart(Map<String, String> baseEnvironment) {
    if (isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    return start(baseEnvironment, true);
  }

  private LocalProcess start(Map<String, String> baseEnvironment, boolean append) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(baseEnvironment);
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true);
    try {
      Files.createDirectories(logFile.getParent());
      Files.writeString(
          logFile,
          "# " + Instant.now() + " " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8,
          append
              ? new java.nio.file.OpenOption[] {
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND
              }
              : new java.nio.file.OpenOption[0]);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      process = builder.start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + " (" + command.get(0) + ")", e);
    }
  }

  /**
   * Waits until the readiness URL answers 200.
   *
   * @throws IllegalStateException when the process exits first, or {@code deadline} passes; the
   *     message holds the end of its log
   */
  void awaitReady(Instant deadline) {
    HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with "
                + process.exitValue()
                + " before it was ready; the end of "
                + logFile
                + ":\n"
                + tail());
      }
      try {
        if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            name
                + " was not ready at "
                + readiness
                + " in time; the end of "
                + logFile
                + ":\n"
                + tail());
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
  }

  /** Asks the process to stop (SIGTERM) without waiting. */
  void requestStop() {
    if (process != null) {
      process.destroy();
    }
  }

  /** Waits until it has stopped, killing it (SIGKILL) when {@code grace} passes first. */
  void awaitStop(Duration grace) {
    if (process == null) {
      return;
    }
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Kills it (SIGKILL, its descendants too) and waits until it is gone. */
  void kill() {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    try {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last 40 lines of its log. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }
}
