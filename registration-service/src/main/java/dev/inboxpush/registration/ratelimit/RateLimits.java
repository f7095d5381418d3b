package dev.inboxpush.registration.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.inboxpush.registration.problem.ProblemType;
import dev.inboxpush.registration.problem.ProblemWriter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * Two rate limits as WebFilters for the security chain: per client address (before authentication,
 * so that a flood of bad tokens is limited too) and per caller (after it). Each key gets a Bucket4j
 * token bucket, kept in a bounded Caffeine cache that forgets idle keys. Over the limit: 429 with
 * {@code Retry-After} (whole seconds until a token is back) and a problem detail; the request goes
 * no further. Thread-safe; buckets are in memory, per instance.
 */
@Component
@EnableConfigurationProperties(RateLimitProperties.class)
public final class RateLimits {

  private final RateLimitProperties properties;
  private final Cache<String, Bucket> callers;
  private final Cache<String, Bucket> addresses;
  private final ProblemWriter problems;

  RateLimits(RateLimitProperties properties, ProblemWriter problems) {
    this.properties = properties;
    this.callers =
        Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterAccess(Duration.ofMinutes(30))
            .build();
    this.addresses =
        Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterAccess(Duration.ofMinutes(30))
            .build();
    this.problems = problems;
  }

  /** Per client address, for every request to {@code /v1}. */
  public WebFilter byAddress() {
    return (exchange, chain) -> {
      if (!exchange.getRequest().getPath().value().startsWith("/v1/")) {
        return chain.filter(exchange);
      }
      InetSocketAddress peer = exchange.getRequest().getRemoteAddress();
      String key =
          peer == null || peer.getAddress() == null
              ? "unknown"
              : peer.getAddress().getHostAddress();
      return limit(exchange, addresses, key, properties.perAddress(), () -> chain.filter(exchange));
    };
  }

  /** Per authenticated caller. */
  public WebFilter byCaller() {
    // The authentication filter puts the caller into the Reactor context, not yet into the
    // exchange.
    return (exchange, chain) ->
        ReactiveSecurityContextHolder.getContext()
            .map(SecurityContext::getAuthentication)
            .filter(Authentication::isAuthenticated)
            .map(authentication -> Optional.ofNullable(authentication.getName()))
            .defaultIfEmpty(Optional.empty())
            // Decide on the caller first: the chain completes empty, and must run exactly once.
            .flatMap(
                caller ->
                    caller.isEmpty()
                        ? chain.filter(exchange)
                        : limit(
                            exchange,
                            callers,
                            caller.get(),
                            properties.perCaller(),
                            () -> chain.filter(exchange)));
  }

  private Mono<Void> limit(
      ServerWebExchange exchange,
      Cache<String, Bucket> buckets,
      String key,
      long capacity,
      java.util.function.Supplier<Mono<Void>> proceed) {
    Bucket bucket = buckets.get(key, newBucket(capacity));
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return proceed.get();
    }
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return problems.write(
        exchange,
        ProblemType.RATE_LIMITED,
        "Too many requests; retry after " + seconds + " seconds.",
        headers -> headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
  }

  private Function<String, Bucket> newBucket(long capacity) {
    return key ->
        Bucket.builder()
            .addLimit(
                Bandwidth.builder()
                    .capacity(capacity)
                    .refillGreedy(capacity, properties.period())
                    .build())
            .build();
  }
}
