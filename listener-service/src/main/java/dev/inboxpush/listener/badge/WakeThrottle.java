package dev.inboxpush.listener.badge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * At most one wake-up without a count per device (token and app) per window. A wake-up inside the
 * window is not sent; the caller coalesces it into one pending wake-up due when the window ends, so
 * that the last change is never lost. In memory, per instance (several instances may each send one
 * per window: harmless, the app recounts). Thread-safe.
 */
public final class WakeThrottle {

  private final Duration window;
  private final Clock clock;
  private final Cache<String, Instant> lastSent;

  public WakeThrottle(Duration window, Clock clock, long maxDevices) {
    this.window = window;
    this.clock = clock;
    this.lastSent = Caffeine.newBuilder().maximumSize(maxDevices).build();
  }

  /**
   * Takes the device's slot if free: empty means send now; otherwise the instant the window ends,
   * when a coalesced wake-up is due.
   */
  public Optional<Instant> acquire(AppId app, DeviceToken token) {
    Instant now = clock.instant();
    String device = token.platform().wireName() + "|" + app.value() + "|" + token.value();
    Instant[] blockedUntil = new Instant[1];
    lastSent
        .asMap()
        .compute(
            device,
            (key, sent) -> {
              if (sent != null && now.isBefore(sent.plus(window))) {
                blockedUntil[0] = sent.plus(window);
                return sent;
              }
              return now;
            });
    return Optional.ofNullable(blockedUntil[0]);
  }
}
