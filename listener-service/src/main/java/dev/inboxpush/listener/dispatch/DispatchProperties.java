package dev.inboxpush.listener.dispatch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code inboxpush.dispatch.*}: the guards every provider lane shares, whatever its platform.
 *
 * @param circuit the outage circuit breaker of each lane (an APNs topic in one environment, or a
 *     Firebase project)
 * @param deadTokenValve the safety valve on dead-token deletions, per app
 */
@ConfigurationProperties("inboxpush.dispatch")
public record DispatchProperties(
    @DefaultValue Circuit circuit, @DefaultValue Valve deadTokenValve) {

  /**
   * When a provider counts as down. Provider trouble (5xx, {@code Shutdown}, timeouts, lost
   * connections) counts as a failure; any other answer as a success.
   *
   * @param failureRate percent of failures in the window that opens the circuit (default 50)
   * @param minimumCalls answers needed in the window before the rate counts (default 20)
   * @param window the sliding time window the rate is measured over (default 30s)
   * @param openFor how long an open circuit answers {@code circuit_open} without calling the
   *     provider (default 30s); badges meanwhile go pending, with this as their Retry-After
   * @param trialCalls pushes let through after that to decide whether to close (default 5)
   */
  public record Circuit(
      @DefaultValue("50") int failureRate,
      @DefaultValue("20") int minimumCalls,
      @DefaultValue("30s") Duration window,
      @DefaultValue("30s") Duration openFor,
      @DefaultValue("5") int trialCalls) {

    public Circuit {
      check(failureRate, minimumCalls, window, openFor, trialCalls, "circuit");
    }
  }

  /**
   * When dead-token deletions pause for an app: one wrong setting (a sandbox key in production, a
   * wrong project) must not wipe every registration.
   *
   * @param deadRate percent of dead-token answers among accepted and dead ones in the window that
   *     pauses deletions (default 50)
   * @param minimumPushes answers needed in the window before the rate counts (default 50)
   * @param window the sliding time window (default 10m)
   * @param pauseFor how long deletions stay paused before a trial (default 30m); paused answers
   *     become {@code configuration_error/dead_token_valve}, so the badge waits pending
   * @param trialPushes answers measured after the pause to decide whether to resume (default 20)
   */
  public record Valve(
      @DefaultValue("50") int deadRate,
      @DefaultValue("50") int minimumPushes,
      @DefaultValue("10m") Duration window,
      @DefaultValue("30m") Duration pauseFor,
      @DefaultValue("20") int trialPushes) {

    public Valve {
      check(deadRate, minimumPushes, window, pauseFor, trialPushes, "dead-token-valve");
    }
  }

  private static void check(
      int rate, int minimum, Duration window, Duration open, int trial, String name) {
    if (rate < 1 || rate > 100) {
      throw new IllegalArgumentException("inboxpush.dispatch." + name + ": rate is 1 to 100");
    }
    if (minimum < 1 || trial < 1) {
      throw new IllegalArgumentException(
          "inboxpush.dispatch." + name + ": minimum and trial counts are at least 1");
    }
    if (window.toSeconds() < 1 || open.toMillis() < 1) {
      throw new IllegalArgumentException(
          "inboxpush.dispatch." + name + ": the window is at least 1s, the open time positive");
    }
  }
}
