package dev.inboxpush.listener.ews;

/**
 * One {@code SendNotificationResponseMessage}: either a notification with events, or Exchange
 * reporting that the subscription failed.
 */
public sealed interface NotificationMessage permits Notification, SubscriptionFailure {}
