package dev.inboxpush.listener.badge;

import dev.inboxpush.model.Registration;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationStore;
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

  /** The device's total; the registration's own count must have been written first. */
  public Mono<Integer> total(Registration registration) {
    return registrations
        .findByDevice(registration.appId(), registration.deviceToken())
        .map(Registration::id)
        .filter(id -> !id.equals(registration.id()))
        .collectList()
        .map(
            others -> {
              java.util.List<dev.inboxpush.model.RegistrationId> all =
                  new java.util.ArrayList<>(others);
              all.add(registration.id());
              return all;
            })
        .flatMapMany(states::findAll)
        .map(state -> state.lastUnreadCount() == null ? 0 : state.lastUnreadCount())
        .reduce(0, Integer::sum);
  }
}
