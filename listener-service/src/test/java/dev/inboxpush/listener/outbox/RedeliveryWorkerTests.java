package dev.inboxpush.listener.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedeliveryWorkerTests {

  private final RedeliveryWorker worker =
      new RedeliveryWorker(
          null,
          null,
          null,
          new OutboxProperties(
              false,
              Duration.ofSeconds(2),
              100,
              16,
              Duration.ofSeconds(5),
              Duration.ofMinutes(5),
              Duration.ofHours(6)),
          Duration.ofSeconds(2),
          Clock.systemUTC(),
          new SimpleMeterRegistry());

  @Test
  void backoffDoublesFromTheInitialWaitUpToTheMaximum() {
    assertThat(worker.backoff(0, null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(worker.backoff(1, null)).isEqualTo(Duration.ofSeconds(10));
    assertThat(worker.backoff(3, null)).isEqualTo(Duration.ofSeconds(40));
    assertThat(worker.backoff(6, null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(worker.backoff(1_000, null)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aLongerRetryAfterWinsAndAShorterOneDoesNot() {
    assertThat(worker.backoff(0, Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
    assertThat(worker.backoff(6, Duration.ofMinutes(20))).isEqualTo(Duration.ofMinutes(20));
    assertThat(worker.backoff(3, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(40));
  }
}
