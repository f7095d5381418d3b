package dev.inboxpush.listener.graph;

import java.util.Locale;

/**
 * The body is not an acceptable Graph notification collection: malformed JSON, a limit exceeded, or
 * JSON of another shape. The only exception the parser throws; the endpoint answers 400. The
 * message says what is wrong without quoting the input.
 */
public final class GraphParseException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why the body was refused, as a bounded label for metrics. */
  public enum Reason {
    /** Not well-formed JSON (or not UTF-8). */
    MALFORMED,
    /** Nesting, string, name, token or item count over the parser's limits. */
    LIMIT_EXCEEDED,
    /** Well-formed JSON, but no object with a {@code value} array of objects. */
    NOT_A_COLLECTION;

    /** The metric tag. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  GraphParseException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  GraphParseException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
