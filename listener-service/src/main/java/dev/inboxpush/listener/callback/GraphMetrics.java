package dev.inboxpush.listener.callback;

import dev.inboxpush.listener.graph.GraphParseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Metrics of the Graph endpoints. Every tag value comes from a bounded set; every combination is
 * registered at construction, so that each series shows 0 before its first request.
 *
 * <ul>
 *   <li>{@value #REQUESTS}: POSTs by {@code endpoint} ({@code notification}, {@code lifecycle}),
 *       {@code answer} ({@code validated}, {@code accepted}, {@code refused}, {@code unavailable},
 *       {@code deferred}) and {@code reason} ({@code none} or why it was refused, unavailable or
 *       deferred).
 *   <li>{@value #ANSWER_TIME}: time from receipt to answer, by {@code endpoint} and {@code answer}:
 *       Graph throttles an endpoint whose answers take over 3 s.
 * </ul>
 *
 * Thread-safe.
 */
final class GraphMetrics {

  static final String REQUESTS = "inboxpush.listener.graph.requests";
  static final String ANSWER_TIME = "inboxpush.listener.graph.answer.time";

  /** What Graph was answered: the {@code answer} tag. */
  enum Answer {
    /** 200 with the validation token. */
    VALIDATED,
    /** 202: every valid item handled. */
    ACCEPTED,
    /** A 4xx: the request was not acceptable. */
    REFUSED,
    /** 503: our own trouble; Graph retries. */
    UNAVAILABLE,
    /** 503 on purpose: the registration may not have replicated here yet; Graph retries. */
    DEFERRED;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Every answer with its {@code reason}, but the parser's refusals (their own reasons). */
  enum Counted {
    VALIDATED(Answer.VALIDATED, "none"),
    ACCEPTED(Answer.ACCEPTED, "none"),
    /** Not application/json. */
    CONTENT_TYPE(Answer.REFUSED, "content_type"),
    /** Over {@code max-body-size}. */
    TOO_LARGE(Answer.REFUSED, "too_large"),
    /** A validation token longer than allowed. */
    VALIDATION_TOKEN(Answer.REFUSED, "validation_token"),
    /** A path token no registration can have. */
    NOT_FOUND(Answer.REFUSED, "not_found"),
    /** The sender closed the connection mid-request. */
    ABORTED(Answer.REFUSED, "aborted"),
    /** The body came slower than {@code inboxpush.server.read-timeout} or request-timeout. */
    TOO_SLOW(Answer.REFUSED, "too_slow"),
    /** Evidence for dropping the POST has not stood the replication allowance yet. */
    AWAITING_REPLICATION(Answer.DEFERRED, "awaiting_replication"),
    /** The table is unreachable. */
    STORE_UNAVAILABLE(Answer.UNAVAILABLE, "store_unavailable"),
    /** The table refuses requests. */
    STORE_ERROR(Answer.UNAVAILABLE, "store_error"),
    /** A failure nobody foresaw (a defect). */
    INTERNAL_ERROR(Answer.UNAVAILABLE, "internal_error");

    private final Answer answer;
    private final String reason;

    Counted(Answer answer, String reason) {
      this.answer = answer;
      this.reason = reason;
    }

    Answer answer() {
      return answer;
    }

    String reason() {
      return reason;
    }
  }

  private final Map<String, Counter> counters = new HashMap<>();
  private final Map<String, Timer> timers = new HashMap<>();

  GraphMetrics(MeterRegistry registry) {
    for (GraphProcessor.Endpoint endpoint : GraphProcessor.Endpoint.values()) {
      for (Counted counted : Counted.values()) {
        register(registry, endpoint, counted.answer(), counted.reason());
      }
      for (GraphParseException.Reason reason : GraphParseException.Reason.values()) {
        register(registry, endpoint, Answer.REFUSED, reason.tag());
      }
      for (Answer answer : Answer.values()) {
        timers.put(
            endpoint.tag() + "/" + answer.tag(),
            Timer.builder(ANSWER_TIME)
                .description("time from receipt of a Graph POST to its answer")
                .tag("endpoint", endpoint.tag())
                .tag("answer", answer.tag())
                .publishPercentileHistogram()
                // Graph's own limit is 3 s; the alert on the share over 2 s needs this bucket.
                .serviceLevelObjectives(CallbackMetrics.ANSWER_TIME_OBJECTIVE)
                .register(registry));
      }
    }
  }

  private void register(
      MeterRegistry registry, GraphProcessor.Endpoint endpoint, Answer answer, String reason) {
    counters.put(
        key(endpoint, answer, reason),
        Counter.builder(REQUESTS)
            .description("Microsoft Graph notification POSTs, by answer")
            .tag("endpoint", endpoint.tag())
            .tag("answer", answer.tag())
            .tag("reason", reason)
            .register(registry));
  }

  void record(GraphProcessor.Endpoint endpoint, Answer answer, String reason, Duration elapsed) {
    counters.get(key(endpoint, answer, reason)).increment();
    timers.get(endpoint.tag() + "/" + answer.tag()).record(elapsed);
  }

  private static String key(GraphProcessor.Endpoint endpoint, Answer answer, String reason) {
    return endpoint.tag() + "/" + answer.tag() + "/" + reason;
  }
}
