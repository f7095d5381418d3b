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
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.ListenerStateUpdate;
import java.time.Clock;
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
      Mono<?> write =
          mustWrite
              ? states.update(registration.id(), update)
              : states.touchLastSeen(registration.id(), frequency(registration));
      return write.thenReturn(Verdict.OK);
    }
    BadgeDecision decision = BadgeRules.decide(notification, inbox);
    if (decision.inboxUnreadCount() != null) {
      update.unreadCount(decision.inboxUnreadCount());
    }
    return switch (decision.action()) {
      case NONE -> states.update(registration.id(), update).thenReturn(Verdict.OK);
      case BADGE ->
          // This account's count first, so that a concurrent POST of another account on the same
          // device sums it (the count is not the dedupe watermark: writing it early is safe).
          states
              .update(
                  registration.id(),
                  new ListenerStateUpdate().unreadCount(decision.inboxUnreadCount()))
              .then(deviceBadge.total(registration, decision.inboxUnreadCount()))
              .flatMap(
                  total ->
                      delivery.deliver(
                          registration,
                          state,
                          Push.to(registration, decision.kind(), total, decision.newMail()),
                          update))
              .map(NotificationRules::verdict);
      case WAKE ->
          wakes
              .wake(registration, state, decision.kind(), decision.newMail(), update)
              .map(NotificationRules::verdict);
    };
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
    return delivery == Delivery.UNREGISTERED ? Verdict.DEAD : Verdict.OK;
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
