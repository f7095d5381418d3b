package dev.inboxpush.registration.ratelimit;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.registration.rate-limit.*}: token buckets refilled evenly over {@code period}.
 *
 * @param perCaller requests one caller (token subject) may make per period (default 60)
 * @param perAddress requests one client address may make per period, authenticated or not (default
 *     600: a carrier NAT puts many devices behind one address)
 * @param period the refill period (default 1 minute)
 */
@ConfigurationProperties("inboxpush.registration.rate-limit")
@Validated
public record RateLimitProperties(
    @DefaultValue("60") @Min(1) long perCaller,
    @DefaultValue("600") @Min(1) long perAddress,
    @DefaultValue("1m") @DurationMin(millis = 1) Duration period) {}
