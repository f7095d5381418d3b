package dev.inboxpush.registration.problem;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@value #REJECTED}{@code {reason}}: requests refused, by the bounded {@link ProblemType#reason()}
 * ({@code invalid}, {@code unauthenticated}, {@code forbidden}, {@code not_found}, {@code
 * conflict}, {@code too_large}, {@code unsupported_media_type}, {@code rate_limited}, {@code
 * unavailable}, {@code internal}). Every counter exists from the start, at zero. Thread-safe.
 */
public final class RejectionMetrics {

  public static final String REJECTED = "inboxpush.registration.rejected";

  private final Map<ProblemType, Counter> counters = new EnumMap<>(ProblemType.class);

  public RejectionMetrics(MeterRegistry registry) {
    for (ProblemType type : ProblemType.values()) {
      counters.put(
          type,
          Counter.builder(REJECTED)
              .description("requests refused, by reason")
              .tag("reason", type.reason())
              .register(registry));
    }
  }

  /** Counts one request refused as {@code type}. */
  public void rejected(ProblemType type) {
    counters.get(type).increment();
  }
}
