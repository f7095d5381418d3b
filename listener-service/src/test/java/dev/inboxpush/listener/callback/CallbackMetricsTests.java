package dev.inboxpush.listener.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.ews.EwsParseException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallbackMetricsTests {

  private final PrometheusMeterRegistry registry = registry();
  private final CallbackMetrics metrics = new CallbackMetrics(registry);

  private static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", "listener", "region", "eu-west-1");
    return registry;
  }

  @Test
  void everyAnswerAndReasonIsAtZeroBeforeTheFirstPost() {
    assertThat(registry.scrape())
        .contains(
            "inboxpush_listener_callbacks_total{answer=\"refused\",reason=\"source\","
                + "region=\"eu-west-1\",service=\"listener\"} 0.0")
        .contains(
            "inboxpush_listener_callbacks_total{answer=\"refused\",reason=\"forbidden_construct\","
                + "region=\"eu-west-1\",service=\"listener\"} 0.0")
        .contains(
            "inboxpush_listener_answer_time_seconds_count{answer=\"unavailable\","
                + "region=\"eu-west-1\",service=\"listener\"} 0");
    // What the tables imply: each of our own (answer, reason) pairs, and each parser refusal.
    assertThat(registry.find(CallbackMetrics.CALLBACKS).counters())
        .hasSize(CallbackMetrics.Counted.values().length + EwsParseException.Reason.values().length)
        .allSatisfy(counter -> assertThat(counter.count()).isZero());
    assertThat(registry.find(CallbackMetrics.ANSWER_TIME).timers())
        .hasSize(CallbackMetrics.Answer.values().length);
  }

  @Test
  void aCountedAnswerCountsUnderItsTags() {
    metrics.record(
        CallbackMetrics.Answer.REFUSED,
        CallbackMetrics.tag(EwsParseException.Reason.LIMIT_EXCEEDED),
        Duration.ofMillis(3));
    metrics.count(CallbackMetrics.Counted.NOT_FOUND);

    assertThat(
            registry
                .get(CallbackMetrics.CALLBACKS)
                .tag("answer", "refused")
                .tag("reason", "limit_exceeded")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(CallbackMetrics.CALLBACKS)
                .tag("answer", "refused")
                .tag("reason", "not_found")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(CallbackMetrics.ANSWER_TIME).tag("answer", "refused").timer().count())
        .isEqualTo(1);
  }

  @Test
  void theAnswerTimeHasABucketAtTheTwoSecondObjective() {
    // The SLO alerts (deploy/monitoring) count answers within 2 s: the default buckets have none.
    metrics.record(CallbackMetrics.Answer.OK, "none", Duration.ofMillis(1_900));
    metrics.record(CallbackMetrics.Answer.OK, "none", Duration.ofMillis(2_100));
    assertThat(registry.scrape())
        .contains(
            "inboxpush_listener_answer_time_seconds_bucket{answer=\"ok\",region=\"eu-west-1\","
                + "service=\"listener\",le=\"2.0\"} 1");
  }

  @Test
  void reasonsAreDistinctLowerCaseTags() {
    assertThat(CallbackMetrics.Counted.values())
        .extracting(counted -> counted.answer().tag() + "/" + counted.reason())
        .doesNotHaveDuplicates()
        .allMatch(tag -> tag.matches("[a-z]+/[a-z]+(_[a-z]+)*"));
  }
}
