package dev.inboxpush.registration.problem;

import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers a request with a problem detail from a filter that runs before any controller
 * (authentication, rate limits), counted like {@link ApiErrors}' answers. The body is written by
 * the application's own message writers (Jackson), so that it is the same JSON as a controller's
 * problem detail. Thread-safe.
 */
public final class ProblemWriter {

  private final ServerResponse.Context context;
  private final RejectionMetrics metrics;

  public ProblemWriter(ServerCodecConfigurer codecs, RejectionMetrics metrics) {
    List<HttpMessageWriter<?>> writers = codecs.getWriters();
    this.context =
        new ServerResponse.Context() {
          @Override
          public List<HttpMessageWriter<?>> messageWriters() {
            return writers;
          }

          @Override
          public List<ViewResolver> viewResolvers() {
            return List.of();
          }
        };
    this.metrics = metrics;
  }

  /** Writes {@code type} with our own {@code detail} and completes the exchange. */
  public Mono<Void> write(ServerWebExchange exchange, ProblemType type, String detail) {
    return write(exchange, type, detail, headers -> {});
  }

  /** The same, with headers the answer needs ({@code WWW-Authenticate}, {@code Retry-After}). */
  public Mono<Void> write(
      ServerWebExchange exchange, ProblemType type, String detail, Consumer<HttpHeaders> headers) {
    return Mono.defer(
        () -> {
          metrics.rejected(type);
          ProblemDetail problem = type.detail(detail);
          // As Spring does for a controller's problem detail: the request's path.
          problem.setInstance(URI.create(exchange.getRequest().getURI().getRawPath()));
          return ServerResponse.status(type.status())
              .headers(headers)
              .contentType(MediaType.APPLICATION_PROBLEM_JSON)
              .bodyValue(problem)
              .flatMap(response -> response.writeTo(exchange, context));
        });
  }
}
