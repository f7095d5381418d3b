package dev.inboxpush.listener.outbox;

import dev.inboxpush.listener.badge.DeviceBadge;
import dev.inboxpush.listener.delivery.DeliveryMetrics.DropReason;
import dev.inboxpush.listener.delivery.PushDelivery;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.PendingBadge;
import dev.inboxpush.store.PendingEntry;
import dev.inboxpush.store.RegistrationStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Redelivers pending badges: every {@link OutboxProperties#interval()} it queries the sparse
 * pending index for due badges and hands each to {@link PushDelivery#redeliver}, which records the
 * outcome, clears an accepted badge, deletes a dead token's registrations, reschedules a retryable
 * one with backoff and drops one refused for good. A badge whose registration is gone, or older
 * than {@link OutboxProperties#maxAge()}, is dropped here, counted.
 *
 * <p>Several listener instances may run it at once: each clear and reschedule is conditioned on the
 * pending id it read, so no newer badge is ever cleared; the worst case is a duplicate push,
 * harmless since badges are absolute and collapse on the device.
 *
 * <p>Lifecycle: started and stopped with the application context; a run that fails (the table is
 * unreachable) is logged and the next one tries again. {@link #runOnce()} is what each tick does,
 * callable directly by tests with their own clock. Metrics: the gauge {@value #DUE} (due badges
 * found by the last run); the outcomes are {@link
 * dev.inboxpush.listener.delivery.DeliveryMetrics}'.
 */
public final class RedeliveryWorker implements SmartLifecycle {

  static final String DUE = "inboxpush.listener.pending.due";

  private static final Logger log = LoggerFactory.getLogger(RedeliveryWorker.class);

  private final RegistrationStore registrations;
  private final ListenerStateStore states;
  private final PushDelivery delivery;
  private final DeviceBadge deviceBadge;
  private final OutboxProperties properties;
  private final Clock clock;
  private final AtomicInteger lastDue = new AtomicInteger();
  private volatile Disposable running;

  public RedeliveryWorker(
      RegistrationStore registrations,
      ListenerStateStore states,
      PushDelivery delivery,
      OutboxProperties properties,
      Clock clock,
      MeterRegistry meters) {
    this.registrations = registrations;
    this.states = states;
    this.delivery = delivery;
    this.deviceBadge = new DeviceBadge(registrations, states);
    this.properties = properties;
    this.clock = clock;
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
    PendingBadge parked = entry.pending();
    if (parked.since().plus(properties.maxAge()).isBefore(clock.instant())) {
      return delivery.drop(entry.registrationId(), parked, DropReason.TOO_OLD);
    }
    // Decide on presence first: a delivery completes empty, which must not read as "gone".
    return registrations
        .findById(entry.registrationId())
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            found ->
                found
                    .map(registration -> redeliver(registration, parked))
                    .orElseGet(
                        () ->
                            delivery.drop(
                                entry.registrationId(), parked, DropReason.REGISTRATION_GONE)));
  }

  private Mono<Void> redeliver(Registration registration, PendingBadge parked) {
    return states
        .find(registration.id())
        .flatMap(
            state -> {
              // A parked badge is summed again now: the device's other accounts may have changed
              // since. This account's own count is the one in the state just read.
              Mono<Push> push =
                  parked.badge() == null
                      ? Mono.just(Push.to(registration, parked.kind(), null, parked.newMail()))
                      : deviceBadge
                          .total(registration, ownCount(state))
                          .map(
                              total ->
                                  Push.to(registration, parked.kind(), total, parked.newMail()));
              return push.flatMap(ready -> delivery.redeliver(registration, state, parked, ready));
            })
        .then();
  }

  private static int ownCount(ListenerState state) {
    return state.lastUnreadCount() == null ? 0 : state.lastUnreadCount();
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
