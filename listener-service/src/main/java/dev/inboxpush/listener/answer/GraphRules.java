package dev.inboxpush.listener.answer;

import dev.inboxpush.listener.answer.GraphItemMetrics.Drop;
import dev.inboxpush.listener.callback.GraphProcessor;
import dev.inboxpush.listener.delivery.PushDelivery;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.graph.GraphBatch;
import dev.inboxpush.listener.graph.GraphItem;
import dev.inboxpush.listener.lookup.RegistrationLookup;
import dev.inboxpush.listener.lookup.ReplicationAllowance;
import dev.inboxpush.listener.lookup.ReplicationAllowance.Absent;
import dev.inboxpush.listener.lookup.ReplicationAllowance.Foreign;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.GraphLifecycleEvent;
import dev.inboxpush.model.GraphSubscription;
import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.GraphLifecycle;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.ListenerStateUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The Graph rules (docs/architecture.md, "One Graph POST"): what a notification POST on a Graph
 * registration's URL means.
 *
 * <ul>
 *   <li>The registration is found by the URL's callback token (cache first, a miss confirmed by a
 *       consistent read). None, or an EWS one: every item is dropped.
 *   <li>Each item is verified on its own: its {@code clientState} against the stored hash, in
 *       constant time, and its subscription against the one bound (or, while none is bound, the one
 *       it took from its first authentic notification: only the holder of the URL and the secret
 *       can post). While the app is between subscriptions (the bound or taken one removed by Graph,
 *       or expired), any authentic subscription but the removed one is accepted and taken, so that
 *       notifications of the one the app just created are not lost before it binds it. A mismatch
 *       against a cached registration is decided again on a consistent read (the app may have just
 *       rebound). Items that fail, or carry no documented change type, are dropped and counted,
 *       never pushed, and write nothing.
 *   <li>The valid items of a POST give one push: {@code resubscribe} when Graph removed the
 *       subscription or wants it reauthorized; otherwise one wake-up ({@code new-mail} when a
 *       message was created, {@code unread-changed} for updates and deletions, {@code wake} to
 *       resynchronize after {@code missed}), coalesced per device by the wake-up throttle the EWS
 *       path uses. Graph sends no unread count, so there is never a badge.
 *   <li>Lifecycle events are recorded in the listener state (never the registration item), with
 *       lastSeen, in the same write as the push's outcome.
 *   <li>The push waits at most the Graph push budget; not accepted in time, the wake-up is parked
 *       and the POST still completes. Store failures fail the Mono (the endpoint's 503).
 * </ul>
 *
 * <p>Thread-safe; one instance serves every POST. Non-blocking.
 */
final class GraphRules implements GraphProcessor {

  private static final Logger log = LoggerFactory.getLogger(GraphRules.class);

  private final ReplicationAllowance allowance;
  private final RegistrationLookup lookup;
  private final ListenerStateStore states;
  private final PushDelivery delivery;
  private final WakeCoalescing wakes;
  private final Duration budget;
  private final Clock clock;
  private final GraphItemMetrics metrics;

  GraphRules(
      ReplicationAllowance allowance,
      RegistrationLookup lookup,
      ListenerStateStore states,
      PushDelivery delivery,
      WakeCoalescing wakes,
      Duration budget,
      Clock clock,
      GraphItemMetrics metrics) {
    this.allowance = allowance;
    this.lookup = lookup;
    this.states = states;
    this.delivery = delivery;
    this.wakes = wakes;
    this.budget = budget;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public Mono<Result> process(CallbackToken token, Endpoint endpoint, GraphBatch batch) {
    return lookup
        .find(token)
        .flatMap(
            found -> {
              if (found.isEmpty()) {
                return absent(token, batch.items());
              }
              allowance.contradicted(new Absent(token));
              Registration registration = found.get().registration();
              ListenerState read = found.get().state();
              if (registration.kind() != RegistrationKind.GRAPH
                  || registration.clientState() == null) {
                dropAll(batch.items(), Drop.WRONG_KIND);
                return Mono.just(Result.ACCEPTED);
              }
              Verified verified = verify(registration, batch.items());
              if (verified.authentic().isEmpty()) {
                countRejected(registration, verified);
                return Mono.just(Result.ACCEPTED);
              }
              // Read with the registration on a cache miss (one call for both); read now on a hit.
              Mono<ListenerState> current =
                  read != null ? Mono.just(read) : states.find(registration.id());
              return current.flatMap(state -> route(token, registration, state, verified, false));
            });
  }

  /**
   * No registration has the token, on a consistent read: the items are dropped once that has stood
   * the replication allowance; before, the registration may have been made moments ago in another
   * region, and the POST is deferred (503: Graph retries) so that its notifications are not lost.
   */
  private Mono<Result> absent(CallbackToken token, List<GraphItem> items) {
    if (token.registrationId().isPresent() && !allowance.settled(new Absent(token))) {
      log.debug("Graph POST for a registration not (yet) in this region: deferred");
      return Mono.just(Result.AWAIT_REPLICATION);
    }
    dropAll(items, Drop.UNKNOWN_REGISTRATION);
    return Mono.just(Result.ACCEPTED);
  }

  /**
   * The items whose secret is the registration's, with their subscription, and the rest with why
   * they fail. The rejected ones are counted (and logged) only once the POST's answer is not a
   * deferral, so that Graph's retries of a deferred POST count nothing twice.
   */
  private Verified verify(Registration registration, List<GraphItem> items) {
    List<Authentic> authentic = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    for (GraphItem item : items) {
      SubscriptionId subscription = subscription(item);
      if (subscription == null) {
        rejected.add(new Rejected(item, Drop.INVALID));
      } else if (!registration.clientState().matches(item.clientState())) {
        rejected.add(new Rejected(item, Drop.CLIENT_STATE));
      } else {
        authentic.add(new Authentic(item, subscription));
      }
    }
    return new Verified(authentic, rejected);
  }

  private Mono<Result> route(
      CallbackToken token,
      Registration registration,
      ListenerState state,
      Verified verified,
      boolean confirmed) {
    List<Authentic> authentic = verified.authentic();
    Instant now = clock.instant();
    SubscriptionId strict = strictSubscription(registration, state, now);
    boolean foreign =
        strict != null && authentic.stream().anyMatch(a -> !a.subscription().equals(strict));
    if (foreign && !confirmed) {
      // The cached registration may be stale (a rebinding): decide on consistent reads only.
      return lookup
          .confirm(token)
          .flatMap(
              fresh -> {
                if (fresh.isEmpty()) {
                  return absent(token, verified.items());
                }
                return route(
                    token, fresh.get().registration(), fresh.get().state(), verified, true);
              });
    }
    GraphLifecycle removal = state.graphLifecycle();
    ListenerStateUpdate update = new ListenerStateUpdate().lastSeen(now);
    boolean changes = false;
    boolean created = false;
    SubscriptionId learn = null;
    GraphLifecycleEvent severest = null;
    SubscriptionId severestOf = null;
    List<Authentic> unaccepted = new ArrayList<>();
    for (Authentic a : authentic) {
      GraphItem item = a.item();
      SubscriptionId subscription = a.subscription();
      boolean accepted =
          strict != null
              ? subscription.equals(strict)
              // Open: any authentic subscription but one Graph removed (the app is between
              // subscriptions; only it holds the secret).
              : removal == null || !removal.removed(subscription);
      if (!accepted) {
        unaccepted.add(a);
        continue;
      }
      allowance.contradicted(new Foreign(registration.id(), subscription));
      if (!item.isLifecycle()) {
        if (!item.isChange()) {
          metrics.dropped(false, Drop.INVALID);
          continue;
        }
        metrics.accepted(false);
        changes = true;
        created |= item.isCreated();
        if (learn == null) {
          learn = subscription;
        }
        continue;
      }
      Optional<GraphLifecycleEvent> event = GraphLifecycleEvent.fromGraph(item.lifecycleEvent());
      if (event.isEmpty()) {
        metrics.dropped(true, Drop.UNKNOWN_EVENT);
        continue;
      }
      metrics.accepted(true);
      metrics.lifecycle(event.get());
      if (severest == null || severity(event.get()) > severity(severest)) {
        severest = event.get();
        severestOf = subscription;
      }
    }
    if (strict != null
        && !unaccepted.isEmpty()
        && unaccepted.size() == authentic.size()
        && !allSettled(registration, unaccepted)) {
      // Every item is for another subscription than the bound one, on a consistent read: a rebind
      // made moments ago in another region may not have replicated yet. Defer (503) rather than
      // drop; after the allowance, drop.
      log.debug(
          "registration {}: Graph items for another subscription: deferred", registration.id());
      return Mono.just(Result.AWAIT_REPLICATION);
    }
    countRejected(registration, verified);
    unaccepted.forEach(a -> metrics.dropped(a.item().isLifecycle(), Drop.UNKNOWN_SUBSCRIPTION));
    if (strict == null) {
      // Never learn the subscription Graph is removing: the app is about to replace it.
      SubscriptionId candidate =
          learn != null
              ? learn
              : severest != null && severest != GraphLifecycleEvent.SUBSCRIPTION_REMOVED
                  ? severestOf
                  : null;
      if (candidate != null && !candidate.equals(state.learnedSubscriptionId())) {
        update.learnedSubscription(candidate);
      }
    }
    if (severest != null) {
      log.info(
          "registration {}: Graph lifecycle event {}", registration.id(), severest.graphName());
      update.graphLifecycle(new GraphLifecycle(severest, severestOf, now));
    }
    if (severest == GraphLifecycleEvent.SUBSCRIPTION_REMOVED
        || severest == GraphLifecycleEvent.REAUTHORIZATION_REQUIRED) {
      // The app must renew or re-create its subscription; the push wakes it to do so (and sync).
      return delivery
          .deliver(
              registration,
              state,
              Push.to(registration, PushKind.RESUBSCRIBE, null, false),
              update,
              budget)
          .thenReturn(Result.ACCEPTED);
    }
    if (changes || severest == GraphLifecycleEvent.MISSED) {
      PushKind kind =
          created ? PushKind.NEW_MAIL : changes ? PushKind.UNREAD_CHANGED : PushKind.WAKE;
      return wakes
          .wake(registration, state, kind, created, update, budget)
          .thenReturn(Result.ACCEPTED);
    }
    if (update.learnedSubscriptionId() == null && severest == null) {
      // No item was valid: nothing to record.
      return Mono.just(Result.ACCEPTED);
    }
    return states.update(registration.id(), update).thenReturn(Result.ACCEPTED);
  }

  /**
   * The one subscription this registration's items must be for, or null while any authentic one is
   * accepted: the bound one while it lives (not removed by Graph, not expired); else, with none
   * bound, the one it took from a first notification while that lives. Null when nothing lives: the
   * app is between subscriptions (it re-creates one after a removal or an expiry, and binds it
   * later), and a notification racing that bind must not be lost.
   */
  private static @Nullable SubscriptionId strictSubscription(
      Registration registration, ListenerState state, Instant now) {
    GraphLifecycle lifecycle = state.graphLifecycle();
    GraphSubscription bound = registration.graphSubscription();
    if (bound != null) {
      boolean gone =
          bound.isExpiredAt(now)
              || (lifecycle != null && lifecycle.removed(bound.subscriptionId()));
      return gone ? null : bound.subscriptionId();
    }
    SubscriptionId learned = state.learnedSubscriptionId();
    if (learned != null && (lifecycle == null || !lifecycle.removed(learned))) {
      return learned;
    }
    return null;
  }

  private static @Nullable SubscriptionId subscription(GraphItem item) {
    if (item.subscriptionId() == null) {
      return null;
    }
    try {
      // Graph's ids are GUIDs, which the API stores in lower case: compare them so.
      return SubscriptionId.of(item.subscriptionId().toLowerCase(Locale.ROOT));
    } catch (InvalidValueException e) {
      return null;
    }
  }

  private static int severity(GraphLifecycleEvent event) {
    return switch (event) {
      case MISSED -> 0;
      case REAUTHORIZATION_REQUIRED -> 1;
      case SUBSCRIPTION_REMOVED -> 2;
    };
  }

  /**
   * Whether every foreign subscription's evidence has stood the allowance; each one's sighting is
   * recorded (no short cut), so that k subscriptions settle together, not one allowance each.
   */
  private boolean allSettled(Registration registration, List<Authentic> foreign) {
    boolean all = true;
    for (Authentic a : foreign) {
      all &= allowance.settled(new Foreign(registration.id(), a.subscription()));
    }
    return all;
  }

  private void dropAll(List<GraphItem> items, Drop drop) {
    items.forEach(item -> metrics.dropped(item.isLifecycle(), drop));
  }

  /** An item whose secret checked out, with its subscription id. */
  private record Authentic(GraphItem item, SubscriptionId subscription) {}

  /** An item that failed verification, and how. */
  private record Rejected(GraphItem item, Drop drop) {}

  /** A batch's items as verified against a registration: the authentic ones and the rest. */
  private record Verified(List<Authentic> authentic, List<Rejected> rejected) {

    /** Every item of the batch, authentic or not. */
    List<GraphItem> items() {
      List<GraphItem> items = new ArrayList<>(authentic.size() + rejected.size());
      authentic.forEach(a -> items.add(a.item()));
      rejected.forEach(r -> items.add(r.item()));
      return items;
    }
  }

  /** Counts and logs a POST's rejected items: once, with an answer that is not a deferral. */
  private void countRejected(Registration registration, Verified verified) {
    if (verified.rejected().isEmpty()) {
      return;
    }
    verified.rejected().forEach(r -> metrics.dropped(r.item().isLifecycle(), r.drop()));
    log.info(
        "registration {}: {} of {} Graph items failed verification and were dropped",
        registration.id(),
        verified.rejected().size(),
        verified.rejected().size() + verified.authentic().size());
  }
}
