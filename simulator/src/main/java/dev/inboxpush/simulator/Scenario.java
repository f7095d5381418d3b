package dev.inboxpush.simulator;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What to simulate. Built with {@link #builder()}; every value is checked when built, with a
 * message naming it.
 *
 * @param devices how many devices (device tokens) to register
 * @param multiAccountShare the share of devices with several accounts (several registrations, of
 *     several users, for one device token), 0 to 1
 * @param maxAccounts the most accounts a device has (a multi-account device has 2 to this many)
 * @param fcmShare the share of devices on FCM; the rest are on APNs (sandbox)
 * @param duration how long traffic runs, on the wall clock
 * @param meanInterval the mean time between two changes of one mailbox (exponentially distributed)
 * @param statusFrequencyMinutes each subscription's StatusFrequency, bound at the registration API:
 *     the heartbeat interval and the retry budget
 * @param timeScale how many times faster than Exchange's clock heartbeats and retries run (60: a
 *     StatusFrequency of 1 minute is a heartbeat every second, the first retry after 0.5 s)
 * @param missingCountShare the share of POSTs whose folder events carry no {@code UnreadCount}
 * @param errorForms how many subscriptions send the error form once during the run (their app then
 *     subscribes again and binds the new subscription)
 * @param deadDevices how many devices have their token made dead at the push server during the run
 *     (each of their subscriptions must then be answered {@code Unsubscribe})
 * @param failoverAfter when, after traffic starts, to move every POST to the failover listener;
 *     null for never
 * @param postTimeout how long Exchange waits for an answer before it counts the POST as failed
 * @param settle how long to wait after traffic for pushes still on their way
 * @param seed the traffic's randomness (device tokens are random per run regardless)
 * @param parallelAccounts whether a device's accounts POST independently, as their Exchange servers
 *     do (then two may be in flight at once, and only each device's last badge is checked); false:
 *     one POST at a time per device, so that every push's sum is known
 */
public record Scenario(
    int devices,
    double multiAccountShare,
    int maxAccounts,
    double fcmShare,
    Duration duration,
    Duration meanInterval,
    int statusFrequencyMinutes,
    double timeScale,
    double missingCountShare,
    int errorForms,
    int deadDevices,
    @Nullable Duration failoverAfter,
    Duration postTimeout,
    Duration settle,
    long seed,
    boolean parallelAccounts) {

  public Scenario {
    require(devices >= 1, "devices must be at least 1: " + devices);
    require(share(multiAccountShare), "multiAccountShare is 0 to 1: " + multiAccountShare);
    require(maxAccounts >= 2 && maxAccounts <= 10, "maxAccounts is 2 to 10: " + maxAccounts);
    require(share(fcmShare), "fcmShare is 0 to 1: " + fcmShare);
    require(positive(duration), "duration must be positive: " + duration);
    require(positive(meanInterval), "meanInterval must be positive: " + meanInterval);
    require(
        statusFrequencyMinutes >= 1 && statusFrequencyMinutes <= 1440,
        "statusFrequencyMinutes is 1 to 1440: " + statusFrequencyMinutes);
    require(timeScale >= 1 && timeScale <= 10_000, "timeScale is 1 to 10000: " + timeScale);
    require(share(missingCountShare), "missingCountShare is 0 to 1: " + missingCountShare);
    require(errorForms >= 0, "errorForms must not be negative: " + errorForms);
    require(
        deadDevices >= 0 && deadDevices <= devices,
        "deadDevices is 0 to the number of devices: " + deadDevices);
    require(
        failoverAfter == null
            || (!failoverAfter.isNegative() && failoverAfter.compareTo(duration) < 0),
        "failoverAfter must fall within the duration: " + failoverAfter);
    require(positive(postTimeout), "postTimeout must be positive: " + postTimeout);
    require(!settle.isNegative(), "settle must not be negative: " + settle);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with the defaults of a short local run; not thread-safe. */
  public static final class Builder {
    private int devices = 50;
    private double multiAccountShare = 0.3;
    private int maxAccounts = 3;
    private double fcmShare = 0.4;
    private Duration duration = Duration.ofSeconds(30);
    private Duration meanInterval = Duration.ofSeconds(3);
    private int statusFrequencyMinutes = 1;
    private double timeScale = 60;
    private double missingCountShare = 0.1;
    private int errorForms = 2;
    private int deadDevices = 2;
    private @Nullable Duration failoverAfter;
    private Duration postTimeout = Duration.ofSeconds(10);
    private Duration settle = Duration.ofSeconds(20);
    private long seed = 17;
    private boolean parallelAccounts;

    private Builder() {}

    public Builder parallelAccounts(boolean parallel) {
      this.parallelAccounts = parallel;
      return this;
    }

    public Builder devices(int devices) {
      this.devices = devices;
      return this;
    }

    public Builder multiAccountShare(double share) {
      this.multiAccountShare = share;
      return this;
    }

    public Builder maxAccounts(int accounts) {
      this.maxAccounts = accounts;
      return this;
    }

    public Builder fcmShare(double share) {
      this.fcmShare = share;
      return this;
    }

    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    public Builder meanInterval(Duration interval) {
      this.meanInterval = interval;
      return this;
    }

    public Builder statusFrequencyMinutes(int minutes) {
      this.statusFrequencyMinutes = minutes;
      return this;
    }

    public Builder timeScale(double scale) {
      this.timeScale = scale;
      return this;
    }

    public Builder missingCountShare(double share) {
      this.missingCountShare = share;
      return this;
    }

    public Builder errorForms(int count) {
      this.errorForms = count;
      return this;
    }

    public Builder deadDevices(int count) {
      this.deadDevices = count;
      return this;
    }

    public Builder failoverAfter(@Nullable Duration after) {
      this.failoverAfter = after;
      return this;
    }

    public Builder postTimeout(Duration timeout) {
      this.postTimeout = timeout;
      return this;
    }

    public Builder settle(Duration settle) {
      this.settle = settle;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first bad value
     */
    public Scenario build() {
      return new Scenario(
          devices,
          multiAccountShare,
          maxAccounts,
          fcmShare,
          duration,
          meanInterval,
          statusFrequencyMinutes,
          timeScale,
          missingCountShare,
          errorForms,
          deadDevices,
          failoverAfter,
          postTimeout,
          settle,
          seed,
          parallelAccounts);
    }
  }

  private static boolean share(double value) {
    return value >= 0 && value <= 1;
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
