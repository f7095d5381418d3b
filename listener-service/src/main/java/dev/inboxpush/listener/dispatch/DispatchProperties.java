package dev.inboxpush.listener.dispatch;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.dispatch.*}: the guards every provider lane shares, whatever its platform.
 *
 * @param circuit the outage circuit breaker of each lane (an APNs topic in one environment, or a
 *     Firebase project)
 * @param deadTokenValve the safety valve on dead-token deletions, per app
 * @param warmUp the warm-up of every lane's connection at start-up, before the instance first
 *     reports ready
 */
@ConfigurationProperties("inboxpush.dispatch")
@Validated
public record DispatchProperties(
    @DefaultValue @Valid Circuit circuit,
    @DefaultValue @Valid Valve deadTokenValve,
    @DefaultValue @Valid WarmUpSettings warmUp) {

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
      @DefaultValue("50") @Min(1) @Max(100) int failureRate,
      @DefaultValue("20") @Min(1) int minimumCalls,
      @DefaultValue("30s") @DurationMin(seconds = 1) Duration window,
      @DefaultValue("30s") @DurationMin(millis = 1) Duration openFor,
      @DefaultValue("5") @Min(1) int trialCalls) {}

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
      @DefaultValue("50") @Min(1) @Max(100) int deadRate,
      @DefaultValue("50") @Min(1) int minimumPushes,
      @DefaultValue("10m") @DurationMin(seconds = 1) Duration window,
      @DefaultValue("30m") @DurationMin(millis = 1) Duration pauseFor,
      @DefaultValue("20") @Min(1) int trialPushes) {}

  /**
   * The start-up warm-up ({@link WarmUp}): every lane connects (and an FCM project fetches its
   * OAuth2 token) before the instance first reports ready, so that the first push of a fresh
   * instance does not spend its push budget connecting.
   *
   * @param deadline how long start-up waits for all lanes together (default 5s, at most 1m); a lane
   *     not warm by then is logged and the instance becomes ready anyway. 0 turns the warm-up off:
   *     each lane then connects on its first push.
   */
  public record WarmUpSettings(
      @DefaultValue("5s") @DurationMin(millis = 0) @DurationMax(minutes = 1) Duration deadline) {}
}
