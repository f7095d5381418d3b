package dev.inboxpush.listener.badge;

import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationStore;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The badge for a device: the sum of the last known Inbox counts of every account registered with
 * the same device token and app (an account whose count was never known adds nothing). Read from
 * the store each time, so that a redelivered badge is as fresh as a new one; reading another
 * account is a write (below).
 *
 * <p>Each other account's count is read by {@link ListenerStateStore#markShared}, which also tells
 * that account's next POSTs that the device is shared: a POST that sent its own count alone (its
 * state said sole account) then fails its conditional write and sums again, so that two accounts
 * posting at once never both miss the other's count. Thread-safe.
 */
public final class DeviceBadge {

  /**
   * A device's total.
   *
   * @param total the sum of the accounts' counts
   * @param sole whether no other account was found on the device
   */
  public record Sum(int total, boolean sole) {}

  private static final int READ_CONCURRENCY = 8;

  private final RegistrationStore registrations;
  private final ListenerStateStore states;

  public DeviceBadge(RegistrationStore registrations, ListenerStateStore states) {
    this.registrations = registrations;
    this.states = states;
  }

  /**
   * The device's total and whether the registration is its only account.
   *
   * @param ownCount this registration's count when the caller has it in hand (it is not read
   *     again); null to read it from the store with the others
   */
  public Mono<Sum> sum(Registration registration, @Nullable Integer ownCount) {
    RegistrationId own = registration.id();
    Mono<Integer> mine =
        ownCount != null ? Mono.just(ownCount) : states.find(own).map(DeviceBadge::count);
    return registrations
        .findByDevice(registration.appId(), registration.deviceToken())
        .map(Registration::id)
        .filter(id -> !id.equals(own))
        .collectList()
        .flatMap(
            others ->
                Flux.fromIterable(List.copyOf(others))
                    .flatMap(states::markShared, READ_CONCURRENCY)
                    .map(DeviceBadge::count)
                    .reduce(0, Integer::sum)
                    .zipWith(mine, Integer::sum)
                    .map(total -> new Sum(total, others.isEmpty())));
  }

  /** The device's total (see {@link #sum}). */
  public Mono<Integer> total(Registration registration, @Nullable Integer ownCount) {
    return sum(registration, ownCount).map(Sum::total);
  }

  private static int count(ListenerState state) {
    return state.lastUnreadCount() == null ? 0 : state.lastUnreadCount();
  }
}
