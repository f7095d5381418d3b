package dev.inboxpush.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;

/**
 * A start that is over once the container has exited, whatever its exit code (the test reads the
 * code and the log): for a container that must stop by itself, such as a service missing a required
 * setting. With {@link #NO_WAIT} as its wait strategy.
 */
final class ExitedCheck extends StartupCheckStrategy {

  /** Nothing to wait for after the exit. */
  static final WaitStrategy NO_WAIT =
      new WaitStrategy() {
        @Override
        public void waitUntilReady(WaitStrategyTarget target) {}

        @Override
        public WaitStrategy withStartupTimeout(Duration startupTimeout) {
          return this;
        }
      };

  @Override
  public StartupStatus checkStartupState(DockerClient client, String containerId) {
    InspectContainerResponse.ContainerState state = getCurrentState(client, containerId);
    return Boolean.TRUE.equals(state.getRunning())
        ? StartupStatus.NOT_YET_KNOWN
        : StartupStatus.SUCCESSFUL;
  }
}
