package dev.inboxpush.listener.callback;

import dev.inboxpush.listener.ews.SendNotification;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.store.RegistrationStore;
import reactor.core.publisher.Mono;

/**
 * The answer from the registration alone: {@code OK} when the callback token belongs to a live
 * registration, {@code Unsubscribe} when a strongly consistent read finds none. A store failure
 * propagates (503), never an {@code Unsubscribe}.
 *
 * <p>The answer rules and badge logic (listener part 2) build on this lookup. Thread-safe.
 */
public final class RegistrationLookupProcessor implements CallbackProcessor {

  private final RegistrationStore registrations;

  public RegistrationLookupProcessor(RegistrationStore registrations) {
    this.registrations = registrations;
  }

  @Override
  public Mono<SubscriptionStatus> process(CallbackToken token, SendNotification notification) {
    return registrations
        .findByCallbackToken(token)
        .map(registration -> SubscriptionStatus.OK)
        .defaultIfEmpty(SubscriptionStatus.UNSUBSCRIBE);
  }
}
