package dev.inboxpush.listener.callback;

import dev.inboxpush.listener.ews.EwsParseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Metrics of the EWS endpoint. Names and tags are fixed here; every tag value comes from a bounded
 * set (an {@link Answer} and its reason: a {@link Counted} or a parser's {@link
 * EwsParseException.Reason}), never from a token, id or URI. Every combination is registered at
 * construction, so that each series shows 0 before its first POST.
 *
 * <ul>
 *   <li>{@value #CALLBACKS}: POSTs by {@code answer} ({@code ok}, {@code unsubscribe}, {@code
 *       refused}, {@code unavailable}, {@code deferred}) and {@code reason} ({@code none}, or why
 *       it was refused, unavailable or deferred).
 *   <li>{@value #ANSWER_TIME}: time from receipt to answer, by {@code answer}.
 * </ul>
 *
 * Thread-safe.
 */
final class CallbackMetrics {

  static final String CALLBACKS = "inboxpush.listener.callbacks";
  static final String ANSWER_TIME = "inboxpush.listener.answer.time";

  /**
   * The answer-time objective (deploy/monitoring's SLO: 99.9% of POSTs answered without a 5xx
   * within this), published as a bucket of its own ({@code le="2.0"}) because the percentile
   * histogram's default buckets skip from 1.79 s to 2.15 s.
   */
  static final Duration ANSWER_TIME_OBJECTIVE = Duration.ofSeconds(2);

  /** What Exchange was answered: the {@code answer} tag. */
  enum Answer {
    /** 200 {@code OK}. */
    OK,
    /** 200 {@code Unsubscribe}. */
    UNSUBSCRIBE,
    /** A 4xx with a {@code soap:Client} fault. */
    REFUSED,
    /** 503 with a {@code soap:Server} fault: our own trouble, Exchange retries. */
    UNAVAILABLE,
    /**
     * 503 with a {@code soap:Server} fault by design: {@code Unsubscribe} would rest on evidence
     * that replication could still change (answer.ReplicationAllowance); Exchange retries.
     */
    DEFERRED;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Every answer the endpoint counts with its {@code reason}, but the parser's refusals, which are
   * counted {@code refused} with their {@link EwsParseException.Reason}. The one place that spells
   * these reasons.
   */
  enum Counted {
    OK(Answer.OK, "none"),
    UNSUBSCRIBE(Answer.UNSUBSCRIBE, "none"),
    /** The source network is not allowed. */
    SOURCE(Answer.REFUSED, "source"),
    /** Not text/xml, application/soap+xml or application/xml. */
    CONTENT_TYPE(Answer.REFUSED, "content_type"),
    /** Over {@code max-body-size}. */
    TOO_LARGE(Answer.REFUSED, "too_large"),
    /** The sender closed the connection mid-request. */
    ABORTED(Answer.REFUSED, "aborted"),
    /** The body came slower than {@code inboxpush.server.read-timeout} or request-timeout. */
    TOO_SLOW(Answer.REFUSED, "too_slow"),
    /**
     * The source address spent its budget of tokens that name no registration (429, nothing read).
     */
    UNKNOWN_TOKENS(Answer.REFUSED, "unknown_tokens"),
    /** A path under {@code /ews/} that is no endpoint. */
    NOT_FOUND(Answer.REFUSED, "not_found"),
    /** Another 4xx Spring gave on the EWS path before our handler. */
    REQUEST(Answer.REFUSED, "request"),
    /** The table is unreachable. */
    STORE_UNAVAILABLE(Answer.UNAVAILABLE, "store_unavailable"),
    /** The table refuses requests (missing table, denied access). */
    STORE_ERROR(Answer.UNAVAILABLE, "store_error"),
    /** A failure nobody foresaw (a defect). */
    INTERNAL_ERROR(Answer.UNAVAILABLE, "internal_error"),
    /**
     * Refused before any work at the public server's in-flight limit ({@code inboxpush.server}).
     */
    OVERLOADED(Answer.UNAVAILABLE, "overloaded"),
    /** Absent, or bound elsewhere, in this region for less than the replication allowance. */
    AWAITING_REPLICATION(Answer.DEFERRED, "awaiting_replication");

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

  private final Map<String, Counter> counters = new LinkedHashMap<>();
  private final Map<Answer, Timer> timers = new EnumMap<>(Answer.class);

  CallbackMetrics(MeterRegistry registry) {
    for (Counted counted : Counted.values()) {
      register(registry, counted.answer(), counted.reason());
    }
    for (EwsParseException.Reason reason : EwsParseException.Reason.values()) {
      register(registry, Answer.REFUSED, tag(reason));
    }
    for (Answer answer : Answer.values()) {
      timers.put(
          answer,
          Timer.builder(ANSWER_TIME)
              .description("time from receipt of a POST to its answer")
              .tag("answer", answer.tag())
              .publishPercentileHistogram()
              .serviceLevelObjectives(ANSWER_TIME_OBJECTIVE)
              .register(registry));
    }
  }

  private void register(MeterRegistry registry, Answer answer, String reason) {
    counters.put(
        key(answer, reason),
        Counter.builder(CALLBACKS)
            .description("EWS SendNotification POSTs, by answer")
            .tag("answer", answer.tag())
            .tag("reason", reason)
            .register(registry));
  }

  /** Counts an answered POST and its time. */
  void record(Answer answer, String reason, Duration elapsed) {
    counters.get(key(answer, reason)).increment();
    timers.get(answer).record(elapsed);
  }

  /** Counts an answer whose time is unknown (given outside the handler). */
  void count(Counted counted) {
    counters.get(key(counted.answer(), counted.reason())).increment();
  }

  /** The {@code reason} tag of a body the parser refused. */
  static String tag(EwsParseException.Reason reason) {
    return reason.name().toLowerCase(Locale.ROOT);
  }

  private static String key(Answer answer, String reason) {
    return answer.tag() + "/" + reason;
  }
}
