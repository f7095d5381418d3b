package dev.inboxpush.registration.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * {@value #REGISTRATIONS}{@code {outcome}}: registrations created, refreshed, bound, rotated and
 * deleted; {@value #REJECTED}{@code {reason}}: requests refused, by a bounded reason (invalid,
 * not_found, conflict, too_large, unsupported_media_type, rate_limited, unauthenticated, forbidden,
 * unavailable). Beside Spring's {@code http.server.requests}.
 */
@Component
class ApiMetrics {

  static final String REGISTRATIONS = "inboxpush.registration.registrations";
  static final String REJECTED = "inboxpush.registration.rejected";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String outcome) {
    count(outcome, 1);
  }

  void count(String outcome, int amount) {
    counter(REGISTRATIONS, "outcome", outcome).increment(amount);
  }

  void rejected(String reason) {
    counter(REJECTED, "reason", reason).increment();
  }

  private Counter counter(String name, String tag, String value) {
    return counters.computeIfAbsent(
        name + value, key -> Counter.builder(name).tag(tag, value).register(registry));
  }
}
