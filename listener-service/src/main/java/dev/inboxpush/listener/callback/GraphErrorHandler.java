package dev.inboxpush.listener.callback;

import dev.inboxpush.autoconfigure.guard.ServerOverloadedException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The Graph paths' last line, as {@link EwsErrorHandler} is the EWS path's: an error that escapes
 * the Graph routes ({@code /graph/**}: an unknown path, a failure before {@link GraphHandler} runs)
 * is answered in the endpoints' own form, a short {@code text/plain} reason, never with Spring
 * Boot's JSON or HTML error page. A 4xx keeps its status; anything else is our own trouble, 503
 * with {@code Retry-After} (Graph retries), logged as an error. Other paths are left to Spring
 * Boot.
 *
 * <p>Ordered before Boot's error handler. Stateless, thread-safe.
 */
@Order(-2)
final class GraphErrorHandler implements WebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(GraphErrorHandler.class);
  private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
    ServerHttpResponse response = exchange.getResponse();
    if (!PublicServer.serves(exchange)
        || !exchange.getRequest().getPath().value().startsWith("/graph/")
        || response.isCommitted()) {
      return Mono.error(error);
    }
    HttpStatusCode status =
        error instanceof ResponseStatusException refused ? refused.getStatusCode() : null;
    String body;
    if (error instanceof ServerOverloadedException overloaded) {
      // At the in-flight limit: an answer, not a failure; Graph retries.
      status = HttpStatus.SERVICE_UNAVAILABLE;
      response
          .getHeaders()
          .set(HttpHeaders.RETRY_AFTER, Long.toString(overloaded.retryAfterSeconds()));
      body = "busy; retry";
    } else if (status != null && status.is4xxClientError()) {
      HttpStatus known = HttpStatus.resolve(status.value());
      body = known == null ? "refused" : known.getReasonPhrase().toLowerCase(Locale.ROOT);
    } else {
      log.error("answering 503: unexpected failure on a Graph path", error);
      status = HttpStatus.SERVICE_UNAVAILABLE;
      response.getHeaders().set("Retry-After", "30");
      body = "temporarily unavailable; retry";
    }
    response.setStatusCode(status);
    response.getHeaders().setContentType(TEXT);
    response.getHeaders().set("X-Content-Type-Options", "nosniff");
    return response.writeWith(
        Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
  }
}
