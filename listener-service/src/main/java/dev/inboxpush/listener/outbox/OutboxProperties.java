package dev.inboxpush.listener.outbox;

import dev.inboxpush.listener.delivery.Backoff;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
public record OutboxProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("2s") Duration interval,
    @DefaultValue("100") int batchPerShard,
    @DefaultValue("16") int concurrency,
    @DefaultValue("5s") Duration initialBackoff,
    @DefaultValue("5m") Duration maxBackoff,
    @DefaultValue("6h") Duration maxAge) {

  public OutboxProperties {
    if (interval.toMillis() < 10 || batchPerShard < 1 || concurrency < 1) {
      throw new IllegalArgumentException(
          "inboxpush.listener.outbox: interval >= 10ms, batch-per-shard and concurrency >= 1");
    }
    if (initialBackoff.isNegative()
        || maxBackoff.compareTo(initialBackoff) < 0
        || maxAge.isNegative()) {
      throw new IllegalArgumentException(
          "inboxpush.listener.outbox: 0 <= initial-backoff <= max-backoff, max-age >= 0");
    }
  }

  /** When a badge whose redelivery failed is tried next. */
  public Backoff backoff() {
    return new Backoff(initialBackoff, maxBackoff);
  }
}
