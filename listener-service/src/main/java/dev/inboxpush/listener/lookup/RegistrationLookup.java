package dev.inboxpush.listener.lookup;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.RegistrationStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Clock;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Registration by callback token, through a bounded Caffeine cache with positive and negative
 * entries of their own lifetimes (on the injected clock). Failed reads are not cached. Hits and
 * misses are published as {@code cache.gets{cache="callback-tokens"}}.
 *
 * <p>{@link #find} may answer from the cache; {@link #confirm} always reads the store strongly
 * consistently (and refreshes the entry): an {@code Unsubscribe} rests only on it. Thread-safe.
 */
public final class RegistrationLookup {

  private final RegistrationStore store;
  private final AsyncCache<CallbackToken, Optional<Registration>> cache;

  public RegistrationLookup(
      RegistrationStore store, LookupProperties properties, Clock clock, MeterRegistry meters) {
    this.store = store;
    long positive = properties.positiveTtl().toNanos();
    long negative = properties.negativeTtl().toNanos();
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(properties.cacheSize())
            .ticker(ticker(clock))
            .expireAfter(
                new Expiry<CallbackToken, Optional<Registration>>() {
                  @Override
                  public long expireAfterCreate(
                      CallbackToken key, Optional<Registration> value, long currentTime) {
                    return value.isPresent() ? positive : negative;
                  }

                  @Override
                  public long expireAfterUpdate(
                      CallbackToken key,
                      Optional<Registration> value,
                      long currentTime,
                      long currentDuration) {
                    return value.isPresent() ? positive : negative;
                  }

                  @Override
                  public long expireAfterRead(
                      CallbackToken key,
                      Optional<Registration> value,
                      long currentTime,
                      long currentDuration) {
                    return currentDuration;
                  }
                })
            .recordStats()
            .buildAsync();
    CaffeineCacheMetrics.monitor(meters, cache, "callback-tokens");
  }

  private static Ticker ticker(Clock clock) {
    return () -> {
      java.time.Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }

  /** The registration, possibly from the cache; empty when there is none (or none was cached). */
  public Mono<Optional<Registration>> find(CallbackToken token) {
    // suppressCancel: the future is shared by every POST for this token; one that goes away must
    // not cancel it for the others.
    return Mono.fromFuture(() -> cache.get(token, (key, executor) -> read(key).toFuture()), true);
  }

  /** The registration by a strongly consistent read, bypassing and refreshing the cache. */
  public Mono<Optional<Registration>> confirm(CallbackToken token) {
    return read(token)
        .doOnNext(
            found ->
                cache.put(token, java.util.concurrent.CompletableFuture.completedFuture(found)));
  }

  /** Forgets the token (its registration was deleted or changed here). */
  public void invalidate(CallbackToken token) {
    cache.synchronous().invalidate(token);
  }

  private Mono<Optional<Registration>> read(CallbackToken token) {
    return store.findByCallbackToken(token).map(Optional::of).defaultIfEmpty(Optional.empty());
  }
}
