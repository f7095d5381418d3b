package dev.inboxpush.listener.lookup;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.listener.lookup.*}: the callback-token cache.
 *
 * @param cacheSize most entries kept (default 100,000; an entry is about 1 KB)
 * @param positiveTtl how long a found registration is reused (default 30s): a token rotation or
 *     rebinding reaches this listener at most this late
 * @param negativeTtl how long "no such registration" is reused (default 5s); never trusted for an
 *     {@code Unsubscribe}, which always re-reads
 */
@ConfigurationProperties("inboxpush.listener.lookup")
@Validated
public record LookupProperties(
    @DefaultValue("100000") @Min(0) long cacheSize,
    @DefaultValue("30s") @DurationMin(millis = 0) Duration positiveTtl,
    @DefaultValue("5s") @DurationMin(millis = 0) Duration negativeTtl) {}
