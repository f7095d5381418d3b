package dev.inboxpush.registration.problem;

import java.util.Map;

/**
 * A refusal the API decides itself (no such registration, a conflict), answered by {@link
 * ApiErrors} as a problem detail of its {@link #type()}. Carries no stack trace: it is an answer,
 * not a failure. The message is our own text and becomes the problem's {@code detail}; {@link
 * #properties()} become further members of the problem (ours too, never the input).
 */
public final class ApiProblemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ProblemType type;
  private final Map<String, Object> properties;

  private ApiProblemException(ProblemType type, String detail, Map<String, Object> properties) {
    super(detail, null, false, false);
    this.type = type;
    this.properties = Map.copyOf(properties);
  }

  /** Not the caller's, or not there: the same answer either way. */
  public static ApiProblemException notFound() {
    return new ApiProblemException(ProblemType.NOT_FOUND, "No such registration.", Map.of());
  }

  /** The request conflicts with the caller's other registrations. */
  public static ApiProblemException conflict(String detail) {
    return conflict(detail, Map.of());
  }

  /** A conflict whose problem also names what it conflicts with (the caller's own data). */
  public static ApiProblemException conflict(String detail, Map<String, Object> properties) {
    return new ApiProblemException(ProblemType.CONFLICT, detail, properties);
  }

  public ProblemType type() {
    return type;
  }

  /** Members of the problem beside the standard ones; usually none. */
  public Map<String, Object> properties() {
    return properties;
  }
}
