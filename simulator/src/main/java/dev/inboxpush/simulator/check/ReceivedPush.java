package dev.inboxpush.simulator.check;

import org.jspecify.annotations.Nullable;

/**
 * One push as the local APNs or FCM received it (a row of the push inspector).
 *
 * @param sequence its arrival number at the push server
 * @param platform {@code apns} or {@code fcm}
 * @param token the device token
 * @param badge the badge it carried, null for a wake-up without a count
 * @param kind {@code new-mail}, {@code unread-changed}, {@code resubscribe} ... or null
 * @param accepted whether the server accepted it (a dead token's push is rejected)
 */
public record ReceivedPush(
    long sequence,
    String platform,
    String token,
    @Nullable Integer badge,
    @Nullable String kind,
    boolean accepted) {}
