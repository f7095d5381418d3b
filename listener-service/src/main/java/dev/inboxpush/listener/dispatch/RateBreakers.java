package dev.inboxpush.listener.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * The one way the dispatchers build a resilience4j circuit breaker: a time-based window of answers
 * that opens when the share of "failures" in it passes a threshold, stays open for a while, then
 * lets a number of trial calls decide. The outage circuit of a {@link Lane} (failures: provider
 * trouble) and the {@link DeadTokenValve} (failures: dead tokens) are both this.
 */
final class RateBreakers {

  private RateBreakers() {}

  /**
   * A breaker registered in {@code breakers} as {@code name}, so that its state is published with
   * every other breaker's.
   *
   * @param window the sliding window, whole seconds
   * @param minimumCalls answers in the window before the rate counts
   * @param failureRate the percentage of failures that opens the breaker
   * @param openFor how long it stays open before the trial
   * @param trialCalls the answers of the trial that decide
   */
  static CircuitBreaker create(
      CircuitBreakerRegistry breakers,
      String name,
      Duration window,
      int minimumCalls,
      float failureRate,
      Duration openFor,
      int trialCalls,
      Clock clock) {
    return breakers.circuitBreaker(
        name,
        CircuitBreakerConfig.custom()
            .slidingWindow(
                (int) window.toSeconds(),
                minimumCalls,
                CircuitBreakerConfig.SlidingWindowType.TIME_BASED,
                // Recorded on every answer: no lock on the hot path.
                CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
            .failureRateThreshold(failureRate)
            .waitDurationInOpenState(openFor)
            .permittedNumberOfCallsInHalfOpenState(trialCalls)
            .clock(clock)
            .build());
  }
}
