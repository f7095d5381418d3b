package dev.inboxpush.listener.delivery;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * When a parked badge is tried again after a failed redelivery: doubling from {@code initial},
 * capped at {@code max}, and never before the provider's {@code Retry-After}. Immutable.
 *
 * @param initial the wait after the first failed redelivery
 * @param max the longest wait between attempts, unless a provider asks for longer
 */
public record Backoff(Duration initial, Duration max) {

  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("a backoff needs 0 <= initial <= max");
    }
  }

  /** The wait after {@code attempts} failed attempts, at least {@code retryAfter} when given. */
  public Duration after(int attempts, @Nullable Duration retryAfter) {
    Duration wait = initial;
    for (int i = 0; i < attempts && wait.compareTo(max) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    if (wait.compareTo(max) > 0) {
      wait = max;
    }
    if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
      wait = retryAfter;
    }
    return wait;
  }
}
