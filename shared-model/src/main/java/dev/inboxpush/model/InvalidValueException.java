package dev.inboxpush.model;

/**
 * A value was rejected by a domain type's validation.
 *
 * <p>{@link #field()} names the input field (as the registration API spells it), and the message
 * says what is wrong in words a client developer can act on. The rejected value itself is never
 * part of the message: it may be a secret or arbitrarily long.
 */
public final class InvalidValueException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidValueException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** The name of the offending field, for field-level error details. */
  public String field() {
    return field;
  }

  /** The problem without the field prefix. */
  public String problem() {
    String message = getMessage();
    return message.substring(field.length() + 2);
  }
}
