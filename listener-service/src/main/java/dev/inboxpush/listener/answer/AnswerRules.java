package dev.inboxpush.listener.answer;

import dev.inboxpush.listener.callback.CallbackAnswer;
import dev.inboxpush.listener.callback.CallbackProcessor;
import dev.inboxpush.listener.ews.Notification;
import dev.inboxpush.listener.ews.NotificationMessage;
import dev.inboxpush.listener.ews.SendNotification;
import dev.inboxpush.listener.ews.SubscriptionFailure;
import dev.inboxpush.listener.lookup.RegistrationLookup;
import dev.inboxpush.listener.lookup.ReplicationAllowance;
import dev.inboxpush.listener.lookup.ReplicationAllowance.Absent;
import dev.inboxpush.listener.lookup.ReplicationAllowance.Foreign;
import dev.inboxpush.listener.lookup.ReplicationAllowance.Unbound;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationStore;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The answer rules (docs/architecture.md, "Answering Exchange"): routes each response message of a
 * POST to its registration and combines their verdicts into the one answer Exchange gets.
 *
 * <ul>
 *   <li>The registration is looked up by callback token (cache first); a notification for the
 *       SubscriptionId it is bound to (or for any, while none is bound) goes to {@link
 *       NotificationRules}.
 *   <li>{@code Unsubscribe} only after a strongly consistent read confirms that there is no such
 *       registration or that it is bound to another SubscriptionId; a cached entry alone never
 *       decides it. And only once that evidence has stood the replication allowance ({@link
 *       ReplicationAllowance}): before, a write in another region could still change it, and the
 *       POST is answered 503 for Exchange to retry.
 *   <li>{@code Unsubscribe} when any message found the device token dead (its registration
 *       deleted), or when every message was for a subscription that is not the registration's;
 *       {@code OK} otherwise.
 *   <li>Store failures fail the Mono; the endpoint answers 503 and Exchange retries.
 * </ul>
 *
 * <p>Thread-safe; one instance serves every POST. Non-blocking: every step is a lazy Mono.
 */
public final class AnswerRules implements CallbackProcessor {

  private static final Logger log = LoggerFactory.getLogger(AnswerRules.class);

  private final RegistrationLookup lookup;
  private final RegistrationStore registrations;
  private final ListenerStateStore states;
  private final NotificationRules rules;
  private final AnswerMetrics metrics;
  private final ReplicationAllowance allowance;

  AnswerRules(
      RegistrationLookup lookup,
      RegistrationStore registrations,
      ListenerStateStore states,
      NotificationRules rules,
      AnswerMetrics metrics,
      ReplicationAllowance allowance) {
    this.lookup = lookup;
    this.registrations = registrations;
    this.states = states;
    this.rules = rules;
    this.metrics = metrics;
    this.allowance = allowance;
  }

  @Override
  public Mono<CallbackAnswer> process(CallbackToken token, SendNotification post) {
    countEvents(post);
    return lookup
        .find(token)
        .flatMap(
            found -> {
              if (found.isPresent()) {
                allowance.contradicted(new Absent(token));
                return answer(token, found.get(), post);
              }
              // Confirmed absent here (expired, deleted, never existed, or not yet replicated).
              return Mono.just(combine(List.of(absent(token))));
            });
  }

  /** No registration has {@code token} in this region: how far that can be trusted. */
  private Verdict absent(CallbackToken token) {
    // A token that names no registration can never have one.
    if (token.registrationId().isEmpty() || allowance.settled(new Absent(token))) {
      return Verdict.FOREIGN;
    }
    // Debug: anyone can post well-formed tokens that name no registration.
    log.debug(
        "no registration {} in this region yet; answering 503 until the replication allowance"
            + " ({}) has passed",
        token.registrationId().get(),
        allowance.allowance());
    return Verdict.NOT_YET_SETTLED;
  }

  @Override
  public boolean known(CallbackToken token) {
    return lookup.cached(token);
  }

  @Override
  public Mono<CallbackAnswer> processShared(SendNotification post) {
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
              // On the shared URL the subscription pointer is read strongly consistently.
              Unbound unbound = new Unbound(subscription);
              return registrations
                  .findBoundTo(subscription)
                  .map(Optional::of)
                  .defaultIfEmpty(Optional.empty())
                  .flatMap(
                      bound -> {
                        if (bound.isEmpty()) {
                          return Mono.just(
                              allowance.settled(unbound)
                                  ? Verdict.FOREIGN
                                  : Verdict.NOT_YET_SETTLED);
                        }
                        Registration registration = bound.get();
                        allowance.contradicted(unbound);
                        return states
                            .find(registration.id())
                            .flatMap(state -> handleBound(registration, state, message));
                      });
            })
        .collectList()
        .map(AnswerRules::combine);
  }

  private Mono<Verdict> handleBound(
      Registration registration, ListenerState state, NotificationMessage message) {
    return message instanceof SubscriptionFailure failure
        ? rules.failed(registration, state, failure)
        : rules.notified(registration, state, (Notification) message);
  }

  private Mono<CallbackAnswer> answer(
      CallbackToken token, RegistrationLookup.Found found, SendNotification post) {
    Registration registration = found.registration();
    // Read with the registration on a cache miss (one call for both); read now on a hit.
    Mono<ListenerState> current =
        found.state() != null ? Mono.just(found.state()) : states.find(registration.id());
    return current
        .flatMap(
            state ->
                Flux.fromIterable(post.messages())
                    .concatMap(message -> route(token, registration, state, message))
                    .collectList())
        .map(AnswerRules::combine);
  }

  /**
   * {@code Unsubscribe} when a device token was dead, or when every message is foreign on settled
   * evidence; 503 when every message is foreign but some on evidence not yet settled; else {@code
   * OK}.
   */
  private static CallbackAnswer combine(List<Verdict> verdicts) {
    if (verdicts.contains(Verdict.DEAD)) {
      return CallbackAnswer.UNSUBSCRIBE;
    }
    if (!verdicts.isEmpty()
        && verdicts.stream().allMatch(v -> v == Verdict.FOREIGN || v == Verdict.NOT_YET_SETTLED)) {
      return verdicts.contains(Verdict.NOT_YET_SETTLED)
          ? CallbackAnswer.AWAIT_REPLICATION
          : CallbackAnswer.UNSUBSCRIBE;
    }
    return CallbackAnswer.OK;
  }

  private Mono<Verdict> route(
      CallbackToken token,
      Registration registration,
      ListenerState state,
      NotificationMessage message) {
    if (message instanceof SubscriptionFailure failure) {
      return rules.failed(registration, state, failure);
    }
    Notification notification = (Notification) message;
    SubscriptionId bound = NotificationRules.boundSubscription(registration, state);
    if (bound == null || bound.equals(notification.subscriptionId())) {
      allowance.contradicted(new Foreign(registration.id(), notification.subscriptionId()));
      return rules.notified(registration, state, notification);
    }
    // The cached registration may be stale (a rebinding); decide on consistent reads only.
    return lookup
        .confirm(token)
        .flatMap(
            confirmed -> {
              if (confirmed.isEmpty()) {
                return Mono.just(absent(token));
              }
              Registration fresh = confirmed.get().registration();
              ListenerState freshState = confirmed.get().state();
              SubscriptionId freshBound = NotificationRules.boundSubscription(fresh, freshState);
              Foreign foreign = new Foreign(fresh.id(), notification.subscriptionId());
              if (freshBound == null || freshBound.equals(notification.subscriptionId())) {
                allowance.contradicted(foreign);
                return rules.notified(fresh, freshState, notification);
              }
              if (!allowance.settled(foreign)) {
                log.info(
                    "registration {} is bound to another subscription here; answering 503 until"
                        + " the replication allowance ({}) has passed",
                    fresh.id(),
                    allowance.allowance());
                return Mono.just(Verdict.NOT_YET_SETTLED);
              }
              log.info(
                  "registration {} is bound to another subscription; answering Unsubscribe",
                  fresh.id());
              return Mono.just(Verdict.FOREIGN);
            });
  }

  private void countEvents(SendNotification post) {
    for (NotificationMessage message : post.messages()) {
      if (message instanceof Notification notification) {
        notification.events().forEach(event -> metrics.event(event.kind()));
      }
    }
  }
}
