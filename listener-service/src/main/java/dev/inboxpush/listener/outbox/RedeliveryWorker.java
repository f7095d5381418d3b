package dev.inboxpush.listener.outbox;

import dev.inboxpush.listener.badge.DeviceBadge;
import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.Dispatcher;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.PendingBadge;
import dev.inboxpush.store.PendingEntry;
import dev.inboxpush.store.RegistrationStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Redelivers pending badges: every {@link OutboxProperties#interval()} it queries the sparse
 * pending index for due badges and delivers each: accepted clears it; a dead token deletes the
 * token's registrations and clears it; a retryable failure or a configuration error moves its next
 * attempt out (doubling, from the initial to the maximum backoff, never before a provider's {@code
 * Retry-After}); a permanent failure, a registration that is gone, or an age past {@link
 * OutboxProperties#maxAge()} drops it, counted.
 *
 * <p>Several listener instances may run it at once: each clear and reschedule is conditioned on the
 * pending id it read, so no newer badge is ever cleared; the worst case is a duplicate push,
 * harmless since badges are absolute and collapse on the device.
 *
 * <p>Lifecycle: started and stopped with the application context; a run that fails (the table is
 * unreachable) is logged and the next one tries again. {@link #runOnce()} is what each tick does,
 * callable directly by tests with their own clock.
 *
 * <p>Metrics: {@value #REDELIVERED}{@code {outcome}}, {@value #DROPPED}{@code {reason}}, and the
 * gauge {@value #DUE} (due badges found by the last run).
 */
public final class RedeliveryWorker implements SmartLifecycle {

  static final String REDELIVERED = "inboxpush.listener.pending.redelivered";
  static final String DROPPED = "inboxpush.listener.pending.dropped";
  static final String DUE = "inboxpush.listener.pending.due";

  private static final Logger log = LoggerFactory.getLogger(RedeliveryWorker.class);

  private final RegistrationStore registrations;
  private final ListenerStateStore states;
  private final Dispatcher dispatcher;
  private final OutboxProperties properties;
  private final Duration pushBudget;
  private final Clock clock;
  private final MeterRegistry meters;
  private final AtomicInteger lastDue = new AtomicInteger();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final DeviceBadge deviceBadge;
  private volatile Disposable running;

  public RedeliveryWorker(
      RegistrationStore registrations,
      ListenerStateStore states,
      Dispatcher dispatcher,
      OutboxProperties properties,
      Duration pushBudget,
      Clock clock,
      MeterRegistry meters) {
    this.registrations = registrations;
    this.states = states;
    this.dispatcher = dispatcher;
    this.properties = properties;
    this.pushBudget = pushBudget;
    this.clock = clock;
    this.meters = meters;
    this.deviceBadge = new DeviceBadge(registrations, states);
    Gauge.builder(DUE, lastDue, AtomicInteger::get)
        .description("pending badges found due by the last redelivery run")
        .register(meters);
  }

  /** One run: finds the due badges and handles each. Emits how many were due. */
  public Mono<Integer> runOnce() {
    return states
        .findDuePending(properties.batchPerShard())
        .flatMap(
            entry ->
                redeliver(entry)
                    // One badge that fails must not stop the others; it stays due for next time.
                    .onErrorResume(
                        error -> {
                          log.warn(
                              "redelivery for {} failed: {}",
                              entry.registrationId(),
                              error.getMessage());
                          return Mono.empty();
                        })
                    .thenReturn(entry),
            properties.concurrency())
        .count()
        .map(Long::intValue)
        .doOnNext(lastDue::set);
  }

  private Mono<Void> redeliver(PendingEntry entry) {
    PendingBadge pending = entry.pending();
    Instant now = clock.instant();
    if (pending.since().plus(properties.maxAge()).isBefore(now)) {
      return drop(entry, "too_old");
    }
    // Decide on presence first: deliver(...) completes empty, which must not read as "gone".
    return registrations
        .findById(entry.registrationId())
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            found ->
                found
                    .map(registration -> deliver(registration, entry))
                    .orElseGet(() -> drop(entry, "registration_gone")));
  }

  private Mono<Void> deliver(Registration registration, PendingEntry entry) {
    PendingBadge pending = entry.pending();
    // A parked badge is re-summed now: the device's other accounts may have changed since.
    Mono<Push> push =
        pending.badge() == null
            ? Mono.just(Push.to(registration, pending.kind(), null, pending.newMail()))
            : deviceBadge
                .total(registration, null)
                .map(total -> Push.to(registration, pending.kind(), total, pending.newMail()));
    // When the channel last accepted a push to this token: APNs BadDeviceToken is dead only then.
    Mono<Optional<Instant>> lastAccepted =
        states
            .find(registration.id())
            .map(
                state ->
                    state.lastAcceptedAt(registration.platform(), registration.apnsEnvironment()))
            .defaultIfEmpty(Optional.empty());
    return Mono.zip(push, lastAccepted)
        .flatMap(
            ready ->
                dispatcher
                    .dispatch(ready.getT1().acceptedBefore(ready.getT2().orElse(null)))
                    .switchIfEmpty(Mono.just(new DispatchOutcome.Retryable(null, "no outcome")))
                    .timeout(pushBudget)
                    .onErrorResume(e -> Mono.just(new DispatchOutcome.Retryable(null, "timeout")))
                    .flatMap(
                        outcome -> {
                          count(REDELIVERED, "outcome", outcome.label());
                          Instant now = clock.instant();
                          ListenerStateUpdate update =
                              new ListenerStateUpdate().pushOutcome(outcome.label(), now);
                          if (outcome instanceof DispatchOutcome.Accepted) {
                            update.acceptedAt(
                                ListenerState.channel(
                                    registration.platform(), registration.apnsEnvironment()),
                                now);
                            return states
                                .clearPending(registration.id(), pending.pendingId())
                                .then(states.update(registration.id(), update));
                          }
                          if (outcome instanceof DispatchOutcome.TokenDead dead) {
                            return registrations
                                .deleteByDeviceToken(
                                    registration.appId(),
                                    registration.deviceToken(),
                                    dead.invalidatedAt())
                                .then(states.clearPending(registration.id(), pending.pendingId()))
                                .then();
                          }
                          if (outcome instanceof DispatchOutcome.Failed) {
                            return drop(entry, "failed");
                          }
                          Duration retryAfter =
                              outcome instanceof DispatchOutcome.Retryable retryable
                                  ? retryable.retryAfter()
                                  : null;
                          Instant next = now.plus(backoff(pending.attempts(), retryAfter));
                          return states
                              .reschedulePending(registration.id(), pending.pendingId(), next)
                              .then(states.update(registration.id(), update));
                        }));
  }

  /** Doubling from the initial backoff, capped, and never before the provider's Retry-After. */
  Duration backoff(int attempts, @Nullable Duration retryAfter) {
    Duration wait = properties.initialBackoff();
    for (int i = 0; i < attempts && wait.compareTo(properties.maxBackoff()) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    if (wait.compareTo(properties.maxBackoff()) > 0) {
      wait = properties.maxBackoff();
    }
    if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
      wait = retryAfter;
    }
    return wait;
  }

  private Mono<Void> drop(PendingEntry entry, String reason) {
    count(DROPPED, "reason", reason);
    log.info("pending badge of {} dropped: {}", entry.registrationId(), reason);
    return states.clearPending(entry.registrationId(), entry.pending().pendingId()).then();
  }

  private void count(String name, String tag, String value) {
    counters
        .computeIfAbsent(
            name + value, key -> Counter.builder(name).tag(tag, value).register(meters))
        .increment();
  }

  @Override
  public void start() {
    if (!properties.enabled() || running != null) {
      return;
    }
    running =
        Flux.interval(properties.interval(), properties.interval(), Schedulers.parallel())
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    runOnce()
                        .onErrorResume(
                            error -> {
                              log.warn("redelivery run failed: {}", error.getMessage());
                              return Mono.empty();
                            }),
                1)
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable current = running;
    running = null;
    if (current != null) {
      current.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return running != null;
  }
}
