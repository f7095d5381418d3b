package dev.inboxpush.listener.outbox;

import dev.inboxpush.listener.delivery.Backoff;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.listener.outbox.*}: the redelivery worker.
 *
 * @param enabled run the worker in this instance (default true; several instances may run it)
 * @param interval how often it looks for due badges (default 2s)
 * @param batchPerShard most due badges taken from each index shard per run (default 100)
 * @param concurrency deliveries in flight per run (default 16)
 * @param initialBackoff the wait after the first failed redelivery (default 5s); doubled each time
 * @param maxBackoff the longest wait between attempts (default 5m)
 * @param maxAge a pending badge older than this is dropped and counted (default 6h): by then it is
 *     stale, and the app has synced anyway
 */
@ConfigurationProperties("inboxpush.listener.outbox")
@Validated
public record OutboxProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("2s") @DurationMin(millis = 10) Duration interval,
    @DefaultValue("100") @Min(1) int batchPerShard,
    @DefaultValue("16") @Min(1) int concurrency,
    @DefaultValue("5s") @DurationMin(millis = 0) Duration initialBackoff,
    @DefaultValue("5m") Duration maxBackoff,
    @DefaultValue("6h") @DurationMin(millis = 0) Duration maxAge) {

  public OutboxProperties {
    // Across two fields, which a constraint on one cannot say.
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "inboxpush.listener.outbox.max-backoff must not be shorter than initial-backoff");
    }
  }

  /** When a badge whose redelivery failed is tried next. */
  public Backoff backoff() {
    return new Backoff(initialBackoff, maxBackoff);
  }
}
