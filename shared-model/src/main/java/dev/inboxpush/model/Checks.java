package dev.inboxpush.model;

import org.jspecify.annotations.Nullable;

/** Shared validation steps. Package-private: callers see only the domain types. */
final class Checks {

  private Checks() {}

  static String present(String field, @Nullable String value) {
    if (value == null) {
      throw new InvalidValueException(field, "is required");
    }
    if (value.isEmpty()) {
      throw new InvalidValueException(field, "must not be empty");
    }
    return value;
  }

  static String lengthWithin(String field, String value, int min, int max) {
    if (value.length() < min || value.length() > max) {
      throw new InvalidValueException(
          field,
          "must be "
              + min
              + " to "
              + max
              + " characters long, was "
              + Math.min(value.length(), max + 1)
              + (value.length() > max ? "+" : ""));
    }
    return value;
  }

  /** Visible ASCII only (0x21 to 0x7E): no spaces, control characters or non-ASCII. */
  static String visibleAscii(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        throw new InvalidValueException(
            field,
            "must contain only visible ASCII characters; found "
                + describe(c)
                + " at position "
                + i);
      }
    }
    return value;
  }

  static String describe(char c) {
    if (c < 0x20 || c == 0x7F) {
      return "a control character";
    }
    if (c == ' ') {
      return "a space";
    }
    if (c > 0x7E) {
      return "a non-ASCII character";
    }
    return "'" + c + "'";
  }
}
