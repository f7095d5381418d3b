package dev.inboxpush.listener.callback;

import dev.inboxpush.listener.graph.GraphBatch;
import dev.inboxpush.model.CallbackToken;
import reactor.core.publisher.Mono;

/**
 * Decides what one well-formed Graph notification POST means and does it (verification per item,
 * lookups, pushes, state). The endpoint calls it only after the body parsed, and answers 202 when
 * it completes.
 *
 * <p>Contract: completes once every valid item's push was accepted or its wake-up parked; items
 * that fail verification are dropped (and counted), never an error. Fails with a {@link
 * dev.inboxpush.store.StoreException} only when that cannot be done safely (the endpoint then
 * answers 503, and Graph retries for up to four hours).
 */
public interface GraphProcessor {

  /** Which of a registration's two Graph URLs the POST came to. */
  enum Endpoint {
    /** {@code /graph/v1/{token}}: the subscription's notificationUrl. */
    NOTIFICATION,
    /** {@code /graph/v1/{token}/lifecycle}: its lifecycleNotificationUrl. */
    LIFECYCLE;

    String tag() {
      return this == NOTIFICATION ? "notification" : "lifecycle";
    }
  }

  /**
   * Handles a batch posted to one of the registration's URLs. Items are told apart by their own
   * {@code lifecycleEvent}, whichever URL they came to (an app may give Graph the same URL twice,
   * and Graph does not document whether it then mixes both kinds in one POST); {@code endpoint}
   * says only where the POST arrived.
   */
  Mono<Void> process(CallbackToken token, Endpoint endpoint, GraphBatch batch);
}
