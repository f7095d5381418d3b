package dev.inboxpush.listener.dispatch;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The bounded warm-up of every provider lane at start-up. pushy connects to APNs, and
 * firebase-admin fetches its OAuth2 token and connects to FCM, only when asked to send: without a
 * warm-up the first push of a fresh instance pays for both and misses its push budget, so its badge
 * goes pending and arrives twice. Each {@link PlatformDispatcher} offers, per lane, a {@link Call}
 * that sends one request that delivers nothing (APNs: a push to a token no device can have; FCM: a
 * dry run to one) through the clients that lane uses, but outside the {@link Lane}: it is not a
 * push ({@value DispatchMetrics#PUSHES} and the delivery counters never see it), no circuit
 * breaker, dead-token valve or rate breaker records its answer, and nothing is ever deleted because
 * of it. Its outcomes are counted apart, as {@value DispatchMetrics#WARM_UPS}; pushy's own meters
 * ({@code pushy_notifications_*}) do count the APNs warm-up push, since it goes through the same
 * client.
 *
 * <p>Lifecycle: built with the dispatchers, when it registers every lane's counter series at 0;
 * {@link #run} once, by Spring Boot as an {@code ApplicationRunner}, which Boot calls after the
 * context has started and before it publishes {@code ReadinessState.ACCEPTING_TRAFFIC}: the
 * instance first reports ready once the warm-up is over. Readiness does not depend on its outcome
 * (the readiness group stays {@code readinessState, dynamodb}): a provider's outage parks badges,
 * and must not keep an instance out of its load balancer.
 *
 * <p>Threading: {@link #run} blocks its caller (Boot's main thread, never an event loop) for at
 * most the deadline; the lanes warm in parallel on their SDKs' own threads.
 *
 * <p>Failure: never throws. A lane that did not warm (refused, failed, timed out) is one WARN line
 * with its platform, app, environment and reason, never a token or a credential; the instance
 * becomes ready anyway, and that lane's first push connects as it would have without a warm-up. A
 * call still unanswered at the deadline keeps running in its SDK, bounded by the SDK's own timeouts
 * ({@code connect-timeout}, {@code send-timeout}).
 */
public final class WarmUp {

  /** The setting of the deadline, for log lines. */
  static final String DEADLINE_SETTING = "inboxpush.dispatch.warm-up.deadline";

  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

  /**
   * What one lane's warm-up came to; {@link #tag()} is the {@code outcome} tag of {@value
   * DispatchMetrics#WARM_UPS}. Declared from best to worst: a lane of several connections (APNs) or
   * apps (an FCM pool) reports its worst.
   */
  public enum Outcome {
    /**
     * The provider answered the warm-up request as it answers one to a token that cannot exist (or
     * took it): the connection is open, and for FCM the access token fetched.
     */
    WARMED("warmed"),
    /**
     * No answer (the connection failed, its own timeout), or an answer of provider trouble (5xx,
     * 429, shutting down): the lane's first push connects again.
     */
    FAILED("failed"),
    /** No answer within the deadline: the lane's first push may still wait for the connection. */
    TIMED_OUT("timed_out"),
    /**
     * The provider refused our credentials or the app's topic (APNs 403 for the key or certificate,
     * or BadTopic and its kin; FCM 401/403, Google's token endpoint refusing the service account):
     * the lane's pushes will be configuration errors until the credentials are fixed.
     */
    REFUSED("refused");

    private final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }

    /** The metric tag value. */
    public String tag() {
      return tag;
    }
  }

  /**
   * One lane's warm-up result.
   *
   * @param outcome what it came to
   * @param reason why, as a bounded word for the log: the provider's reason as the outcome tables
   *     spell it ({@code bad_device_token}, {@code invalid_argument}, {@code status_NNN}) or one of
   *     our {@link LaneReason}s ({@code none} for a request the provider took)
   */
  public record Result(Outcome outcome, String reason) {

    public static Result of(Outcome outcome, LaneReason reason) {
      return new Result(outcome, reason.tag());
    }

    /** The worse of this and {@code other}: a lane is warm only when all its parts are. */
    public Result worse(Result other) {
      return other.outcome.compareTo(outcome) > 0 ? other : this;
    }
  }

  /**
   * One lane's warm-up, as its platform dispatcher offers it.
   *
   * @param lane the lane, for the counter's tags and the log
   * @param call lazy; sends the warm-up request when subscribed and emits exactly one result, never
   *     an error; must not block the subscribing thread
   */
  public record Call(Lane.Name lane, Mono<Result> call) {}

  private final List<Call> calls;
  private final Duration deadline;
  private final DispatchMetrics metrics;

  /**
   * Collects every dispatcher's calls (nothing is sent yet) and registers their counter series.
   *
   * @param deadline how long {@link #run} waits for all lanes together; zero turns it off
   */
  public WarmUp(
      List<? extends PlatformDispatcher> dispatchers, Duration deadline, DispatchMetrics metrics) {
    if (deadline.isNegative()) {
      throw new IllegalArgumentException(DEADLINE_SETTING + " must not be negative");
    }
    this.calls = dispatchers.stream().flatMap(dispatcher -> dispatcher.warmUps().stream()).toList();
    this.deadline = deadline;
    this.metrics = metrics;
    for (Call call : calls) {
      for (Outcome outcome : Outcome.values()) {
        metrics.warmUpCounter(call.lane().platform(), call.lane().app(), outcome);
      }
    }
  }

  /**
   * Warms every lane in parallel, waiting at most the deadline; counts and logs each lane's result.
   * Blocks; never throws.
   *
   * @return each lane's result, in the dispatchers' order; empty when off or without lanes
   */
  public Map<Lane.Name, Result> run() {
    if (deadline.isZero()) {
      log.info("warm-up off ({}=0): each lane connects on its first push", DEADLINE_SETTING);
      return Map.of();
    }
    if (calls.isEmpty()) {
      return Map.of();
    }
    long started = System.nanoTime();
    List<Result> results;
    try {
      // All subscribed at once, so the per-call timeouts are one deadline for all.
      results =
          Flux.fromIterable(calls)
              .flatMapSequential(this::bounded, calls.size())
              .collectList()
              .block(deadline.plusSeconds(5));
    } catch (RuntimeException e) { // the timers themselves failed: a defect, never a reason to stop
      log.error("warm-up did not finish: {}; becoming ready anyway", e.toString(), e);
      return Map.of();
    }
    Map<Lane.Name, Result> byLane = new LinkedHashMap<>();
    int warmed = 0;
    for (int i = 0; i < calls.size(); i++) {
      Lane.Name lane = calls.get(i).lane();
      Result result =
          results == null ? Result.of(Outcome.FAILED, LaneReason.NO_OUTCOME) : results.get(i);
      byLane.put(lane, result);
      metrics.warmUpCounter(lane.platform(), lane.app(), result.outcome()).increment();
      if (result.outcome() == Outcome.WARMED) {
        warmed++;
      } else {
        warn(lane, result);
      }
    }
    log.info(
        "warm-up: {} of {} lane(s) warm in {} ms",
        warmed,
        calls.size(),
        (System.nanoTime() - started) / 1_000_000);
    return Collections.unmodifiableMap(byLane);
  }

  private Mono<Result> bounded(Call call) {
    return Mono.defer(call::call)
        .timeout(
            deadline, Mono.fromSupplier(() -> Result.of(Outcome.TIMED_OUT, LaneReason.TIMEOUT)))
        .onErrorResume(
            error -> {
              // The call's contract says it never fails: a defect in our code, logged as such.
              log.error("warm-up of lane {} failed: {}", call.lane(), error.toString(), error);
              return Mono.just(Result.of(Outcome.FAILED, LaneReason.DISPATCHER_ERROR));
            })
        .defaultIfEmpty(Result.of(Outcome.FAILED, LaneReason.NO_OUTCOME));
  }

  private void warn(Lane.Name lane, Result result) {
    switch (result.outcome()) {
      case REFUSED ->
          log.warn(
              "warm-up of lane {}: credentials or topic refused ({}): check the app's key,"
                  + " certificate, topic or service account; its pushes are configuration errors"
                  + " until fixed. Ready anyway",
              lane,
              result.reason());
      case TIMED_OUT ->
          log.warn(
              "warm-up of lane {}: timed_out, no answer within {} ms ({}); its first push may"
                  + " still wait for the connection. Ready anyway",
              lane,
              deadline.toMillis(),
              DEADLINE_SETTING);
      default ->
          log.warn(
              "warm-up of lane {}: failed ({}); its first push connects again. Ready anyway",
              lane,
              result.reason());
    }
  }
}
