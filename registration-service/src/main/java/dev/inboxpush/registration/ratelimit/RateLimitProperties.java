package dev.inboxpush.registration.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code inboxpush.registration.rate-limit.*}: token buckets refilled evenly over {@code period}.
 *
 * @param perCaller requests one caller (token subject) may make per period (default 60)
 * @param perAddress requests one client address may make per period, authenticated or not (default
 *     600: a carrier NAT puts many devices behind one address)
 * @param period the refill period (default 1 minute)
 */
@ConfigurationProperties("inboxpush.registration.rate-limit")
public record RateLimitProperties(
    @DefaultValue("60") long perCaller,
    @DefaultValue("600") long perAddress,
    @DefaultValue("1m") Duration period) {

  public RateLimitProperties {
    if (perCaller < 1 || perAddress < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          "inboxpush.registration.rate-limit: limits and period must be positive");
    }
  }
}
