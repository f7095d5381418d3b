package dev.inboxpush.autoconfigure;

import dev.inboxpush.store.TableCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The table's calls as metrics (docs/metrics.md, "Both services"): {@code
 * inboxpush_dynamodb_calls_total} by operation and outcome, {@code
 * inboxpush_dynamodb_attempts_total} by operation (attempts minus calls are the SDK's retries) and
 * {@code inboxpush_dynamodb_call_seconds} by operation. The operations the services' hot paths use
 * exist at 0 from start-up with every outcome; another operation (the table bootstrap's) from its
 * first call.
 *
 * <p>Thread-safe and lock-free after a meter's first use; called on the SDK's threads.
 */
final class TableCallMetrics implements TableCall.Listener {

  static final String CALLS = "inboxpush.dynamodb.calls";
  static final String ATTEMPTS = "inboxpush.dynamodb.attempts";
  static final String CALL_TIME = "inboxpush.dynamodb.call";

  /** The operations registered at start-up. */
  static final List<String> OPERATIONS =
      List.of(
          "GetItem",
          "BatchGetItem",
          "Query",
          "PutItem",
          "UpdateItem",
          "DeleteItem",
          "TransactWriteItems",
          "DescribeTable");

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2)
  };

  private final MeterRegistry registry;
  private final Map<String, Meters> byOperation = new ConcurrentHashMap<>();

  TableCallMetrics(MeterRegistry registry) {
    this.registry = registry;
    OPERATIONS.forEach(this::meters);
  }

  @Override
  public void finished(TableCall call) {
    Meters meters = meters(call.operation());
    meters.calls.get(call.outcome()).increment();
    meters.attempts.increment(call.attempts());
    meters.time.record(call.took());
  }

  private Meters meters(String operation) {
    return byOperation.computeIfAbsent(operation, this::register);
  }

  private Meters register(String operation) {
    Map<TableCall.Outcome, Counter> calls = new EnumMap<>(TableCall.Outcome.class);
    for (TableCall.Outcome outcome : TableCall.Outcome.values()) {
      calls.put(
          outcome,
          Counter.builder(CALLS)
              .description("Calls to the DynamoDB table, by how they ended")
              .baseUnit("calls")
              .tag("operation", operation)
              .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    Counter attempts =
        Counter.builder(ATTEMPTS)
            .description("HTTP attempts of calls to the DynamoDB table, retries included")
            .baseUnit("attempts")
            .tag("operation", operation)
            .register(registry);
    Timer time =
        Timer.builder(CALL_TIME)
            .description("Time of a call to the DynamoDB table, retries included")
            .tag("operation", operation)
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    return new Meters(calls, attempts, time);
  }

  private record Meters(Map<TableCall.Outcome, Counter> calls, Counter attempts, Timer time) {}
}
