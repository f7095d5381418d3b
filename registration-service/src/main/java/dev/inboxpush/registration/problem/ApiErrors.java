package dev.inboxpush.registration.problem;

import dev.inboxpush.autoconfigure.guard.SlowClient;
import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.store.StoreException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.netty.channel.AbortedException;

/**
 * The controllers' error edge: every failure becomes an RFC 9457 problem detail ({@code
 * application/problem+json}) of a {@link ProblemType}, counted, and invalid input lists each bad
 * field. Messages are ours, never the input (which may be a token or huge).
 */
@RestControllerAdvice
class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private final RejectionMetrics metrics;

  ApiErrors(RejectionMetrics metrics) {
    this.metrics = metrics;
  }

  @ExceptionHandler(InvalidFieldsException.class)
  ResponseEntity<ProblemDetail> invalidFields(InvalidFieldsException e) {
    ProblemDetail problem = ProblemType.INVALID_FIELDS.detail("One or more fields are invalid.");
    List<Map<String, String>> errors =
        e.problems().stream().map(p -> Map.of("field", p.field(), "message", p.problem())).toList();
    problem.setProperty("errors", errors);
    return answer(ProblemType.INVALID_FIELDS, problem);
  }

  @ExceptionHandler(InvalidValueException.class)
  ResponseEntity<ProblemDetail> invalidValue(InvalidValueException e) {
    return invalidFields(new InvalidFieldsException(List.of(e)));
  }

  @ExceptionHandler(ApiProblemException.class)
  ResponseEntity<ProblemDetail> refused(ApiProblemException e) {
    ProblemDetail problem = e.type().detail(e.getMessage());
    e.properties().forEach(problem::setProperty);
    return answer(e.type(), problem);
  }

  @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
  ResponseEntity<ProblemDetail> unsupportedMediaType(UnsupportedMediaTypeStatusException e) {
    return answer(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send application/json.");
  }

  @ExceptionHandler(ServerWebInputException.class)
  ResponseEntity<ProblemDetail> unreadable(ServerWebInputException e) {
    if (causedBy(e, DataBufferLimitException.class)) {
      return tooLarge();
    }
    ResponseEntity<ProblemDetail> ended = endedByClient(e);
    if (ended != null) {
      return ended;
    }
    return answer(
        ProblemType.UNREADABLE,
        "The body is not the JSON this operation expects (malformed, or a field of the wrong type).");
  }

  /** The body is over {@code spring.webflux.codecs.max-in-memory-size}, however Spring says so. */
  @ExceptionHandler({DataBufferLimitException.class, ContentTooLargeException.class})
  ResponseEntity<ProblemDetail> tooLarge(Exception e) {
    return tooLarge();
  }

  @ExceptionHandler(StoreException.class)
  ResponseEntity<ProblemDetail> unavailable(StoreException e) {
    log.warn("store failure: {}", e.getMessage());
    metrics.rejected(ProblemType.UNAVAILABLE);
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", "5")
        .body(ProblemType.UNAVAILABLE.detail("Try again shortly."));
  }

  @ExceptionHandler(ResponseStatusException.class)
  ResponseEntity<ProblemDetail> status(ResponseStatusException e) {
    HttpStatusCode status = e.getStatusCode();
    ProblemType type = status.is5xxServerError() ? ProblemType.UNAVAILABLE : ProblemType.REQUEST;
    HttpStatus known = HttpStatus.resolve(status.value());
    metrics.rejected(type);
    return ResponseEntity.status(status)
        .body(type.detail(status, known == null ? "Refused." : known.getReasonPhrase()));
  }

  /**
   * Anything unforeseen: a problem detail too, without internals. Two client-side endings are told
   * apart first: a connection the client closed mid-request (nobody reads the answer), and a body
   * that came slower than {@code inboxpush.server.read-timeout} or {@code request-timeout}, 408.
   */
  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
    ResponseEntity<ProblemDetail> ended = endedByClient(e);
    if (ended != null) {
      return ended;
    }
    log.error("unexpected failure", e);
    return answer(ProblemType.INTERNAL, "Something went wrong on our side.");
  }

  private @Nullable ResponseEntity<ProblemDetail> endedByClient(Exception e) {
    if (causedBy(e, AbortedException.class)) {
      log.debug("the client closed the connection: {}", e.toString());
      return answer(ProblemType.REQUEST, "The connection was closed.");
    }
    if (SlowClient.timedOut(e)) {
      log.debug("the client sent its body too slowly: {}", e.toString());
      metrics.rejected(ProblemType.REQUEST);
      return ResponseEntity.status(HttpStatus.REQUEST_TIMEOUT)
          .body(
              ProblemType.REQUEST.detail(HttpStatus.REQUEST_TIMEOUT, "The body came too slowly."));
    }
    return null;
  }

  private ResponseEntity<ProblemDetail> tooLarge() {
    return answer(ProblemType.TOO_LARGE, "The body is too large.");
  }

  private ResponseEntity<ProblemDetail> answer(ProblemType type, String detail) {
    return answer(type, type.detail(detail));
  }

  private ResponseEntity<ProblemDetail> answer(ProblemType type, ProblemDetail problem) {
    metrics.rejected(type);
    return ResponseEntity.status(type.status()).body(problem);
  }

  static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
