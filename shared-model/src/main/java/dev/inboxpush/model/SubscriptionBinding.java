package dev.inboxpush.model;

import org.jspecify.annotations.Nullable;

/**
 * The EWS push subscription a registration is bound to: the id Exchange returned, the Inbox's
 * FolderId (the only folder whose unread count becomes the badge) and the StatusFrequency the app
 * asked for. A registration has at most one current binding; binding again replaces it.
 *
 * @param subscriptionId the id Exchange returned from Subscribe
 * @param inboxFolderId the Inbox's EWS FolderId; absent only in the compatibility mode, where the
 *     listener learns it from the first NewMailEvent (use {@link #compatibility})
 * @param statusFrequency the heartbeat interval the app subscribed with
 */
public record SubscriptionBinding(
    SubscriptionId subscriptionId,
    @Nullable FolderId inboxFolderId,
    StatusFrequency statusFrequency) {

  /** A binding with its Inbox FolderId: what the registration API requires. */
  public static SubscriptionBinding of(
      SubscriptionId subscriptionId, @Nullable FolderId inboxFolderId, StatusFrequency frequency) {
    if (inboxFolderId == null) {
      throw new InvalidValueException("inboxFolderId", "is required");
    }
    return new SubscriptionBinding(subscriptionId, inboxFolderId, frequency);
  }

  /** A binding without an Inbox FolderId (compatibility mode only). */
  public static SubscriptionBinding compatibility(
      SubscriptionId subscriptionId, StatusFrequency frequency) {
    return new SubscriptionBinding(subscriptionId, null, frequency);
  }

  public SubscriptionBinding {
    if (subscriptionId == null) {
      throw new InvalidValueException("subscriptionId", "is required");
    }
    if (statusFrequency == null) {
      throw new InvalidValueException("statusFrequency", "is required");
    }
  }
}
