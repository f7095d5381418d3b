package dev.inboxpush.listener.answer;

import dev.inboxpush.listener.ews.EventKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Metrics of the answer rules; every tag comes from a bounded set.
 *
 * <ul>
 *   <li>{@value #EVENTS}{@code {kind}}: events received, by EWS event kind.
 *   <li>{@value #DEDUPE_HITS}: POSTs whose newest watermark was already answered {@code OK}.
 *   <li>{@value #GAPS}: notifications whose PreviousWatermark is not the last watermark seen.
 * </ul>
 *
 * The outcomes of pushes and parked badges are counted by {@link
 * dev.inboxpush.listener.delivery.DeliveryMetrics}.
 */
final class AnswerMetrics {

  static final String EVENTS = "inboxpush.listener.events";
  static final String DEDUPE_HITS = "inboxpush.listener.dedupe.hits";
  static final String GAPS = "inboxpush.listener.watermark.gaps";

  private final Map<EventKind, Counter> events = new EnumMap<>(EventKind.class);
  private final Counter dedupeHits;
  private final Counter gaps;

  AnswerMetrics(MeterRegistry registry) {
    for (EventKind kind : EventKind.values()) {
      events.put(
          kind,
          Counter.builder(EVENTS)
              .description("EWS events received, by kind")
              .tag("kind", kind.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    dedupeHits =
        Counter.builder(DEDUPE_HITS)
            .description("POSTs already answered OK (same SubscriptionId and watermark)")
            .register(registry);
    gaps =
        Counter.builder(GAPS)
            .description("notifications whose PreviousWatermark is not the last one seen")
            .register(registry);
  }

  void event(EventKind kind) {
    events.get(kind).increment();
  }

  void dedupeHit() {
    dedupeHits.increment();
  }

  void gap() {
    gaps.increment();
  }
}
