package dev.inboxpush.registration.problem;

import dev.inboxpush.model.InvalidValueException;
import java.util.List;

/**
 * One or more fields of a request were invalid: answered 400 with every field and why in the
 * problem's {@code errors}. The messages are the model's validation messages, never the input.
 */
public final class InvalidFieldsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<InvalidValueException> problems;

  public InvalidFieldsException(List<InvalidValueException> problems) {
    super(problems.size() + " invalid field(s)", null, false, false);
    this.problems = List.copyOf(problems);
  }

  /** The invalid fields, in the order they were checked. */
  public List<InvalidValueException> problems() {
    return problems;
  }
}
