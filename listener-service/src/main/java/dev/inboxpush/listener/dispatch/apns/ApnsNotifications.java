package dev.inboxpush.listener.dispatch.apns;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.model.DeviceContract;
import java.time.Instant;

/**
 * The device contract for iOS: one {@link Push} to one APNs notification. Pure and thread-safe.
 *
 * <ul>
 *   <li>With a count: {@code {"aps":{"badge":N,"content-available":1},"inboxpush":{"kind":K,
 *       "registrationId":R}}}, push type {@code alert}, priority 10 when the POST carried new mail,
 *       else 5.
 *   <li>Without a count (a wake-up): {@code {"aps":{"content-available":1},"inboxpush":{...}}},
 *       push type {@code background}, priority 5 always (Apple: 10 is an error there).
 *   <li>{@code apns-collapse-id} is the push's collapse key (the registration id: 36 bytes, under
 *       Apple's 64); {@code apns-expiration} is now plus the configured expiration.
 * </ul>
 *
 * The payload is written by hand: every value in it is a validated type (a count, a {@code
 * PushKind} wire name, a canonical registration id), so nothing needs escaping, and no mail data
 * ever enters it.
 */
final class ApnsNotifications {

  /**
   * The device token of the start-up warm-up push: no device can have it (APNs tokens are hex), so
   * APNs checks our credentials, answers {@code BadDeviceToken} and delivers nothing.
   */
  static final String WARM_UP_TOKEN = "inboxpush-warm-up";

  private ApnsNotifications() {}

  /**
   * The warm-up push for {@code topic}: to {@link #WARM_UP_TOKEN}, background, priority 5, expiring
   * at once ({@code apns-expiration: 0}), with a payload that carries nothing.
   */
  static SimpleApnsPushNotification warmUp(String topic) {
    return new SimpleApnsPushNotification(
        WARM_UP_TOKEN,
        topic,
        "{\"aps\":{\"content-available\":1}}",
        null,
        DeliveryPriority.CONSERVE_POWER,
        PushType.BACKGROUND,
        null,
        null);
  }

  static SimpleApnsPushNotification of(Push push, Instant expiresAt) {
    Integer badge = push.badge();
    boolean alert = badge != null;
    return new SimpleApnsPushNotification(
        push.deviceToken().value(),
        push.appId().value(),
        payload(push),
        expiresAt,
        alert && push.highPriority() ? DeliveryPriority.IMMEDIATE : DeliveryPriority.CONSERVE_POWER,
        alert ? PushType.ALERT : PushType.BACKGROUND,
        push.collapseKey());
  }

  static String payload(Push push) {
    StringBuilder json = new StringBuilder(128).append("{\"aps\":{");
    if (push.badge() != null) {
      json.append("\"badge\":").append(push.badge().intValue()).append(',');
    }
    return json.append("\"content-available\":1},\"")
        .append(DeviceContract.APNS_CUSTOM_KEY)
        .append("\":{\"")
        .append(DeviceContract.KEY_KIND)
        .append("\":\"")
        .append(push.kind().wireName())
        .append("\",\"")
        .append(DeviceContract.KEY_REGISTRATION_ID)
        .append("\":\"")
        .append(push.registrationId().value())
        .append("\"}}")
        .toString();
  }
}
