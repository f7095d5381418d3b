package dev.inboxpush.registration.problem;

/**
 * A refusal the API decides itself (no such registration, a conflict), answered by {@link
 * ApiErrors} as a problem detail of its {@link #type()}. Carries no stack trace: it is an answer,
 * not a failure. The message is our own text and becomes the problem's {@code detail}.
 */
public final class ApiProblemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ProblemType type;

  private ApiProblemException(ProblemType type, String detail) {
    super(detail, null, false, false);
    this.type = type;
  }

  /** Not the caller's, or not there: the same answer either way. */
  public static ApiProblemException notFound() {
    return new ApiProblemException(ProblemType.NOT_FOUND, "No such registration.");
  }

  /** The request conflicts with the caller's other registrations. */
  public static ApiProblemException conflict(String detail) {
    return new ApiProblemException(ProblemType.CONFLICT, detail);
  }

  public ProblemType type() {
    return type;
  }
}
