package dev.inboxpush.local.push;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One push as the local APNs or the fake FCM received it, with the answer it got: a row of the push
 * inspector. Immutable. Every text field is what a client sent: the inspector page renders it as
 * text only.
 *
 * @param sequence the arrival number, from 1 for the server's life, across both platforms
 * @param at when it arrived
 * @param platform {@code apns} or {@code fcm}
 * @param token the device token as sent (APNs: in lower case); {@code null} when the request named
 *     none (an FCM message without a {@code token})
 * @param shortToken the token as logs show it, {@code 9b1a76…(64)}
 * @param app the APNs topic or the FCM project, {@code null} when absent
 * @param badge {@code aps.badge} (APNs) or the {@code unread} data value (FCM), {@code null} when
 *     absent or not a number
 * @param kind {@code inboxpush.kind} (APNs) or the {@code kind} data value (FCM), {@code null} when
 *     absent
 * @param priority APNs {@code 10} or {@code 5}, FCM {@code high} or {@code normal}; {@code null}
 *     when absent
 * @param pushType APNs' {@code apns-push-type} ({@code alert}, {@code background}); {@code null}
 *     for FCM or when absent
 * @param collapseId APNs' {@code apns-collapse-id} or FCM's {@code android.collapse_key}
 * @param status the HTTP status answered: 200 when accepted
 * @param rejection the reason given when rejected (APNs' {@code Unregistered}, FCM's {@code
 *     UNREGISTERED}), {@code null} when accepted
 */
public record Push(
    long sequence,
    Instant at,
    String platform,
    @Nullable String token,
    String shortToken,
    @Nullable String app,
    @Nullable Integer badge,
    @Nullable String kind,
    @Nullable String priority,
    @Nullable String pushType,
    @Nullable String collapseId,
    int status,
    @Nullable String rejection) {

  /** Whether it was accepted. */
  public boolean accepted() {
    return rejection == null;
  }

  /**
   * {@code token} shortened as the services' logs show tokens: its first six characters, an
   * ellipsis and its length ({@code 9b1a76…(64)}); a token of six characters or fewer is shown
   * whole with its length, a missing one as {@code (none)}.
   */
  public static String shorten(@Nullable String token) {
    if (token == null) {
      return "(none)";
    }
    int end = token.offsetByCodePoints(0, Math.min(6, token.codePointCount(0, token.length())));
    return token.substring(0, end) + "…(" + token.length() + ")";
  }
}
