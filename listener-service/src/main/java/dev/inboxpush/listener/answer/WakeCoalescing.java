package dev.inboxpush.listener.answer;

import dev.inboxpush.listener.badge.WakeThrottle;
import dev.inboxpush.listener.delivery.Delivery;
import dev.inboxpush.listener.delivery.PushDelivery;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.PendingBadge;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Wake-ups without a count (an Inbox change without {@code UnreadCount}, new mail without one):
 * sent at once when the device's throttle window is free; otherwise coalesced into one parked
 * wake-up due when the window ends, unless the parked push already wakes the device as much (a
 * badge, a {@code resubscribe}, or new mail over a plain change). Thread-safe; the throttle is per
 * instance.
 */
final class WakeCoalescing {

  private final WakeThrottle throttle;
  private final PushDelivery delivery;
  private final ListenerStateStore states;

  WakeCoalescing(WakeThrottle throttle, PushDelivery delivery, ListenerStateStore states) {
    this.throttle = throttle;
    this.delivery = delivery;
    this.states = states;
  }

  /** Wakes the device now or later; writes {@code update} either way. */
  Mono<Delivery> wake(
      Registration registration,
      ListenerState state,
      PushKind kind,
      boolean newMail,
      ListenerStateUpdate update) {
    return wake(registration, state, kind, newMail, update, null);
  }

  /** The same, a push now waiting at most {@code budget} (the delivery path's own when null). */
  Mono<Delivery> wake(
      Registration registration,
      ListenerState state,
      PushKind kind,
      boolean newMail,
      ListenerStateUpdate update,
      @Nullable Duration budget) {
    Optional<Instant> blockedUntil =
        throttle.acquire(registration.appId(), registration.deviceToken());
    if (blockedUntil.isEmpty()) {
      Push push = Push.to(registration, kind, null, newMail);
      return budget == null
          ? delivery.deliver(registration, state, push, update)
          : delivery.deliver(registration, state, push, update, budget);
    }
    PendingBadge parked = state.pending();
    boolean keepParked =
        parked != null
            && (parked.badge() != null // a badge wakes the device too
                || parked.kind() == PushKind.RESUBSCRIBE
                || (parked.newMail() && !newMail));
    Mono<Void> coalesce =
        keepParked
            ? Mono.empty()
            : delivery.parkThrottled(registration, kind, newMail, blockedUntil.get());
    return coalesce.then(states.update(registration.id(), update)).thenReturn(Delivery.PARKED);
  }
}
