package dev.inboxpush.local.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the tests run in, found from the working directory. */
final class Checkout {

  private Checkout() {}

  /** The folder holding {@code ./inbox-push}: the repository root. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("inbox-push"))
          && Files.isDirectory(dir.resolve("local"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "not inside a checkout of inbox-push: " + Path.of("").toAbsolutePath());
  }

  /** A folder for a test's local-run data under local/target, emptied by {@code --fresh}. */
  static Path dataFolder(String name) {
    return root().resolve("local/target").resolve(name);
  }
}
