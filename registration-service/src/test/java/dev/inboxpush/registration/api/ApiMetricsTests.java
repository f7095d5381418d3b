package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ApiMetricsTests {

  private final PrometheusMeterRegistry registry = registry();
  private final ApiMetrics metrics = new ApiMetrics(registry);

  private static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", "registration", "region", "eu-west-1");
    return registry;
  }

  @Test
  void everyOutcomeIsAtZeroBeforeTheFirstRequest() {
    assertThat(registry.scrape())
        .contains(
            "inboxpush_registration_registrations_total{outcome=\"rotated\","
                + "region=\"eu-west-1\",service=\"registration\"} 0.0");
    assertThat(registry.find(ApiMetrics.REGISTRATIONS).counters())
        .hasSize(ApiMetrics.Outcome.values().length)
        .allSatisfy(counter -> assertThat(counter.count()).isZero());
  }

  @Test
  void theOutcomeTagsAreTheDocumentedOnes() {
    assertThat(ApiMetrics.Outcome.values())
        .extracting(ApiMetrics.Outcome::tag)
        .containsExactly("created", "refreshed", "bound", "graph_bound", "rotated", "deleted");
  }

  @Test
  void aWipeCountsEveryRegistrationItDeleted() {
    metrics.count(ApiMetrics.Outcome.DELETED, 3);

    assertThat(registry.get(ApiMetrics.REGISTRATIONS).tag("outcome", "deleted").counter().count())
        .isEqualTo(3);
  }
}
