package dev.inboxpush.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the monitoring files are: deploy/monitoring of the checkout the tests run in. */
final class MonitoringFiles {

  private MonitoringFiles() {}

  /** The repository's root, found from the working directory (Maven runs tests in the module). */
  static Path repository() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("inbox-push"))
          && Files.isDirectory(dir.resolve("deploy/monitoring"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "not inside a checkout of inbox-push: " + Path.of("").toAbsolutePath());
  }

  /** deploy/monitoring/prometheus: prometheus.yml, rules/, tests/, targets/. */
  static Path prometheus() {
    return repository().resolve("deploy/monitoring/prometheus");
  }

  /** deploy/monitoring/grafana: dashboards/ and provisioning/. */
  static Path grafana() {
    return repository().resolve("deploy/monitoring/grafana");
  }

  /** The module's build folder, for data and logs. */
  static Path target() {
    return repository().resolve("deploy/monitoring/target");
  }
}
