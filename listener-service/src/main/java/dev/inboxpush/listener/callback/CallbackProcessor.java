package dev.inboxpush.listener.callback;

import dev.inboxpush.listener.ews.SendNotification;
import dev.inboxpush.model.CallbackToken;
import reactor.core.publisher.Mono;

/**
 * Decides the answer to one well-formed POST (and does whatever follows from it: lookups, pushes,
 * state). The endpoint calls it only after the body parsed.
 *
 * <p>Contract: emits the answer. Fails with a {@link dev.inboxpush.store.StoreException} only when
 * the answer cannot be given safely (Exchange then gets 503 and retries); never answers {@code
 * Unsubscribe} because something failed, nor on evidence that replication could still change
 * ({@link CallbackAnswer#AWAIT_REPLICATION} then).
 */
public interface CallbackProcessor {

  Mono<CallbackAnswer> process(CallbackToken token, SendNotification notification);

  /**
   * The compatibility mode's shared URL: the registration is found by the SubscriptionId in the
   * POST alone.
   */
  Mono<CallbackAnswer> processShared(SendNotification notification);

  /**
   * Whether {@code token}'s registration is at hand without a table read (in the lookup cache): the
   * endpoint still serves such a token when its source has spent its budget of unknown tokens.
   * Cheap and non-blocking.
   */
  boolean known(CallbackToken token);
}
