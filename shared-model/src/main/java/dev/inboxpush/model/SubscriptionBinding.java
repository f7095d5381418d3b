package dev.inboxpush.model;

/**
 * The EWS push subscription a registration is bound to: the id Exchange returned, the Inbox's
 * FolderId (the only folder whose unread count becomes the badge) and the StatusFrequency the app
 * asked for. A registration has at most one current binding; binding again replaces it.
 *
 * @param subscriptionId the id Exchange returned from Subscribe
 * @param inboxFolderId the Inbox's EWS FolderId
 * @param statusFrequency the heartbeat interval the app subscribed with
 */
public record SubscriptionBinding(
    SubscriptionId subscriptionId, FolderId inboxFolderId, StatusFrequency statusFrequency) {

  public SubscriptionBinding {
    if (subscriptionId == null) {
      throw new InvalidValueException("subscriptionId", "is required");
    }
    if (inboxFolderId == null) {
      throw new InvalidValueException("inboxFolderId", "is required");
    }
    if (statusFrequency == null) {
      throw new InvalidValueException("statusFrequency", "is required");
    }
  }
}
