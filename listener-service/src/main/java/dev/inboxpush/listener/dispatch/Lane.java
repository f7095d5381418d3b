package dev.inboxpush.listener.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One provider lane: one app (APNs topic or Firebase project) in one environment, with its own
 * bounded in-flight window, a bounded queue in front of it, an outage circuit breaker and the app's
 * dead-token safety valve. Platform dispatchers own one lane per app and environment and give it
 * the single thing that differs: how to send one push and read the answer.
 *
 * <p>Flow: {@link #dispatch} answers {@code circuit_open} at once while the circuit is open
 * (nothing is sent; the badge goes pending with the open time as its Retry-After), {@code
 * queue_full} when the queue is full, and otherwise queues the push. At most {@code window} pushes
 * are with the provider at any time; the rest wait in order. A push whose caller gave up (its own
 * time budget) before it left the queue is never sent. Each provider answer is recorded in the
 * circuit (provider trouble as a failure), screened by the valve, counted and timed.
 *
 * <p>Threading: {@link #dispatch} may be called from any thread and never blocks; the provider
 * function is subscribed on the thread that frees a window slot and must not block either.
 * Lifecycle: created started; {@link #close} stops taking pushes and waits, within a bound, for
 * those queued and in flight. The returned Monos never fail.
 */
public final class Lane implements Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Lane.class);

  private static final DispatchOutcome SHUTTING_DOWN =
      new DispatchOutcome.Retryable(null, LaneReason.SHUTTING_DOWN);
  private static final DispatchOutcome QUEUE_FULL =
      new DispatchOutcome.Retryable(null, LaneReason.QUEUE_FULL);
  private static final DispatchOutcome TRANSPORT =
      new DispatchOutcome.Retryable(null, LaneReason.TRANSPORT);
  private static final DispatchOutcome TIMED_OUT =
      new DispatchOutcome.Retryable(null, LaneReason.TIMEOUT);
  private static final DispatchOutcome CANNOT_SEND =
      new DispatchOutcome.Failed(LaneReason.DISPATCHER_ERROR);

  /**
   * Every outcome, by its tags, that a lane gives of its own, whatever its provider answers:
   * accepted, shutting down, circuit open (its Retry-After aside), queue full, transport, timeout,
   * our own failure to send, and the valve's pause.
   */
  static final List<DispatchOutcome> OWN_OUTCOMES =
      List.of(
          new DispatchOutcome.Accepted(),
          SHUTTING_DOWN,
          new DispatchOutcome.Retryable(null, LaneReason.CIRCUIT_OPEN),
          QUEUE_FULL,
          TRANSPORT,
          TIMED_OUT,
          CANNOT_SEND,
          DeadTokenValve.PAUSED);

  /**
   * A lane's limits.
   *
   * @param window most pushes with the provider at once
   * @param queue most pushes waiting for a window slot; more are answered {@code queue_full}
   * @param sendTimeout longest wait for one provider answer; then {@code timeout}, retryable
   */
  public record Limits(int window, int queue, Duration sendTimeout) {
    public Limits {
      if (window < 1 || queue < 1 || sendTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("a lane needs a window and queue >= 1, a timeout > 0");
      }
    }
  }

  /** Who a lane serves, for metric tags and circuit names. */
  public record Name(String platform, String app, String environment) {
    @Override
    public String toString() {
      return platform + "/" + app + "/" + environment;
    }
  }

  private final Name name;
  private final Limits limits;
  private final Function<Push, Mono<DispatchOutcome>> provider;
  private final Predicate<DispatchOutcome> providerTrouble;
  private final CircuitBreaker circuit;
  private final DispatchOutcome circuitOpen;
  private final DeadTokenValve valve;
  private final DispatchMetrics metrics;
  private final Queue<Job> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger drainers = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean drainOnly = new AtomicBoolean();
  private final Set<Job> sent = ConcurrentHashMap.newKeySet();
  private final Disposable sweeper;
  private final Counter accepted;
  private final Timer latency;

  /**
   * @param provider prepares one push (on the caller's thread) as a lazy call that sends it and
   *     maps the answer to an outcome; the call may fail or complete empty (a transport failure)
   * @param providerTrouble which outcomes mean the provider, not the push, is in trouble
   */
  public Lane(
      Name name,
      Limits limits,
      Function<Push, Mono<DispatchOutcome>> provider,
      Predicate<DispatchOutcome> providerTrouble,
      DispatchProperties.Circuit circuitSettings,
      CircuitBreakerRegistry breakers,
      DeadTokenValve valve,
      DispatchMetrics metrics,
      Clock clock) {
    this.name = name;
    this.limits = limits;
    this.provider = provider;
    this.providerTrouble = providerTrouble;
    this.valve = valve;
    this.metrics = metrics;
    this.circuitOpen =
        new DispatchOutcome.Retryable(circuitSettings.openFor(), LaneReason.CIRCUIT_OPEN);
    this.circuit =
        RateBreakers.create(
            breakers,
            "provider/" + name,
            circuitSettings.window(),
            circuitSettings.minimumCalls(),
            circuitSettings.failureRate(),
            circuitSettings.openFor(),
            circuitSettings.trialCalls(),
            clock);
    circuit
        .getEventPublisher()
        .onStateTransition(
            event -> log.warn("lane {}: circuit {}", name, event.getStateTransition()));
    metrics.lane(name.platform(), name.app(), name.environment(), inFlight::get, queued::get);
    this.accepted =
        metrics.pushCounter(name.platform(), name.app(), new DispatchOutcome.Accepted());
    this.latency = metrics.latency(name.platform());
    // A timer per push (Reactor's timeout) would cost more than the push: one sweep per lane
    // times out the answers that take too long instead.
    long period = Math.max(10, limits.sendTimeout().toMillis() / 10);
    this.sweeper =
        Schedulers.parallel()
            .schedulePeriodically(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public Mono<DispatchOutcome> dispatch(Push push) {
    return Mono.defer(
        () -> {
          if (closing.get()) {
            return answered(SHUTTING_DOWN);
          }
          if (!circuit.tryAcquirePermission()) {
            return answered(circuitOpen);
          }
          if (queued.incrementAndGet() > limits.queue()) {
            queued.decrementAndGet();
            circuit.releasePermission();
            return answered(QUEUE_FULL);
          }
          // Built on the caller's thread: the provider's event loop only sends.
          Job job = new Job(push, call(push));
          waiting.offer(job);
          drain();
          return job.result.asMono().doOnCancel(job::abandon);
        });
  }

  /** Who this lane serves. */
  public Name name() {
    return name;
  }

  /** Pushes queued or with the provider now. */
  public int outstanding() {
    return queued.get() + inFlight.get();
  }

  /**
   * Stops taking pushes: from now on {@link #dispatch} answers {@code shutting_down}. Returns at
   * once; call it on every lane before {@link #close} so that no lane keeps sending while another
   * drains.
   */
  public void stopTaking() {
    closing.set(true);
  }

  /**
   * Stops taking pushes and waits until {@code deadline} ({@link System#nanoTime()}) for those
   * queued and in flight to be answered; whatever remains is then answered {@code shutting_down}
   * (retryable: its badge stays pending) and a late answer from the provider is ignored. Blocks the
   * calling thread; call it from a shutdown hook, never from an event loop. Idempotent.
   */
  public void close(long deadline) {
    stopTaking();
    if (drainOnly.get()) {
      return;
    }
    while (outstanding() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int left = outstanding();
    if (left > 0) {
      log.warn("lane {}: {} push(es) not answered before the shutdown deadline", name, left);
    }
    drainOnly.set(true);
    drain(); // the queued ones, unsent
    for (Job job : sent) { // the unanswered ones: the provider is about to be closed
      finish(job, SHUTTING_DOWN);
    }
    sweeper.dispose();
  }

  /**
   * Moves waiting pushes into the window while it has room. One thread drains at a time; a call
   * that finds another draining leaves it a note to look again, so no push is left behind.
   * (Reactor's flatMap would do this too, but scans all its inner subscribers on every answer,
   * which at a window of a thousand costs more than the push itself.)
   */
  private void drain() {
    if (drainers.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      while (inFlight.get() < limits.window() || drainOnly.get()) {
        Job job = waiting.poll();
        if (job == null) {
          break;
        }
        if (job.abandoned.get() || drainOnly.get()) {
          queued.decrementAndGet();
          circuit.releasePermission();
          job.complete(SHUTTING_DOWN, drainOnly.get());
          continue;
        }
        inFlight.incrementAndGet(); // before queued goes down: outstanding() never reads 0 early
        queued.decrementAndGet();
        try {
          send(job);
        } catch (RuntimeException e) { // a provider bug must not stop this lane's drain
          log.error("lane {}: sending failed: {}", name, e.toString(), e);
          finish(job, CANNOT_SEND);
        }
      }
      missed = drainers.addAndGet(-missed);
    } while (missed != 0);
  }

  /** Sends one push; its answer (or its timeout) frees the window slot for the next one. */
  private void send(Job job) {
    job.sentAt = System.nanoTime();
    sent.add(job);
    // No operators in between: finish() takes the first signal, so the completion after a value
    // is ignored, and an empty or failed call is a transport failure.
    job.call.subscribe(
        outcome -> finish(job, outcome),
        error -> finish(job, TRANSPORT),
        () -> finish(job, TRANSPORT));
  }

  private Mono<DispatchOutcome> call(Push push) {
    try {
      return provider.apply(push);
    } catch (RuntimeException e) { // our bug building the request: retrying repeats it
      log.error("lane {}: cannot build a push: {}", name, e.toString(), e);
      return Mono.just(CANNOT_SEND);
    }
  }

  /** The first of the provider's answer and the sweep's timeout counts; the other is ignored. */
  private void finish(Job job, DispatchOutcome outcome) {
    if (!job.finished.compareAndSet(false, true)) {
      return;
    }
    sent.remove(job);
    long took = System.nanoTime() - job.sentAt;
    latency.record(took, TimeUnit.NANOSECONDS);
    if (providerTrouble.test(outcome)) {
      circuit.onError(took, TimeUnit.NANOSECONDS, new ProviderTrouble(outcome));
    } else {
      circuit.onSuccess(took, TimeUnit.NANOSECONDS);
    }
    inFlight.decrementAndGet();
    // The next push goes out before the caller's continuation runs on this (provider) thread.
    drain();
    job.complete(valve.screen(outcome), true);
  }

  /** Answers {@code timeout} for every push the provider has left unanswered for too long. */
  private void sweep() {
    long now = System.nanoTime();
    long limit = limits.sendTimeout().toNanos();
    for (Job job : sent) {
      if (now - job.sentAt > limit) {
        finish(job, TIMED_OUT);
      }
    }
  }

  private Mono<DispatchOutcome> answered(DispatchOutcome outcome) {
    metrics.push(name.platform(), name.app(), outcome);
    return Mono.just(outcome);
  }

  /** One queued push and the caller waiting for it. */
  private final class Job {
    final Push push;
    final Mono<DispatchOutcome> call;
    final Sinks.One<DispatchOutcome> result = Sinks.one();
    final AtomicBoolean abandoned = new AtomicBoolean();
    final AtomicBoolean finished = new AtomicBoolean();
    volatile long sentAt;

    Job(Push push, Mono<DispatchOutcome> call) {
      this.push = push;
      this.call = call;
    }

    void abandon() {
      abandoned.set(true);
    }

    void complete(DispatchOutcome outcome, boolean count) {
      if (count && outcome instanceof DispatchOutcome.Accepted) {
        accepted.increment();
      } else if (count) {
        metrics.push(name.platform(), name.app(), outcome);
      }
      result.tryEmitValue(outcome);
    }
  }

  /** Provider trouble, as the circuit breaker records it: a value, never thrown. */
  private static final class ProviderTrouble extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProviderTrouble(DispatchOutcome outcome) {
      super(outcome.reason(), null, false, false);
    }
  }
}
