package dev.inboxpush.listener.callback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * Per source address, a budget of POSTs to callback tokens that named no registration here. Each
 * such POST costs a strongly consistent table read (an absence is never taken from the cache), so a
 * flood of random tokens from one address would be a flood of reads; once an address has spent its
 * budget, the endpoint answers its POSTs to tokens not in the lookup cache 429 without reading
 * anything, until the budget refills. Tokens the cache knows are served regardless, so registered
 * mailboxes behind the same address (a shared Exchange front end) keep their badges while their
 * registrations are cached.
 *
 * <p>A Bucket4j token bucket per address ({@code unknown-token-burst}, refilled at {@code
 * unknown-tokens-per-minute}), in a bounded Caffeine cache that forgets addresses idle for ten
 * minutes. In memory, per instance. Thread-safe.
 */
final class UnknownTokenBudget {

  private final Cache<String, Bucket> sources =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
  private final Bandwidth bandwidth;

  UnknownTokenBudget(CallbackProperties properties) {
    this.bandwidth =
        Bandwidth.builder()
            .capacity(properties.unknownTokenBurst())
            .refillGreedy(properties.unknownTokensPerMinute(), Duration.ofMinutes(1))
            .build();
  }

  private Bucket bucket(String source) {
    return sources.get(source, key -> Bucket.builder().addLimit(bandwidth).build());
  }

  /** Whether {@code source} has spent its budget. */
  boolean spent(String source) {
    return bucket(source).getAvailableTokens() <= 0;
  }

  /** Charges {@code source} for a POST whose token named no registration. */
  void charge(String source) {
    bucket(source).tryConsume(1);
  }

  /** Whole seconds until {@code source} may try an unknown token again (at least 1). */
  long retryAfterSeconds(String source) {
    long nanos = bucket(source).estimateAbilityToConsume(1).getNanosToWaitForRefill();
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }
}
