package dev.inboxpush.registration.api;

import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.registration.problem.InvalidFieldsException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Validates request fields one by one, collecting every failure, then throws them together as an
 * {@link InvalidFieldsException}. Not thread-safe; one per request.
 */
final class RequestFields {

  private final List<InvalidValueException> problems = new ArrayList<>();

  /** The parsed value, or null after recording why it is invalid. */
  <T> @Nullable T parse(Supplier<T> parser) {
    try {
      return parser.get();
    } catch (InvalidValueException e) {
      problems.add(e);
      return null;
    } catch (InvalidFieldsException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  /** Throws when any field was invalid. */
  void check() {
    if (!problems.isEmpty()) {
      throw new InvalidFieldsException(problems);
    }
  }
}
