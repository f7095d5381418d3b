package dev.inboxpush.model;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How Exchange reaches a registration: EWS push notifications (on-premises Exchange, and Exchange
 * Online until EWS is switched off for the tenant) or Microsoft Graph change notifications
 * (Exchange Online's successor). Fixed when the registration is created.
 */
public enum RegistrationKind {
  /** EWS push: Exchange posts SOAP {@code SendNotification} to the callback URL. */
  EWS("ews"),
  /** Microsoft Graph change notifications: Graph posts JSON batches to the notification URL. */
  GRAPH("graph");

  private final String wireName;

  RegistrationKind(String wireName) {
    this.wireName = wireName;
  }

  /** The lower-case name used in the API and the store. */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses the wire name, case-insensitively; absent means {@link #EWS} (the API's default).
   *
   * @throws InvalidValueException naming {@code field} when the value is unknown
   */
  public static RegistrationKind fromWire(String field, @Nullable String value) {
    if (value == null) {
      return EWS;
    }
    String text = Checks.present(field, value).toLowerCase(Locale.ROOT);
    for (RegistrationKind kind : values()) {
      if (kind.wireName.equals(text)) {
        return kind;
      }
    }
    throw new InvalidValueException(field, "must be one of ews, graph");
  }
}
