package dev.inboxpush.registration.api;

import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.store.StoreException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * The API's one error edge: every failure becomes an RFC 9457 problem detail ({@code
 * application/problem+json}) with a stable {@code type}, and invalid input lists each bad field.
 * Messages are ours, never the input (which may be a token or huge).
 */
@RestControllerAdvice
class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
  private static final String TYPES = "https://inboxpush.dev/problems/";

  private final ApiMetrics metrics;

  ApiErrors(ApiMetrics metrics) {
    this.metrics = metrics;
  }

  static ProblemDetail problem(HttpStatus status, String type, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(TYPES + type));
    return problem;
  }

  @ExceptionHandler(RequestFields.InvalidFieldsException.class)
  ProblemDetail invalidFields(RequestFields.InvalidFieldsException e) {
    metrics.rejected("invalid");
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, "invalid-fields", "One or more fields are invalid.");
    List<Map<String, String>> errors =
        e.problems().stream().map(p -> Map.of("field", p.field(), "message", p.problem())).toList();
    problem.setProperty("errors", errors);
    return problem;
  }

  @ExceptionHandler(InvalidValueException.class)
  ProblemDetail invalidValue(InvalidValueException e) {
    return invalidFields(new RequestFields.InvalidFieldsException(List.of(e)));
  }

  @ExceptionHandler(RegistrationController.NotFoundException.class)
  ProblemDetail notFound(RegistrationController.NotFoundException e) {
    metrics.rejected("not_found");
    return problem(HttpStatus.NOT_FOUND, "not-found", "No such registration.");
  }

  @ExceptionHandler(RegistrationController.ConflictException.class)
  ProblemDetail conflict(RegistrationController.ConflictException e) {
    metrics.rejected("conflict");
    return problem(HttpStatus.CONFLICT, "conflict", e.getMessage());
  }

  @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
  ProblemDetail unsupportedMediaType(UnsupportedMediaTypeStatusException e) {
    metrics.rejected("unsupported_media_type");
    return problem(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Send application/json.");
  }

  @ExceptionHandler(ServerWebInputException.class)
  ResponseEntity<ProblemDetail> unreadable(ServerWebInputException e) {
    if (hasCause(e, DataBufferLimitException.class)) {
      metrics.rejected("too_large");
      return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
          .body(problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "The body is too large."));
    }
    metrics.rejected("invalid");
    return ResponseEntity.badRequest()
        .body(
            problem(
                HttpStatus.BAD_REQUEST,
                "unreadable",
                "The body is not the JSON this operation expects (malformed, or a field of the wrong type)."));
  }

  @ExceptionHandler(DataBufferLimitException.class)
  ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException e) {
    metrics.rejected("too_large");
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
        .body(problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "The body is too large."));
  }

  @ExceptionHandler(StoreException.class)
  ResponseEntity<ProblemDetail> unavailable(StoreException e) {
    metrics.rejected("unavailable");
    log.warn("store failure: {}", e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", "5")
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Try again shortly."));
  }

  @ExceptionHandler(ResponseStatusException.class)
  ResponseEntity<ProblemDetail> status(ResponseStatusException e) {
    HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
    HttpStatus resolved = status == null ? HttpStatus.BAD_REQUEST : status;
    metrics.rejected(resolved.is5xxServerError() ? "unavailable" : "invalid");
    return ResponseEntity.status(resolved)
        .body(problem(resolved, "request", resolved.getReasonPhrase()));
  }

  /** Anything unforeseen: a problem detail too, without internals. */
  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
    log.error("unexpected failure", e);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .body(
            problem(
                HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Something went wrong on our side."));
  }

  private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      // The JSON decoder reports the buffer limit in its own exception, keeping the message.
      if (type.isInstance(t)
          || String.valueOf(t.getMessage()).contains("Exceeded limit on max bytes to buffer")) {
        return true;
      }
    }
    return false;
  }
}
