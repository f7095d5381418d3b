package dev.inboxpush.containers;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * What every container test checks first: that a Docker engine answers ({@code DOCKER_HOST}), and
 * that the images deploy/docker/build-images.sh builds are there. Without an engine a test is
 * skipped, saying why, unless {@code CI=true}, where it fails: a broken {@code dockerd} start must
 * not pass silently. A missing image fails at once (Testcontainers would otherwise try to pull it
 * for minutes). Also free ports on 127.0.0.1 and the checkout. Stateless; thread-safe.
 */
final class Engine {

  /** The images of the compose stack, as build-images.sh tags them. */
  static final String REGISTRATION = "localhost/inbox-push/registration-service:latest";

  static final String LISTENER = "localhost/inbox-push/listener-service:latest";
  static final String PEERS = "localhost/inbox-push/local-peers:latest";
  static final String PROMETHEUS = "localhost/inbox-push/prometheus:latest";

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private Engine() {}

  /**
   * Skips (or under CI=true fails) without an engine; fails when one of {@code images} is missing.
   */
  static void require(String... images) {
    boolean available = DockerClientFactory.instance().isDockerAvailable();
    String where = "DOCKER_HOST=" + System.getenv().getOrDefault("DOCKER_HOST", "(unset)");
    if (!available) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but no Docker engine answers (" + where + "): .ci/run starts one");
      }
      Assumptions.abort(
          "skipped: no Docker engine answers ("
              + where
              + "); the container tests need one (README, \"Run it in containers\")");
    }
    for (String image : images) {
      try {
        DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      } catch (RuntimeException missing) {
        fail(
            image
                + " is missing on the engine ("
                + where
                + "): build it with deploy/docker/build-images.sh (the Maven build of containers/"
                + " does before the tests)");
      }
    }
  }

  /** The checkout's root folder (the Maven build passes it). */
  static Path checkout() {
    return Path.of(System.getProperty("inboxpush.checkout", "..")).toAbsolutePath().normalize();
  }

  /** A folder of this module's build output for {@code name}. */
  static Path buildFolder(String name) {
    return checkout().resolve("containers/target").resolve(name);
  }

  /**
   * A port free on 127.0.0.1 now and not handed out before in this JVM (containers with host
   * networking bind it later: another program could take it in between, which fails the start
   * visibly).
   */
  static synchronized int freePort() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free port on 127.0.0.1", e);
      }
    }
    throw new IllegalStateException("no new free port on 127.0.0.1 after 50 attempts");
  }
}
