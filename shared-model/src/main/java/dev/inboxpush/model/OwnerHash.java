package dev.inboxpush.model;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Who owns a registration, as a keyed hash of the caller's token subject (computed by the
 * registration service). The subject itself is never stored. 64 lower-case hex digits.
 *
 * @param value the hash in lower-case hex
 */
public record OwnerHash(String value) {

  private static final String FIELD = "owner";

  public OwnerHash {
    Checks.present(FIELD, value);
    if (value.length() != 64) {
      throw new InvalidValueException(FIELD, "must be 64 hex digits");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw new InvalidValueException(FIELD, "must be lower-case hex");
      }
    }
  }

  /** Validates {@code value}, accepting upper-case hex and normalizing it. */
  public static OwnerHash of(@Nullable String value) {
    return new OwnerHash(Checks.present(FIELD, value).toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return "OwnerHash[" + value.substring(0, 8) + "…]";
  }
}
