package dev.inboxpush.listener.ews;

/**
 * The body is not a well-formed, acceptable {@code SendNotification}: malformed or hostile XML, a
 * limit exceeded, or another message. The only exception the parser throws; the endpoint answers it
 * with a 4xx. The message says what is wrong without quoting the input.
 */
public final class EwsParseException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why the body was refused, as a bounded label for metrics. */
  public enum Reason {
    MALFORMED,
    FORBIDDEN_CONSTRUCT,
    LIMIT_EXCEEDED,
    NOT_SEND_NOTIFICATION,
    INVALID_VALUE
  }

  private final Reason reason;

  public EwsParseException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public EwsParseException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
