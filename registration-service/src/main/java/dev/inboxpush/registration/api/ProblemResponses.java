package dev.inboxpush.registration.api;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes a problem detail straight to the response, for the filters that answer before any
 * controller runs (authentication, rate limits). Same shape and type URIs as {@link ApiErrors};
 * {@code detail} is always our own text.
 */
public final class ProblemResponses {

  private ProblemResponses() {}

  public static Mono<Void> write(
      ServerWebExchange exchange, HttpStatus status, String type, String detail) {
    exchange.getResponse().setStatusCode(status);
    exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    String body =
        "{\"type\":\"https://inboxpush.dev/problems/"
            + type
            + "\",\"title\":\""
            + status.getReasonPhrase()
            + "\",\"status\":"
            + status.value()
            + ",\"detail\":\""
            + detail
            + "\"}";
    return exchange
        .getResponse()
        .writeWith(
            Mono.just(
                exchange
                    .getResponse()
                    .bufferFactory()
                    .wrap(body.getBytes(StandardCharsets.UTF_8))));
  }
}
