package dev.inboxpush.model;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A device's push token on its platform.
 *
 * <p>APNs tokens are hexadecimal of even length; Apple says their length may change, so any length
 * from {@value #APNS_MIN_HEX} to {@value #APNS_MAX_HEX} hex digits is accepted (today they are 64),
 * and they are kept in lower case so that one device never appears under two spellings. FCM tokens
 * are opaque URL-safe text of up to {@value #FCM_MAX_LENGTH} characters.
 *
 * <p>{@link #toString()} shows only a short prefix and the length: a full token must never reach a
 * log line.
 *
 * @param platform the platform the token was issued by
 * @param value the token, normalized (APNs: lower-case hex)
 */
public record DeviceToken(Platform platform, String value) {

  /** Shortest APNs token accepted, in hex digits (8 bytes). */
  public static final int APNS_MIN_HEX = 16;

  /** Longest APNs token accepted, in hex digits (200 bytes: room for Apple to grow them). */
  public static final int APNS_MAX_HEX = 400;

  /** Shortest FCM token accepted. */
  public static final int FCM_MIN_LENGTH = 16;

  /** Longest FCM token accepted (real ones are under 200 characters; Google promises no bound). */
  public static final int FCM_MAX_LENGTH = 4096;

  private static final String FIELD = "deviceToken";

  public DeviceToken {
    if (platform == null) {
      throw new InvalidValueException("platform", "is required");
    }
    value =
        switch (platform) {
          case APNS -> validateApns(value);
          case FCM -> validateFcm(value);
        };
  }

  /** Validates {@code value} as a token of {@code platform}. */
  public static DeviceToken of(Platform platform, @Nullable String value) {
    return new DeviceToken(platform, Checks.present(FIELD, value));
  }

  private static String validateApns(@Nullable String raw) {
    String value =
        Checks.lengthWithin(FIELD, Checks.present(FIELD, raw), APNS_MIN_HEX, APNS_MAX_HEX);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        throw new InvalidValueException(
            FIELD,
            "an APNs token must be hexadecimal; found " + Checks.describe(c) + " at position " + i);
      }
    }
    if (value.length() % 2 != 0) {
      throw new InvalidValueException(
          FIELD, "an APNs token must have an even number of hex digits (whole bytes)");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static String validateFcm(@Nullable String raw) {
    String value =
        Checks.lengthWithin(FIELD, Checks.present(FIELD, raw), FCM_MIN_LENGTH, FCM_MAX_LENGTH);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean urlSafe =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '-'
              || c == '_'
              || c == ':'
              || c == '.';
      if (!urlSafe) {
        throw new InvalidValueException(
            FIELD,
            "an FCM token must be URL-safe text (letters, digits, '-', '_', ':', '.'); found "
                + Checks.describe(c)
                + " at position "
                + i);
      }
    }
    return value;
  }

  /** A form safe for logs: platform, the first six characters and the length. */
  public String redacted() {
    return platform.wireName() + ":" + value.substring(0, 6) + "…(" + value.length() + ")";
  }

  @Override
  public String toString() {
    return redacted();
  }
}
