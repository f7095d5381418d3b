package dev.inboxpush.simulator.exchange;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When Exchange retries a POST it got no valid answer for: the first retry 30 s after the failed
 * attempt, each later interval twice the one before (30, 60, 120, 240, 480, 960 s ...), and a retry
 * sent only while its interval is at most the subscription's StatusFrequency (Microsoft's table in
 * {@code statusfrequency.md}: with the default 30 minutes, retries 1 to 6; the 1,920 s seventh is
 * "not sent"). After the last one the subscription is dead. Every interval is divided by {@code
 * timeScale}, so that a test lives through the schedule in seconds. Immutable.
 *
 * @param statusFrequencyMinutes the subscription's StatusFrequency, 1 to 1440
 * @param timeScale how many times faster than Exchange's clock the simulator runs (1: real time)
 */
public record RetrySchedule(int statusFrequencyMinutes, double timeScale) {

  /** Exchange's first retry interval. */
  public static final Duration FIRST = Duration.ofSeconds(30);

  public RetrySchedule {
    if (statusFrequencyMinutes < 1 || statusFrequencyMinutes > 1440) {
      throw new IllegalArgumentException(
          "StatusFrequency is 1 to 1440 minutes: " + statusFrequencyMinutes);
    }
    if (!(timeScale >= 1) || Double.isInfinite(timeScale)) {
      throw new IllegalArgumentException("the time scale is a number of at least 1: " + timeScale);
    }
  }

  /**
   * The wait before retry {@code retry} (1 for the first), on the simulator's clock; empty when
   * Exchange sends no such retry.
   */
  public Optional<Duration> delayBefore(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retries count from 1: " + retry);
    }
    if (retry > 32) {
      return Optional.empty();
    }
    Duration interval = FIRST.multipliedBy(1L << (retry - 1));
    if (interval.compareTo(Duration.ofMinutes(statusFrequencyMinutes)) > 0) {
      return Optional.empty();
    }
    return Optional.of(scaled(interval));
  }

  /** Every retry's wait, in order, on the simulator's clock. */
  public List<Duration> delays() {
    List<Duration> delays = new ArrayList<>();
    for (int retry = 1; delayBefore(retry).isPresent(); retry++) {
      delays.add(delayBefore(retry).orElseThrow());
    }
    return delays;
  }

  /** A duration of Exchange's clock on the simulator's. */
  public Duration scaled(Duration exchangeTime) {
    return Duration.ofNanos(Math.round(exchangeTime.toNanos() / timeScale));
  }

  /** How long a subscription waits without events before a heartbeat, on the simulator's clock. */
  public Duration heartbeatInterval() {
    return scaled(Duration.ofMinutes(statusFrequencyMinutes));
  }
}
