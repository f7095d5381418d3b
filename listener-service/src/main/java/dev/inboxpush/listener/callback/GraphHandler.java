package dev.inboxpush.listener.callback;

import dev.inboxpush.listener.callback.GraphMetrics.Answer;
import dev.inboxpush.listener.callback.GraphMetrics.Counted;
import dev.inboxpush.listener.graph.GraphBatch;
import dev.inboxpush.listener.graph.GraphNotificationParser;
import dev.inboxpush.listener.graph.GraphParseException;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Handles {@code POST /graph/v1/{callbackToken}} and {@code POST
 * /graph/v1/{callbackToken}/lifecycle}: Microsoft Graph's validation handshake, change
 * notifications and lifecycle notifications.
 *
 * <ul>
 *   <li>With a {@code validationToken} query parameter (Graph validating the URL when the app
 *       creates its subscription, once per URL): 200 {@code text/plain} with the token, decoded, at
 *       once. Nothing is read or written: the store is not touched, so the answer takes
 *       microseconds, well within Graph's 10 s.
 *   <li>Otherwise a notification collection: content type, declared size and the body's size are
 *       checked before parsing, and the body is parsed before anything is looked up. Then {@link
 *       GraphProcessor} handles it and the answer is 202 with no body.
 *   <li>Refusals are 4xx with a short {@code text/plain} reason (Graph ignores the body); our own
 *       trouble is 503 with {@code Retry-After}, so that Graph retries. Never Spring's error page.
 * </ul>
 *
 * <p>Runs on the event loop; parsing is synchronous but bounded by the body limit and the parser's
 * limits. Thread-safe. Log lines never show the callback token, a clientState or a validation
 * token.
 */
final class GraphHandler {

  private static final Logger log = LoggerFactory.getLogger(GraphHandler.class);

  private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

  private final GraphNotificationParser parser;
  private final GraphProcessor processor;
  private final GraphProperties properties;
  private final int maxBodyBytes;
  private final GraphMetrics metrics;

  GraphHandler(
      GraphNotificationParser parser,
      GraphProcessor processor,
      GraphProperties properties,
      GraphMetrics metrics) {
    this.parser = parser;
    this.processor = processor;
    this.properties = properties;
    this.maxBodyBytes = (int) properties.maxBodySize().toBytes();
    this.metrics = metrics;
  }

  Mono<ServerResponse> notification(ServerRequest request) {
    return handle(request, GraphProcessor.Endpoint.NOTIFICATION);
  }

  Mono<ServerResponse> lifecycle(ServerRequest request) {
    return handle(request, GraphProcessor.Endpoint.LIFECYCLE);
  }

  /** Any method but POST on a Graph path. */
  Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
    return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED)
        .header("Allow", "POST")
        .contentType(TEXT)
        .bodyValue("only POST is accepted here");
  }

  private Mono<ServerResponse> handle(ServerRequest request, GraphProcessor.Endpoint endpoint) {
    long start = System.nanoTime();
    return Mono.defer(() -> answer(request, endpoint))
        .onErrorResume(error -> Mono.just(failed(error)))
        .flatMap(outcome -> respond(endpoint, outcome, start));
  }

  private Mono<Outcome> answer(ServerRequest request, GraphProcessor.Endpoint endpoint) {
    CallbackToken token = token(request.pathVariable("callbackToken"));
    if (token == null) {
      return Mono.just(
          Outcome.refused(HttpStatus.NOT_FOUND, Counted.NOT_FOUND, "no such notification URL"));
    }
    Optional<String> validationToken = request.queryParam("validationToken");
    if (validationToken.isPresent()) {
      return Mono.just(validated(validationToken.get()));
    }
    Optional<MediaType> contentType = request.headers().contentType();
    if (contentType.isEmpty()
        || !MediaType.APPLICATION_JSON.equalsTypeAndSubtype(contentType.get())) {
      return Mono.just(
          Outcome.refused(
              HttpStatus.UNSUPPORTED_MEDIA_TYPE, Counted.CONTENT_TYPE, "send application/json"));
    }
    long declared = request.headers().contentLength().orElse(-1);
    if (declared > maxBodyBytes) {
      return Mono.just(tooLarge());
    }
    return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), maxBodyBytes)
        .map(Failures::bytes)
        .defaultIfEmpty(new byte[0])
        .flatMap(body -> parseAndProcess(token, endpoint, body))
        .onErrorResume(DataBufferLimitException.class, e -> Mono.just(tooLarge()));
  }

  /** The handshake: the decoded token, as plain text (never HTML: it is the sender's text). */
  private Outcome validated(String validationToken) {
    if (validationToken.isEmpty()
        || validationToken.length() > properties.maxValidationTokenLength()) {
      return Outcome.refused(
          HttpStatus.BAD_REQUEST,
          Counted.VALIDATION_TOKEN,
          "the validationToken must be 1 to "
              + properties.maxValidationTokenLength()
              + " characters");
    }
    return new Outcome(
        HttpStatus.OK, Answer.VALIDATED, Counted.VALIDATED.reason(), validationToken);
  }

  private Mono<Outcome> parseAndProcess(
      CallbackToken token, GraphProcessor.Endpoint endpoint, byte[] body) {
    GraphBatch batch;
    try {
      batch = parser.parse(body);
    } catch (GraphParseException e) {
      log.debug("refused a Graph body: {} ({})", e.getMessage(), e.reason());
      return Mono.just(
          new Outcome(HttpStatus.BAD_REQUEST, Answer.REFUSED, e.reason().tag(), e.getMessage()));
    }
    return processor
        .process(token, endpoint, batch)
        .map(
            result ->
                result == GraphProcessor.Result.AWAIT_REPLICATION
                    ? Outcome.refused(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        Counted.AWAITING_REPLICATION,
                        "not yet replicated to this region; retry")
                    : new Outcome(HttpStatus.ACCEPTED, Answer.ACCEPTED, "none", ""));
  }

  private static @Nullable CallbackToken token(String raw) {
    try {
      return CallbackToken.parse(raw);
    } catch (InvalidValueException e) {
      return null;
    }
  }

  /** As on the EWS endpoint: ours is 503 (Graph retries), a closed connection is not ours. */
  private static Outcome failed(Throwable error) {
    Counted reason =
        switch (Failures.classify(error, "Graph")) {
          case ABORTED -> Counted.ABORTED;
          case TOO_SLOW -> Counted.TOO_SLOW;
          case STORE_UNAVAILABLE -> Counted.STORE_UNAVAILABLE;
          case STORE_ERROR -> Counted.STORE_ERROR;
          case INTERNAL_ERROR -> Counted.INTERNAL_ERROR;
        };
    if (reason == Counted.ABORTED) {
      return Outcome.refused(HttpStatus.BAD_REQUEST, reason, "the connection was closed");
    }
    if (reason == Counted.TOO_SLOW) {
      return Outcome.refused(HttpStatus.REQUEST_TIMEOUT, reason, "the body came too slowly");
    }
    return new Outcome(
        HttpStatus.SERVICE_UNAVAILABLE,
        reason.answer(),
        reason.reason(),
        "temporarily unavailable; retry");
  }

  private Mono<ServerResponse> respond(
      GraphProcessor.Endpoint endpoint, Outcome outcome, long start) {
    metrics.record(
        endpoint, outcome.answer(), outcome.reason(), Duration.ofNanos(System.nanoTime() - start));
    ServerResponse.BodyBuilder response =
        ServerResponse.status(outcome.status()).header("X-Content-Type-Options", "nosniff");
    if (outcome.status() == HttpStatus.SERVICE_UNAVAILABLE) {
      response.header("Retry-After", "30");
    }
    if (outcome.body().isEmpty()) {
      return response.build();
    }
    return response.contentType(TEXT).bodyValue(outcome.body());
  }

  private Outcome tooLarge() {
    return Outcome.refused(
        HttpStatus.CONTENT_TOO_LARGE,
        Counted.TOO_LARGE,
        "the body exceeds " + maxBodyBytes + " bytes");
  }

  private record Outcome(HttpStatus status, Answer answer, String reason, String body) {

    static Outcome refused(HttpStatus status, Counted reason, String message) {
      return new Outcome(status, reason.answer(), reason.reason(), message);
    }
  }
}
