package dev.inboxpush.listener.callback;

import dev.inboxpush.listener.ews.SendNotification;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.CallbackToken;
import reactor.core.publisher.Mono;

/**
 * Decides the answer to one well-formed POST (and does whatever follows from it: lookups, pushes,
 * state). The endpoint calls it only after the body parsed.
 *
 * <p>Contract: emits the status to answer with. Fails with a {@link
 * dev.inboxpush.store.StoreException} only when the answer cannot be given safely (Exchange then
 * gets 503 and retries); never answers {@code Unsubscribe} because something failed.
 */
public interface CallbackProcessor {

  Mono<SubscriptionStatus> process(CallbackToken token, SendNotification notification);

  /**
   * The compatibility mode's shared URL: the registration is found by the SubscriptionId in the
   * POST alone.
   */
  Mono<SubscriptionStatus> processShared(SendNotification notification);
}
