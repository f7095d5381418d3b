package dev.inboxpush.store;

import dev.inboxpush.model.GraphLifecycleEvent;
import dev.inboxpush.model.SubscriptionId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

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

  /**
   * Whether it still applies to a registration bound to {@code boundId} at {@code boundAt} (both
   * null while none is bound): a removal of the bound subscription applies however often that id is
   * bound again (the subscription is gone; only a new one helps); otherwise an event applies until
   * the app binds a subscription after it (a renewal binds the same id with a new expiry).
   */
  public boolean isCurrent(@Nullable Instant boundAt, @Nullable SubscriptionId boundId) {
    if (event == GraphLifecycleEvent.SUBSCRIPTION_REMOVED && subscriptionId.equals(boundId)) {
      return true;
    }
    return boundAt == null || at.isAfter(boundAt);
  }

  /** Whether this is Graph's removal of {@code subscription}. */
  public boolean removed(@Nullable SubscriptionId subscription) {
    return event == GraphLifecycleEvent.SUBSCRIPTION_REMOVED && subscriptionId.equals(subscription);
  }
}
