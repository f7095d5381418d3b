package dev.inboxpush.registration.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@value #REGISTRATIONS}{@code {outcome}}: registrations created, refreshed, bound (EWS or Graph),
 * rotated and deleted ({@link Outcome}). Every counter exists from the start, at zero. Refusals are
 * counted by {@link dev.inboxpush.registration.problem.RejectionMetrics}; both beside Spring's
 * {@code http.server.requests}. Thread-safe.
 */
@Component
class ApiMetrics {

  static final String REGISTRATIONS = "inboxpush.registration.registrations";

  /** What a successful request did: the {@code outcome} tag, spelled here and nowhere else. */
  enum Outcome {
    /** A new registration. */
    CREATED,
    /** An existing one re-registered or refreshed: its expiry pushed back. */
    REFRESHED,
    /** An EWS SubscriptionId bound to it. */
    BOUND,
    /**
     * A Microsoft Graph subscription bound to it: created, or renewed (every few days per
     * registration) or re-created, so apart from {@link #BOUND}.
     */
    GRAPH_BOUND,
    /** Its callback token replaced. */
    ROTATED,
    /** Deleted, one by one or by a device wipe (counted per registration). */
    DELETED;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

  ApiMetrics(MeterRegistry registry) {
    for (Outcome outcome : Outcome.values()) {
      counters.put(
          outcome,
          Counter.builder(REGISTRATIONS)
              .description("registrations created, refreshed, bound, rotated and deleted")
              .tag("outcome", outcome.tag())
              .register(registry));
    }
  }

  void count(Outcome outcome) {
    count(outcome, 1);
  }

  void count(Outcome outcome, int amount) {
    counters.get(outcome).increment(amount);
  }
}
