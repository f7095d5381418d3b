package dev.inboxpush.listener.callback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metrics of the EWS endpoint. Names and tags are fixed here; every tag value comes from a bounded
 * set (an answer or a refusal reason), never from a token, id or URI.
 *
 * <ul>
 *   <li>{@value #CALLBACKS}: POSTs by {@code answer} ({@code ok}, {@code unsubscribe}, {@code
 *       refused}, {@code unavailable}) and {@code reason} ({@code none} or why it was refused).
 *   <li>{@value #ANSWER_TIME}: time from receipt to answer, by {@code answer}.
 * </ul>
 */
final class CallbackMetrics {

  static final String CALLBACKS = "inboxpush.listener.callbacks";
  static final String ANSWER_TIME = "inboxpush.listener.answer.time";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  CallbackMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts an answered POST and its time. */
  void record(String answer, String reason, Duration elapsed) {
    count(answer, reason);
    timers
        .computeIfAbsent(
            answer,
            key ->
                Timer.builder(ANSWER_TIME)
                    .description("time from receipt of a POST to its answer")
                    .tag("answer", answer)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(elapsed);
  }

  /** Counts an answer whose time is unknown (given outside the handler). */
  void count(String answer, String reason) {
    counters
        .computeIfAbsent(
            answer + "/" + reason,
            key ->
                Counter.builder(CALLBACKS)
                    .description("EWS SendNotification POSTs, by answer")
                    .tag("answer", answer)
                    .tag("reason", reason.toLowerCase(Locale.ROOT))
                    .register(registry))
        .increment();
  }
}
