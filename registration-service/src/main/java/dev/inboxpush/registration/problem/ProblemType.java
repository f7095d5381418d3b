package dev.inboxpush.registration.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Every kind of refusal the API gives: its problem {@code type} URI (stable, part of the API), its
 * HTTP status, and the {@code reason} it is counted under in {@value RejectionMetrics#REJECTED}.
 * Spelled here and nowhere else.
 */
public enum ProblemType {
  INVALID_FIELDS("invalid-fields", HttpStatus.BAD_REQUEST, "invalid"),
  UNREADABLE("unreadable", HttpStatus.BAD_REQUEST, "invalid"),
  /** A request Spring refused before our code (a bad path variable, a missing parameter). */
  REQUEST("request", HttpStatus.BAD_REQUEST, "invalid"),
  UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "unauthenticated"),
  FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "forbidden"),
  NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "not_found"),
  CONFLICT("conflict", HttpStatus.CONFLICT, "conflict"),
  TOO_LARGE("too-large", HttpStatus.CONTENT_TOO_LARGE, "too_large"),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
  RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "rate_limited"),
  UNAVAILABLE("unavailable", HttpStatus.SERVICE_UNAVAILABLE, "unavailable"),
  /** The instance is at its in-flight limit ({@code inboxpush.server.max-in-flight}). */
  OVERLOADED("overloaded", HttpStatus.SERVICE_UNAVAILABLE, "overloaded"),
  /** Anything unforeseen: a defect of ours. */
  INTERNAL("internal", HttpStatus.INTERNAL_SERVER_ERROR, "internal");

  private static final String BASE = "https://inboxpush.dev/problems/";

  private final URI uri;
  private final HttpStatus status;
  private final String reason;

  ProblemType(String slug, HttpStatus status, String reason) {
    this.uri = URI.create(BASE + slug);
    this.status = status;
    this.reason = reason;
  }

  /** The problem detail's {@code type}. */
  public URI uri() {
    return uri;
  }

  /** The status it is answered with (a {@link #REQUEST} keeps Spring's own 4xx). */
  public HttpStatus status() {
    return status;
  }

  /** A problem detail of this type; {@code detail} is always our own text, never the input. */
  public ProblemDetail detail(String detail) {
    return detail(status, detail);
  }

  /** A problem detail of this type with another status (Spring's own, for {@link #REQUEST}). */
  public ProblemDetail detail(HttpStatusCode status, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(uri);
    return problem;
  }

  /** The {@code reason} tag of the rejection counter. */
  public String reason() {
    return reason;
  }
}
