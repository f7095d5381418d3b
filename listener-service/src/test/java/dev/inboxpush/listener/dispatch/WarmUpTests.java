package dev.inboxpush.listener.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.model.Platform;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The warm-up's own rules, with lanes whose calls the test writes: parallel under one deadline,
 * every lane counted once in its own counter, nothing thrown, off at zero.
 */
class WarmUpTests {

  private static final Lane.Name PRODUCTION =
      new Lane.Name("apns", "com.example.mail", "production");
  private static final Lane.Name SANDBOX = new Lane.Name("apns", "com.example.mail", "sandbox");
  private static final Lane.Name PROJECT = new Lane.Name("fcm", "demo-project", "fcm");
  private static final WarmUp.Result WARMED =
      WarmUp.Result.of(WarmUp.Outcome.WARMED, LaneReason.NONE);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DispatchMetrics metrics = new DispatchMetrics(registry);

  /** A platform's dispatcher that offers the given warm-up calls and sends no push. */
  private record Offering(List<WarmUp.Call> calls) implements PlatformDispatcher {
    @Override
    public Platform platform() {
      return Platform.APNS;
    }

    @Override
    public Mono<DispatchOutcome> dispatch(Push push) {
      throw new AssertionError("the warm-up must not dispatch a push");
    }

    @Override
    public List<DispatchOutcome> outcomes() {
      return List.of();
    }

    @Override
    public List<WarmUp.Call> warmUps() {
      return calls;
    }
  }

  private double count(Lane.Name lane, WarmUp.Outcome outcome) {
    Counter counter =
        registry
            .find(DispatchMetrics.WARM_UPS)
            .tags("platform", lane.platform(), "app", lane.app(), "outcome", outcome.tag())
            .counter();
    assertThat(counter).as("series %s %s", lane, outcome).isNotNull();
    return counter.count();
  }

  @Test
  void everyLaneWarmsAtOnce() {
    // Each call answers only once all three are under way: one after another, none would.
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<Void> allStarted = new CompletableFuture<>();
    Mono<WarmUp.Result> call =
        Mono.defer(
            () -> {
              if (started.incrementAndGet() == 3) {
                allStarted.complete(null);
              }
              return Mono.fromFuture(allStarted).thenReturn(WARMED);
            });
    WarmUp warmUp =
        new WarmUp(
            List.of(
                new Offering(
                    List.of(new WarmUp.Call(PRODUCTION, call), new WarmUp.Call(SANDBOX, call))),
                new Offering(List.of(new WarmUp.Call(PROJECT, call)))),
            Duration.ofSeconds(5),
            metrics);

    Map<Lane.Name, WarmUp.Result> results = warmUp.run();

    assertThat(results)
        .containsExactly(
            Map.entry(PRODUCTION, WARMED), Map.entry(SANDBOX, WARMED), Map.entry(PROJECT, WARMED));
    // Both APNs environments are one app: one series, counted twice.
    assertThat(count(PRODUCTION, WarmUp.Outcome.WARMED)).isEqualTo(2);
    assertThat(count(PROJECT, WarmUp.Outcome.WARMED)).isEqualTo(1);
    assertThat(count(PROJECT, WarmUp.Outcome.TIMED_OUT)).isZero();
  }

  @Test
  void aLaneThatNeverAnswersTimesOutAtTheDeadlineWhileTheOthersCount() {
    Duration deadline = Duration.ofMillis(300);
    WarmUp warmUp =
        new WarmUp(
            List.of(
                new Offering(
                    List.of(
                        new WarmUp.Call(PRODUCTION, Mono.never()),
                        new WarmUp.Call(PROJECT, Mono.just(WARMED))))),
            deadline,
            metrics);

    long started = System.nanoTime();
    Map<Lane.Name, WarmUp.Result> results = warmUp.run();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(results.get(PRODUCTION))
        .isEqualTo(WarmUp.Result.of(WarmUp.Outcome.TIMED_OUT, LaneReason.TIMEOUT));
    assertThat(results.get(PROJECT)).isEqualTo(WARMED);
    assertThat(took).isBetween(deadline, deadline.plusSeconds(3));
    assertThat(count(PRODUCTION, WarmUp.Outcome.TIMED_OUT)).isEqualTo(1);
    assertThat(count(PROJECT, WarmUp.Outcome.WARMED)).isEqualTo(1);
  }

  @Test
  void aCallThatBreaksItsContractIsAFailureNeverAnException() {
    WarmUp warmUp =
        new WarmUp(
            List.of(
                new Offering(
                    List.of(
                        new WarmUp.Call(PRODUCTION, Mono.error(new IllegalStateException("bug"))),
                        new WarmUp.Call(SANDBOX, Mono.empty()),
                        new WarmUp.Call(
                            PROJECT,
                            Mono.defer(
                                () -> {
                                  throw new IllegalStateException("bug building it");
                                }))))),
            Duration.ofSeconds(5),
            metrics);

    Map<Lane.Name, WarmUp.Result> results = warmUp.run();

    assertThat(results)
        .containsEntry(
            PRODUCTION, WarmUp.Result.of(WarmUp.Outcome.FAILED, LaneReason.DISPATCHER_ERROR))
        .containsEntry(SANDBOX, WarmUp.Result.of(WarmUp.Outcome.FAILED, LaneReason.NO_OUTCOME))
        .containsEntry(
            PROJECT, WarmUp.Result.of(WarmUp.Outcome.FAILED, LaneReason.DISPATCHER_ERROR));
    assertThat(count(PRODUCTION, WarmUp.Outcome.FAILED)).isEqualTo(2);
  }

  @Test
  void zeroTurnsItOffAndTheSeriesStillShowZero() {
    AtomicInteger subscribed = new AtomicInteger();
    WarmUp warmUp =
        new WarmUp(
            List.of(
                new Offering(
                    List.of(
                        new WarmUp.Call(
                            PRODUCTION,
                            Mono.fromSupplier(
                                () -> {
                                  subscribed.incrementAndGet();
                                  return WARMED;
                                }))))),
            Duration.ZERO,
            metrics);

    assertThat(warmUp.run()).isEmpty();

    assertThat(subscribed).hasValue(0);
    for (WarmUp.Outcome outcome : WarmUp.Outcome.values()) {
      assertThat(count(PRODUCTION, outcome)).as(outcome.tag()).isZero();
    }
  }

  @Test
  void theOutcomeTagsAreTheDocumentedOnes() {
    assertThat(List.of(WarmUp.Outcome.values()))
        .extracting(WarmUp.Outcome::tag)
        .containsExactly("warmed", "failed", "timed_out", "refused");
  }

  @Test
  void aLaneOfSeveralConnectionsReportsItsWorstPart() {
    WarmUp.Result failed = new WarmUp.Result(WarmUp.Outcome.FAILED, "status_503");
    WarmUp.Result refused = new WarmUp.Result(WarmUp.Outcome.REFUSED, "invalid_provider_token");

    assertThat(WARMED.worse(failed)).isEqualTo(failed);
    assertThat(failed.worse(WARMED)).isEqualTo(failed);
    assertThat(failed.worse(refused)).isEqualTo(refused);
  }

  @Test
  void aNegativeDeadlineIsRefused() {
    assertThatThrownBy(() -> new WarmUp(List.of(), Duration.ofSeconds(-1), metrics))
        .hasMessageContaining("inboxpush.dispatch.warm-up.deadline");
  }
}
