package dev.inboxpush.listener.lookup;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.CallbackTarget;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.RegistrationStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Registration by callback token, through a bounded Caffeine cache with positive and negative
 * entries of their own lifetimes (on the injected clock). Failed reads are not cached. Hits and
 * misses are published as {@code cache.gets{cache="callback-tokens"}}.
 *
 * <p>{@link #find} may answer a registration from the cache, never an absence; {@link #confirm}
 * always reads the store strongly consistently (and refreshes the entry): an {@code Unsubscribe}
 * rests only on it. Either read takes one call, which brings the registration's listener state too.
 * Thread-safe.
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

  /**
   * What {@link #find} found: the registration, and its listener state when the registration was
   * read from the store just now (the two come in one read); null when it came from the cache,
   * whose entries never hold state (state changes with every POST).
   */
  public record Found(Registration registration, @Nullable ListenerState state) {}

  /**
   * The registration, from the cache when it holds one; otherwise, and for a cached absence (an
   * absence is only ever trusted after a consistent read), the registration and its state read
   * together ({@link #confirm}), the registration then cached. Empty when there is none, confirmed.
   * Concurrent misses for one token each read.
   */
  public Mono<Optional<Found>> find(CallbackToken token) {
    return Mono.defer(
        () -> {
          CompletableFuture<Optional<Registration>> cached = cache.getIfPresent(token);
          Mono<Optional<Registration>> fromCache =
              cached == null ? Mono.just(Optional.empty()) : Mono.fromFuture(cached, true);
          return fromCache.flatMap(
              hit ->
                  hit.isPresent()
                      ? Mono.just(Optional.of(new Found(hit.get(), null)))
                      : confirm(token)
                          .map(
                              found ->
                                  found.map(
                                      target -> new Found(target.registration(), target.state()))));
        });
  }

  /**
   * The registration and its state by a strongly consistent read, bypassing and refreshing the
   * cache.
   */
  public Mono<Optional<CallbackTarget>> confirm(CallbackToken token) {
    return store
        .findTarget(token)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .doOnNext(
            found ->
                cache.put(
                    token,
                    CompletableFuture.completedFuture(found.map(CallbackTarget::registration))));
  }

  /**
   * Whether the cache holds {@code token}'s registration now (an absence does not count): {@link
   * #find} would answer it without a read. Non-blocking.
   */
  public boolean cached(CallbackToken token) {
    CompletableFuture<Optional<Registration>> entry = cache.getIfPresent(token);
    return entry != null
        && entry.isDone()
        && !entry.isCompletedExceptionally()
        && entry.join().isPresent();
  }

  /** Forgets the token (its registration was deleted or changed here). */
  public void invalidate(CallbackToken token) {
    cache.synchronous().invalidate(token);
  }
}
