package dev.inboxpush.listener.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A dispatcher whose answers a test scripts per device token value: accepted unless told otherwise.
 * Records every push it was given, so that tests check what was sent, not only what was answered.
 * Thread-safe. A test fixture that stays after the real dispatchers exist.
 */
public final class ScriptedDispatcher implements Dispatcher {

  private final Map<String, Function<Push, Mono<DispatchOutcome>>> scripts =
      new ConcurrentHashMap<>();
  private final Queue<Push> received = new ConcurrentLinkedQueue<>();

  /** Answers pushes to {@code token} with {@code outcome}. */
  public ScriptedDispatcher answer(String token, DispatchOutcome outcome) {
    scripts.put(token, push -> Mono.just(outcome));
    return this;
  }

  /** Answers pushes to {@code token} with {@code outcome} after {@code delay}. */
  public ScriptedDispatcher answerAfter(String token, Duration delay, DispatchOutcome outcome) {
    scripts.put(token, push -> Mono.delay(delay).thenReturn(outcome));
    return this;
  }

  /** Runs {@code action} when a push to {@code token} arrives, then answers {@code outcome}. */
  public ScriptedDispatcher onPush(String token, Runnable action, DispatchOutcome outcome) {
    scripts.put(
        token,
        push ->
            Mono.fromRunnable(action)
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .thenReturn(outcome));
    return this;
  }

  /** Completes without any outcome: a broken dispatcher, which the callers must survive. */
  public ScriptedDispatcher answerNothing(String token) {
    scripts.put(token, push -> Mono.empty());
    return this;
  }

  /**
   * Fails instead of answering an outcome: a defect in a dispatcher, which callers must survive.
   */
  public ScriptedDispatcher fail(String token, RuntimeException error) {
    scripts.put(token, push -> Mono.error(error));
    return this;
  }

  /** Back to accepting pushes to {@code token}. */
  public ScriptedDispatcher accept(String token) {
    scripts.remove(token);
    return this;
  }

  public void reset() {
    scripts.clear();
    received.clear();
  }

  /** Every push given, in order. */
  public List<Push> received() {
    return List.copyOf(received);
  }

  /** Pushes given for {@code token}. */
  public List<Push> receivedFor(String token) {
    return received.stream().filter(push -> push.deviceToken().value().equals(token)).toList();
  }

  @Override
  public Mono<DispatchOutcome> dispatch(Push push) {
    return Mono.defer(
        () -> {
          received.add(push);
          Function<Push, Mono<DispatchOutcome>> script = scripts.get(push.deviceToken().value());
          return script == null ? Mono.just(new DispatchOutcome.Accepted()) : script.apply(push);
        });
  }
}
