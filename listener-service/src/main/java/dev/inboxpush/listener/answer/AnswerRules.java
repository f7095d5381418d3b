package dev.inboxpush.listener.answer;

import dev.inboxpush.listener.badge.BadgeDecision;
import dev.inboxpush.listener.badge.BadgeRules;
import dev.inboxpush.listener.badge.DeviceBadge;
import dev.inboxpush.listener.badge.WakeThrottle;
import dev.inboxpush.listener.callback.CallbackProcessor;
import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.Dispatcher;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.ews.ChangeEvent;
import dev.inboxpush.listener.ews.MailboxEvent;
import dev.inboxpush.listener.ews.Notification;
import dev.inboxpush.listener.ews.NotificationMessage;
import dev.inboxpush.listener.ews.SendNotification;
import dev.inboxpush.listener.ews.SubscriptionFailure;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.listener.lookup.RegistrationLookup;
import dev.inboxpush.model.CallbackToken;
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
import dev.inboxpush.store.PendingBadge;
import dev.inboxpush.store.RegistrationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The answer rules of DESIGN.md ("Answering Exchange"), points 1 to 7:
 *
 * <ol>
 *   <li>Look up the registration (cache first), decide by the badge rules, try the push within the
 *       budget.
 *   <li>Accepted: answer {@code OK} and record the watermark as seen.
 *   <li>Not accepted in time, a transient failure, or a configuration error on our side: write the
 *       badge as the registration's pending badge and answer {@code OK}; the redelivery worker
 *       takes it from there.
 *   <li>Only when that write fails (the table is unreachable) does the POST fail with a {@link
 *       dev.inboxpush.store.StoreException}, which the endpoint answers with 503.
 *   <li>A dead device token: its registrations are deleted (unless re-registered since the
 *       invalidation) and this POST is answered {@code Unsubscribe}.
 *   <li>Otherwise {@code Unsubscribe} only after a strongly consistent read confirms that there is
 *       no such registration or that it is bound to another SubscriptionId. A registration with
 *       none bound takes the first one it sees.
 *   <li>De-duplication on (SubscriptionId, newest watermark), recorded only with an {@code OK};
 *       gaps in the watermark chain are counted.
 * </ol>
 *
 * <p>Thread-safe; one instance serves every POST. Non-blocking: every step is a lazy Mono.
 */
public final class AnswerRules implements CallbackProcessor {

  private static final Logger log = LoggerFactory.getLogger(AnswerRules.class);

  private final RegistrationLookup lookup;
  private final RegistrationStore registrations;
  private final ListenerStateStore states;
  private final Dispatcher dispatcher;
  private final WakeThrottle throttle;
  private final AnswerProperties properties;
  private final Clock clock;
  private final AnswerMetrics metrics;
  private final DeviceBadge deviceBadge;

  AnswerRules(
      RegistrationLookup lookup,
      RegistrationStore registrations,
      ListenerStateStore states,
      Dispatcher dispatcher,
      WakeThrottle throttle,
      AnswerProperties properties,
      Clock clock,
      AnswerMetrics metrics) {
    this.lookup = lookup;
    this.registrations = registrations;
    this.states = states;
    this.dispatcher = dispatcher;
    this.throttle = throttle;
    this.properties = properties;
    this.clock = clock;
    this.metrics = metrics;
    this.deviceBadge = new DeviceBadge(registrations, states);
  }

  /** How one response message of a POST turned out. */
  private enum Verdict {
    OK,
    /** Bound to another subscription, confirmed by a consistent read. */
    FOREIGN,
    /** The device token is dead and the registration was deleted. */
    DEAD
  }

  @Override
  public Mono<SubscriptionStatus> process(CallbackToken token, SendNotification post) {
    countEvents(post);
    return lookup
        .find(token)
        .flatMap(found -> found.isPresent() ? Mono.just(found) : lookup.confirm(token))
        .flatMap(
            found ->
                found
                    .map(registration -> answer(token, registration, post))
                    // Rule 6: confirmed absent (expired, deleted, never existed).
                    .orElseGet(() -> Mono.just(SubscriptionStatus.UNSUBSCRIBE)));
  }

  @Override
  public Mono<SubscriptionStatus> processShared(SendNotification post) {
    countEvents(post);
    return Flux.fromIterable(post.messages())
        .concatMap(
            message -> {
              SubscriptionId subscription =
                  message instanceof Notification notification
                      ? notification.subscriptionId()
                      : ((SubscriptionFailure) message).subscriptionId();
              if (subscription == null) {
                return Mono.just(Verdict.OK); // an error form naming no subscription: nothing to do
              }
              // Rule 6 on the shared URL: the subscription pointer is read strongly consistently.
              return registrations
                  .findBoundTo(subscription)
                  .flatMap(
                      registration ->
                          states
                              .find(registration.id())
                              .flatMap(state -> handleBound(registration, state, message)))
                  .defaultIfEmpty(Verdict.FOREIGN);
            })
        .collectList()
        .map(AnswerRules::combine);
  }

  private Mono<Verdict> handleBound(
      Registration registration, ListenerState state, NotificationMessage message) {
    return message instanceof SubscriptionFailure failure
        ? failed(registration, state, failure)
        : notified(registration, state, (Notification) message);
  }

  private Mono<SubscriptionStatus> answer(
      CallbackToken token, Registration registration, SendNotification post) {
    return states
        .find(registration.id())
        .flatMap(
            state ->
                Flux.fromIterable(post.messages())
                    .concatMap(message -> handle(token, registration, state, message))
                    .collectList())
        .map(AnswerRules::combine);
  }

  private static SubscriptionStatus combine(List<Verdict> verdicts) {
    if (verdicts.contains(Verdict.DEAD)) {
      return SubscriptionStatus.UNSUBSCRIBE;
    }
    if (!verdicts.isEmpty() && verdicts.stream().allMatch(v -> v == Verdict.FOREIGN)) {
      return SubscriptionStatus.UNSUBSCRIBE;
    }
    return SubscriptionStatus.OK;
  }

  private Mono<Verdict> handle(
      CallbackToken token,
      Registration registration,
      ListenerState state,
      NotificationMessage message) {
    if (message instanceof SubscriptionFailure failure) {
      return failed(registration, state, failure);
    }
    Notification notification = (Notification) message;
    SubscriptionId bound = boundSubscription(registration, state);
    if (bound == null || bound.equals(notification.subscriptionId())) {
      return notified(registration, state, notification);
    }
    // Rule 6: the cached registration may be stale (a rebinding); decide on consistent reads only.
    return lookup
        .confirm(token)
        .flatMap(
            confirmed -> {
              if (confirmed.isEmpty()) {
                return Mono.just(Verdict.FOREIGN);
              }
              Registration fresh = confirmed.get();
              return states
                  .find(fresh.id())
                  .flatMap(
                      freshState -> {
                        SubscriptionId freshBound = boundSubscription(fresh, freshState);
                        if (freshBound == null
                            || freshBound.equals(notification.subscriptionId())) {
                          return notified(fresh, freshState, notification);
                        }
                        log.info(
                            "registration {} is bound to another subscription; answering Unsubscribe",
                            fresh.id());
                        return Mono.just(Verdict.FOREIGN);
                      });
            });
  }

  private Mono<Verdict> notified(
      Registration registration, ListenerState state, Notification notification) {
    Instant now = clock.instant();
    Optional<Watermark> newest = notification.newestWatermark();
    boolean sameSubscription = notification.subscriptionId().equals(state.lastSubscriptionId());
    // Rule 7: the same (SubscriptionId, watermark) was answered OK before: a retry of Exchange's.
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
                      deliver(
                          registration,
                          state,
                          Push.to(registration, decision.kind(), total, decision.newMail()),
                          update));
      case WAKE -> wake(registration, state, decision.kind(), decision.newMail(), update);
    };
  }

  /** The error form: mark the subscription failed and wake the app to subscribe again. */
  private Mono<Verdict> failed(
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
    return deliver(
        registration, state, Push.to(registration, PushKind.RESUBSCRIBE, null, false), update);
  }

  /** A wake-up without a count: now if the device's window is free, else coalesced for later. */
  private Mono<Verdict> wake(
      Registration registration,
      ListenerState state,
      PushKind kind,
      boolean newMail,
      ListenerStateUpdate update) {
    Optional<Instant> blockedUntil =
        throttle.acquire(registration.appId(), registration.deviceToken());
    if (blockedUntil.isEmpty()) {
      return deliver(registration, state, Push.to(registration, kind, null, newMail), update);
    }
    PendingBadge parked = state.pending();
    boolean keepParked =
        parked != null
            && (parked.badge() != null // a badge wakes the device too
                || parked.kind() == PushKind.RESUBSCRIBE
                || (parked.newMail() && !newMail));
    Mono<?> coalesce =
        keepParked
            ? Mono.empty()
            : states
                .setPending(registration.id(), null, kind, newMail, blockedUntil.get())
                .doOnNext(pending -> metrics.pendingWritten("throttled"));
    return coalesce.then(states.update(registration.id(), update)).thenReturn(Verdict.OK);
  }

  /** Rules 2, 3 and 5: push within the budget, then record, park or delete. */
  private Mono<Verdict> deliver(
      Registration registration, ListenerState state, Push push, ListenerStateUpdate update) {
    return dispatcher
        .dispatch(
            push.acceptedBefore(
                state
                    .lastAcceptedAt(registration.platform(), registration.apnsEnvironment())
                    .orElse(null)))
        .switchIfEmpty(Mono.just(new DispatchOutcome.Retryable(null, "no outcome")))
        .timeout(properties.pushBudget())
        .onErrorResume(
            error ->
                Mono.just(
                    new DispatchOutcome.Retryable(
                        null, error instanceof TimeoutException ? "timeout" : "dispatcher error")))
        .flatMap(
            outcome -> {
              metrics.push(push.platform().wireName(), outcome.label());
              Instant now = clock.instant();
              update.pushOutcome(outcome.label(), now);
              if (outcome instanceof DispatchOutcome.Accepted) {
                update.acceptedAt(
                    ListenerState.channel(registration.platform(), registration.apnsEnvironment()),
                    now);
                // A badge parked before this one is older: it must not be redelivered after it.
                Mono<?> clearOlder =
                    state.pending() == null
                        ? Mono.empty()
                        : states.clearPending(registration.id(), state.pending().pendingId());
                return clearOlder
                    .then(states.update(registration.id(), update))
                    .thenReturn(Verdict.OK);
              }
              if (outcome instanceof DispatchOutcome.TokenDead dead) {
                return deleteDead(registration, dead);
              }
              if (outcome instanceof DispatchOutcome.Failed failed) {
                log.warn(
                    "push for registration {} refused for good: {}",
                    registration.id(),
                    failed.reason());
                return states.update(registration.id(), update).thenReturn(Verdict.OK);
              }
              // Retryable or a configuration error: park it; a failure here is the only 503.
              metrics.pendingWritten(outcome.label());
              // Not before the provider's Retry-After (an open circuit's open time, FCM's quota
              // minute): redelivering sooner only meets the same answer.
              Duration retryAfter =
                  outcome instanceof DispatchOutcome.Retryable retryable
                      ? retryable.retryAfter()
                      : null;
              return states
                  .setPending(
                      registration.id(),
                      push.badge(),
                      push.kind(),
                      push.highPriority(),
                      retryAfter == null ? null : now.plus(retryAfter))
                  .then(states.update(registration.id(), update))
                  .thenReturn(Verdict.OK);
            });
  }

  private Mono<Verdict> deleteDead(Registration registration, DispatchOutcome.TokenDead dead) {
    return registrations
        .deleteByDeviceToken(registration.appId(), registration.deviceToken(), dead.invalidatedAt())
        .doOnNext(
            deleted -> {
              lookup.invalidate(registration.callbackToken());
              log.info(
                  "device token {} is dead ({}): {} registration(s) deleted",
                  registration.deviceToken(),
                  dead.reason(),
                  deleted);
            })
        // Re-registered after the invalidation: it survives, and so does the subscription.
        .then(registrations.findById(registration.id()))
        .map(survivor -> Verdict.OK)
        .defaultIfEmpty(Verdict.DEAD);
  }

  private static @Nullable SubscriptionId boundSubscription(
      Registration registration, ListenerState state) {
    SubscriptionBinding binding = registration.binding();
    return binding != null ? binding.subscriptionId() : state.learnedSubscriptionId();
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

  private void countEvents(SendNotification post) {
    for (NotificationMessage message : post.messages()) {
      if (message instanceof Notification notification) {
        notification.events().forEach(event -> metrics.event(event.kind()));
      }
    }
  }
}
