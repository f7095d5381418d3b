package dev.inboxpush.model;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The push platform a device is reached through. */
public enum Platform {
  /** Apple Push Notification service (iOS, iPadOS). */
  APNS("apns"),
  /** Firebase Cloud Messaging, HTTP v1 API (Android). */
  FCM("fcm");

  private final String wireName;

  Platform(String wireName) {
    this.wireName = wireName;
  }

  /** The lower-case name used in the API, the store and metric tags. */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses the wire name, case-insensitively.
   *
   * @throws InvalidValueException naming {@code field} when the value is missing or unknown
   */
  public static Platform fromWire(String field, @Nullable String value) {
    String text = Checks.present(field, value);
    for (Platform platform : values()) {
      if (platform.wireName.equals(text.toLowerCase(Locale.ROOT))) {
        return platform;
      }
    }
    throw new InvalidValueException(field, "must be one of apns, fcm");
  }
}
