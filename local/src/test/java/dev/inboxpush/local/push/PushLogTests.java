package dev.inboxpush.local.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.testsupport.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PushLogTests {

  private static final String TOKEN = "9b1a76" + "0".repeat(58);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

  @Test
  void keepsTheLastPushesNewestFirst() {
    PushLog log = new PushLog(3, clock);
    for (int i = 1; i <= 5; i++) {
      log.record(
          "apns", TOKEN, "dev.inboxpush.example", i, "new-mail", "10", "alert", null, 200, null);
    }

    assertThat(log.pushes()).extracting(Push::badge).containsExactly(5, 4, 3);
    assertThat(log.pushesAfter(3)).extracting(Push::sequence).containsExactly(5L, 4L);
    assertThat(log.lastSequence()).isEqualTo(5);
    assertThat(log.devices())
        .singleElement()
        .satisfies(device -> assertThat(device.pushes()).isEqualTo(5));
  }

  @Test
  void shortensTokensAsTheLogsDo() {
    assertThat(Push.shorten(TOKEN)).isEqualTo("9b1a76…(64)");
    assertThat(Push.shorten("abc")).isEqualTo("abc…(3)");
    assertThat(Push.shorten(null)).isEqualTo("(none)");
  }

  @Test
  void aDeadTokenKeepsItsFirstDeathAndItsCount() {
    PushLog log = new PushLog(10, clock);
    log.record(
        "fcm",
        "fcm-token-0123456789",
        "inboxpush-local",
        2,
        "new-mail",
        "high",
        null,
        null,
        200,
        null);
    Instant died = clock.instant();

    log.markDead("fcm", "fcm-token-0123456789", died);
    clock.advance(Duration.ofMinutes(1));
    log.markDead("fcm", "fcm-token-0123456789", clock.instant());

    Device device = log.device("fcm", "fcm-token-0123456789");
    assertThat(device).isNotNull();
    assertThat(device.deadSince()).isEqualTo(died);
    assertThat(device.pushes()).isEqualTo(1);
  }

  @Test
  void devicesAreListedByLatestActivity() {
    PushLog log = new PushLog(10, clock);
    log.record("apns", "a".repeat(64), null, null, null, null, null, null, 200, null);
    log.record("apns", "b".repeat(64), null, null, null, null, null, null, 200, null);
    log.markDead("fcm", "never-pushed-token-1", clock.instant());
    log.record("apns", "a".repeat(64), null, null, null, null, null, null, 410, "Unregistered");

    assertThat(log.devices())
        .extracting(Device::token)
        .containsExactly("a".repeat(64), "never-pushed-token-1", "b".repeat(64));
  }
}
