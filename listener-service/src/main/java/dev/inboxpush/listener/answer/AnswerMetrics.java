package dev.inboxpush.listener.answer;

import dev.inboxpush.listener.ews.EventKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metrics of the answer rules; every tag comes from a bounded set.
 *
 * <ul>
 *   <li>{@value #EVENTS}{@code {kind}}: events received, by EWS event kind.
 *   <li>{@value #DEDUPE_HITS}: POSTs whose newest watermark was already answered {@code OK}.
 *   <li>{@value #GAPS}: notifications whose PreviousWatermark is not the last watermark seen.
 *   <li>{@value #PUSHES}{@code {platform, outcome}}: dispatch outcomes on the POST path.
 *   <li>{@value #PENDING_WRITTEN}{@code {reason}}: badges that went pending instead.
 * </ul>
 */
final class AnswerMetrics {

  static final String EVENTS = "inboxpush.listener.events";
  static final String DEDUPE_HITS = "inboxpush.listener.dedupe.hits";
  static final String GAPS = "inboxpush.listener.watermark.gaps";
  static final String PUSHES = "inboxpush.listener.pushes";
  static final String PENDING_WRITTEN = "inboxpush.listener.pending.written";

  private final MeterRegistry registry;
  private final Map<EventKind, Counter> events = new EnumMap<>(EventKind.class);
  private final Counter dedupeHits;
  private final Counter gaps;
  private final Map<String, Counter> byTags = new ConcurrentHashMap<>();

  AnswerMetrics(MeterRegistry registry) {
    this.registry = registry;
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

  void push(String platform, String outcome) {
    byTags
        .computeIfAbsent(
            PUSHES + platform + outcome,
            key ->
                Counter.builder(PUSHES)
                    .description("pushes tried while answering a POST, by outcome")
                    .tag("platform", platform)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }

  void pendingWritten(String reason) {
    byTags
        .computeIfAbsent(
            PENDING_WRITTEN + reason,
            key ->
                Counter.builder(PENDING_WRITTEN)
                    .description("badges written as pending instead of delivered, by reason")
                    .tag("reason", reason)
                    .register(registry))
        .increment();
  }
}
