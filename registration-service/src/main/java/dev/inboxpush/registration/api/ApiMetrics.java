package dev.inboxpush.registration.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * {@value #REGISTRATIONS}{@code {outcome}}: registrations created, refreshed, bound, rotated and
 * deleted. Refusals are counted by {@link dev.inboxpush.registration.problem.RejectionMetrics};
 * both beside Spring's {@code http.server.requests}.
 */
@Component
class ApiMetrics {

  static final String REGISTRATIONS = "inboxpush.registration.registrations";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String outcome) {
    count(outcome, 1);
  }

  void count(String outcome, int amount) {
    counters
        .computeIfAbsent(
            outcome,
            key -> Counter.builder(REGISTRATIONS).tag("outcome", outcome).register(registry))
        .increment(amount);
  }
}
