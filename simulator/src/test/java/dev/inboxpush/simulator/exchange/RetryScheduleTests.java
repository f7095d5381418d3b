package dev.inboxpush.simulator.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTests {

  @Test
  void theDefaultStatusFrequencyOf30MinutesGivesMicrosoftsSixRetries() {
    // statusfrequency.md: 30, 60, 120, 240, 480, 960 s; the seventh (1,920 s) is not sent.
    assertThat(new RetrySchedule(30, 1).delays())
        .containsExactly(
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofSeconds(120),
            Duration.ofSeconds(240),
            Duration.ofSeconds(480),
            Duration.ofSeconds(960));
    assertThat(new RetrySchedule(30, 1).delayBefore(7)).isEmpty();
  }

  @Test
  void aRetryIsSentOnlyWhileItsIntervalFitsTheStatusFrequency() {
    assertThat(new RetrySchedule(1, 1).delays())
        .containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60));
    assertThat(new RetrySchedule(2, 1).delays()).hasSize(3);
    assertThat(new RetrySchedule(4, 1).delays()).hasSize(4);
    // 1,440 minutes: up to 30 s x 2^11 = 61,440 s (1,024 min); 2^12 x 30 s is 2,048 min.
    assertThat(new RetrySchedule(1440, 1).delays()).hasSize(12);
  }

  @Test
  void theTimeScaleDividesEveryIntervalAndTheHeartbeat() {
    RetrySchedule fast = new RetrySchedule(1, 60);
    assertThat(fast.delays()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(fast.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(new RetrySchedule(30, 1).heartbeatInterval()).isEqualTo(Duration.ofMinutes(30));
    List<Duration> real = new RetrySchedule(30, 1).delays();
    List<Duration> scaled = new RetrySchedule(30, 120).delays();
    for (int i = 0; i < real.size(); i++) {
      assertThat(scaled.get(i)).isEqualTo(real.get(i).dividedBy(120));
    }
  }

  @Test
  void badValuesAreRefusedNamingThem() {
    assertThatThrownBy(() -> new RetrySchedule(0, 1)).hasMessageContaining("1 to 1440");
    assertThatThrownBy(() -> new RetrySchedule(1441, 1)).hasMessageContaining("1 to 1440");
    assertThatThrownBy(() -> new RetrySchedule(1, 0.5)).hasMessageContaining("time scale");
    assertThatThrownBy(() -> new RetrySchedule(1, Double.NaN)).hasMessageContaining("time scale");
    assertThatThrownBy(() -> new RetrySchedule(1, 1).delayBefore(0)).hasMessageContaining("from 1");
  }
}
