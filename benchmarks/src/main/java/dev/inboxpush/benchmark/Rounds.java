package dev.inboxpush.benchmark;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import reactor.core.publisher.Mono;

/** What the dispatch benchmarks print: the machine, medians and their rounds. */
final class Rounds {

  private Rounds() {}

  /** One line about the machine the figures come from. */
  static String machine() {
    return String.format(
        Locale.ROOT,
        "machine: %d cores, %s %s, max heap %d MB",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  /**
   * Sends {@code count} pushes through {@code dispatch}, keeping at most {@code outstanding}
   * unanswered (a semaphore on the callers' side, no Reactor operator in between, as pushy's wiki
   * drives pushy). Returns how many were accepted.
   *
   * @throws IllegalStateException when answers are still missing after {@code limit}
   */
  static long drive(
      String name,
      IntFunction<Mono<DispatchOutcome>> dispatch,
      int count,
      int outstanding,
      Duration limit)
      throws InterruptedException {
    Semaphore permits = new Semaphore(outstanding);
    CountDownLatch done = new CountDownLatch(count);
    AtomicLong accepted = new AtomicLong();
    for (int i = 0; i < count; i++) {
      permits.acquire();
      dispatch
          .apply(i)
          .subscribe(
              outcome -> {
                if (outcome instanceof DispatchOutcome.Accepted) {
                  accepted.incrementAndGet();
                }
                permits.release();
                done.countDown();
              });
    }
    if (!done.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + ": answers missing after " + limit);
    }
    return accepted.get();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The rounds as {@code 1,234 / 1,300 / ...}. */
  static String format(double[] values) {
    StringBuilder text = new StringBuilder();
    for (double value : values) {
      text.append(text.length() == 0 ? "" : " / ")
          .append(String.format(Locale.ROOT, "%,.0f", value));
    }
    return text.toString();
  }
}
