package dev.inboxpush.listener.answer;

import dev.inboxpush.listener.badge.BadgeDecision;
import dev.inboxpush.listener.badge.BadgeRules;
import dev.inboxpush.listener.badge.DeviceBadge;
import dev.inboxpush.listener.delivery.Delivery;
import dev.inboxpush.listener.delivery.PushDelivery;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.ews.ChangeEvent;
import dev.inboxpush.listener.ews.MailboxEvent;
import dev.inboxpush.listener.ews.Notification;
import dev.inboxpush.listener.ews.SubscriptionFailure;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.model.Watermark;
import dev.inboxpush.store.AccountsChangedException;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.ListenerStateUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * What one notification of a registration's own subscription means, once {@link AnswerRules} has
 * routed it there: de-duplication on (SubscriptionId, newest watermark), gaps in the watermark
 * chain counted, heartbeats keeping lastSeen fresh at most every StatusFrequency/2, a
 * SubscriptionId and Inbox FolderId learned by a registration bound without them, then the badge
 * rules' decision delivered ({@link PushDelivery}) or coalesced as a wake-up ({@link
 * WakeCoalescing}). The error form marks the subscription failed and wakes the app to subscribe
 * again.
 *
 * <p>Thread-safe, non-blocking. Store failures fail the returned Mono (the endpoint's 503).
 */
final class NotificationRules {

  private static final Logger log = LoggerFactory.getLogger(NotificationRules.class);

  /**
   * How long after its token was registered a sum that finds no other account may record sole
   * account: longer than the device index (a global secondary index, eventually consistent) takes
   * to show a new registration, so that of two accounts registered together at least one sees the
   * other.
   */
  static final Duration INDEX_LAG_ALLOWANCE = Duration.ofMinutes(1);

  private final ListenerStateStore states;
  private final DeviceBadge deviceBadge;
  private final PushDelivery delivery;
  private final WakeCoalescing wakes;
  private final Clock clock;
  private final AnswerMetrics metrics;

  NotificationRules(
      ListenerStateStore states,
      DeviceBadge deviceBadge,
      PushDelivery delivery,
      WakeCoalescing wakes,
      Clock clock,
      AnswerMetrics metrics) {
    this.states = states;
    this.deviceBadge = deviceBadge;
    this.delivery = delivery;
    this.wakes = wakes;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** A notification for the subscription the registration is bound to (or takes now). */
  Mono<Verdict> notified(
      Registration registration, ListenerState state, Notification notification) {
    Instant now = clock.instant();
    Optional<Watermark> newest = notification.newestWatermark();
    boolean sameSubscription = notification.subscriptionId().equals(state.lastSubscriptionId());
    // The same (SubscriptionId, watermark) was answered OK before: a retry of Exchange's.
    // (Heartbeats repeat the last watermark by design; they are never duplicates.)
    if (hasChanges(notification)
        && newest.isPresent()
        && sameSubscription
        && newest.get().equals(state.lastWatermark())) {
      metrics.dedupeHit();
      return Mono.just(Verdict.OK);
    }
    if (sameSubscription
        && notification.previousWatermark() != null
        && state.lastWatermark() != null
        && !notification.previousWatermark().equals(state.lastWatermark())) {
      metrics.gap();
    }
    ListenerStateUpdate update = new ListenerStateUpdate().lastSeen(now);
    newest.ifPresent(watermark -> update.watermark(notification.subscriptionId(), watermark));
    if (boundSubscription(registration, state) == null) {
      update.learnedSubscription(notification.subscriptionId());
    }
    if (state.subscriptionError()) {
      update.subscriptionError(false);
    }
    FolderId inbox = inbox(registration, state);
    if (inbox == null) {
      Optional<FolderId> learned = BadgeRules.inboxFromNewMail(notification);
      if (learned.isPresent()) {
        inbox = learned.get();
        update.learnedInbox(inbox);
      }
    }
    if (!hasChanges(notification)) {
      // A heartbeat: lastSeen at most every StatusFrequency/2, unless there is something to learn.
      boolean mustWrite =
          update.learnedSubscriptionId() != null || update.subscriptionError() != null;
      StatusFrequency frequency = frequency(registration);
      // The state was just read: a lastSeen written less than StatusFrequency/2 ago needs no call
      // (touchLastSeen's own condition still settles a race with another instance).
      boolean fresh =
          state.lastSeen() != null
              && state.lastSeen().isAfter(now.minus(frequency.lastSeenWriteInterval()));
      Mono<?> write =
          mustWrite
              ? states.update(registration.id(), update)
              : fresh ? Mono.empty() : states.touchLastSeen(registration.id(), frequency);
      return write.thenReturn(Verdict.OK);
    }
    BadgeDecision decision = BadgeRules.decide(notification, inbox);
    if (decision.inboxUnreadCount() != null) {
      update.unreadCount(decision.inboxUnreadCount());
    }
    return switch (decision.action()) {
      case NONE -> states.update(registration.id(), update).thenReturn(Verdict.OK);
      case BADGE -> badge(registration, state, decision, update).map(NotificationRules::verdict);
      case WAKE ->
          wakes
              .wake(registration, state, decision.kind(), decision.newMail(), update)
              .map(NotificationRules::verdict);
    };
  }

  /**
   * A badge. While the state says the device had this account alone at its last sum, for the
   * current device token ({@link ListenerState#isSoleAccount}), the count is the badge: pushed at
   * once and recorded, with the watermark and outcome, in the one write after the push, on
   * condition that no other account's sum has read this state since (two calls in all, with the
   * read). Otherwise {@link #summed}; when that condition fails, {@link #resummed}.
   */
  private Mono<Delivery> badge(
      Registration registration,
      ListenerState state,
      BadgeDecision decision,
      ListenerStateUpdate update) {
    Integer count = decision.inboxUnreadCount();
    if (!state.isSoleAccount(registration) || count == null) {
      return summed(registration, state, decision, update, true);
    }
    return delivery
        .deliver(
            registration,
            state,
            Push.to(registration, decision.kind(), count, decision.newMail()),
            update.onlyIfNotSharedSince(state.sharedMarks()))
        .onErrorResume(
            AccountsChangedException.class, changed -> resummed(registration, decision, update));
  }

  /**
   * The badge summed over the device's accounts: this account's count written first, so that a
   * concurrent POST of another account on the same device sums it (the count is not the dedupe
   * watermark: writing it early is safe), then the sum, the push, and the write of the rest. A sum
   * that found no other account records sole account when {@code mayRecordSole}, the token was
   * registered longer ago than the device index's lag allowance (two accounts registered together
   * may not see each other in the eventually consistent index yet), and no other account's sum has
   * read this state since {@code state} was read; otherwise the device is recorded as shared, which
   * is always safe.
   */
  private Mono<Delivery> summed(
      Registration registration,
      ListenerState state,
      BadgeDecision decision,
      ListenerStateUpdate update,
      boolean mayRecordSole) {
    Integer count = decision.inboxUnreadCount();
    return states
        .update(registration.id(), new ListenerStateUpdate().unreadCount(count))
        .then(
            deviceBadge
                .sum(registration, count)
                .flatMap(
                    sum -> {
                      boolean sole =
                          mayRecordSole
                              && sum.sole()
                              && registration
                                  .tokenRegisteredAt()
                                  .isBefore(clock.instant().minus(INDEX_LAG_ALLOWANCE));
                      update.soleAccountFor(sole ? registration.tokenRegisteredAt() : null);
                      if (sole) {
                        update.onlyIfNotSharedSince(state.sharedMarks());
                      } else {
                        update.unconditionally();
                      }
                      return delivery.deliver(
                          registration,
                          state,
                          Push.to(registration, decision.kind(), sum.total(), decision.newMail()),
                          update);
                    }))
        .onErrorResume(
            AccountsChangedException.class, changed -> resummed(registration, decision, update));
  }

  /**
   * After a conditional write failed because another account's sum read this one: the state read
   * again (a pending badge parked meanwhile, the last acceptance), then summed and recorded as
   * shared, unconditionally (the failure proved the device has another account).
   */
  private Mono<Delivery> resummed(
      Registration registration, BadgeDecision decision, ListenerStateUpdate update) {
    return states
        .find(registration.id())
        .flatMap(fresh -> summed(registration, fresh, decision, update.unconditionally(), false));
  }

  /** The error form: mark the subscription failed and wake the app to subscribe again. */
  Mono<Verdict> failed(
      Registration registration, ListenerState state, SubscriptionFailure failure) {
    SubscriptionId bound = boundSubscription(registration, state);
    if (failure.subscriptionId() != null
        && bound != null
        && !bound.equals(failure.subscriptionId())) {
      return Mono.just(Verdict.OK); // about a subscription that is no longer this registration's
    }
    log.info(
        "registration {}: Exchange reports the subscription failed ({})",
        registration.id(),
        failure.responseCode());
    ListenerStateUpdate update =
        new ListenerStateUpdate().subscriptionError(true).lastSeen(clock.instant());
    return delivery
        .deliver(
            registration, state, Push.to(registration, PushKind.RESUBSCRIBE, null, false), update)
        .map(NotificationRules::verdict);
  }

  /**
   * The SubscriptionId the registration is bound to, or the one it learned; null while it has none.
   */
  static @Nullable SubscriptionId boundSubscription(
      Registration registration, ListenerState state) {
    SubscriptionBinding binding = registration.binding();
    return binding != null ? binding.subscriptionId() : state.learnedSubscriptionId();
  }

  private static Verdict verdict(Delivery delivery) {
    return switch (delivery) {
      case UNREGISTERED -> Verdict.DEAD;
      case DEAD_NOT_YET_SETTLED -> Verdict.NOT_YET_SETTLED;
      case ACCEPTED, PARKED, REFUSED, SPARED -> Verdict.OK;
    };
  }

  private static @Nullable FolderId inbox(Registration registration, ListenerState state) {
    SubscriptionBinding binding = registration.binding();
    return binding != null && binding.inboxFolderId() != null
        ? binding.inboxFolderId()
        : state.learnedInboxFolderId();
  }

  private static StatusFrequency frequency(Registration registration) {
    SubscriptionBinding binding = registration.binding();
    return binding != null ? binding.statusFrequency() : StatusFrequency.EXCHANGE_DEFAULT;
  }

  private static boolean hasChanges(Notification notification) {
    for (MailboxEvent event : notification.events()) {
      if (event instanceof ChangeEvent) {
        return true;
      }
    }
    return false;
  }
}
