package dev.inboxpush.autoconfigure.guard;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A request refused because the server already works on as many as it may: 503, with the {@code
 * Retry-After} header in {@link #getHeaders()}. Raised by {@link InFlightLimit} before the request
 * reaches any handler; each service's error edge renders it in its own form (a SOAP fault, a
 * problem detail) and must not log it as a failure. Carries no stack trace: it is an answer, made
 * often under load, not a defect.
 */
public final class ServerOverloadedException extends ResponseStatusException {

  private static final long serialVersionUID = 1L;

  private final long retryAfterSeconds;

  public ServerOverloadedException(Duration retryAfter) {
    super(HttpStatus.SERVICE_UNAVAILABLE, "the server is at its in-flight limit; retry");
    this.retryAfterSeconds = retryAfter.toSeconds();
  }

  /** Whole seconds the client should wait, as sent in {@code Retry-After}. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public HttpHeaders getHeaders() {
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    return headers;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
