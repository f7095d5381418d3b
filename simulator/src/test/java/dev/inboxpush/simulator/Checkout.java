package dev.inboxpush.simulator;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout a test runs in: where the local stack finds its jars and keeps its data. */
final class Checkout {

  private Checkout() {}

  /** The repository's root, found upwards from the working directory. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("inbox-push"))
          && Files.isDirectory(dir.resolve("local"))) {
        return dir;
      }
    }
    throw new IllegalStateException("not inside a checkout of inbox-push");
  }
}
