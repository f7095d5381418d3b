package dev.inboxpush.store;

import dev.inboxpush.model.GraphLifecycleEvent;
import dev.inboxpush.model.SubscriptionId;
import java.time.Instant;

/**
 * The last Microsoft Graph lifecycle event a listener received for a registration: kept in the
 * listener state (listeners never write the registration item), shown by the registration API's
 * status until the app binds a subscription after it.
 *
 * @param event what Graph said
 * @param subscriptionId the Graph subscription it was about
 * @param at when the listener received it
 */
public record GraphLifecycle(GraphLifecycleEvent event, SubscriptionId subscriptionId, Instant at) {

  /** Whether it still applies: the app has not bound a subscription since (or none ever). */
  public boolean isCurrent(@org.jspecify.annotations.Nullable Instant boundAt) {
    return boundAt == null || at.isAfter(boundAt);
  }
}
