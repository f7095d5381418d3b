package dev.inboxpush.registration.problem;

import dev.inboxpush.autoconfigure.guard.ServerOverloadedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The filters' error edge, for what they raise before any controller and so out of {@link
 * ApiErrors}' reach, answered as the API's problem details and counted like every rejection:
 *
 * <ul>
 *   <li>the in-flight limit's refusal ({@link ServerOverloadedException}): 503 of type {@code
 *       overloaded} with the limit's {@code Retry-After}, not logged;
 *   <li>authentication that could not be decided (the issuer's JWK set failed to load, or an {@link
 *       AuthenticationServiceException}): 503 of type {@code unavailable} with {@code Retry-After},
 *       logged as a warning. Never a 401 (the token may be good) and never a 500.
 * </ul>
 *
 * Anything else passes on. Ordered before Boot's error handler. Stateless, thread-safe.
 */
@Order(-2)
final class FilterErrors implements WebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(FilterErrors.class);

  private final ProblemWriter problems;

  FilterErrors(ProblemWriter problems) {
    this.problems = problems;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(error);
    }
    if (error instanceof ServerOverloadedException overloaded) {
      return problems.write(
          exchange,
          ProblemType.OVERLOADED,
          "The service is busy; retry after the time in Retry-After.",
          headers ->
              headers.set(HttpHeaders.RETRY_AFTER, Long.toString(overloaded.retryAfterSeconds())));
    }
    if (error instanceof AuthenticationServiceException
        // Spring Security's decoder wraps a failed fetch of the JWK set (a WebClientException, the
        // only WebClient call this service makes) in an IllegalStateException.
        || ApiErrors.causedBy(error, WebClientException.class)) {
      log.warn("could not authenticate a request (the issuer's keys?): {}", error.getMessage());
      return problems.write(
          exchange,
          ProblemType.UNAVAILABLE,
          "The token cannot be checked right now; try again shortly.",
          headers -> headers.set(HttpHeaders.RETRY_AFTER, "5"));
    }
    return Mono.error(error);
  }
}
