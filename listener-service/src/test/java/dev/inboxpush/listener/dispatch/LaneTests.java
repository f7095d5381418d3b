package dev.inboxpush.listener.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.testsupport.time.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The lane with a provider the test answers by hand: the window, the queue bound, cancellation,
 * late answers, the circuit, the dead-token valve's trial, shutdown, and a concurrent stress run in
 * which every push is answered exactly once and the counters return to zero.
 */
class LaneTests {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final MutableClock clock = MutableClock.startingAt("2026-11-27T12:00:00Z");
  private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final DispatchMetrics metrics = new DispatchMetrics(meters);

  /** Calls the test answers: each sent push waits in {@link #calls} for its sink. */
  private final Queue<Sinks.One<DispatchOutcome>> calls = new ConcurrentLinkedQueue<>();

  private final Function<Push, Mono<DispatchOutcome>> byHand =
      push ->
          Mono.defer(
              () -> {
                Sinks.One<DispatchOutcome> answer = Sinks.one();
                calls.add(answer);
                return answer.asMono();
              });

  /** Every lane a test made: closed after it, so that no sweeper outlives its test. */
  private final Queue<Lane> lanes = new ConcurrentLinkedQueue<>();

  @AfterEach
  void closeLanes() {
    long deadline = System.nanoTime() + Duration.ofMillis(100).toNanos();
    lanes.forEach(lane -> lane.close(deadline));
  }

  private Lane lane(int window, int queue, Duration sendTimeout, DeadTokenValve valve) {
    return lane(window, queue, sendTimeout, valve, byHand);
  }

  private Lane lane(
      int window,
      int queue,
      Duration sendTimeout,
      DeadTokenValve valve,
      Function<Push, Mono<DispatchOutcome>> provider) {
    Lane lane =
        new Lane(
            new Lane.Name("apns", "com.example.mail", "production"),
            new Lane.Limits(window, queue, sendTimeout),
            provider,
            outcome -> outcome instanceof DispatchOutcome.Retryable r && r.reason().equals("down"),
            new DispatchProperties.Circuit(
                50, 4, Duration.ofSeconds(30), Duration.ofSeconds(30), 2),
            breakers,
            valve,
            metrics,
            clock);
    lanes.add(lane);
    return lane;
  }

  private DeadTokenValve valve(int minimum) {
    return new DeadTokenValve(
        "apns",
        "com.example.mail",
        new DispatchProperties.Valve(
            50, minimum, Duration.ofMinutes(10), Duration.ofMinutes(30), 2),
        breakers,
        metrics,
        clock);
  }

  private static Push push() {
    RegistrationId id = RegistrationId.random();
    return new Push(
        id,
        AppId.of("com.example.mail"),
        ApnsEnvironment.PRODUCTION,
        DeviceToken.of(Platform.APNS, "a".repeat(64)),
        PushKind.NEW_MAIL,
        1,
        true,
        id.value(),
        null);
  }

  @Test
  void atMostTheWindowIsWithTheProviderAndTheRestWaitsInOrder() {
    Lane lane = lane(2, 10, TIMEOUT, valve(50));
    List<Sinks.One<DispatchOutcome>> outcomes =
        List.of(Sinks.one(), Sinks.one(), Sinks.one(), Sinks.one(), Sinks.one());
    outcomes.forEach(o -> lane.dispatch(push()).subscribe(o::tryEmitValue));

    assertThat(calls).hasSize(2);
    assertThat(lane.outstanding()).isEqualTo(5);

    calls.poll().tryEmitValue(new DispatchOutcome.Accepted());
    assertThat(calls).hasSize(2); // the third went out as the first was answered
    assertThat(outcomes.get(0).asMono().block(TIMEOUT)).isEqualTo(new DispatchOutcome.Accepted());

    while (!calls.isEmpty()) {
      calls.poll().tryEmitValue(new DispatchOutcome.Accepted());
    }
    assertThat(lane.outstanding()).isZero();
    assertThat(outcomes)
        .allMatch(o -> o.asMono().block(TIMEOUT) instanceof DispatchOutcome.Accepted);
  }

  @Test
  void aFullQueueAnswersAtOnce() {
    Lane lane = lane(1, 2, TIMEOUT, valve(50));
    for (int i = 0; i < 3; i++) {
      lane.dispatch(push()).subscribe();
    }

    assertThat(lane.dispatch(push()).block(TIMEOUT))
        .isEqualTo(new DispatchOutcome.Retryable(null, LaneReason.QUEUE_FULL));
    assertThat(calls).hasSize(1);
    assertThat(lane.outstanding()).isEqualTo(3);
  }

  @Test
  void aPushWhoseCallerGaveUpBeforeItLeftTheQueueIsNeverSent() {
    Lane lane = lane(1, 10, TIMEOUT, valve(50));
    lane.dispatch(push()).subscribe();
    lane.dispatch(push()).subscribe().dispose(); // the caller's budget ran out

    calls.poll().tryEmitValue(new DispatchOutcome.Accepted());

    assertThat(calls).isEmpty();
    assertThat(lane.outstanding()).isZero();
  }

  @Test
  void aLateAnswerAfterTheTimeoutCountsOnce() {
    Lane lane = lane(1, 10, Duration.ofMillis(50), valve(50));
    DispatchOutcome outcome = lane.dispatch(push()).block(TIMEOUT);

    assertThat(outcome).isEqualTo(new DispatchOutcome.Retryable(null, LaneReason.TIMEOUT));
    assertThat(lane.outstanding()).isZero();
    calls.poll().tryEmitValue(new DispatchOutcome.Accepted()); // too late: ignored
    assertThat(meters.find(DispatchMetrics.PUSHES).tag("outcome", "accepted").counter().count())
        .isZero();
    assertThat(
            meters
                .find(DispatchMetrics.PUSHES)
                .tag("reason", LaneReason.TIMEOUT.tag())
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void theCircuitOpensOnProviderTroubleAndATrialClosesIt() {
    Lane lane = lane(10, 10, TIMEOUT, valve(50));
    CircuitBreaker circuit = breakers.circuitBreaker("provider/apns/com.example.mail/production");
    for (int i = 0; i < 4; i++) {
      var outcome = lane.dispatch(push()).toFuture();
      calls.poll().tryEmitValue(new DispatchOutcome.Retryable(null, "down"));
      assertThat(outcome.join().reason()).isEqualTo("down");
    }
    assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(lane.dispatch(push()).block(TIMEOUT))
        .isEqualTo(new DispatchOutcome.Retryable(Duration.ofSeconds(30), LaneReason.CIRCUIT_OPEN));
    assertThat(calls).isEmpty();

    clock.advance(Duration.ofSeconds(31));
    var first = lane.dispatch(push()).toFuture();
    var second = lane.dispatch(push()).toFuture();
    // Only the trial's two pushes are let through while half-open.
    assertThat(lane.dispatch(push()).block(TIMEOUT).reason())
        .isEqualTo(LaneReason.CIRCUIT_OPEN.tag());
    calls.poll().tryEmitValue(new DispatchOutcome.Accepted());
    calls.poll().tryEmitValue(new DispatchOutcome.Accepted());

    assertThat(first.join()).isEqualTo(new DispatchOutcome.Accepted());
    assertThat(second.join()).isEqualTo(new DispatchOutcome.Accepted());
    assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void theValvePausesDeletionsDeletesNothingOnTrialAndResumesWhenHealthy() {
    DeadTokenValve valve = valve(4);
    DispatchOutcome dead = new DispatchOutcome.TokenDead(Instant.EPOCH, "unregistered");
    DispatchOutcome paused = new DispatchOutcome.ConfigurationError(LaneReason.DEAD_TOKEN_VALVE);
    for (int i = 0; i < 4; i++) {
      assertThat(valve.screen(dead)).isEqualTo(dead);
    }
    assertThat(valve.paused()).isTrue();
    assertThat(valve.screen(dead)).isEqualTo(paused);

    clock.advance(Duration.ofMinutes(31)); // the trial: measured, but nothing is deleted
    assertThat(valve.screen(dead)).isEqualTo(paused);
    assertThat(valve.screen(new DispatchOutcome.Accepted()))
        .isEqualTo(new DispatchOutcome.Accepted());
    assertThat(valve.paused()).isTrue(); // one dead of two is still at the threshold

    clock.advance(Duration.ofMinutes(31));
    assertThat(valve.screen(new DispatchOutcome.Accepted()))
        .isEqualTo(new DispatchOutcome.Accepted());
    assertThat(valve.screen(new DispatchOutcome.Accepted()))
        .isEqualTo(new DispatchOutcome.Accepted());
    assertThat(valve.paused()).isFalse();
    assertThat(valve.screen(dead)).isEqualTo(dead);
  }

  @Test
  void closeAnswersWhatIsQueuedAndWhatIsStillWithTheProvider() {
    Lane lane = lane(1, 10, TIMEOUT, valve(50));
    var sent = lane.dispatch(push()).toFuture();
    var queued = lane.dispatch(push()).toFuture();

    lane.close(System.nanoTime() + Duration.ofMillis(100).toNanos());

    DispatchOutcome shuttingDown = new DispatchOutcome.Retryable(null, LaneReason.SHUTTING_DOWN);
    assertThat(sent.join()).isEqualTo(shuttingDown);
    assertThat(queued.join()).isEqualTo(shuttingDown);
    assertThat(lane.dispatch(push()).block(TIMEOUT)).isEqualTo(shuttingDown);
    assertThat(calls).hasSize(1); // the queued one was never sent
    assertThat(lane.outstanding()).isZero();
  }

  /**
   * @param window the lane's window: small, so that answers drive the drain; or never full, so that
   *     only concurrent callers do (where a lost wake-up would strand a push)
   * @param sameThread answer every push on the thread that sends it, else on either
   */
  @ParameterizedTest
  @CsvSource({"16, false", "1000000, true", "1000000, false"})
  void underConcurrentLoadEveryPushIsAnsweredOnceAndTheCountersReturnToZero(
      int window, boolean sameThread) throws Exception {
    ExecutorService answerers = Executors.newFixedThreadPool(4);
    AtomicInteger withProvider = new AtomicInteger();
    AtomicInteger mostWithProvider = new AtomicInteger();
    Lane lane =
        lane(
            window,
            100_000,
            TIMEOUT,
            valve(50),
            push ->
                Mono.create(
                    sink -> {
                      mostWithProvider.accumulateAndGet(withProvider.incrementAndGet(), Math::max);
                      Runnable answer =
                          () -> {
                            withProvider.decrementAndGet();
                            sink.success(new DispatchOutcome.Accepted());
                          };
                      if (sameThread || ThreadLocalRandom.current().nextBoolean()) {
                        answer.run(); // answered on the sending thread
                      } else {
                        answerers.execute(answer);
                      }
                    }));
    int threads = 8;
    int each = 2_000;
    AtomicInteger answered = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(threads * each);
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      callers.execute(
          () -> {
            for (int i = 0; i < each; i++) {
              lane.dispatch(push())
                  .subscribe(
                      outcome -> {
                        answered.incrementAndGet();
                        done.countDown();
                      });
            }
          });
    }

    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    await().atMost(TIMEOUT).until(() -> lane.outstanding() == 0);
    assertThat(answered).hasValue(threads * each);
    assertThat(mostWithProvider.get()).isBetween(1, window);
    callers.shutdown();
    answerers.shutdown();
  }
}
