package dev.inboxpush.local.push;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A device the push inspector knows: one that was pushed to, or whose token was made dead. A row of
 * {@code GET /api/devices}. Immutable.
 *
 * @param platform {@code apns} or {@code fcm}
 * @param token the device token (APNs: in lower case)
 * @param shortToken the token as logs show it ({@link Push#shorten})
 * @param pushes how many pushes to it arrived
 * @param lastPush when the last one arrived, {@code null} when none did
 * @param deadSince since when the token is dead (answered {@code 410 Unregistered} / {@code 404
 *     UNREGISTERED}), {@code null} while it is alive
 */
public record Device(
    String platform,
    String token,
    String shortToken,
    long pushes,
    @Nullable Instant lastPush,
    @Nullable Instant deadSince) {

  /** Whether its token is dead. */
  public boolean dead() {
    return deadSince != null;
  }
}
