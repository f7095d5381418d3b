package dev.inboxpush.store.dynamo;

import dev.inboxpush.store.TableCall;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Tells a {@link TableCall.Listener} of every call the client makes, from the SDK's own per-call
 * metrics (its {@link MetricPublisher} hook), so that retries, the table bootstrap's calls and
 * readiness probes are counted too, and so is a call cut off by its overall time bound, which the
 * SDK does not report to execution interceptors (aws-sdk-java-v2 issue 2367).
 *
 * <p>One instance per client, stateless. The SDK calls {@link #publish} once per call on the thread
 * that completes the call. A listener's exception is logged and dropped, so that metrics never fail
 * a call.
 */
final class CallObserver implements MetricPublisher {

  private static final Logger log = LoggerFactory.getLogger(CallObserver.class);

  private final TableCall.Listener listener;

  CallObserver(TableCall.Listener listener) {
    this.listener = listener;
  }

  @Override
  public void publish(MetricCollection call) {
    try {
      listener.finished(toCall(call));
    } catch (RuntimeException e) {
      log.warn("A table call could not be counted", e);
    }
  }

  /** What one call's metrics say: its operation, outcome, attempts and duration. */
  static TableCall toCall(MetricCollection call) {
    List<MetricCollection> attempts =
        call.children().stream().filter(child -> "ApiCallAttempt".equals(child.name())).toList();
    return new TableCall(
        first(call.metricValues(CoreMetric.OPERATION_NAME), "unknown"),
        Boolean.TRUE.equals(first(call.metricValues(CoreMetric.API_CALL_SUCCESSFUL), false))
            ? TableCall.Outcome.OK
            : failureOf(attempts.isEmpty() ? null : attempts.get(attempts.size() - 1)),
        Math.max(1, attempts.size()),
        first(call.metricValues(CoreMetric.API_CALL_DURATION), Duration.ZERO));
  }

  /**
   * How a failed call ended, from its last attempt: the SDK's error type ("ServerError" is any
   * error answer of the service, so its HTTP status tells a refusal from a fault). A last attempt
   * with no error type was cut off by the call's own time bound.
   */
  private static TableCall.Outcome failureOf(MetricCollection lastAttempt) {
    if (lastAttempt == null) {
      return TableCall.Outcome.IO;
    }
    String errorType = first(lastAttempt.metricValues(CoreMetric.ERROR_TYPE), "");
    int status = first(lastAttempt.metricValues(HttpMetric.HTTP_STATUS_CODE), 0);
    return switch (errorType) {
      case "Throttling" -> TableCall.Outcome.THROTTLED;
      case "ConfiguredTimeout", "" -> TableCall.Outcome.TIMEOUT;
      case "IO" -> TableCall.Outcome.IO;
      default ->
          status >= 400 && status < 500
              ? TableCall.Outcome.CLIENT_ERROR
              : status == 0 ? TableCall.Outcome.IO : TableCall.Outcome.SERVER_ERROR;
    };
  }

  private static <T> T first(List<T> values, T otherwise) {
    return values.isEmpty() ? otherwise : values.get(0);
  }

  @Override
  public void close() {}
}
