package dev.inboxpush.listener.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTests {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5));

  @Test
  void backoffDoublesFromTheInitialWaitUpToTheMaximum() {
    assertThat(backoff.after(0, null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.after(1, null)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.after(3, null)).isEqualTo(Duration.ofSeconds(40));
    assertThat(backoff.after(6, null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(backoff.after(1_000, null)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aLongerRetryAfterWinsAndAShorterOneDoesNot() {
    assertThat(backoff.after(0, Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
    assertThat(backoff.after(6, Duration.ofMinutes(20))).isEqualTo(Duration.ofMinutes(20));
    assertThat(backoff.after(3, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void aMaximumBelowTheInitialWaitIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Backoff(Duration.ofMinutes(1), Duration.ofSeconds(1)));
  }
}
