package dev.inboxpush.autoconfigure.guard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The public server's in-flight limit: a request that would make more than {@code max-in-flight} at
 * once is refused at once with {@link ServerOverloadedException} (503, {@code Retry-After}), before
 * its body is read and before authentication, lookups or any store call; it never waits in a queue.
 * A request counts from the moment this filter sees it until its answer is written or its
 * connection is gone. Requests to the management server (health, metrics) are not counted, so that
 * an overloaded instance still answers its probes.
 *
 * <p>Runs among the first WebFilters ({@code HIGHEST_PRECEDENCE + 10}). Thread-safe: one atomic
 * counter. Publishes {@code inboxpush.server.in.flight} (gauge) and {@code inboxpush.server.shed}
 * (requests refused).
 */
public final class InFlightLimit implements WebFilter, Ordered {

  private final int max;
  private final Duration retryAfter;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Counter shed;

  public InFlightLimit(ServerGuardProperties properties, MeterRegistry meters) {
    this.max = properties.maxInFlight();
    this.retryAfter = properties.retryAfter();
    Gauge.builder("inboxpush.server.in.flight", inFlight, AtomicInteger::get)
        .description("Requests the public server is working on")
        .register(meters);
    this.shed =
        Counter.builder("inboxpush.server.shed")
            .description("Requests refused 503 at the in-flight limit, before any work")
            .register(meters);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (WebServerApplicationContext.hasServerNamespace(
        exchange.getApplicationContext(), "management")) {
      return chain.filter(exchange);
    }
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      shed.increment();
      return Mono.error(new ServerOverloadedException(retryAfter));
    }
    return chain.filter(exchange).doFinally(signal -> inFlight.decrementAndGet());
  }

  /** Requests being worked on now. */
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public int getOrder() {
    // Right after a service's first filter (the registration API's security headers, which must
    // reach this refusal too).
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }
}
