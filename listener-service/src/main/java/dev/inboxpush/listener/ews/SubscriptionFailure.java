package dev.inboxpush.listener.ews;

import dev.inboxpush.model.SubscriptionId;
import org.jspecify.annotations.Nullable;

/**
 * The error form: {@code ResponseClass="Error"} (or {@code Warning}) without a {@code
 * Notification}, e.g. {@code ErrorReadEventsFailed}. The app must subscribe again.
 *
 * @param responseCode Exchange's code, e.g. {@code ErrorReadEventsFailed} (never the localized
 *     message text)
 * @param subscriptionId the affected subscription, from {@code MessageXml}, if named
 */
public record SubscriptionFailure(String responseCode, @Nullable SubscriptionId subscriptionId)
    implements NotificationMessage {}
