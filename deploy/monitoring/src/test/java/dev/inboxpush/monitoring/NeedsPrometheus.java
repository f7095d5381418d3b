package dev.inboxpush.monitoring;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that runs {@code promtool} or {@code prometheus}: without them on the PATH (and
 * without {@code CI=true}) the class is skipped, with the reason in the report and the build log.
 * Under {@code CI=true} it always runs, so that a missing binary fails it ({@link
 * PrometheusTools#require}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsPrometheus.Condition.class)
@interface NeedsPrometheus {

  /** The condition behind the annotation. */
  final class Condition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if ("true".equals(System.getenv("CI"))
          || (PrometheusTools.find("promtool").isPresent()
              && PrometheusTools.find("prometheus").isPresent())) {
        return ConditionEvaluationResult.enabled("promtool and prometheus found, or CI=true");
      }
      String reason =
          "skipped: promtool or prometheus is not on the PATH; install Debian's prometheus"
              + " package (apt-get install prometheus) to run the monitoring tests";
      System.out.println(context.getDisplayName() + " " + reason);
      return ConditionEvaluationResult.disabled(reason);
    }
  }
}
