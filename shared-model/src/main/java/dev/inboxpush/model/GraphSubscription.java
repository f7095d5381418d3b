package dev.inboxpush.model;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The Microsoft Graph subscription a Graph registration is bound to: its id (a GUID) and when it
 * expires unless the app renews it ({@code PATCH /subscriptions/{id}}). The app binds it again
 * after every renewal or re-creation; one past its expiration with no renewal is stale.
 *
 * @param subscriptionId the id Graph returned when the app created the subscription
 * @param expiresAt the subscription's {@code expirationDateTime}
 */
public record GraphSubscription(SubscriptionId subscriptionId, Instant expiresAt) {

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public GraphSubscription {
    if (subscriptionId == null) {
      throw new InvalidValueException("subscriptionId", "is required");
    }
    if (expiresAt == null) {
      throw new InvalidValueException("expirationDateTime", "is required");
    }
  }

  /**
   * Validates an id as Graph writes it (a GUID, 36 characters), in lower case, as Graph sends it in
   * notifications (the listener compares them so).
   *
   * @throws InvalidValueException when it is not one
   */
  public static SubscriptionId id(@Nullable String value) {
    String text = Checks.present("subscriptionId", value);
    if (!GUID.matcher(text).matches()) {
      throw new InvalidValueException(
          "subscriptionId", "must be a Microsoft Graph subscription id (a GUID)");
    }
    return new SubscriptionId(text.toLowerCase(Locale.ROOT));
  }

  /** Whether the subscription has expired at {@code now} (Graph then delivers nothing). */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
