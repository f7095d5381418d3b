package dev.inboxpush.listener.badge;

import dev.inboxpush.model.Registration;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationStore;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The badge for a device: the sum of the last known Inbox counts of every account registered with
 * the same device token and app (an account whose count was never known adds nothing). Read from
 * the store each time, so that a redelivered badge is as fresh as a new one. Thread-safe.
 */
public final class DeviceBadge {

  private final RegistrationStore registrations;
  private final ListenerStateStore states;

  public DeviceBadge(RegistrationStore registrations, ListenerStateStore states) {
    this.registrations = registrations;
    this.states = states;
  }

  /**
   * The device's total.
   *
   * @param ownCount this registration's count when the caller has it in hand (it is not read
   *     again); null to read it from the store with the others
   */
  public Mono<Integer> total(Registration registration, @Nullable Integer ownCount) {
    return registrations
        .findByDevice(registration.appId(), registration.deviceToken())
        .map(Registration::id)
        .filter(id -> !id.equals(registration.id()))
        .concatWith(ownCount == null ? Mono.just(registration.id()) : Mono.empty())
        .collectList()
        .flatMapMany(states::findAll)
        .map(state -> state.lastUnreadCount() == null ? 0 : state.lastUnreadCount())
        .reduce(ownCount == null ? 0 : ownCount, Integer::sum);
  }
}
