package dev.inboxpush.listener.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-token safety valve of one app (an APNs topic across its environments, or a Firebase
 * project). It watches the share of dead-token answers among accepted and dead ones; past the
 * configured rate it pauses deletions: a dead-token answer then becomes a configuration error
 * ({@code dead_token_valve}), so nothing is deleted and the badge waits, pending. After the pause a
 * few answers are measured as a trial (still deleting nothing); deletions resume only once the
 * trial's dead rate is back below the threshold.
 *
 * <p>The measuring is a resilience4j circuit breaker (time-based sliding window, on the injected
 * clock) whose "failure" is a dead token; its state is published with every other breaker's.
 * Thread-safe; lives as long as its dispatcher.
 */
public final class DeadTokenValve {

  private static final Logger log = LoggerFactory.getLogger(DeadTokenValve.class);

  /** The "failure" recorded for a dead token: a marker, never thrown. */
  private static final class DeadToken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadToken() {
      super("dead token", null, false, false);
    }
  }

  private static final DeadToken DEAD = new DeadToken();

  /** What a dead-token answer becomes while deletions are paused. */
  static final DispatchOutcome PAUSED =
      new DispatchOutcome.ConfigurationError(LaneReason.DEAD_TOKEN_VALVE);

  private final String platform;
  private final String app;
  private final CircuitBreaker breaker;
  private final Counter paused;

  /**
   * @param breakers where the valve's breaker is registered (named {@code
   *     dead-tokens/<platform>/<app>})
   */
  public DeadTokenValve(
      String platform,
      String app,
      DispatchProperties.Valve settings,
      CircuitBreakerRegistry breakers,
      DispatchMetrics metrics,
      Clock clock) {
    this.platform = platform;
    this.app = app;
    this.paused = metrics.deadTokensPaused(platform, app);
    this.breaker =
        RateBreakers.create(
            breakers,
            "dead-tokens/" + platform + "/" + app,
            settings.window(),
            settings.minimumPushes(),
            settings.deadRate(),
            settings.pauseFor(),
            settings.trialPushes(),
            clock);
    breaker
        .getEventPublisher()
        .onStateTransition(
            event ->
                log.warn(
                    "{} app {}: dead-token deletions {} ({})",
                    platform,
                    app,
                    switch (event.getStateTransition().getToState()) {
                      case OPEN, FORCED_OPEN -> "PAUSED: too many dead tokens, check the settings";
                      case HALF_OPEN -> "on trial";
                      default -> "resumed";
                    },
                    event.getStateTransition()));
  }

  /**
   * Passes {@code outcome} on, unless it is a dead token while deletions are paused: then a
   * configuration error that deletes nothing. Records accepted and dead answers.
   */
  public DispatchOutcome screen(DispatchOutcome outcome) {
    if (outcome instanceof DispatchOutcome.TokenDead) {
      // Deletions happen only while closed: on trial (half-open) a dead token is measured, but
      // deletes nothing until the trial has shown the rate is back below the threshold.
      boolean closed = breaker.getState() == CircuitBreaker.State.CLOSED;
      if (breaker.tryAcquirePermission()) {
        breaker.onError(0, TimeUnit.NANOSECONDS, DEAD);
        if (closed) {
          return outcome;
        }
      }
      paused.increment();
      return PAUSED;
    }
    if (outcome instanceof DispatchOutcome.Accepted && breaker.tryAcquirePermission()) {
      breaker.onSuccess(0, TimeUnit.NANOSECONDS);
    }
    return outcome;
  }

  /** Whether deletions are paused now. */
  public boolean paused() {
    CircuitBreaker.State state = breaker.getState();
    return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
  }
}
