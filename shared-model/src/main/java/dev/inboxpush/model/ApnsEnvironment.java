package dev.inboxpush.model;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The APNs environment a device token belongs to. A token from one environment is rejected by the
 * other ({@code BadDeviceToken}), so it is stored with every APNs registration.
 */
public enum ApnsEnvironment {
  /** {@code api.sandbox.push.apple.com}: development builds. */
  SANDBOX("sandbox"),
  /** {@code api.push.apple.com}: App Store, TestFlight and enterprise builds. */
  PRODUCTION("production");

  private final String wireName;

  ApnsEnvironment(String wireName) {
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
  public static ApnsEnvironment fromWire(String field, @Nullable String value) {
    String text = Checks.present(field, value);
    for (ApnsEnvironment environment : values()) {
      if (environment.wireName.equals(text.toLowerCase(Locale.ROOT))) {
        return environment;
      }
    }
    throw new InvalidValueException(field, "must be one of sandbox, production");
  }
}
