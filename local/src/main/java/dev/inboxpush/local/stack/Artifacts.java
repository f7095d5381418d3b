package dev.inboxpush.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a local run starts, as built by Maven: the services' runnable jars, the local peers' jar and
 * dynalite's command-line script. Nothing is built here: {@code ./inbox-push local} builds what is
 * missing before it starts the stack, and the build has them in place before any test runs.
 *
 * @param registrationJar {@code registration-service/target/registration-service-<v>-exec.jar}
 * @param listenerJar {@code listener-service/target/listener-service-<v>-exec.jar}
 * @param localJar {@code local/target/local-<v>-exec.jar}: the authorization server and the local
 *     push peer ({@code java -jar local-<v>-exec.jar auth|push})
 * @param dynaliteCli {@code test-support/dynalite/node_modules/dynalite/cli.js}
 */
public record Artifacts(Path registrationJar, Path listenerJar, Path localJar, Path dynaliteCli) {

  public Artifacts {
    for (Path file : List.of(registrationJar, listenerJar, localJar, dynaliteCli)) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            file + " is missing: build it first (" + hint(file) + ")");
      }
    }
  }

  /**
   * Finds everything in a checkout of the repository at {@code root}.
   *
   * @throws IllegalArgumentException naming what is missing or ambiguous, and how to build it
   */
  public static Artifacts inRepository(Path root) {
    return new Artifacts(
        execJar(root.resolve("registration-service/target"), "registration-service-"),
        execJar(root.resolve("listener-service/target"), "listener-service-"),
        execJar(root.resolve("local/target"), "local-"),
        root.resolve("test-support/dynalite/node_modules/dynalite/cli.js"));
  }

  private static Path execJar(Path target, String prefix) {
    if (!Files.isDirectory(target)) {
      throw new IllegalArgumentException(
          target + " is missing: build it first (" + hint(target) + ")");
    }
    try (Stream<Path> files = Files.list(target)) {
      List<Path> jars =
          files
              .filter(
                  file -> {
                    String name = file.getFileName().toString();
                    return name.startsWith(prefix) && name.endsWith("-exec.jar");
                  })
              .sorted()
              .toList();
      if (jars.size() != 1) {
        throw new IllegalArgumentException(
            "expected one " + prefix + "<version>-exec.jar in " + target + ", found " + jars);
      }
      return jars.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + target, e);
    }
  }

  private static String hint(Path file) {
    return file.toString().contains("dynalite")
        ? "npm ci in test-support/dynalite"
        : "./mvnw -B -DskipTests -pl local,registration-service,listener-service -am package";
  }
}
