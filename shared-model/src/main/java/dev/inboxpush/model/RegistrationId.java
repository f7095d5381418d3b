package dev.inboxpush.model;

import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The public id of a registration: a random UUID in canonical lower-case form. Not a secret (it
 * travels in push payloads so that the app knows which account changed); the secret is the {@link
 * CallbackToken}.
 *
 * @param value the canonical UUID text
 */
public record RegistrationId(String value) {

  private static final Pattern CANONICAL =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static final String FIELD = "registrationId";

  public RegistrationId {
    Checks.present(FIELD, value);
    if (value.length() != 36 || !CANONICAL.matcher(value).matches()) {
      throw new InvalidValueException(FIELD, "must be a lower-case UUID such as 3f2b…-…");
    }
  }

  /** A new random id. */
  public static RegistrationId random() {
    return new RegistrationId(UUID.randomUUID().toString());
  }

  /** Validates and wraps {@code value}. */
  public static RegistrationId of(@Nullable String value) {
    return new RegistrationId(Checks.present(FIELD, value));
  }

  @Override
  public String toString() {
    return value;
  }
}
