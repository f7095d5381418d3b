package dev.inboxpush.model;

import org.jspecify.annotations.Nullable;

/**
 * Which app a device token belongs to: the APNs topic (the app's bundle id, e.g. {@code
 * com.example.mail}) or the Firebase project id (e.g. {@code example-mail-prod}). The listener
 * chooses credentials by it, and badges are summed per device token and app.
 *
 * @param value the bundle id or project id
 */
public record AppId(String value) {

  /** Longest id accepted (bundle ids are at most 155 characters). */
  public static final int MAX_LENGTH = 155;

  private static final String FIELD = "appId";

  public AppId {
    Checks.lengthWithin(FIELD, Checks.present(FIELD, value), 1, MAX_LENGTH);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '-'
              || c == '.'
              || c == '_';
      if (!allowed) {
        throw new InvalidValueException(
            FIELD,
            "must be a bundle id or Firebase project id (letters, digits, '-', '.', '_'); found "
                + Checks.describe(c)
                + " at position "
                + i);
      }
    }
  }

  /** Validates and wraps {@code value}. */
  public static AppId of(@Nullable String value) {
    return new AppId(Checks.present(FIELD, value));
  }

  @Override
  public String toString() {
    return value;
  }
}
