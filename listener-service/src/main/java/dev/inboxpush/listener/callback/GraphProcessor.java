package dev.inboxpush.listener.callback;

import dev.inboxpush.listener.graph.GraphBatch;
import dev.inboxpush.model.CallbackToken;
import reactor.core.publisher.Mono;

/**
 * Decides what one well-formed Graph notification POST means and does it (verification per item,
 * lookups, pushes, state). The endpoint calls it only after the body parsed, and answers as its
 * {@link Result} says: 202 when {@code ACCEPTED}, 503 with {@code Retry-After} when {@code
 * AWAIT_REPLICATION}.
 *
 * <p>Contract: completes once every valid item's push was accepted or its wake-up parked; items
 * that fail verification are dropped (and counted), never an error. Items that fail it on evidence
 * replication could still change (no registration for the token; every item for a subscription
 * other than the bound one) are not dropped before that evidence has stood the replication
 * allowance: the result is then {@code AWAIT_REPLICATION}, nothing was written, and Graph retries.
 * Fails with a {@link dev.inboxpush.store.StoreException} only when that cannot be done safely (the
 * endpoint then answers 503, and Graph retries for up to four hours).
 */
public interface GraphProcessor {

  /** What the endpoint answers. */
  enum Result {
    /** 202: every valid item handled, the others dropped. */
    ACCEPTED,
    /** 503 with {@code Retry-After}: the registration's state here may not have replicated yet. */
    AWAIT_REPLICATION
  }

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
  Mono<Result> process(CallbackToken token, Endpoint endpoint, GraphBatch batch);
}
