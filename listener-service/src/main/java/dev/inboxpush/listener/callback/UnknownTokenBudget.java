package dev.inboxpush.listener.callback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.inboxpush.model.CallbackToken;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * Per source address, a budget of POSTs to callback tokens that name no registration here. Each
 * such POST costs a strongly consistent table read (an absence is never taken from the cache), so a
 * flood of random tokens from one address would be a flood of reads. A POST to a token this
 * instance has not served lately takes one unit before its read; the unit is given back when the
 * token turns out to be served ({@code OK}), when the answer waits for replication (a failover's
 * surge is not a flood), or when the read fails; it is kept only for an {@code Unsubscribe}. Once
 * an address's budget is spent, its POSTs to such tokens are answered 429 without a read until it
 * refills, while tokens served here in the last {@value #REMEMBERED_HOURS} hours (a registered
 * mailbox behind the same shared Exchange front end) are served as ever.
 *
 * <p>A Bucket4j token bucket per address ({@code unknown-token-burst}, refilled at {@code
 * unknown-tokens-per-minute}), in a bounded Caffeine cache that forgets addresses idle for ten
 * minutes; the served tokens as 64-bit fingerprints in another (at most {@value #REMEMBERED}, about
 * 10 MB). In memory, per instance: a restarted instance remembers no token, so a flooded address's
 * traffic may get 429s until its tokens are served again. Thread-safe.
 */
final class UnknownTokenBudget {

  static final int REMEMBERED = 100_000;
  static final int REMEMBERED_HOURS = 6;

  private final Cache<String, Bucket> sources =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
  private final Cache<Long, Boolean> served =
      Caffeine.newBuilder()
          .maximumSize(REMEMBERED)
          .expireAfterWrite(Duration.ofHours(REMEMBERED_HOURS))
          .build();
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

  /** Whether this instance served {@code token} lately. */
  boolean served(CallbackToken token) {
    return served.getIfPresent(fingerprint(token)) != null;
  }

  /** Remembers that {@code token} was served. */
  void remember(CallbackToken token) {
    served.put(fingerprint(token), Boolean.TRUE);
  }

  /** Takes one unit of {@code source}'s budget; false when it is spent (nothing taken). */
  boolean take(String source) {
    return bucket(source).tryConsume(1);
  }

  /** Gives back a unit {@link #take} took. */
  void giveBack(String source) {
    bucket(source).addTokens(1);
  }

  /** Whole seconds until {@code source} has a unit again (at least 1). */
  long retryAfterSeconds(String source) {
    long nanos = bucket(source).estimateAbilityToConsume(1).getNanosToWaitForRefill();
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  private static long fingerprint(CallbackToken token) {
    String value = token.value();
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < value.length(); i++) {
      hash ^= value.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
