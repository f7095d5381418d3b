package dev.inboxpush.model;

import java.time.Duration;

/**
 * The StatusFrequency of an EWS push subscription, in minutes (1 to 1440, Exchange's default 30).
 * Exchange sends a heartbeat when nothing else happened for this long, and gives up retrying a
 * failed POST after about this long.
 *
 * @param minutes the value the app asked Exchange for
 */
public record StatusFrequency(int minutes) {

  /** Smallest value Exchange accepts. */
  public static final int MIN_MINUTES = 1;

  /** Largest value Exchange accepts (one day). */
  public static final int MAX_MINUTES = 1440;

  /** Exchange's default when the subscription names none. */
  public static final StatusFrequency EXCHANGE_DEFAULT = new StatusFrequency(30);

  public StatusFrequency {
    if (minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
      throw new InvalidValueException(
          "statusFrequency", "must be " + MIN_MINUTES + " to " + MAX_MINUTES + " minutes");
    }
  }

  /** The heartbeat interval. */
  public Duration asDuration() {
    return Duration.ofMinutes(minutes);
  }

  /**
   * The shortest time between two writes of lastSeen: half the interval, so that lastSeen is
   * written at most every StatusFrequency/2 and, as heartbeats arrive every StatusFrequency, at
   * least every StatusFrequency.
   */
  public Duration lastSeenWriteInterval() {
    return asDuration().dividedBy(2);
  }

  /** A subscription silent for longer than this (twice the interval) is stale. */
  public Duration staleAfter() {
    return asDuration().multipliedBy(2);
  }
}
