package dev.inboxpush.listener.callback;

import dev.inboxpush.autoconfigure.guard.ServerOverloadedException;
import dev.inboxpush.listener.ews.SendNotificationReply;
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
 * The EWS path's last line: an error that escapes the callback routes ({@code /ews/**}: an unknown
 * path, a failure the handler did not catch) is answered with a SOAP fault, as everything else
 * Exchange gets, never with Spring Boot's JSON or HTML error page. A 4xx keeps its status with a
 * {@code soap:Client} fault; anything else is our own trouble, answered 503 with {@code
 * Retry-After} and a {@code soap:Server} fault, and logged as an error. A request refused at the
 * in-flight limit ({@link ServerOverloadedException}) is 503 with its own {@code Retry-After},
 * counted {@code unavailable/overloaded} and not logged. Other paths are left to Spring Boot.
 *
 * <p>Ordered before Boot's error handler. Stateless, thread-safe.
 */
@Order(-2)
final class EwsErrorHandler implements WebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(EwsErrorHandler.class);
  private static final MediaType REPLY_TYPE =
      MediaType.parseMediaType(SendNotificationReply.CONTENT_TYPE);

  private final CallbackMetrics metrics;

  EwsErrorHandler(CallbackMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
    ServerHttpResponse response = exchange.getResponse();
    if (!PublicServer.serves(exchange)
        || !exchange.getRequest().getPath().value().startsWith("/ews/")
        || response.isCommitted()) {
      return Mono.error(error);
    }
    HttpStatusCode status =
        error instanceof ResponseStatusException refused ? refused.getStatusCode() : null;
    byte[] body;
    if (error instanceof ServerOverloadedException overloaded) {
      // At the in-flight limit: an answer, not a failure; Exchange retries.
      metrics.count(CallbackMetrics.Counted.OVERLOADED);
      status = HttpStatus.SERVICE_UNAVAILABLE;
      response
          .getHeaders()
          .set(HttpHeaders.RETRY_AFTER, Long.toString(overloaded.retryAfterSeconds()));
      body = SendNotificationReply.serverFault("busy; retry");
    } else if (status != null && status.is4xxClientError()) {
      metrics.count(
          status.value() == 404
              ? CallbackMetrics.Counted.NOT_FOUND
              : CallbackMetrics.Counted.REQUEST);
      HttpStatus known = HttpStatus.resolve(status.value());
      body =
          SendNotificationReply.clientFault(
              known == null ? "refused" : known.getReasonPhrase().toLowerCase(Locale.ROOT));
    } else {
      log.error("answering 503: unexpected failure on the EWS path", error);
      metrics.count(CallbackMetrics.Counted.INTERNAL_ERROR);
      status = HttpStatus.SERVICE_UNAVAILABLE;
      response.getHeaders().set("Retry-After", "30");
      body = SendNotificationReply.serverFault("temporarily unavailable; retry");
    }
    response.setStatusCode(status);
    response.getHeaders().setContentType(REPLY_TYPE);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }
}
