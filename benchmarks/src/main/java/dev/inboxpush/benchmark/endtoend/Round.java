package dev.inboxpush.benchmark.endtoend;

import java.util.Map;
import java.util.TreeMap;

/**
 * One measured stretch of one target: what the traffic did, and what every process used meanwhile
 * (the difference of two snapshots). Immutable.
 *
 * @param target the target's key
 * @param round 1 for the first round; 0 for warm-up
 * @param outcome the traffic's counts and latencies
 * @param before the snapshot before the first request
 * @param after the snapshot after the last answer (and the pushes it caused)
 * @param pushesExpected pushes the push peer should have received in between
 * @param pushesSeen pushes it did receive in between
 * @param reused POSTs of a production-like target that went to a registration used within the
 *     listener's lookup-cache TTL (possible cache hits)
 * @param load the machine's load averages at the end
 */
record Round(
    String target,
    int round,
    Traffic.Outcome outcome,
    Watch.Snapshot before,
    Watch.Snapshot after,
    long pushesExpected,
    long pushesSeen,
    long reused,
    String load) {

  /** Requests answered as expected. */
  long requests() {
    return outcome.ok();
  }

  /** {@code part}'s CPU time over the round per answered request, in microseconds. */
  double cpuPerRequest(String part) {
    Long end = after.cpuMicros().get(part);
    Long start = before.cpuMicros().get(part);
    if (end == null || start == null || requests() == 0) {
      return Double.NaN;
    }
    return (end - start) / (double) requests();
  }

  /** {@code part}'s JIT compile time during the round, in milliseconds (NaN when unknown). */
  double compileMillis(String part) {
    Double end = after.compileMillis().get(part);
    Double start = before.compileMillis().get(part);
    return end == null || start == null ? Double.NaN : end - start;
  }

  /** The increase of a counter of {@code part}'s metrics, per answered request. */
  double perRequest(String part, String counter) {
    Prometheus end = after.metrics().get(part);
    Prometheus start = before.metrics().get(part);
    if (end == null || start == null || requests() == 0) {
      return Double.NaN;
    }
    return (end.sum(counter) - start.sum(counter)) / requests();
  }

  /** The listener's table calls per answered request, by operation. */
  Map<String, Double> callsPerRequest(String part) {
    Map<String, Double> calls = new TreeMap<>();
    Prometheus end = after.metrics().get(part);
    Prometheus start = before.metrics().get(part);
    if (end == null || start == null || requests() == 0) {
      return calls;
    }
    Map<String, Double> was = start.byLabel(DYNAMO_CALLS, "operation");
    end.byLabel(DYNAMO_CALLS, "operation")
        .forEach(
            (operation, count) -> {
              double delta = count - was.getOrDefault(operation, 0.0);
              if (delta > 0) {
                calls.put(operation, delta / requests());
              }
            });
    return calls;
  }

  /**
   * The share of the listener's callback-token lookups that the cache answered during the round
   * ({@code cache_gets_total{cache="callback-tokens"}}, Caffeine's own counts); NaN without any.
   */
  double cacheHitShare(String part) {
    Prometheus end = after.metrics().get(part);
    Prometheus start = before.metrics().get(part);
    if (end == null || start == null) {
      return Double.NaN;
    }
    Map<String, String> hit = Map.of("cache", "callback-tokens", "result", "hit");
    Map<String, String> miss = Map.of("cache", "callback-tokens", "result", "miss");
    double hits = end.sum(CACHE_GETS, hit) - start.sum(CACHE_GETS, hit);
    double misses = end.sum(CACHE_GETS, miss) - start.sum(CACHE_GETS, miss);
    return hits + misses == 0 ? Double.NaN : hits / (hits + misses);
  }

  static final String CACHE_GETS = "cache_gets_total";
  static final String DYNAMO_CALLS = "inboxpush_dynamodb_calls_total";
  static final String ALLOCATED = "jvm_gc_memory_allocated_bytes_total";
}
