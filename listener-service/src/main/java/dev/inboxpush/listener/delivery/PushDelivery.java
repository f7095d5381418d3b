package dev.inboxpush.listener.delivery;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.Dispatcher;
import dev.inboxpush.listener.dispatch.LaneReason;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.lookup.RegistrationLookup;
import dev.inboxpush.listener.lookup.ReplicationAllowance;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.PendingBadge;
import dev.inboxpush.store.RegistrationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Delivers one push and does what its outcome asks, for both callers: the answer rules (a push a
 * POST decided) and the redelivery worker (a parked badge tried again).
 *
 * <ol>
 *   <li>The push is sent with the channel's {@code lastAcceptedAt} (APNs {@code BadDeviceToken} is
 *       a dead token only for a token accepted before) and waited for at most the push budget. A
 *       dispatcher that completes empty ({@link LaneReason#NO_OUTCOME}), fails ({@link
 *       LaneReason#DISPATCHER_ERROR}) or is too slow ({@link LaneReason#TIMEOUT}) gives a retryable
 *       outcome, never an error.
 *   <li>The outcome is counted by outcome and reason. Accepted, parked, or a new push refused for
 *       good: it is recorded on the listener state ({@code lastPushOutcome}, and the channel's
 *       {@code lastAcceptedAt} when accepted) in one write with the caller's {@code update}. A dead
 *       token writes no state: its registrations are deleted, and a spared one's update is not
 *       written either (the POST is answered {@code OK} without its watermark).
 *   <li>Accepted: the parked badge this push supersedes is cleared (conditioned on its pending id,
 *       so that a newer one stays).
 *   <li>Retryable or a configuration error: parked. A new badge becomes the registration's pending
 *       badge, due at the provider's {@code Retry-After} if any; a parked badge is rescheduled
 *       after the {@link Backoff}, never before {@code Retry-After}.
 *   <li>Dead token: once that has stood the replication allowance ({@link ReplicationAllowance}:
 *       the app may have rotated the token in another region, a write this replica may not have
 *       yet), the token's registrations are deleted (except those renewed after the invalidation)
 *       and their callback tokens forgotten by the lookup cache, so that the next POST for any of
 *       them is answered {@code Unsubscribe} at once. Before, nothing is deleted or written, the
 *       registration's cached entry is forgotten (the next try reads it again), a parked badge is
 *       tried again once the allowance has passed, and a POST is answered 503.
 *   <li>Refused for good: logged; a parked badge is dropped and counted (no state written).
 * </ol>
 *
 * <p>Thread-safe, non-blocking: every method returns a lazy Mono. A store failure fails the Mono
 * with the store's exception (for a POST, the only cause of a 503).
 */
public final class PushDelivery {

  private static final Logger log = LoggerFactory.getLogger(PushDelivery.class);

  private static final DispatchOutcome NO_OUTCOME =
      new DispatchOutcome.Retryable(null, LaneReason.NO_OUTCOME);
  private static final DispatchOutcome BUDGET_SPENT =
      new DispatchOutcome.Retryable(null, LaneReason.TIMEOUT);
  private static final DispatchOutcome DISPATCHER_FAILED =
      new DispatchOutcome.Retryable(null, LaneReason.DISPATCHER_ERROR);

  /** The outcomes this class gives itself when the dispatcher gives none in time. */
  private static final List<DispatchOutcome> OWN_OUTCOMES =
      List.of(NO_OUTCOME, BUDGET_SPENT, DISPATCHER_FAILED);

  private final RegistrationLookup lookup;
  private final ReplicationAllowance allowance;
  private final RegistrationStore registrations;
  private final ListenerStateStore states;
  private final Dispatcher dispatcher;
  private final Duration pushBudget;
  private final Backoff backoff;
  private final Clock clock;
  private final DeliveryMetrics metrics;

  /**
   * @param pushBudget the longest wait for the dispatcher's outcome
   * @param backoff when a parked badge whose redelivery failed is tried next
   */
  public PushDelivery(
      RegistrationLookup lookup,
      RegistrationStore registrations,
      ListenerStateStore states,
      Dispatcher dispatcher,
      Duration pushBudget,
      Backoff backoff,
      Clock clock,
      DeliveryMetrics metrics,
      ReplicationAllowance allowance) {
    this.allowance = allowance;
    this.lookup = lookup;
    this.registrations = registrations;
    this.states = states;
    this.dispatcher = dispatcher;
    this.pushBudget = pushBudget;
    this.backoff = backoff;
    this.clock = clock;
    this.metrics = metrics;
    // Every bounded combination exists from start-up, at 0: the dispatcher's outcomes for each
    // platform and this class's own.
    for (Platform platform : Platform.values()) {
      Set<DispatchOutcome> outcomes = new LinkedHashSet<>(dispatcher.outcomes(platform));
      outcomes.addAll(OWN_OUTCOMES);
      for (DispatchOutcome outcome : outcomes) {
        metrics.register(platform.wireName(), outcome, parks(outcome));
      }
    }
  }

  /** Whether a new push with this outcome is parked as a pending badge. */
  private static boolean parks(DispatchOutcome outcome) {
    return outcome instanceof DispatchOutcome.Retryable
        || outcome instanceof DispatchOutcome.ConfigurationError;
  }

  /**
   * Delivers a push decided while answering a POST; not accepted, it becomes the registration's
   * pending badge.
   *
   * @param state the registration's listener state as the POST read it
   * @param update the POST's other state changes, written with the outcome
   */
  public Mono<Delivery> deliver(
      Registration registration, ListenerState state, Push push, ListenerStateUpdate update) {
    return attempt(registration, state, push, update, null, pushBudget);
  }

  /**
   * {@link #deliver(Registration, ListenerState, Push, ListenerStateUpdate)} within a budget of the
   * caller's: Graph's endpoint answers within a shorter one than Exchange's.
   */
  public Mono<Delivery> deliver(
      Registration registration,
      ListenerState state,
      Push push,
      ListenerStateUpdate update,
      Duration budget) {
    return attempt(registration, state, push, update, null, budget);
  }

  /**
   * Delivers a parked badge again; not accepted, it is rescheduled.
   *
   * @param state the registration's listener state, read for this attempt
   * @param parked the pending badge being redelivered
   * @param push the push built from it (its badge summed again for the device)
   */
  public Mono<Delivery> redeliver(
      Registration registration, ListenerState state, PendingBadge parked, Push push) {
    return attempt(registration, state, push, new ListenerStateUpdate(), parked, pushBudget);
  }

  /**
   * Parks a wake-up that the device's throttle holds back, due when the throttle window ends
   * (replacing any parked badge: the caller decides whether that one must stay).
   */
  public Mono<Void> parkThrottled(
      Registration registration, PushKind kind, boolean newMail, Instant dueAt) {
    return states
        .setPending(registration.id(), null, kind, newMail, dueAt)
        .doOnNext(pending -> metrics.pendingWritten(LaneReason.THROTTLED.tag()))
        .then();
  }

  /** Gives up a parked badge (too old, its registration gone, refused for good), counted. */
  public Mono<Void> drop(
      RegistrationId registration, PendingBadge parked, DeliveryMetrics.DropReason reason) {
    return Mono.defer(
        () -> {
          metrics.dropped(reason);
          log.info("pending badge of {} dropped: {}", registration, reason.tag());
          return states.clearPending(registration, parked.pendingId()).then();
        });
  }

  private Mono<Delivery> attempt(
      Registration registration,
      ListenerState state,
      Push push,
      ListenerStateUpdate update,
      @Nullable PendingBadge parked,
      Duration budget) {
    Push sent =
        push.withLastAcceptedAt(
            state
                .lastAcceptedAt(registration.platform(), registration.apnsEnvironment())
                .orElse(null));
    return send(sent, budget)
        .flatMap(
            outcome -> {
              if (parked == null) {
                metrics.push(push.platform().wireName(), outcome);
              } else {
                metrics.redelivered(outcome);
              }
              Instant now = clock.instant();
              update.pushOutcome(outcome.label(), now);
              if (outcome instanceof DispatchOutcome.Accepted) {
                update.acceptedAt(
                    ListenerState.channel(registration.platform(), registration.apnsEnvironment()),
                    now);
                // A badge parked before this one is older: it must not be redelivered after it.
                PendingBadge superseded = parked != null ? parked : state.pending();
                return clear(registration, superseded)
                    .then(states.update(registration.id(), update))
                    .thenReturn(Delivery.ACCEPTED);
              }
              if (outcome instanceof DispatchOutcome.TokenDead dead) {
                return deleteDead(registration, dead, parked);
              }
              if (outcome instanceof DispatchOutcome.Failed failed) {
                log.warn(
                    "push for registration {} refused for good: {}",
                    registration.id(),
                    failed.reason());
                // A parked badge refused for good is dropped; a new one records the outcome.
                Mono<Void> record =
                    parked == null
                        ? states.update(registration.id(), update)
                        : drop(registration.id(), parked, DeliveryMetrics.DropReason.FAILED);
                return record.thenReturn(Delivery.REFUSED);
              }
              // Retryable, or a configuration error of ours (parks): parked until it can succeed.
              Duration retryAfter =
                  outcome instanceof DispatchOutcome.Retryable retryable
                      ? retryable.retryAfter()
                      : null;
              return park(registration, push, parked, outcome, retryAfter, now)
                  .then(states.update(registration.id(), update))
                  .thenReturn(Delivery.PARKED);
            });
  }

  /** The dispatcher's outcome within the budget; never empty, never an error. */
  private Mono<DispatchOutcome> send(Push push, Duration budget) {
    // Deferred: a dispatcher that throws instead of returning a Mono is a defect, not a 503.
    return Mono.defer(() -> dispatcher.dispatch(push))
        .switchIfEmpty(Mono.just(NO_OUTCOME))
        .timeout(budget)
        .onErrorResume(
            error -> {
              if (error instanceof TimeoutException) {
                return Mono.just(BUDGET_SPENT);
              }
              log.error("the dispatcher failed instead of answering an outcome", error);
              return Mono.just(DISPATCHER_FAILED);
            });
  }

  /**
   * Parks the badge: a new one from a POST as the pending badge, due at {@code retryAfter}; a
   * parked one rescheduled after the backoff (which honours {@code retryAfter}): redelivering
   * sooner only meets the same answer.
   */
  private Mono<?> park(
      Registration registration,
      Push push,
      @Nullable PendingBadge parked,
      DispatchOutcome outcome,
      @Nullable Duration retryAfter,
      Instant now) {
    if (parked != null) {
      return states.reschedulePending(
          registration.id(),
          parked.pendingId(),
          now.plus(backoff.after(parked.attempts(), retryAfter)));
    }
    metrics.pendingWritten(outcome.label());
    return states.setPending(
        registration.id(),
        push.badge(),
        push.kind(),
        push.highPriority(),
        retryAfter == null ? null : now.plus(retryAfter));
  }

  private Mono<Delivery> deleteDead(
      Registration registration, DispatchOutcome.TokenDead dead, @Nullable PendingBadge parked) {
    if (!allowance.settled(
        new ReplicationAllowance.DeadToken(registration.id(), registration.deviceToken()))) {
      log.info(
          "device token {} of registration {} is dead ({}); deleting only once that has stood the"
              + " replication allowance ({}): it may have been rotated in another region",
          registration.deviceToken(),
          registration.id(),
          dead.reason(),
          allowance.allowance());
      lookup.invalidate(registration.callbackToken());
      return (parked == null
              ? Mono.empty()
              : states.reschedulePending(
                  registration.id(),
                  parked.pendingId(),
                  clock.instant().plus(allowance.allowance())))
          .then(Mono.just(Delivery.DEAD_NOT_YET_SETTLED));
    }
    return registrations
        .deleteByDeviceToken(registration.appId(), registration.deviceToken(), dead.invalidatedAt())
        // Every deleted registration's callback token, not only this one's: other accounts on the
        // device must not be answered from a cached entry either.
        .doOnNext(deleted -> lookup.invalidate(deleted.callbackToken()))
        .count()
        .doOnNext(
            deleted ->
                log.info(
                    "device token {} is dead ({}): {} registration(s) deleted",
                    registration.deviceToken(),
                    dead.reason(),
                    deleted))
        // Renewed after the invalidation: it survives, and so does the subscription.
        // This registration's entry too, even when it survives (renewed or rotated since): what is
        // cached of it may hold the dead token.
        .doOnNext(deleted -> lookup.invalidate(registration.callbackToken()))
        .then(registrations.findById(registration.id()))
        .flatMap(survivor -> clear(registration, parked).thenReturn(Delivery.SPARED))
        .defaultIfEmpty(Delivery.UNREGISTERED);
  }

  private Mono<Void> clear(Registration registration, @Nullable PendingBadge pending) {
    return pending == null
        ? Mono.empty()
        : states.clearPending(registration.id(), pending.pendingId()).then();
  }
}
