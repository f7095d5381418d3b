package dev.inboxpush.containers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * A test class that needs a Docker engine: without one (and without {@code CI=true}) the whole
 * class is skipped, each test reported as skipped with the reason, which the build log also shows.
 * Under {@code CI=true} it always runs, so that {@link Engine#require} fails it instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsDocker.Condition.class)
@interface NeedsDocker {

  /** The condition behind the annotation; asks the engine once per class. */
  final class Condition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if ("true".equals(System.getenv("CI"))
          || DockerClientFactory.instance().isDockerAvailable()) {
        return ConditionEvaluationResult.enabled("a Docker engine answers, or CI=true");
      }
      String reason =
          "skipped: no Docker engine answers (DOCKER_HOST="
              + System.getenv().getOrDefault("DOCKER_HOST", "(unset)")
              + "); the container tests need one (README, \"Run it in containers\")";
      System.out.println(context.getDisplayName() + " " + reason);
      return ConditionEvaluationResult.disabled(reason);
    }
  }
}
